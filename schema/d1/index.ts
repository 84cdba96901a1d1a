/**
 * Global tables in D1: accounts, sessions, sign-in limits and links, rooms, memberships,
 * invites, notifications with their deliveries, preferences, push subscriptions and
 * the jobs that kept failing, and the deal templates people saved.
 */

import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { NOTICE_RESOLUTIONS } from "../core/jobs";

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  /** Stored lower-cased; unique. */
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  /** `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>` */
  passwordHash: text("password_hash").notNull(),
  createdAt: integer("created_at").notNull(),
});

export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** SHA-256 of the token's secret half, hex. The secret itself is never stored. */
    secretHash: text("secret_hash").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/**
 * Login attempts per email not (yet) followed by a successful login. A row is written
 * before the password is checked, so parallel guesses are all counted.
 */
export const loginFailures = sqliteTable(
  "login_failures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    email: text("email").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [index("login_failures_email_at_idx").on(t.email, t.at)],
);

/** One-time sign-in links, mailed on request; see docs/security.md. */
export const loginLinks = sqliteTable(
  "login_links",
  {
    /** SHA-256 of the link's token, hex. The token itself is only ever in the email. */
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("login_links_user_created_idx").on(t.userId, t.createdAt)],
);

export const rooms = sqliteTable("rooms", {
  id: text("id").primaryKey(),
  kind: text("kind", { enum: ["property", "deal", "site"] }).notNull(),
  name: text("name").notNull(),
  createdBy: text("created_by")
    .notNull()
    .references(() => users.id),
  createdAt: integer("created_at").notNull(),
  /** Set while the room is archived: it leaves the main list but keeps everything. */
  archivedAt: integer("archived_at"),
  /**
   * What the rooms list shows of the room beside its name (a deal's stage and closing date), JSON written by the
   * room after a command changed it, so the list needs no call to each room. Null until the room wrote one.
   */
  listSummary: text("list_summary"),
});

export const memberships = sqliteTable(
  "memberships",
  {
    roomId: text("room_id")
      .notNull()
      .references(() => rooms.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.userId] }), index("memberships_user_idx").on(t.userId)],
);

export const invites = sqliteTable(
  "invites",
  {
    /** SHA-256 of the invite token, hex. The token is shown once, to the inviter. */
    tokenHash: text("token_hash").primaryKey(),
    roomId: text("room_id")
      .notNull()
      .references(() => rooms.id, { onDelete: "cascade" }),
    /** Lower-cased; only the account with this email may accept. */
    email: text("email").notNull(),
    role: text("role").notNull(),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    acceptedAt: integer("accepted_at"),
    acceptedBy: text("accepted_by").references(() => users.id),
  },
  (t) => [index("invites_room_idx").on(t.roomId)],
);

/** In-app notifications, one row per person; the other channels deliver from it. */
export const notifications = sqliteTable(
  "notifications",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    roomId: text("room_id")
      .notNull()
      .references(() => rooms.id, { onDelete: "cascade" }),
    /** The job's key: a job handled twice finds the row and writes nothing more. */
    key: text("key").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    /** Path inside the app, e.g. `/rooms/<id>/tasks/<taskId>`. */
    url: text("url").notNull(),
    topic: text("topic").notNull(),
    createdAt: integer("created_at").notNull(),
    readAt: integer("read_at"),
    /** What it is about within its room (`alert:<id>`, `task:<id>:<due>`); null for a notice no cause ends. */
    subject: text("subject"),
    /** When its cause ended; a resolved notice no longer counts as unread. */
    resolvedAt: integer("resolved_at"),
    resolution: text("resolution", { enum: NOTICE_RESOLUTIONS }),
  },
  (t) => [
    uniqueIndex("notifications_user_key_idx").on(t.userId, t.key),
    index("notifications_user_created_idx").on(t.userId, t.createdAt),
    index("notifications_room_subject_idx").on(t.roomId, t.subject),
  ],
);

/**
 * Causes that are over, by room and subject: a notice of one that reaches the consumer after its
 * `resolve` job (the queue does not keep order) is written resolved.
 */
export const noticeResolutions = sqliteTable(
  "notice_resolutions",
  {
    roomId: text("room_id")
      .notNull()
      .references(() => rooms.id, { onDelete: "cascade" }),
    subject: text("subject").notNull(),
    resolution: text("resolution", { enum: NOTICE_RESOLUTIONS }).notNull(),
    resolvedAt: integer("resolved_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.subject] })],
);

export const NOTIFICATION_CHANNELS = ["email", "push"] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/**
 * Each outward channel of a notification, written once it has been sent: a retried job
 * skips the channels already done, so nobody gets the same email or push twice.
 */
export const notificationDeliveries = sqliteTable(
  "notification_deliveries",
  {
    notificationId: text("notification_id")
      .notNull()
      .references(() => notifications.id, { onDelete: "cascade" }),
    channel: text("channel", { enum: NOTIFICATION_CHANNELS }).notNull(),
    /** `sent`, or `failed` while the job is being retried (`last_error` says why). */
    state: text("state", { enum: ["sent", "failed"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    deliveredAt: integer("delivered_at"),
  },
  (t) => [primaryKey({ columns: [t.notificationId, t.channel] })],
);

/** Each person's channels and quiet hours; a missing row means the defaults. In-app is always on. */
export const notificationPrefs = sqliteTable("notification_prefs", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  email: integer("email", { mode: "boolean" }).notNull().default(true),
  push: integer("push", { mode: "boolean" }).notNull().default(true),
  /** `HH:MM` local time in `time_zone`; email and push wait from start until end (may cross midnight). */
  quietStart: text("quiet_start"),
  quietEnd: text("quiet_end"),
  /** IANA time zone name. */
  timeZone: text("time_zone").notNull().default("UTC"),
});

/** Web Push subscriptions (one per browser profile); deleted when the push service says it is gone. */
export const pushSubscriptions = sqliteTable(
  "push_subscriptions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    endpoint: text("endpoint").notNull().unique(),
    /** base64url keys as `PushSubscription.toJSON()` gives them. */
    p256dh: text("p256dh").notNull(),
    auth: text("auth").notNull(),
    createdAt: integer("created_at").notNull(),
    lastOkAt: integer("last_ok_at"),
  },
  (t) => [index("push_subscriptions_user_idx").on(t.userId)],
);

/** Jobs that failed every retry (or could not be read at all), kept for the room's admins to see and retry. */
export const deadLetters = sqliteTable(
  "dead_letters",
  {
    id: text("id").primaryKey(),
    /** From the job when it could be read; no foreign key, so a record outlives nothing it explains. */
    roomId: text("room_id"),
    type: text("type").notNull(),
    key: text("key").notNull(),
    /** The message body as received, JSON. */
    body: text("body").notNull(),
    error: text("error").notNull(),
    attempts: integer("attempts").notNull(),
    createdAt: integer("created_at").notNull(),
    retriedAt: integer("retried_at"),
  },
  (t) => [index("dead_letters_room_created_idx").on(t.roomId, t.createdAt)],
);

/**
 * A deal's structure saved as a template by its owner (`templates.save`), to start new deals from: the body is a
 * `Template` (schema/deal/templates.ts), checked by `templateSchema` when saved and again when used.
 */
export const dealTemplates = sqliteTable(
  "deal_templates",
  {
    /** The template's id, also its `id` inside the body: `saved_` and 32 hex digits, never a built-in's. */
    id: text("id").primaryKey(),
    ownerUserId: text("owner_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** The `Template`, JSON. */
    body: text("body").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("deal_templates_owner_created_idx").on(t.ownerUserId, t.createdAt)],
);
