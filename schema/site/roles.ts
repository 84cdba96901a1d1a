/** A site's roles: the base roles plus the people who run it and work its shifts. */
import { BASE_ROLES } from "../core/kind";

export const SITE_ROLES = {
  owner: [...BASE_ROLES.owner, "site.configure", "alerts.handle"],
  admin: [...BASE_ROLES.admin, "site.configure", "alerts.handle"],
  /** Runs the site: layout, rules, escalation, keys; handles alerts. */
  manager: ["room.read", "doc.write", "site.configure", "alerts.handle"],
  /** Works a shift: acknowledges and resolves alerts, keeps the checklists. */
  staff: ["room.read", "doc.write", "alerts.handle"],
  editor: BASE_ROLES.editor,
  /** An auditor: sees everything, changes nothing. */
  viewer: BASE_ROLES.viewer,
} as const;

/** Every role name of a site, for commands that name roles (an escalation step). */
export const SITE_ROLE_NAMES = Object.keys(SITE_ROLES) as [string, ...string[]];
