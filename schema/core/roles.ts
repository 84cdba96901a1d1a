/**
 * Roles and capabilities. A role is a named set of capabilities; every room kind has the
 * four base roles and may add roles and capabilities of its own (a deal's buyer, a site's
 * staff) in its manifest (schema/<kind>/manifest.ts), without touching any check in the code.
 */
import { BASE_ROLES, type BaseRole } from "./kind";
import { CAPABILITIES, type Capability, kindOf, ROOM_KINDS, type RoomKind } from "./kinds";

export type { BaseRole, Capability, RoomKind };
export { CAPABILITIES, ROOM_KINDS };

/** Roles per room kind, as each kind's manifest defines them. */
export const KIND_ROLES: Readonly<Record<RoomKind, Readonly<Record<string, readonly Capability[]>>>> = rolesByKind();

function rolesByKind(): Record<RoomKind, Readonly<Record<string, readonly Capability[]>>> {
  const roles = {} as Record<RoomKind, Readonly<Record<string, readonly Capability[]>>>;
  for (const kind of ROOM_KINDS) roles[kind] = kindOf(kind).roles;
  return roles;
}

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
