/**
 * What the notification routes accept and answer, and the notification-centre socket's
 * messages. The worker, the client and the tests import this one module.
 */
import { z } from "zod";
import { NOTIFICATIONS_PAGE_MAX, NOTIFICATIONS_READ_MAX_IDS, PUSH_ENDPOINT_MAX_CHARS } from "../../config";
import type { NoticeResolution } from "./jobs";
import { pushEndpointProblem } from "./push-endpoint";

/** `HH:MM`, 00:00 to 23:59. */
export const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** True when `timeZone` is an IANA name this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone });
    return true;
  } catch {
    return false;
  }
}

export interface Notification {
  id: string;
  roomId: string;
  /** The room's current name. */
  roomName: string;
  title: string;
  body: string;
  /** Path inside the app that opens what it is about. */
  url: string;
  topic: string;
  /** ISO 8601. */
  createdAt: string;
  readAt: string | null;
  /** ISO 8601: when its cause ended (the alert resolved, the task done); it no longer counts as unread. */
  resolvedAt: string | null;
  resolution: NoticeResolution | null;
}

/** `GET /api/notifications`: newest first; pass `nextBefore` as `before` for the next page. */
export interface NotificationPage {
  notifications: Notification[];
  unread: number;
  nextBefore: string | null;
}

export const notificationsQuery = z.object({
  /** The `nextBefore` of the previous page. */
  before: z
    .string()
    .regex(/^\d{1,15}:[0-9a-f-]{36}$/, { message: "must be the nextBefore of a previous page" })
    .optional(),
  limit: z.coerce.number().int().min(1).max(NOTIFICATIONS_PAGE_MAX).optional(),
});

export const markReadBody = z.union([
  z.object({ ids: z.array(z.uuid()).min(1).max(NOTIFICATIONS_READ_MAX_IDS) }).strict(),
  z.object({ all: z.literal(true) }).strict(),
]);

const clock = z.string().regex(HH_MM, { message: "must be a time as HH:MM (00:00 to 23:59)" });

/** Which channels reach someone, and when email and push wait. In-app is always on. */
export const notificationPrefsBody = z
  .object({
    email: z.boolean(),
    push: z.boolean(),
    quietStart: clock.nullable(),
    quietEnd: clock.nullable(),
    timeZone: z.string().max(64).refine(isTimeZone, { message: "must be an IANA time zone such as Europe/Berlin" }),
  })
  .strict()
  .refine((p) => (p.quietStart === null) === (p.quietEnd === null), {
    message: "must be set together with quietStart (or both null)",
    path: ["quietEnd"],
  });
export type NotificationPrefs = z.infer<typeof notificationPrefsBody>;

export const DEFAULT_NOTIFICATION_PREFS: NotificationPrefs = {
  email: true,
  push: true,
  quietStart: null,
  quietEnd: null,
  timeZone: "UTC",
};

/**
 * A browser's push subscription as `PushSubscription.toJSON()` gives it. The endpoint must be a known
 * push service's (./push-endpoint.ts); `testOrigin` is the test seam described there.
 */
export function pushSubscriptionBody(testOrigin?: string) {
  const endpoint = z
    .string()
    .max(PUSH_ENDPOINT_MAX_CHARS)
    .superRefine((value, ctx) => {
      const problem = pushEndpointProblem(value, testOrigin);
      if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
    });
  return z.object({
    endpoint,
    keys: z.object({
      /** base64url of the 65-byte uncompressed P-256 point (starts 0x04). */
      p256dh: z.string().regex(/^B[A-Za-z0-9_-]{86}$/, { message: "must be a base64url P-256 public key (65 bytes)" }),
      /** base64url of the 16-byte auth secret. */
      auth: z.string().regex(/^[A-Za-z0-9_-]{22}$/, { message: "must be a base64url 16-byte secret" }),
    }),
  });
}
export type PushSubscriptionJson = z.infer<ReturnType<typeof pushSubscriptionBody>>;

export const pushEndpointBody = z.object({ endpoint: z.string().min(1).max(PUSH_ENDPOINT_MAX_CHARS) });

/** A job that failed every retry, as a room's admins see it. */
export interface DeadLetter {
  id: string;
  type: string;
  key: string;
  /** The job as it was enqueued. */
  body: unknown;
  error: string;
  attempts: number;
  createdAt: string;
  retriedAt: string | null;
}

/** Text frames the notification-centre socket sends. */
export type NotificationLiveMessage = { type: "unread"; count: number };
