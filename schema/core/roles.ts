/**
 * Room kinds, roles and capabilities. A role is a named set of capabilities; every room
 * kind has the four base roles and may add roles of its own (a deal's buyer, a site's
 * staff) by listing them in KIND_ROLES, without touching any check in the code.
 */

export const ROOM_KINDS = ["property", "deal", "site"] as const;
export type RoomKind = (typeof ROOM_KINDS)[number];

export const CAPABILITIES = [
  /** See the room, its document and live updates. */
  "room.read",
  /** Change the co-edited document (checklists and the like). */
  "doc.write",
  /** Invite people with a role the inviter may grant. */
  "members.invite",
  /** Change roles and remove members. */
  "members.manage",
  /** Grant or take away the owner role. */
  "members.manage_owners",
  /** Rename the room, archive it or bring it back. */
  "room.manage",
  /** Delete the room and everything in it, for good. */
  "room.delete",
  /** Add, change and archive records (a home's assets and tasks). */
  "records.write",
  /** Complete, skip or snooze any task. */
  "tasks.complete",
  /** Complete tasks assigned to oneself, and nothing else. */
  "tasks.complete_own",
  /** Change a site's layout (areas, units, sensors), its alert rules, escalation and ingest keys. */
  "site.configure",
  /** Acknowledge and resolve a site's alerts and log readings by hand. */
  "alerts.handle",
] as const;
export type Capability = (typeof CAPABILITIES)[number];

const BASE_ROLES = {
  owner: [
    "room.read",
    "doc.write",
    "members.invite",
    "members.manage",
    "members.manage_owners",
    "room.manage",
    "room.delete",
  ],
  admin: ["room.read", "doc.write", "members.invite", "members.manage", "room.manage"],
  editor: ["room.read", "doc.write"],
  viewer: ["room.read"],
} as const satisfies Record<string, readonly Capability[]>;

/** What the roles that keep a home's records add to the base roles. */
const RECORD_KEEPING: readonly Capability[] = ["records.write", "tasks.complete", "tasks.complete_own"];

/** Roles per room kind. Kind-specific roles are added here as features arrive. */
export const KIND_ROLES: Record<RoomKind, Record<string, readonly Capability[]>> = {
  property: {
    owner: [...BASE_ROLES.owner, ...RECORD_KEEPING],
    admin: [...BASE_ROLES.admin, ...RECORD_KEEPING],
    editor: [...BASE_ROLES.editor, ...RECORD_KEEPING],
    viewer: BASE_ROLES.viewer,
    /** A child or helper of the household: sees the home and completes tasks assigned to them. */
    member: ["room.read", "tasks.complete_own"],
  },
  deal: { ...BASE_ROLES },
  site: {
    owner: [...BASE_ROLES.owner, "site.configure", "alerts.handle"],
    admin: [...BASE_ROLES.admin, "site.configure", "alerts.handle"],
    /** Runs the site: layout, rules, escalation, keys; handles alerts. */
    manager: ["room.read", "doc.write", "site.configure", "alerts.handle"],
    /** Works a shift: acknowledges and resolves alerts, keeps the checklists. */
    staff: ["room.read", "doc.write", "alerts.handle"],
    editor: BASE_ROLES.editor,
    /** An auditor: sees everything, changes nothing. */
    viewer: BASE_ROLES.viewer,
  },
};

export type BaseRole = keyof typeof BASE_ROLES;
export const BASE_ROLE_NAMES = Object.keys(BASE_ROLES) as BaseRole[];

/** True when `role` is a role of rooms of this kind. */
export function isRoleOf(kind: RoomKind, role: string): boolean {
  return Object.hasOwn(KIND_ROLES[kind], role);
}

/** The capabilities a role carries in a room of this kind; none for an unknown role. */
export function capabilitiesOf(kind: RoomKind, role: string): readonly Capability[] {
  return isRoleOf(kind, role) ? (KIND_ROLES[kind][role] ?? []) : [];
}

/** True when `role` in a room of this kind carries `capability`. */
export function can(kind: RoomKind, role: string, capability: Capability): boolean {
  return capabilitiesOf(kind, role).includes(capability);
}

/**
 * Whether an actor with `actorRole` may give someone `targetRole` (by invite or role
 * change). Nobody may grant a capability they lack themselves, and only holders of
 * members.manage_owners may grant a role that carries it.
 */
export function mayGrant(kind: RoomKind, actorRole: string, targetRole: string): boolean {
  if (!isRoleOf(kind, targetRole)) return false;
  const mine = capabilitiesOf(kind, actorRole);
  return capabilitiesOf(kind, targetRole).every((c) => mine.includes(c));
}

/** The roles someone holding `actorRole` may invite people as: none without `members.invite`. */
export function invitableRoles(kind: RoomKind, actorRole: string): string[] {
  if (!can(kind, actorRole, "members.invite")) return [];
  return Object.keys(KIND_ROLES[kind]).filter((role) => mayGrant(kind, actorRole, role));
}

/** The roles whose holders may invite someone as `targetRole`: an invite stands only while its maker holds one. */
export function inviterRolesFor(kind: RoomKind, targetRole: string): string[] {
  return Object.keys(KIND_ROLES[kind]).filter((role) => invitableRoles(kind, role).includes(targetRole));
}
