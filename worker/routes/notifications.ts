/**
 * The notification centre (list, mark read, live unread count), each person's channel
 * and quiet-hours preferences, their Web Push subscriptions, and the jobs a room's admins
 * see when they kept failing. Everything here is the signed-in caller's own, except dead
 * letters, which belong to a room and need `room.manage`.
 */
import { and, desc, eq, isNull, lt, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { Hono } from "hono";
import { DEAD_LETTERS_PAGE_MAX, NOTIFICATIONS_PAGE_DEFAULT, PUSH_SUBSCRIPTIONS_PER_USER_MAX } from "../../config";
import { job } from "../../schema/core/jobs";
import {
  DEFAULT_NOTIFICATION_PREFS,
  type DeadLetter,
  markReadBody,
  type Notification,
  type NotificationPage,
  type NotificationPrefs,
  notificationPrefsBody,
  notificationsQuery,
  pushEndpointBody,
  pushSubscriptionBody,
} from "../../schema/core/notifications";
import { deadLetters, notificationPrefs, notifications, pushSubscriptions } from "../../schema/d1";
import type { AppEnv } from "../app-env";
import { ApiError, notFound, parseWith } from "../errors";
import { readJson } from "../middleware/json-body";
import { requireAuth } from "../middleware/session";
import { unreadCount } from "../notify/store";
import { USER_HUB_SESSION_HEADER, USER_HUB_USER_HEADER, userHub } from "../notify/UserHub";
import { vapidKeys } from "../notify/vapid";
import { roomCaller } from "../room-access";

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

const pushUnavailable = () =>
  new ApiError(404, "push_unavailable", "Push notifications are not set up on this server.");

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

export const notificationRoutes = new Hono<AppEnv>()
  .get("/notifications", async (c) => {
    const { user } = requireAuth(c);
    const query = parseWith(notificationsQuery, c.req.query());
    const limit = query.limit ?? NOTIFICATIONS_PAGE_DEFAULT;
    const [beforeAt, beforeId] = query.before
      ? [Number(query.before.slice(0, query.before.indexOf(":"))), query.before.slice(query.before.indexOf(":") + 1)]
      : [null, null];
    const rows = await drizzle(c.env.DB)
      .select()
      .from(notifications)
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
    const last = page.at(-1);
    const body: NotificationPage = {
      notifications: page.map(
        (row): Notification => ({
          id: row.id,
          roomId: row.roomId,
          title: row.title,
          body: row.body,
          url: row.url,
          topic: row.topic,
          createdAt: new Date(row.createdAt).toISOString(),
          readAt: iso(row.readAt),
        }),
      ),
      unread: await unreadCount(c.env.DB, user.id),
      nextBefore: rows.length > limit && last ? `${last.createdAt}:${last.id}` : null,
    };
    return c.json(body);
  })
  .post("/notifications/read", async (c) => {
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
  })
  .get("/notifications/live", async (c) => {
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
  })
  .get("/notification-prefs", async (c) => {
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
  })
  .put("/notification-prefs", async (c) => {
    const { user } = requireAuth(c);
    const prefs = await readJson(c, notificationPrefsBody);
    await drizzle(c.env.DB)
      .insert(notificationPrefs)
      .values({ userId: user.id, ...prefs })
      .onConflictDoUpdate({ target: notificationPrefs.userId, set: prefs });
    return c.json({ prefs, pushAvailable: vapidKeys(c.env) !== null });
  })
  .get("/push/key", (c) => {
    requireAuth(c);
    const vapid = vapidKeys(c.env);
    if (!vapid) throw pushUnavailable();
    return c.json({ publicKey: vapid.publicKey });
  })
  .post("/push/subscriptions", async (c) => {
    const { user } = requireAuth(c);
    if (!vapidKeys(c.env)) throw pushUnavailable();
    const body = await readJson(c, pushSubscriptionBody(c.env.PUSH_TEST_ORIGIN));
    // An endpoint belongs to one browser profile: whoever subscribes it last receives its
    // pushes. The count and the write are one statement, so parallel subscribes cannot pass the cap.
    const result = await c.env.DB.prepare(
      `INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6
       WHERE (SELECT count(*) FROM push_subscriptions WHERE user_id = ?2 AND endpoint <> ?3) < ?7
       ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth`,
    )
      .bind(
        crypto.randomUUID(),
        user.id,
        body.endpoint,
        body.keys.p256dh,
        body.keys.auth,
        Date.now(),
        PUSH_SUBSCRIPTIONS_PER_USER_MAX,
      )
      .run();
    if (result.meta.changes === 0) {
      throw new ApiError(
        409,
        "too_many_subscriptions",
        `At most ${PUSH_SUBSCRIPTIONS_PER_USER_MAX} devices may receive push notifications. Turn them off on one ` +
          `you no longer use.`,
      );
    }
    return c.body(null, 204);
  })
  .delete("/push/subscriptions", async (c) => {
    const { user } = requireAuth(c);
    const body = await readJson(c, pushEndpointBody);
    await drizzle(c.env.DB)
      .delete(pushSubscriptions)
      .where(and(eq(pushSubscriptions.userId, user.id), eq(pushSubscriptions.endpoint, body.endpoint)));
    return c.body(null, 204);
  })
  .get("/rooms/:roomId/dead-letters", async (c) => {
    const { db, room } = await roomCaller(c, "room.manage");
    const rows = await db
      .select()
      .from(deadLetters)
      .where(eq(deadLetters.roomId, room.id))
      .orderBy(desc(deadLetters.createdAt), desc(deadLetters.id))
      .limit(DEAD_LETTERS_PAGE_MAX);
    const letters: DeadLetter[] = rows.map((row) => ({
      id: row.id,
      type: row.type,
      key: row.key,
      body: JSON.parse(row.body) as unknown,
      error: row.error,
      attempts: row.attempts,
      createdAt: new Date(row.createdAt).toISOString(),
      retriedAt: iso(row.retriedAt),
    }));
    return c.json({ deadLetters: letters });
  })
  .post("/rooms/:roomId/dead-letters/:id/retry", async (c) => {
    const { db, room } = await roomCaller(c, "room.manage");
    const id = c.req.param("id");
    const row = await db
      .select({ body: deadLetters.body, retriedAt: deadLetters.retriedAt })
      .from(deadLetters)
      .where(and(eq(deadLetters.id, id), eq(deadLetters.roomId, room.id)))
      .get();
    if (!row) throw notFound("No such failed job in this room.");
    if (row.retriedAt !== null) throw new ApiError(409, "already_retried", "This job was already sent again.");
    const parsed = job.safeParse(JSON.parse(row.body));
    if (!parsed.success)
      throw new ApiError(409, "not_retryable", "This job cannot be read, so sending it again would fail the same way.");
    // Claimed before sending, so two admins pressing retry at once send it once.
    const now = Date.now();
    const claimed = await db
      .update(deadLetters)
      .set({ retriedAt: now })
      .where(and(eq(deadLetters.id, id), isNull(deadLetters.retriedAt)))
      .returning({ id: deadLetters.id });
    if (claimed.length === 0) throw new ApiError(409, "already_retried", "This job was already sent again.");
    try {
      await c.env.JOBS.send(parsed.data);
    } catch (error) {
      await db.update(deadLetters).set({ retriedAt: null }).where(eq(deadLetters.id, id));
      console.log(JSON.stringify({ event: "dead_letter_retry_failed", roomId: room.id, id, error: String(error) }));
      throw new ApiError(500, "internal", "The job could not be queued. Try again.");
    }
    console.log(
      JSON.stringify({
        event: "dead_letter_retried",
        roomId: room.id,
        id,
        type: parsed.data.type,
        key: parsed.data.key,
      }),
    );
    return c.json({ retriedAt: new Date(now).toISOString() }, 202);
  });
