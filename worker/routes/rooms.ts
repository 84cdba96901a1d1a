/** /api/rooms: create and list rooms, and what a room set aside when it loaded. */
import { desc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { Hono } from "hono";
import { createRoomBody, type Room } from "../../schema/api";
import { memberships, rooms } from "../../schema/d1";
import type { AppEnv } from "../app-env";
import { readJson } from "../middleware/json-body";
import { requireAuth } from "../middleware/session";
import { roomCaller, roomStub } from "../room-access";

export const roomRoutes = new Hono<AppEnv>()
  .post("/rooms", async (c) => {
    const { user } = requireAuth(c);
    const body = await readJson(c, createRoomBody);
    const db = drizzle(c.env.DB);
    const now = Date.now();
    const room: Room = { id: crypto.randomUUID(), kind: body.kind, name: body.name, role: "owner" };
    await db.batch([
      db.insert(rooms).values({ id: room.id, kind: room.kind, name: room.name, createdBy: user.id, createdAt: now }),
      db.insert(memberships).values({ roomId: room.id, userId: user.id, role: "owner", createdAt: now }),
    ]);
    return c.json({ room }, 201);
  })
  .get("/rooms", async (c) => {
    const { user } = requireAuth(c);
    const list: Room[] = await drizzle(c.env.DB)
      .select({ id: rooms.id, kind: rooms.kind, name: rooms.name, role: memberships.role })
      .from(memberships)
      .innerJoin(rooms, eq(rooms.id, memberships.roomId))
      .where(eq(memberships.userId, user.id))
      // Newest first, as the client shows a room it just created: a reload keeps the order.
      .orderBy(desc(rooms.createdAt), desc(rooms.id));
    return c.json({ rooms: list });
  })
  .get("/rooms/:roomId", async (c) => {
    return c.json({ room: (await roomCaller(c)).room });
  })
  .get("/rooms/:roomId/quarantine", async (c) => {
    const { room } = await roomCaller(c, "members.manage");
    return c.json({ quarantine: await roomStub(c.env, room.kind, room.id).listQuarantine() });
  });
