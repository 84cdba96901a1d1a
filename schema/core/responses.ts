/**
 * The JSON bodies the API answers with, as zod schemas: the OpenAPI document is generated
 * from them (worker/openapi) and the workerd suite checks every real answer against them.
 * The TypeScript interfaces the worker and client code use stay in ./api and
 * ./notifications; the checks at the end of this file keep the two from drifting apart.
 *
 * Objects are strict, so a field a handler starts sending without documenting it fails the
 * conformance test. `.meta({ id })` names a schema as a shared component of the document.
 */

import { z } from "zod";
import type { ApiErrorBody, Invite, InvitePreview, Member, PendingInvite, Room, User } from "./api";
import type { CommandOutcome } from "./commands";
import { ERROR_CODES, type ErrorCode } from "./errors";
import { NOTICE_RESOLUTIONS } from "./jobs";
import { type DeadLetter, type Notification, type NotificationPage, notificationPrefsBody } from "./notifications";
import { ROOM_KINDS } from "./roles";

/** What `Date.prototype.toISOString()` writes: UTC, with milliseconds. */
const timestamp = z.iso.datetime();

export const userSchema = z.strictObject({ id: z.string(), email: z.email(), name: z.string() }).meta({ id: "User" });

export const roomSchema = z
  .strictObject({
    id: z.string(),
    kind: z.enum(ROOM_KINDS),
    name: z.string(),
    role: z.string().meta({ description: "The caller's role in this room." }),
    archived: z.boolean().meta({ description: "Archived rooms keep everything but leave the main list." }),
    deal: z
      .strictObject({
        stage: z.string().nullable().meta({ description: "The first milestone not reached; null without any." }),
        closing: z.string().meta({ description: "The closing date, YYYY-MM-DD in the deal's time zone." }),
        status: z.enum(["open", "closed", "cancelled"]),
      })
      .optional()
      .meta({ description: "A deal room's stage and closing date, in the rooms list once the deal is set up." }),
    home: z
      .strictObject({
        timeZone: z.string().meta({ description: "The home's time zone: today is counted in it." }),
        due: z
          .array(z.string())
          .meta({ description: "The next due dates (YYYY-MM-DD) of its open tasks, soonest first, at most 100." }),
        more: z.boolean().meta({ description: "Whether open tasks due later were left out of `due`." }),
      })
      .optional()
      .meta({ description: "A home's due dates, for the rooms list to count what is overdue and due today." }),
    site: z
      .strictObject({
        open: z.number().int().min(0).meta({ description: "Alerts on the board: not yet closed." }),
        critical: z.number().int().min(0).meta({ description: "Critical alerts whose condition still lasts." }),
        alerts: z
          .array(
            z.strictObject({
              id: z.string(),
              unitId: z.string(),
              unit: z.string(),
              rule: z.string(),
              severity: z.enum(["warning", "critical"]),
              state: z.string(),
              raisedAt: z.number().int().meta({ description: "When it was raised, in ms since the epoch." }),
            }),
          )
          .default([])
          .meta({ description: "The open alerts, worst first (active critical, active, then the rest), at most 10." }),
      })
      .optional()
      .meta({ description: "A site's open alerts, in the rooms list once it has had any." }),
  })
  .meta({ id: "Room" });

export const memberSchema = z
  .strictObject({ userId: z.string(), email: z.email(), name: z.string(), role: z.string(), joinedAt: timestamp })
  .meta({ id: "Member" });

export const inviteSchema = z
  .strictObject({ token: z.string(), url: z.url(), role: z.string(), email: z.email(), expiresAt: timestamp })
  .meta({ id: "Invite", description: "A new invite. Its token is shown this once." });

export const pendingInviteSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .meta({ description: "The SHA-256 of the invite's token, in hex." }),
    email: z.email(),
    role: z.string(),
    invitedBy: z.strictObject({ userId: z.string(), name: z.string() }),
    createdAt: timestamp,
    expiresAt: timestamp,
  })
  .meta({ id: "PendingInvite" });

export const invitePreviewSchema = z
  .strictObject({
    roomName: z.string(),
    roomKind: z.enum(ROOM_KINDS),
    invitedBy: z.string().meta({ description: "The inviter's name." }),
    role: z.string(),
    expiresAt: timestamp,
    hasAccount: z.boolean().meta({ description: "Whether the invited address already has an account." }),
  })
  .meta({ id: "InvitePreview", description: "What the holder of an invite's link sees; never the invited address." });

/** An error body narrowed to the codes a route documents for one status, so a stray code fails conformance. */
export function apiErrorSchema(codes: readonly ErrorCode[]) {
  return z.strictObject({
    error: z.strictObject({ code: z.enum(codes), message: z.string(), details: z.unknown().optional() }),
  });
}

/** Every error body, whatever its code. */
export const anyApiErrorSchema = z
  .strictObject({
    error: z.strictObject({ code: z.enum(ERROR_CODES), message: z.string(), details: z.unknown().optional() }),
  })
  .meta({ id: "ApiError" });

export const userBodySchema = z.strictObject({ user: userSchema });
export const roomBodySchema = z.strictObject({ room: roomSchema });
export const roomListSchema = z.strictObject({ rooms: z.array(roomSchema) });
export const inviteBodySchema = z.strictObject({ invite: inviteSchema });
export const pendingInviteListSchema = z.strictObject({ invites: z.array(pendingInviteSchema) });
export const invitePreviewBodySchema = z.strictObject({ invite: invitePreviewSchema });
export const memberListSchema = z.strictObject({ members: z.array(memberSchema) });
export const memberBodySchema = z.strictObject({ member: memberSchema });

export const quarantineEntrySchema = z
  .strictObject({
    id: z.number().int(),
    source: z.enum(["log_row", "pending"]),
    reason: z.string(),
    bytes: z.number().int().nonnegative(),
    quarantinedAt: timestamp,
  })
  .meta({ id: "QuarantineEntry", description: "Stored room state set aside because it could not be loaded." });
export const quarantineListSchema = z.strictObject({ quarantine: z.array(quarantineEntrySchema) });

export const commandResultSchema = z
  .strictObject({
    result: z.unknown().meta({ description: "What the command returns; its shape depends on the command." }),
    replayed: z.boolean().meta({ description: "True when the key had already run: nothing was done now." }),
  })
  .meta({ id: "CommandResult" });

export const notificationSchema = z
  .strictObject({
    id: z.uuid(),
    roomId: z.string(),
    roomName: z.string().meta({ description: "The room's name now (a renamed room shows its new name)." }),
    title: z.string(),
    body: z.string(),
    url: z.string().meta({ description: "Path inside the app that opens what it is about." }),
    topic: z.string(),
    createdAt: timestamp,
    readAt: timestamp.nullable(),
    resolvedAt: timestamp.nullable().meta({ description: "When its cause ended; a resolved notice is not unread." }),
    resolution: z.enum(NOTICE_RESOLUTIONS).nullable().meta({ description: "How its cause ended." }),
  })
  .meta({ id: "Notification" });

export const notificationPageSchema = z
  .strictObject({
    notifications: z.array(notificationSchema),
    unread: z.number().int().nonnegative(),
    nextBefore: z.string().nullable().meta({ description: "Pass as `before` for the next page; null on the last." }),
  })
  .meta({ id: "NotificationPage" });

export const unreadCountSchema = z.strictObject({ unread: z.number().int().nonnegative() });

export const notificationPrefsResponseSchema = z.strictObject({
  prefs: notificationPrefsBody,
  pushAvailable: z.boolean().meta({ description: "False when the server has no VAPID keys." }),
});

export const pushKeySchema = z.strictObject({
  publicKey: z.string().meta({ description: "The VAPID public key, base64url." }),
});

export const deadLetterSchema = z
  .strictObject({
    id: z.string(),
    type: z.string(),
    key: z.string(),
    body: z.unknown().meta({ description: "The job as it was enqueued." }),
    error: z.string(),
    attempts: z.number().int().nonnegative(),
    createdAt: timestamp,
    retriedAt: timestamp.nullable(),
  })
  .meta({ id: "DeadLetter", description: "A job that failed every retry." });
export const deadLetterListSchema = z.strictObject({ deadLetters: z.array(deadLetterSchema) });
export const deadLetterRetrySchema = z.strictObject({ retriedAt: timestamp });

/** True only when A and B are identical (an optional field on one side only counts as a difference). */
export type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Fails to compile unless T is `true`. */
export type Holds<T extends true> = T;

/** Compile-time only: each schema infers exactly the interface handlers are typed with. */
type _ResponseSchemasMatchInterfaces = [
  Holds<Same<z.infer<typeof userSchema>, User>>,
  Holds<Same<z.infer<typeof roomSchema>, Room>>,
  Holds<Same<z.infer<typeof memberSchema>, Member>>,
  Holds<Same<z.infer<typeof inviteSchema>, Invite>>,
  Holds<Same<z.infer<typeof pendingInviteSchema>, PendingInvite>>,
  Holds<Same<z.infer<typeof invitePreviewSchema>, InvitePreview>>,
  Holds<Same<z.infer<typeof anyApiErrorSchema>, ApiErrorBody>>,
  Holds<Same<z.infer<typeof commandResultSchema>, Omit<Extract<CommandOutcome, { ok: true }>, "ok">>>,
  Holds<Same<z.infer<typeof notificationSchema>, Notification>>,
  Holds<Same<z.infer<typeof notificationPageSchema>, NotificationPage>>,
  Holds<Same<z.infer<typeof deadLetterSchema>, DeadLetter>>,
];
