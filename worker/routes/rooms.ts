/** /api/rooms: create, list, rename, archive and delete rooms, and what a room set aside when it loaded. */
import { desc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import type { z } from "zod";
import type { QuarantineEntry } from "../../rooms/core/ydoc-store";
import { roomStub } from "../../rooms/stubs";
import { createRoomBody, type Room, updateRoomBody } from "../../schema/core/api";
import {
  type Holds,
  type quarantineEntrySchema,
  quarantineListSchema,
  roomBodySchema,
  roomListSchema,
  roomSchema,
  type Same,
} from "../../schema/core/responses";
import { memberships, rooms } from "../../schema/d1";
import type { AppEnv } from "../app-env";
import { readJson } from "../middleware/json-body";
import { requireAuth } from "../middleware/session";
import { asRoom, findMembership, roomCaller, roomColumns } from "../room-access";
import { roomNotFound, roomWith } from "./common";
import { defineRoute, empty, json, type RouteDef } from "./define";

/** Everything the room kept in R2 (photos), a page of keys at a time. */
async function deleteRoomBlobs(bucket: R2Bucket, roomId: string): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: `rooms/${roomId}/`, cursor });
    if (page.objects.length > 0) await bucket.delete(page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
}

const createRoomRoute = defineRoute({
  method: "post",
  path: "/api/rooms",
  summary: "Create a room",
  tag: "Rooms",
  auth: "session",
  body: { json: createRoomBody },
  ok: { 201: json("The new room; the caller is its owner.", roomBodySchema) },
  handler: createRoom,
});
async function createRoom(c: Context<AppEnv>): Promise<Response> {
  const { user } = requireAuth(c);
  const body = await readJson(c, createRoomBody);
  const db = drizzle(c.env.DB);
  const now = Date.now();
  const room: Room = { id: crypto.randomUUID(), kind: body.kind, name: body.name, role: "owner", archived: false };
  await db.batch([
    db.insert(rooms).values({ id: room.id, kind: room.kind, name: room.name, createdBy: user.id, createdAt: now }),
    db.insert(memberships).values({ roomId: room.id, userId: user.id, role: "owner", createdAt: now }),
  ]);
  return c.json({ room }, 201);
}

const listRoomsRoute = defineRoute({
  method: "get",
  path: "/api/rooms",
  summary: "The caller's rooms, newest first",
  tag: "Rooms",
  auth: "session",
  ok: { 200: json("The rooms.", roomListSchema) },
  handler: listRooms,
});
async function listRooms(c: Context<AppEnv>): Promise<Response> {
  const { user } = requireAuth(c);
  const rows = await drizzle(c.env.DB)
    .select({ ...roomColumns, listSummary: rooms.listSummary })
    .from(memberships)
    .innerJoin(rooms, eq(rooms.id, memberships.roomId))
    .where(eq(memberships.userId, user.id))
    // Newest first, as the client shows a room it just created: a reload keeps the order.
    .orderBy(desc(rooms.createdAt), desc(rooms.id));
  return c.json({ rooms: rows.map(({ listSummary, ...row }) => withListLine(asRoom(row), listSummary)) });
}

/** Each kind's line in the list, under the field its kind names (rooms/core/list-summary.ts writes them). */
const LIST_LINES = {
  deal: roomSchema.shape.deal.unwrap(),
  property: roomSchema.shape.home.unwrap(),
  site: roomSchema.shape.site.unwrap(),
} as const;

/**
 * The room with the line its kind wrote for the list (a deal's stage, a home's due dates, a site's alerts). One that
 * does not read as that kind's line is left out rather than failing the list.
 */
function withListLine(room: Room, listSummary: string | null): Room {
  if (listSummary === null) return room;
  const parsed = parsedOrNull(listSummary);
  if (room.kind === "deal") {
    const line = LIST_LINES.deal.safeParse(parsed);
    return line.success ? { ...room, deal: line.data } : room;
  }
  if (room.kind === "property") {
    const line = LIST_LINES.property.safeParse(parsed);
    return line.success ? { ...room, home: line.data } : room;
  }
  if (room.kind === "site") {
    const line = LIST_LINES.site.safeParse(parsed);
    return line.success ? { ...room, site: line.data } : room;
  }
  return room;
}

function parsedOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const getRoomRoute = defineRoute({
  method: "get",
  path: "/api/rooms/{roomId}",
  summary: "One room",
  tag: "Rooms",
  auth: "session",
  ok: { 200: json("The room, with the caller's role.", roomBodySchema) },
  errors: [roomNotFound],
  handler: getRoom,
});
async function getRoom(c: Context<AppEnv>): Promise<Response> {
  return c.json({ room: (await roomCaller(c)).room });
}

const updateRoomRoute = defineRoute({
  method: "patch",
  path: "/api/rooms/{roomId}",
  summary: "Rename, archive or restore a room",
  tag: "Rooms",
  auth: "session",
  body: { json: updateRoomBody, description: "At least one of `name` and `archived`." },
  ok: { 200: json("The room as it now is.", roomBodySchema) },
  errors: roomWith("room.manage"),
  handler: updateRoom,
});
async function updateRoom(c: Context<AppEnv>): Promise<Response> {
  const { db, user, room } = await roomCaller(c, "room.manage");
  const body = await readJson(c, updateRoomBody);
  await db
    .update(rooms)
    .set({
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.archived !== undefined ? { archivedAt: body.archived ? Date.now() : null } : {}),
    })
    .where(eq(rooms.id, room.id));
  return c.json({ room: await findMembership(db, room.id, user.id) });
}

const deleteRoomRoute = defineRoute({
  method: "delete",
  path: "/api/rooms/{roomId}",
  summary: "Delete a room and everything in it",
  tag: "Rooms",
  auth: "session",
  ok: { 204: empty("Deleted; every open socket is closed.") },
  errors: roomWith("room.delete"),
  handler: deleteRoom,
});
async function deleteRoom(c: Context<AppEnv>): Promise<Response> {
  const { db, room } = await roomCaller(c, "room.delete");
  // D1 first, so no new socket can be let in; then the room closes its sockets and
  // erases its own storage. Memberships and invites go with the row (ON DELETE CASCADE).
  await db.delete(rooms).where(eq(rooms.id, room.id));
  await roomStub(c.env, room.kind, room.id).destroy();
  await deleteRoomBlobs(c.env.BLOBS, room.id);
  return c.body(null, 204);
}

const listQuarantineRoute = defineRoute({
  method: "get",
  path: "/api/rooms/{roomId}/quarantine",
  summary: "What the room set aside while loading",
  tag: "Rooms",
  auth: "session",
  ok: { 200: json("Quarantined pieces of stored state, newest first.", quarantineListSchema) },
  errors: roomWith("members.manage"),
  handler: listQuarantine,
});
async function listQuarantine(c: Context<AppEnv>): Promise<Response> {
  const { room } = await roomCaller(c, "members.manage");
  return c.json({ quarantine: await roomStub(c.env, room.kind, room.id).listQuarantine() });
}

export const roomRoutes: readonly RouteDef[] = [
  createRoomRoute,
  listRoomsRoute,
  getRoomRoute,
  updateRoomRoute,
  deleteRoomRoute,
  listQuarantineRoute,
];

/** Compile-time only: the quarantine schema infers exactly what the room returns. */
type _QuarantineMatchesRoom = Holds<Same<z.infer<typeof quarantineEntrySchema>, QuarantineEntry>>;
