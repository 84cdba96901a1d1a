/** A deal, as core sees it: the base roles and the shared checklists only, for now. */
import { BASE_ROLES, type KindManifest } from "../core/kind";

export const dealKind = {
  capabilities: [],
  roles: BASE_ROLES,
  serverRoots: [],
  photoCapabilities: [],
} as const satisfies KindManifest<never>;
