/**
 * What a room and its clients say to each other besides the y-protocols sync and
 * awareness frames. Both sides import this module.
 */
import type { RejectionReason } from "./errors";

/**
 * Custom messages ride y-partyserver's string channel, which prefixes them with `__YPS:`.
 * A client receives them only if it connects with the query parameter `notices=1`, so
 * stock y-protocols clients, which cannot read text frames, never see one.
 */
/** Prefix of every notice frame (y-partyserver's custom-message channel). */
export const NOTICE_PREFIX = "__YPS:";

/** Query parameter by which a socket asks for notices: `?notices=1`. */
export const NOTICES_PARAM = "notices";

export type ServerNotice =
  /**
   * Sent once on connect: who the server knows this socket to be, and which document it is served: null the
   * room's own, a name that audience's projection (read-only). A client holding a local copy of another
   * audience's document drops it before merging anything.
   */
  | { type: "welcome"; userId: string; name: string; role: string; canWrite: boolean; audience: string | null }
  /** The member's role changed while connected; `canWrite` says whether edits are now applied. */
  | { type: "access"; role: string; canWrite: boolean }
  /** An update from this socket was not applied; the document is unchanged. */
  | { type: "rejected"; reason: RejectionReason; message: string }
  /** The room's document is near or at its quota; sent to writers when it crosses the warning line and on connect. */
  | { type: "quota"; usedBytes: number; quotaBytes: number }
  /** This socket sent more than its fair share; it is closed next (code RATE_LIMITED) and may reconnect. */
  | { type: "rate_limited"; message: string };

/**
 * Why an update was refused: the member may not write, the update breaks the documented
 * shape, it writes records only commands may change, or the room is full.
 */
export type { RejectionReason } from "./errors";

/** WebSocket close codes a room uses (4000-4999 is the application range). */
export const CLOSE = {
  /** The frame could not be decoded as y-protocols. */
  MALFORMED_FRAME: 4400,
  /** The session behind this socket ended (logout or expiry). */
  SESSION_ENDED: 4401,
  /** The member was removed from the room. */
  ACCESS_REVOKED: 4403,
  /** The frame is larger than MAX_FRAME_BYTES. */
  FRAME_TOO_LARGE: 4413,
  /**
   * An update built on changes the room never received (more than a little of it could
   * not be integrated); nothing of it was kept. Reconnecting resyncs: the client's sync
   * step 2 then carries everything the room lacks.
   */
  RESYNC: 4409,
  /**
   * What this member may see changed (their role moved them to another audience's document, or off one): drop
   * the local copy and reconnect, with a fresh document, to the one they are served now.
   */
  AUDIENCE_CHANGED: 4410,
  /** An update decoded but could not be applied; nothing of it was kept. */
  UPDATE_UNAPPLIABLE: 4422,
  /**
   * The socket sent more than its fair share, asked for too many
   * full syncs, or the user has too many sockets open here.
   */
  RATE_LIMITED: 4429,
  /** The room could not be loaded; try again later. */
  ROOM_UNAVAILABLE: 1011,
} as const;

/** Close codes after which a client must not reconnect without the user acting. */
export const TERMINAL_CLOSE_CODES: readonly number[] = [CLOSE.SESSION_ENDED, CLOSE.ACCESS_REVOKED];

/**
 * Whether a client's local copy may merge the document a welcome says it is served (`served`): the copy holds
 * that same audience's document (`held`, as the client recorded it), or it is unrecorded and either was just made
 * empty (`fresh`) or predates audiences, when every copy was of the room's own document. Otherwise the copy must
 * be dropped first: one audience's document never merges into another's.
 */
export function localCopyFits(held: string | null | undefined, served: string | null, fresh: boolean): boolean {
  if (held !== undefined) return held === served;
  return fresh || served === null;
}

/** Parses a server notice; null for anything that is not one. */
export function parseServerNotice(raw: string): ServerNotice | null {
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value === "object" && value !== null && "type" in value) {
      const type = (value as { type: unknown }).type;
      if (type === "welcome" || type === "access" || type === "rejected" || type === "quota" || type === "rate_limited")
        return value as ServerNotice;
    }
  } catch {
    return null;
  }
  return null;
}
