/**
 * Every D1 query of notifications, deliveries, preferences and push subscriptions. Lists
 * of users travel as one JSON parameter (`json_each`), since D1 binds at most 100
 * parameters per statement and an audience may be 500 people.
 */
import type { NotifyJob, ResolveJob } from "../../schema/core/jobs";
import type { RoomKind } from "../../schema/core/roles";
import type { NotificationChannel } from "../../schema/d1";

/** A member of the job's room, with what their notifications need. */
export interface Recipient {
  userId: string;
  role: string;
  kind: RoomKind;
  roomName: string;
  email: string;
  wantsEmail: boolean;
  wantsPush: boolean;
  quietStart: string | null;
  quietEnd: string | null;
  timeZone: string;
}

/** The members of a room with their preferences (defaults where they set none). */
export async function roomRecipients(db: D1Database, roomId: string): Promise<Recipient[]> {
  const { results } = await db
    .prepare(
      `SELECT m.user_id AS userId, m.role AS role, r.kind AS kind, r.name AS roomName, u.email AS email,
              coalesce(p.email, 1) AS wantsEmail, coalesce(p.push, 1) AS wantsPush,
              p.quiet_start AS quietStart, p.quiet_end AS quietEnd, coalesce(p.time_zone, 'UTC') AS timeZone
       FROM memberships m
       JOIN rooms r ON r.id = m.room_id
       JOIN users u ON u.id = m.user_id
       LEFT JOIN notification_prefs p ON p.user_id = m.user_id
       WHERE m.room_id = ?1`,
    )
    .bind(roomId)
    .all<Omit<Recipient, "wantsEmail" | "wantsPush"> & { wantsEmail: number; wantsPush: number }>();
  return results.map((row) => ({ ...row, wantsEmail: Boolean(row.wantsEmail), wantsPush: Boolean(row.wantsPush) }));
}

/**
 * Writes the job's in-app row for each user who lacks one; answers the users it was written for. A notice
 * whose subject is already over is written resolved.
 */
export async function insertNotifications(
  db: D1Database,
  job: NotifyJob,
  userIds: string[],
  now: number,
): Promise<string[]> {
  const rows = userIds.map((userId) => ({ id: crypto.randomUUID(), userId }));
  const { results } = await db
    .prepare(
      // `WHERE true` lets SQLite read ON CONFLICT as an upsert clause after a SELECT.
      `INSERT INTO notifications
         (id, user_id, room_id, key, title, body, url, topic, created_at, subject, resolved_at, resolution)
       SELECT json_extract(value, '$.id'), json_extract(value, '$.userId'), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,
              (SELECT resolved_at FROM notice_resolutions WHERE room_id = ?2 AND subject = ?9),
              (SELECT resolution FROM notice_resolutions WHERE room_id = ?2 AND subject = ?9)
       FROM json_each(?1) WHERE true
       ON CONFLICT (user_id, key) DO NOTHING
       RETURNING user_id AS userId`,
    )
    .bind(JSON.stringify(rows), job.roomId, job.key, job.title, job.body, job.url, job.topic, now, job.subject ?? null)
    .all<{ userId: string }>();
  return results.map((row) => row.userId);
}

/**
 * Ends a cause: remembers it (for notices of it still on their way) and marks the room's open notices
 * of it resolved. Answers the users whose notices changed; running it twice changes nothing more.
 */
export async function resolveNotices(db: D1Database, job: ResolveJob, now: number): Promise<string[]> {
  const [, updated] = await db.batch<{ userId: string }>([
    db
      .prepare(
        `INSERT INTO notice_resolutions (room_id, subject, resolution, resolved_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (room_id, subject) DO NOTHING`,
      )
      .bind(job.roomId, job.subject, job.resolution, now),
    db
      .prepare(
        `UPDATE notifications SET resolved_at = ?4, resolution = ?3
         WHERE room_id = ?1 AND subject = ?2 AND resolved_at IS NULL
         RETURNING user_id AS userId`,
      )
      .bind(job.roomId, job.subject, job.resolution, now),
  ]);
  return [...new Set((updated?.results ?? []).map((row) => row.userId))];
}

/** Each user's open row for this key and the channels already sent for it (a resolved notice sends nothing more). */
export async function deliveryStates(
  db: D1Database,
  key: string,
  userIds: string[],
): Promise<Map<string, { notificationId: string; sent: Set<NotificationChannel> }>> {
  const { results } = await db
    .prepare(
      `SELECT n.id AS notificationId, n.user_id AS userId, d.channel AS channel
       FROM notifications n
       LEFT JOIN notification_deliveries d ON d.notification_id = n.id AND d.state = 'sent'
       WHERE n.key = ?1 AND n.resolved_at IS NULL AND n.user_id IN (SELECT value FROM json_each(?2))`,
    )
    .bind(key, JSON.stringify(userIds))
    .all<{ notificationId: string; userId: string; channel: NotificationChannel | null }>();
  const states = new Map<string, { notificationId: string; sent: Set<NotificationChannel> }>();
  for (const row of results) {
    const state = states.get(row.userId) ?? {
      notificationId: row.notificationId,
      sent: new Set<NotificationChannel>(),
    };
    if (row.channel) state.sent.add(row.channel);
    states.set(row.userId, state);
  }
  return states;
}

/**
 * Records a channel's outcome: `sent` is final (a late failure of a duplicate
 * delivery cannot undo it), `failed` counts the attempt and keeps the error.
 */
export async function recordDelivery(
  db: D1Database,
  notificationId: string,
  channel: NotificationChannel,
  outcome: { sent: true } | { sent: false; error: string },
  now: number,
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO notification_deliveries (notification_id, channel, state, attempts, last_error, delivered_at)
       VALUES (?1, ?2, ?3, 1, ?4, ?5)
       ON CONFLICT (notification_id, channel) DO UPDATE SET
         state = excluded.state, attempts = attempts + 1,
         last_error = coalesce(excluded.last_error, last_error), delivered_at = excluded.delivered_at
       WHERE notification_deliveries.state <> 'sent'`,
    )
    .bind(
      notificationId,
      channel,
      outcome.sent ? "sent" : "failed",
      outcome.sent ? null : outcome.error.slice(0, 500),
      outcome.sent ? now : null,
    )
    .run();
}

/** Unread notifications of one user: neither read nor resolved. */
export async function unreadCount(db: D1Database, userId: string): Promise<number> {
  const row = await db
    .prepare("SELECT count(*) AS n FROM notifications WHERE user_id = ?1 AND read_at IS NULL AND resolved_at IS NULL")
    .bind(userId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** Unread notifications of each user (users with none are absent). */
export async function unreadCounts(db: D1Database, userIds: string[]): Promise<Map<string, number>> {
  const { results } = await db
    .prepare(
      `SELECT user_id AS userId, count(*) AS n FROM notifications
       WHERE read_at IS NULL AND resolved_at IS NULL AND user_id IN (SELECT value FROM json_each(?1)) GROUP BY user_id`,
    )
    .bind(JSON.stringify(userIds))
    .all<{ userId: string; n: number }>();
  return new Map(results.map((row) => [row.userId, row.n]));
}

export interface StoredSubscription {
  id: string;
  userId: string;
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** The push subscriptions of these users. */
export async function subscriptionsOf(db: D1Database, userIds: string[]): Promise<StoredSubscription[]> {
  const { results } = await db
    .prepare(
      `SELECT id, user_id AS userId, endpoint, p256dh, auth FROM push_subscriptions
       WHERE user_id IN (SELECT value FROM json_each(?1)) ORDER BY created_at`,
    )
    .bind(JSON.stringify(userIds))
    .all<StoredSubscription>();
  return results;
}

/** Forgets a subscription its push service called gone. */
export async function deleteSubscription(db: D1Database, id: string): Promise<void> {
  await db.prepare("DELETE FROM push_subscriptions WHERE id = ?1").bind(id).run();
}

export async function markSubscriptionOk(db: D1Database, id: string, now: number): Promise<void> {
  await db.prepare("UPDATE push_subscriptions SET last_ok_at = ?2 WHERE id = ?1").bind(id, now).run();
}

/**
 * Keeps a job that will not be handled for the room's admins to see and retry. The id is
 * the queue message's, so a dead letter delivered twice is kept once.
 */
export async function recordDeadLetter(
  db: D1Database,
  letter: {
    id: string;
    roomId: string | null;
    type: string;
    key: string;
    body: unknown;
    error: string;
    attempts: number;
  },
  now: number,
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO dead_letters (id, room_id, type, key, body, error, attempts, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (id) DO NOTHING`,
    )
    .bind(
      letter.id,
      letter.roomId,
      letter.type,
      letter.key,
      JSON.stringify(letter.body) ?? "null",
      letter.error.slice(0, 1000),
      letter.attempts,
      now,
    )
    .run();
}

/** The most attempts any channel of this key made, and its last error: why a notify job was given up. */
export async function lastDeliveryFailure(
  db: D1Database,
  key: string,
): Promise<{ attempts: number; error: string } | null> {
  return db
    .prepare(
      `SELECT d.attempts AS attempts, d.last_error AS error FROM notification_deliveries d
       JOIN notifications n ON n.id = d.notification_id
       WHERE n.key = ?1 AND d.state = 'failed' AND d.last_error IS NOT NULL
       ORDER BY d.attempts DESC LIMIT 1`,
    )
    .bind(key)
    .first<{ attempts: number; error: string }>();
}
