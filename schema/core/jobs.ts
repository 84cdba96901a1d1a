/**
 * Messages on the `JOBS` queue: rooms and routes enqueue them, one consumer dispatches by
 * `type`. Every message carries a `key`; handling the same key twice does nothing more.
 */
import { z } from "zod";

/**
 * Who a notification is for: named people, every member whose role carries a
 * capability, or every member holding one of some roles (an escalation step).
 */
export const audience = z.union([
  z.object({
    userIds: z.array(z.string().min(1).max(64)).min(1).max(500),
    /** Who gets it instead when none of the named people is still a member (an assignee who left). */
    orElse: z.string().min(1).max(64).optional(),
  }),
  z.object({
    capability: z.string().min(1).max(64),
    /** Members left out even though their role carries it: whoever the notice is about (a submitter). */
    except: z.array(z.string().min(1).max(64)).max(10).optional(),
  }),
  z.object({
    roles: z.array(z.string().min(1).max(32)).min(1).max(10),
    /**
     * Who gets it instead when nobody holds those roles (a site
     * without staff): members whose role carries this capability.
     */
    orElse: z.string().min(1).max(64).optional(),
  }),
]);
export type Audience = z.infer<typeof audience>;

/** What a notice is about, within its room: `<kind>:<id>` with an optional `:<part>`, e.g. `task:<id>:2026-11-07`. */
const subject = z
  .string()
  .min(3)
  .max(120)
  .regex(/^[a-z]+:[A-Za-z0-9_-]+(:[A-Za-z0-9_-]+)?$/, { message: "must be <kind>:<id>" });

/** A notification to deliver through each recipient's chosen channels (in-app, email, Web Push). */
export const notifyJob = z.object({
  type: z.literal("notify"),
  /** Unique per notification: the same key is delivered once per person and channel. */
  key: z.string().min(1).max(200),
  roomId: z.string().min(1).max(64),
  audience,
  /** Short line: the notification's title, the email's subject. */
  title: z.string().min(1).max(200),
  body: z.string().max(2000),
  /** Path inside the app that opens what the notification is about, e.g. `/rooms/<id>/tasks/<taskId>?complete=1`. */
  url: z.string().startsWith("/").max(500),
  /** Groups notifications in the centre and on the device (Web Push `Topic`). */
  topic: z
    .string()
    .max(32)
    .regex(/^[A-Za-z0-9_-]*$/),
  /** Sent through quiet hours too: a critical alert (food going warm) cannot wait for the morning. */
  urgent: z.boolean().optional(),
  /** What the notice is about, e.g. `alert:<id>`: a `resolve` job with the same subject closes it. */
  subject: subject.optional(),
});
export type NotifyJob = z.infer<typeof notifyJob>;

/** How a notice's cause ended. */
export const NOTICE_RESOLUTIONS = ["resolved", "done", "skipped"] as const;
export type NoticeResolution = (typeof NOTICE_RESOLUTIONS)[number];

/**
 * The cause of a room's notices is over (the alert resolved, the task done): every notice of the room with
 * this subject stops counting as unread and says how it ended, and a notice of it that arrives later is
 * written closed.
 */
export const resolveJob = z.object({
  type: z.literal("resolve"),
  key: z.string().min(1).max(200),
  roomId: z.string().min(1).max(64),
  subject,
  resolution: z.enum(NOTICE_RESOLUTIONS),
});
export type ResolveJob = z.infer<typeof resolveJob>;

/** Analyse a home's capture (schema/property/inbox.ts): `attempt` is the run the room asked for. */
export const captureJob = z.object({
  type: z.literal("capture.analyse"),
  key: z.string().min(1).max(200),
  roomId: z.string().min(1).max(64),
  captureId: z.uuid(),
  attempt: z.number().int().min(1).max(1_000),
});
export type CaptureJob = z.infer<typeof captureJob>;

/**
 * Delete objects a room no longer lists (a deleted capture's files): sent through the outbox in the transaction
 * that forgot them, so they go even if the room is evicted right after. Only keys under the room's own prefix.
 */
export const blobsDeleteJob = z.object({
  type: z.literal("blobs.delete"),
  key: z.string().min(1).max(200),
  roomId: z.string().min(1).max(64),
  keys: z.array(z.string().min(1).max(300)).min(1).max(20),
});
export type BlobsDeleteJob = z.infer<typeof blobsDeleteJob>;

/** Every message type the consumer knows; later kinds add theirs here. */
export const job = z.discriminatedUnion("type", [notifyJob, resolveJob, captureJob, blobsDeleteJob]);
export type Job = z.infer<typeof job>;
