/**
 * What the room knows about each socket and how it speaks to it: the identity and choices
 * kept in the socket's attachment (so they survive hibernation), notices on the text
 * channel, and relaying one frame to many sockets.
 */
import type { Connection } from "partyserver";
import { ROOM_DOC_QUOTA_BYTES, ROOM_DOC_WARN_FRACTION } from "../../config";
import { CLOSE, NOTICE_PREFIX, type RejectionReason, type ServerNotice } from "../../schema/core/messages";
import { clientIp, IDENTITY_HEADERS, type VerifiedMember } from "./identity";

/** What the room keeps in each socket's attachment, so it survives hibernation. */
export interface SocketState {
  member: VerifiedMember;
  notices: boolean;
  /** Awareness client ids this socket speaks for. */
  presence: number[];
  /**
   * Which document the socket is served: null the room's own, a name that audience's projection (audiences.ts).
   * Absent on a socket opened before audiences were kept; its member's role then decides.
   */
  audience?: string | null;
}

const REFUSAL_MESSAGES: Record<RejectionReason, string> = {
  read_only: "You can view this room but not change it.",
  invalid_shape: "The change does not fit this room's document, so it was not applied.",
  server_owned:
    "Records such as tasks and assets change only through the app's actions, so this change was not applied.",
  quota_exceeded: "This room is full. Delete something to make space; your change is kept on this device.",
};

/** Identity the Worker verified and passed in headers; the Worker strips these from any client. */
export function memberFromRequest(request: Request): VerifiedMember | null {
  const h = request.headers;
  const userId = h.get(IDENTITY_HEADERS.userId);
  const sessionId = h.get(IDENTITY_HEADERS.sessionId);
  const role = h.get(IDENTITY_HEADERS.role);
  const name = h.get(IDENTITY_HEADERS.name);
  if (!userId || !sessionId || !role || name === null) return null;
  return { userId, sessionId, role, name: decodeURIComponent(name), ip: clientIp(h.get(IDENTITY_HEADERS.ip)) };
}

/** The socket's attachment, or null for a socket the room never admitted. */
export function stateOf(connection: Connection): SocketState | null {
  const state = connection.state as Partial<SocketState> | null;
  if (!state?.member) return null;
  // A socket admitted before addresses were kept has none in its attachment.
  const member = state.member.ip === undefined ? { ...state.member, ip: null } : state.member;
  const kept: SocketState = { member, notices: state.notices === true, presence: state.presence ?? [] };
  if (state.audience === null || typeof state.audience === "string") kept.audience = state.audience;
  return kept;
}

/** Sends a notice to a socket that asked for them and is still open; stock clients get none. */
export function notify(connection: Connection, notice: ServerNotice): void {
  if (!stateOf(connection)?.notices || connection.readyState !== WebSocket.READY_STATE_OPEN) return;
  connection.send(`${NOTICE_PREFIX}${JSON.stringify(notice)}`);
}

/** Tells the socket why its change was not applied; the socket stays open. */
export function refuse(connection: Connection, reason: RejectionReason): void {
  notify(connection, { type: "rejected", reason, message: REFUSAL_MESSAGES[reason] });
}

export function closeRateLimited(connection: Connection, message: string): void {
  notify(connection, { type: "rate_limited", message });
  connection.close(CLOSE.RATE_LIMITED, message);
}

/** Warns a writer that the document of `usedBytes` is near its quota. */
export function warnIfNearQuota(connection: Connection, usedBytes: number): void {
  if (usedBytes >= ROOM_DOC_QUOTA_BYTES * ROOM_DOC_WARN_FRACTION)
    notify(connection, { type: "quota", usedBytes, quotaBytes: ROOM_DOC_QUOTA_BYTES });
}

/** Sends one frame to every socket given. */
export function broadcast(sockets: Iterable<Connection>, frame: Uint8Array): void {
  for (const socket of sockets) {
    try {
      socket.send(frame);
    } catch {
      // A socket that is closing misses this frame; it resyncs when it reconnects.
    }
  }
}
