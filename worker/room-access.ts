/** Membership lookups and the bridge from D1 access changes to live room sockets. */
import { and, eq, isNotNull } from "drizzle-orm";
import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { clientIp, type VerifiedMember } from "../rooms/core/identity";
import type { Room, User } from "../schema/core/api";
import { type Capability, can, isRoleOf, type RoomKind } from "../schema/core/roles";
import { memberships, rooms } from "../schema/d1";
import type { AppEnv } from "./app-env";
import { ApiError, forbidden } from "./errors";
import { requireAuth } from "./middleware/session";

/** The columns of a room as its member sees it (with memberships joined). */
export const roomColumns = {
  id: rooms.id,
  kind: rooms.kind,
  name: rooms.name,
  role: memberships.role,
  archived: isNotNull(rooms.archivedAt),
};

/** SQLite answers booleans as 0 and 1. */
export const asRoom = (row: Omit<Room, "archived"> & { archived: unknown }): Room => ({
  ...row,
  archived: Boolean(row.archived),
});

/** The caller's room and role, or null when the room does not exist or the caller is no member. */
export async function findMembership(db: DrizzleD1Database, roomId: string, userId: string): Promise<Room | null> {
  const row = await db
    .select(roomColumns)
    .from(memberships)
    .innerJoin(rooms, eq(rooms.id, memberships.roomId))
    .where(and(eq(memberships.roomId, roomId), eq(memberships.userId, userId)))
    .get();
  return row ? asRoom(row) : null;
}

/** The same 404 for a room that does not exist and one the caller may not see. */
export const roomNotFound = (): ApiError => new ApiError(404, "room_not_found", "No such room.");

/** The caller's membership of a room; 404 when there is none, as if the room did not exist. */
export async function requireMembership(db: DrizzleD1Database, roomId: string, userId: string): Promise<Room> {
  const room = await findMembership(db, roomId, userId);
  if (!room) throw roomNotFound();
  return room;
}

export function requireCapability(room: Room, capability: Capability): void {
  if (!can(room.kind, room.role, capability)) throw forbidden();
}

/**
 * The opening of every route under `/rooms/:roomId`: the signed-in caller (401), their
 * membership of the room (404 when there is none, as if the room did not exist) and,
 * when given, a capability of their role (403).
 */
export async function roomCaller(
  c: Context<AppEnv>,
  capability?: Capability,
): Promise<{ db: DrizzleD1Database; user: User; room: Room }> {
  const { user } = requireAuth(c);
  const db = drizzle(c.env.DB);
  const room = await requireMembership(db, c.req.param("roomId") ?? "", user.id);
  if (capability) requireCapability(room, capability);
  return { db, user, room };
}

/**
 * The verified identity a room is handed with an RPC call for the signed-in caller: who, their role in `room`,
 * their session, and the client address Cloudflare gave (CF-Connecting-IP; null when there is none).
 */
export function roomMember(c: Context<AppEnv>, user: User, room: Room): VerifiedMember {
  const { sessionId } = requireAuth(c);
  return {
    userId: user.id,
    name: user.name,
    role: room.role,
    sessionId,
    ip: clientIp(c.req.header("CF-Connecting-IP")),
  };
}

/** A 400 unless `role` is a role of rooms of this kind. */
export function requireRoleOf(kind: RoomKind, role: string): void {
  if (!isRoleOf(kind, role)) {
    throw new ApiError(400, "validation_failed", `Invalid request: role "${role}" is not a role of ${kind} rooms`, {
      fields: [{ path: "role", message: `is not a role of ${kind} rooms` }],
    });
  }
}
