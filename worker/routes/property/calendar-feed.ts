/**
 * A home's calendar feed: an iCalendar URL with a secret in it, for Google Calendar or
 * Apple Calendar to subscribe to. Calendar apps send no cookies, so the secret is the
 * only credential: 160 random bits, shown once, stored by its SHA-256 in the room, and
 * turned off or replaced by anyone who keeps the home's records. It ends by itself when the
 * member who made it leaves the home or loses the role that may make feeds.
 */
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { renderCalendar } from "../../../rooms/property/calendar";
import { kindStub } from "../../../rooms/stubs";
import { rooms } from "../../../schema/d1";
import { calendarFeedLinkSchema, calendarFeedStateSchema } from "../../../schema/property/responses";
import type { AppEnv } from "../../app-env";
import { randomToken, sha256Hex } from "../../auth/crypto";
import { ApiError, notFound } from "../../errors";
import { requireCapability, roomCaller } from "../../room-access";
import { notFound as notFoundCase, roomWith } from "../common";
import { defineRoute, empty, json, pathParam, type RouteDef } from "../define";

/** Random bytes in a feed secret: 160 bits, as for invites. */
const FEED_SECRET_BYTES = 20;
const FEED_PATH = /^([A-Za-z0-9_-]{20,64})\.ics$/;

function requireHome(kind: string): void {
  if (kind !== "property") throw notFound("Only homes have a calendar feed.");
}

const calendarFeedStateRoute = defineRoute({
  method: "get",
  path: "/api/rooms/{roomId}/calendar-feed",
  summary: "Whether the home's calendar feed is on",
  tag: "Homes",
  auth: "session",
  ok: { 200: json("Whether a feed URL works.", calendarFeedStateSchema) },
  errors: [...roomWith("room.read"), notFoundCase("The room is not a home.")],
  handler: calendarFeedState,
});
async function calendarFeedState(c: Context<AppEnv>): Promise<Response> {
  const { room } = await roomCaller(c, "room.read");
  requireHome(room.kind);
  return c.json({ enabled: await kindStub(c.env, "property", room.id).feedEnabled() });
}

const turnCalendarFeedOnRoute = defineRoute({
  method: "post",
  path: "/api/rooms/{roomId}/calendar-feed",
  summary: "Turn the calendar feed on with a new secret URL",
  description: "Any earlier URL stops working.",
  tag: "Homes",
  auth: "session",
  ok: { 201: json("The feed's URL; its secret is shown this once.", calendarFeedLinkSchema) },
  errors: [...roomWith("records.write"), notFoundCase("The room is not a home.")],
  handler: turnCalendarFeedOn,
});
async function turnCalendarFeedOn(c: Context<AppEnv>): Promise<Response> {
  const { room, user } = await roomCaller(c);
  requireHome(room.kind);
  requireCapability(room, "records.write");
  const secret = randomToken(FEED_SECRET_BYTES);
  // The maker is kept so the feed ends when they leave or lose records.write (PropertyRoom.onMemberChange).
  await kindStub(c.env, "property", room.id).setFeedSecret(await sha256Hex(secret), user.id);
  const url = `${new URL(c.req.url).origin}/api/feeds/${room.id}/${secret}.ics`;
  return c.json({ url, webcal: url.replace(/^https?:/, "webcal:") }, 201);
}

const turnCalendarFeedOffRoute = defineRoute({
  method: "delete",
  path: "/api/rooms/{roomId}/calendar-feed",
  summary: "Turn the calendar feed off",
  tag: "Homes",
  auth: "session",
  ok: { 204: empty("Off; the URL stops working.") },
  errors: [...roomWith("records.write"), notFoundCase("The room is not a home.")],
  handler: turnCalendarFeedOff,
});
async function turnCalendarFeedOff(c: Context<AppEnv>): Promise<Response> {
  const { room } = await roomCaller(c);
  requireHome(room.kind);
  requireCapability(room, "records.write");
  await kindStub(c.env, "property", room.id).setFeedSecret(null);
  return c.body(null, 204);
}

const calendarFeedRoute = defineRoute({
  method: "get",
  path: "/api/feeds/{roomId}/{file}",
  summary: "A home's calendar feed (iCalendar)",
  description: "For calendar apps, which send no cookies: the secret in the URL is the only credential.",
  tag: "Homes",
  auth: "none",
  ok: { 200: { description: "The home's due tasks as iCalendar events.", media: ["text/calendar"], format: "text" } },
  errors: [notFoundCase("A wrong secret, a feed turned off and a room that is not a home look the same.")],
  handler: calendarFeed,
});
async function calendarFeed(c: Context<AppEnv>): Promise<Response> {
  const secret = FEED_PATH.exec(pathParam(c, "file"))?.[1];
  const roomId = pathParam(c, "roomId");
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
}

export const calendarFeedRoutes: readonly RouteDef[] = [
  calendarFeedStateRoute,
  turnCalendarFeedOnRoute,
  turnCalendarFeedOffRoute,
  calendarFeedRoute,
];
