/**
 * /api/rooms/:roomId/members: list, change role, remove. Changes reach open sockets at
 * once, and revoke the pending invites the member could no longer make.
 */
import { and, eq } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import type { Context } from "hono";
import { roomStub } from "../../rooms/stubs";
import { type Member, type Room, updateMemberBody } from "../../schema/core/api";
import { memberBodySchema, memberListSchema } from "../../schema/core/responses";
import { can, invitableRoles, mayGrant } from "../../schema/core/roles";
import { memberships, users } from "../../schema/d1";
import type { AppEnv } from "../app-env";
import { ApiError, forbidden, notFound } from "../errors";
import { readJson } from "../middleware/json-body";
import { requireRoleOf, roomCaller } from "../room-access";
import { forbidden as forbiddenCase, notFound as notFoundCase, roomWith, validationFailed } from "./common";
import { defineRoute, empty, json, pathParam, type RouteDef } from "./define";

const lastOwner = () =>
  new ApiError(409, "last_owner", "A room needs at least one owner. Make someone else owner first.");

async function targetMembership(db: DrizzleD1Database, roomId: string, userId: string) {
  const target = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.roomId, roomId), eq(memberships.userId, userId)))
    .get();
  if (!target) throw notFound("No such member.");
  return target;
}

/** The actor may only act on members whose every capability they hold themselves. */
function requireAuthorityOver(room: Room, targetRole: string): void {
  if (!mayGrant(room.kind, room.role, targetRole)) throw forbidden(`You cannot change a member who is ${targetRole}.`);
}

/** SQL guard: the row is not the room's only owner. Evaluated inside the same statement. */
const NOT_LAST_OWNER =
  "(role != 'owner' OR (SELECT count(*) FROM memberships WHERE room_id = ?1 AND role = 'owner') > 1)";

const listMembersRoute = defineRoute({
  method: "get",
  path: "/api/rooms/{roomId}/members",
  summary: "A room's members, in joining order",
  tag: "Members",
  auth: "session",
  ok: { 200: json("The members.", memberListSchema) },
  errors: roomWith("members.manage"),
  handler: listMembers,
});
async function listMembers(c: Context<AppEnv>): Promise<Response> {
  const { db, room } = await roomCaller(c, "members.manage");
  const rows = await db
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      role: memberships.role,
      createdAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.roomId, room.id))
    .orderBy(memberships.createdAt);
  const members: Member[] = rows.map(({ createdAt, ...m }) => ({
    ...m,
    joinedAt: new Date(createdAt).toISOString(),
  }));
  return c.json({ members });
}

const changeMemberRoleRoute = defineRoute({
  method: "patch",
  path: "/api/rooms/{roomId}/members/{userId}",
  summary: "Change a member's role",
  tag: "Members",
  auth: "session",
  body: { json: updateMemberBody },
  ok: { 200: json("The member with the new role.", memberBodySchema) },
  errors: [
    ...roomWith("members.manage"),
    forbiddenCase("The member's role, or the new role, is above the caller's."),
    notFoundCase("No such member."),
    validationFailed("The role is not a role of this kind of room."),
    [409, "last_owner", "The room's only owner cannot be demoted."],
  ],
  handler: changeMemberRole,
});
async function changeMemberRole(c: Context<AppEnv>): Promise<Response> {
  const { db, room } = await roomCaller(c, "members.manage");
  const { role } = await readJson(c, updateMemberBody);
  requireRoleOf(room.kind, role);
  const targetId = pathParam(c, "userId");
  const target = await targetMembership(db, room.id, targetId);
  requireAuthorityOver(room, target.role);
  if (!mayGrant(room.kind, room.role, role)) throw forbidden(`You cannot make someone ${role}.`);
  // One transaction: the role changes, and the member's pending invites that the new
  // role could not make are revoked, but only if the change took place.
  const [result] = await c.env.DB.batch([
    c.env.DB.prepare(
      `UPDATE memberships SET role = ?3 WHERE room_id = ?1 AND user_id = ?2 AND (?3 = 'owner' OR ${NOT_LAST_OWNER})`,
    ).bind(room.id, targetId, role),
    c.env.DB.prepare(
      `DELETE FROM invites WHERE room_id = ?1 AND created_by = ?2 AND accepted_at IS NULL
         AND role NOT IN (SELECT value FROM json_each(?4))
         AND EXISTS (SELECT 1 FROM memberships WHERE room_id = ?1 AND user_id = ?2 AND role = ?3)`,
    ).bind(room.id, targetId, role, JSON.stringify(invitableRoles(room.kind, role))),
  ]);
  if (result?.meta.changes !== 1) throw lastOwner();
  await roomStub(c.env, room.kind, room.id).setMemberRole(targetId, role);
  const member = await db
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      role: memberships.role,
      createdAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.roomId, room.id), eq(memberships.userId, targetId)))
    .get();
  if (!member) throw notFound("No such member.");
  const { createdAt, ...rest } = member;
  return c.json({ member: { ...rest, joinedAt: new Date(createdAt).toISOString() } satisfies Member });
}

const removeMemberRoute = defineRoute({
  method: "delete",
  path: "/api/rooms/{roomId}/members/{userId}",
  summary: "Remove a member, or leave",
  description: "Any member may remove themselves; removing others needs `members.manage`.",
  tag: "Members",
  auth: "session",
  ok: { 204: empty("Removed; their open sockets are closed.") },
  errors: [
    ...roomWith("members.manage"),
    notFoundCase("No such member."),
    [409, "last_owner", "The room's only owner cannot leave."],
  ],
  handler: removeMember,
});
async function removeMember(c: Context<AppEnv>): Promise<Response> {
  const { db, user, room } = await roomCaller(c);
  const targetId = pathParam(c, "userId");
  const leaving = targetId === user.id;
  if (!leaving) {
    if (!can(room.kind, room.role, "members.manage")) throw forbidden();
    requireAuthorityOver(room, (await targetMembership(db, room.id, targetId)).role);
  }
  // One transaction: the membership goes, and with it the pending invites the member made.
  const [result] = await c.env.DB.batch([
    c.env.DB.prepare(`DELETE FROM memberships WHERE room_id = ?1 AND user_id = ?2 AND ${NOT_LAST_OWNER}`).bind(
      room.id,
      targetId,
    ),
    c.env.DB.prepare(
      `DELETE FROM invites WHERE room_id = ?1 AND created_by = ?2 AND accepted_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM memberships WHERE room_id = ?1 AND user_id = ?2)`,
    ).bind(room.id, targetId),
  ]);
  if (result?.meta.changes !== 1) {
    await targetMembership(db, room.id, targetId);
    throw lastOwner();
  }
  await roomStub(c.env, room.kind, room.id).revokeMember(targetId);
  return c.body(null, 204);
}

export const memberRoutes: readonly RouteDef[] = [listMembersRoute, changeMemberRoleRoute, removeMemberRoute];
