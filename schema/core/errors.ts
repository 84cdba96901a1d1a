/**
 * Every error code Haven sends: HTTP error bodies, command failures (over HTTP and the room socket) and the room
 * socket's `rejected` notices. One union, so a code that is not here does not type-check, and docs/api.md lists
 * each (a test holds it to that).
 */
import { COMMAND_ERROR_STATUS } from "./commands";

/** Codes only HTTP routes answer with, by their status. Command failures add COMMAND_ERROR_STATUS. */
const ROUTE_ERROR_STATUS = {
  /** The body is not JSON, or nests deeper than any request needs. */
  invalid_json: 400,
  /** No valid session. */
  unauthorized: 401,
  /** Login with an unknown email or a wrong password (the same answer for both). */
  invalid_credentials: 401,
  /** A state-changing request or WebSocket upgrade from another site. */
  foreign_origin: 403,
  /** No such room, not a member, or the wrong kind: all answer alike. */
  room_not_found: 404,
  /** The server has no VAPID keys: Web Push is off. */
  push_unavailable: 404,
  /** An account with this email already exists. */
  email_taken: 409,
  /** A room needs at least one owner. */
  last_owner: 409,
  /** The person already has as many push subscriptions (devices) as they may. */
  too_many_subscriptions: 409,
  /** The site has as many live ingest keys as it may. */
  too_many_keys: 409,
  /** The dead-lettered job was already sent again. */
  already_retried: 409,
  /** The dead-lettered job cannot be read, so it cannot be sent again. */
  not_retryable: 409,
  /** The invite's time is over. */
  invite_expired: 410,
  /** A sign-in link that was used, expired or never sent. */
  login_link_invalid: 410,
  /** The body's type is not one the route takes. */
  unsupported_media_type: 415,
  /** A plain HTTP request to a WebSocket URL. */
  upgrade_required: 426,
  /** Our fault; no stack trace or internal detail is sent. */
  internal: 500,
} as const;

/** Why the room refused a document update sent over its socket (the `rejected` notice); nothing of it is kept. */
export const REJECTION_STATUS = {
  /** The member's role may read the room but not change it. */
  read_only: 403,
  /** The update would leave the document in a shape the room does not take. */
  invalid_shape: 400,
  /** The update writes a root only the room writes (the mirror of records). */
  server_owned: 403,
  /** The room's document is at its quota. */
  quota_exceeded: 413,
} as const;

/** Every code, with the HTTP status it goes with (socket-only codes: the status an HTTP twin would carry). */
export const ERROR_STATUS = { ...ROUTE_ERROR_STATUS, ...COMMAND_ERROR_STATUS, ...REJECTION_STATUS } as const;
export type ErrorCode = keyof typeof ERROR_STATUS;
export type RejectionReason = keyof typeof REJECTION_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_STATUS, code);
}
