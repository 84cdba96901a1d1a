/** /api/rooms: create, list, rename, archive and delete rooms, and what a room set aside when it loaded. */
import { desc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { Hono } from "hono";
import { roomStub } from "../../rooms/stubs";
import { createRoomBody, type Room, updateRoomBody } from "../../schema/core/api";
import { memberships, rooms } from "../../schema/d1";
import type { AppEnv } from "../app-env";
import { readJson } from "../middleware/json-body";
import { requireAuth } from "../middleware/session";
import { asRoom, findMembership, roomCaller, roomColumns } from "../room-access";

/** Everything the room kept in R2 (photos), a page of keys at a time. */
async function deleteRoomBlobs(bucket: R2Bucket, roomId: string): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: `rooms/${roomId}/`, cursor });
    if (page.objects.length > 0) await bucket.delete(page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
}

export const roomRoutes = new Hono<AppEnv>()
  .post("/rooms", async (c) => {
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
  })
  .get("/rooms", async (c) => {
    const { user } = requireAuth(c);
    const rows = await drizzle(c.env.DB)
      .select(roomColumns)
      .from(memberships)
      .innerJoin(rooms, eq(rooms.id, memberships.roomId))
      .where(eq(memberships.userId, user.id))
      // Newest first, as the client shows a room it just created: a reload keeps the order.
      .orderBy(desc(rooms.createdAt), desc(rooms.id));
    return c.json({ rooms: rows.map(asRoom) });
  })
  .get("/rooms/:roomId", async (c) => {
    return c.json({ room: (await roomCaller(c)).room });
  })
  .patch("/rooms/:roomId", async (c) => {
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
  })
  .delete("/rooms/:roomId", async (c) => {
    const { db, room } = await roomCaller(c, "room.delete");
    // D1 first, so no new socket can be let in; then the room closes its sockets and
    // erases its own storage. Memberships and invites go with the row (ON DELETE CASCADE).
    await db.delete(rooms).where(eq(rooms.id, room.id));
    await roomStub(c.env, room.kind, room.id).destroy();
    await deleteRoomBlobs(c.env.BLOBS, room.id);
    return c.body(null, 204);
  })
  .get("/rooms/:roomId/quarantine", async (c) => {
    const { room } = await roomCaller(c, "members.manage");
    return c.json({ quarantine: await roomStub(c.env, room.kind, room.id).listQuarantine() });
  });
