/**
 * A home's calendar feed: an iCalendar URL with a secret in it, for Google Calendar or
 * Apple Calendar to subscribe to. Calendar apps send no cookies, so the secret is the
 * only credential: 160 random bits, shown once, stored by its SHA-256 in the room, and
 * turned off or replaced by anyone who keeps the home's records. It ends by itself when the
 * member who made it leaves the home or loses the role that may make feeds.
 */
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { Hono } from "hono";
import { renderCalendar } from "../../../rooms/property/calendar";
import { kindStub } from "../../../rooms/stubs";
import { rooms } from "../../../schema/d1";
import type { AppEnv } from "../../app-env";
import { randomToken, sha256Hex } from "../../auth/crypto";
import { ApiError, notFound } from "../../errors";
import { requireCapability, roomCaller } from "../../room-access";

/** Random bytes in a feed secret: 160 bits, as for invites. */
const FEED_SECRET_BYTES = 20;
const FEED_PATH = /^([A-Za-z0-9_-]{20,64})\.ics$/;

function requireHome(kind: string): void {
  if (kind !== "property") throw notFound("Only homes have a calendar feed.");
}

export const calendarFeedRoutes = new Hono<AppEnv>()
  .get("/rooms/:roomId/calendar-feed", async (c) => {
    const { room } = await roomCaller(c, "room.read");
    requireHome(room.kind);
    return c.json({ enabled: await kindStub(c.env, "property", room.id).feedEnabled() });
  })
  .post("/rooms/:roomId/calendar-feed", async (c) => {
    const { room, user } = await roomCaller(c);
    requireHome(room.kind);
    requireCapability(room, "records.write");
    const secret = randomToken(FEED_SECRET_BYTES);
    // The maker is kept so the feed ends when they leave or lose records.write (PropertyRoom.onMemberChange).
    await kindStub(c.env, "property", room.id).setFeedSecret(await sha256Hex(secret), user.id);
    const url = `${new URL(c.req.url).origin}/api/feeds/${room.id}/${secret}.ics`;
    return c.json({ url, webcal: url.replace(/^https?:/, "webcal:") }, 201);
  })
  .delete("/rooms/:roomId/calendar-feed", async (c) => {
    const { room } = await roomCaller(c);
    requireHome(room.kind);
    requireCapability(room, "records.write");
    await kindStub(c.env, "property", room.id).setFeedSecret(null);
    return c.body(null, 204);
  })
  .get("/feeds/:roomId/:file", async (c) => {
    const secret = FEED_PATH.exec(c.req.param("file"))?.[1];
    const roomId = c.req.param("roomId");
    const home = await drizzle(c.env.DB)
      .select({ name: rooms.name, kind: rooms.kind })
      .from(rooms)
      .where(eq(rooms.id, roomId))
      .get();
    // A wrong secret, a revoked feed and a room that is not a home all look the same.
    if (!secret || home?.kind !== "property") throw new ApiError(404, "not_found", "No such calendar feed.");
    const feed = await kindStub(c.env, "property", roomId).feed(await sha256Hex(secret));
    if (!feed) throw new ApiError(404, "not_found", "No such calendar feed.");
    const origin = new URL(c.req.url).origin;
    const body = renderCalendar({
      homeName: home.name,
      timeZone: feed.timeZone,
      tasks: feed.tasks,
      taskUrl: (taskId) => `${origin}/rooms/${roomId}/tasks/${taskId}`,
      now: Date.now(),
    });
    return c.body(body, 200, {
      "Content-Type": "text/calendar; charset=utf-8",
      "Cache-Control": "private, max-age=300",
    });
  });
