/** A cold-storage site, as core sees it: its roles, document roots and who adds photos. */
import type { KindManifest } from "../core/kind";
import { SITE_SERVER_ROOTS } from "./records";
import { SITE_ROLES } from "./roles";

const CAPABILITIES = [
  /** Change a site's layout (areas, units, sensors), its alert rules, escalation and ingest keys. */
  "site.configure",
  /** Acknowledge and resolve a site's alerts and log readings by hand. */
  "alerts.handle",
] as const;

export const siteKind = {
  noun: "site",
  capabilities: CAPABILITIES,
  roles: SITE_ROLES,
  serverRoots: SITE_SERVER_ROOTS,
  /** Whoever handles alerts, for a corrective action. */
  photoCapabilities: ["alerts.handle"],
} as const satisfies KindManifest<(typeof CAPABILITIES)[number]>;
