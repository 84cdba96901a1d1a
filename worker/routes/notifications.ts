/**
 * The notification centre (list, mark read, live unread count) and each person's channel
 * and quiet-hours preferences: everything here is the signed-in caller's own. Web Push
 * subscriptions are in ./push.ts, a room's failed jobs in ./dead-letters.ts.
 */
import { and, desc, eq, isNull, lt, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { NOTIFICATIONS_PAGE_DEFAULT } from "../../config";
import {
  DEFAULT_NOTIFICATION_PREFS,
  markReadBody,
  type Notification,
  type NotificationPage,
  type NotificationPrefs,
  notificationPrefsBody,
  notificationsQuery,
} from "../../schema/core/notifications";
import {
  notificationPageSchema,
  notificationPrefsResponseSchema,
  unreadCountSchema,
} from "../../schema/core/responses";
import { notificationPrefs, notifications, rooms } from "../../schema/d1";
import type { AppEnv } from "../app-env";
import { ApiError, parseWith } from "../errors";
import { readJson } from "../middleware/json-body";
import { requireAuth } from "../middleware/session";
import { unreadCount } from "../notify/store";
import { USER_HUB_SESSION_HEADER, USER_HUB_USER_HEADER, userHub } from "../notify/UserHub";
import { vapidKeys } from "../notify/vapid";
import { validationFailed } from "./common";
import { defineRoute, empty, json, type RouteDef } from "./define";

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** Tells the caller's open tabs their unread count; a hub that cannot be reached only delays the badge until reload. */
async function tellHub(env: Env, userId: string): Promise<number> {
  const unread = await unreadCount(env.DB, userId);
  await userHub(env, userId)
    .notify(unread)
    .catch((error: unknown) =>
      console.log(JSON.stringify({ event: "user_hub_notify_failed", userId, error: String(error) })),
    );
  return unread;
}

const listNotificationsRoute = defineRoute({
  method: "get",
  path: "/api/notifications",
  summary: "The caller's notifications, newest first",
  tag: "Notifications",
  auth: "session",
  query: notificationsQuery,
  ok: { 200: json("One page, and the unread count.", notificationPageSchema) },
  errors: [validationFailed("A query parameter is malformed or out of range.")],
  handler: listNotifications,
});
async function listNotifications(c: Context<AppEnv>): Promise<Response> {
  const { user } = requireAuth(c);
  const query = parseWith(notificationsQuery, c.req.query());
  const limit = query.limit ?? NOTIFICATIONS_PAGE_DEFAULT;
  const [beforeAt, beforeId] = query.before
    ? [Number(query.before.slice(0, query.before.indexOf(":"))), query.before.slice(query.before.indexOf(":") + 1)]
    : [null, null];
  // The room's name is joined at read time, so a renamed room shows its current name.
  const rows = await drizzle(c.env.DB)
    .select({ notice: notifications, roomName: rooms.name })
    .from(notifications)
    .innerJoin(rooms, eq(rooms.id, notifications.roomId))
    .where(
      and(
        eq(notifications.userId, user.id),
        beforeAt === null || beforeId === null
          ? undefined
          : or(
              lt(notifications.createdAt, beforeAt),
              and(eq(notifications.createdAt, beforeAt), lt(notifications.id, beforeId)),
            ),
      ),
    )
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1)?.notice;
  const body: NotificationPage = {
    notifications: page.map(
      ({ notice, roomName }): Notification => ({
        id: notice.id,
        roomId: notice.roomId,
        roomName,
        title: notice.title,
        body: notice.body,
        url: notice.url,
        topic: notice.topic,
        createdAt: new Date(notice.createdAt).toISOString(),
        readAt: iso(notice.readAt),
        resolvedAt: iso(notice.resolvedAt),
        resolution: notice.resolution,
      }),
    ),
    unread: await unreadCount(c.env.DB, user.id),
    nextBefore: rows.length > limit && last ? `${last.createdAt}:${last.id}` : null,
  };
  return c.json(body);
}

const markReadRoute = defineRoute({
  method: "post",
  path: "/api/notifications/read",
  summary: "Mark notifications read",
  tag: "Notifications",
  auth: "session",
  body: { json: markReadBody, description: "Some by id, or `{ all: true }`." },
  ok: { 200: json("The unread count after marking.", unreadCountSchema) },
  handler: markRead,
});
async function markRead(c: Context<AppEnv>): Promise<Response> {
  const { user } = requireAuth(c);
  const body = await readJson(c, markReadBody);
  const db = drizzle(c.env.DB);
  const mine = and(eq(notifications.userId, user.id), isNull(notifications.readAt));
  if ("all" in body) {
    await db.update(notifications).set({ readAt: Date.now() }).where(mine);
  } else {
    await c.env.DB.prepare(
      "UPDATE notifications SET read_at = ?1 " +
        "WHERE user_id = ?2 AND read_at IS NULL AND id IN (SELECT value FROM json_each(?3))",
    )
      .bind(Date.now(), user.id, JSON.stringify(body.ids))
      .run();
  }
  return c.json({ unread: await tellHub(c.env, user.id) });
}

const liveUnreadCountRoute = defineRoute({
  method: "get",
  path: "/api/notifications/live",
  summary: "Live unread count (WebSocket)",
  description: 'Sends `{ "type": "unread", "count": n }` text frames whenever the caller\'s unread count changes.',
  tag: "Live",
  auth: "session",
  upgrade: true,
  ok: { 101: empty("Switching to WebSocket.") },
  handler: liveUnreadCount,
});
async function liveUnreadCount(c: Context<AppEnv>): Promise<Response> {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError(426, "upgrade_required", "This endpoint speaks WebSocket only.");
  }
  const { user, sessionId } = requireAuth(c);
  // The hub gets the verified user and session and nothing the client sent.
  const headers = new Headers({
    Upgrade: "websocket",
    [USER_HUB_USER_HEADER]: user.id,
    [USER_HUB_SESSION_HEADER]: sessionId,
  });
  return userHub(c.env, user.id).fetch(new Request("https://user-hub/live", { headers }));
}

const getNotificationPrefsRoute = defineRoute({
  method: "get",
  path: "/api/notification-prefs",
  summary: "The caller's notification preferences",
  tag: "Notifications",
  auth: "session",
  ok: { 200: json("The preferences (defaults if never set).", notificationPrefsResponseSchema) },
  handler: getNotificationPrefs,
});
async function getNotificationPrefs(c: Context<AppEnv>): Promise<Response> {
  const { user } = requireAuth(c);
  const row = await drizzle(c.env.DB)
    .select()
    .from(notificationPrefs)
    .where(eq(notificationPrefs.userId, user.id))
    .get();
  const prefs: NotificationPrefs = row
    ? { email: row.email, push: row.push, quietStart: row.quietStart, quietEnd: row.quietEnd, timeZone: row.timeZone }
    : DEFAULT_NOTIFICATION_PREFS;
  return c.json({ prefs, pushAvailable: vapidKeys(c.env) !== null });
}

const setNotificationPrefsRoute = defineRoute({
  method: "put",
  path: "/api/notification-prefs",
  summary: "Set the caller's notification preferences",
  tag: "Notifications",
  auth: "session",
  body: { json: notificationPrefsBody },
  ok: { 200: json("The preferences as stored.", notificationPrefsResponseSchema) },
  handler: setNotificationPrefs,
});
async function setNotificationPrefs(c: Context<AppEnv>): Promise<Response> {
  const { user } = requireAuth(c);
  const prefs = await readJson(c, notificationPrefsBody);
  await drizzle(c.env.DB)
    .insert(notificationPrefs)
    .values({ userId: user.id, ...prefs })
    .onConflictDoUpdate({ target: notificationPrefs.userId, set: prefs });
  return c.json({ prefs, pushAvailable: vapidKeys(c.env) !== null });
}

export const notificationRoutes: readonly RouteDef[] = [
  listNotificationsRoute,
  markReadRoute,
  liveUnreadCountRoute,
  getNotificationPrefsRoute,
  setNotificationPrefsRoute,
];
