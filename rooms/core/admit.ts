/**
 * A new socket's way in: the checks it must pass, the document it is served (the room's own, or its audience's
 * projection), and what it is sent first (welcome, sync step 1, presence). Knows nothing of Durable Objects.
 */
import type { Connection, ConnectionContext } from "partyserver";
import * as syncProtocol from "y-protocols/sync";
import { MAX_SOCKETS_PER_USER_PER_ROOM } from "../../config";
import { CLOSE, NOTICES_PARAM } from "../../schema/core/messages";
import { syncFrame } from "./frames";
import type { VerifiedMember } from "./identity";
import { log } from "./log";
import type { RoomDocument } from "./room-document";
import { memberFromRequest, notify, type SocketState, warnIfNearQuota } from "./sockets";

/** What admitting a socket needs of the room. */
export interface AdmitHost {
  roomId(): string;
  /** Sockets this user has open here, this one among them. */
  socketsOfUser(userId: string): number;
  audienceOf(member: VerifiedMember): string | null;
  /** An audience's projection, or null for one the kind does not keep. */
  projection(audience: string): Pick<RoomDocument, "stateVector"> | null;
  canWrite(member: VerifiedMember): boolean;
  /** The presence frame a new socket of the room's own document gets, or null when nobody is present. */
  present(): Uint8Array | null;
  /** The socket passed: the room counts it among the open ones. */
  admitted(connection: Connection): void;
}

/** Admits a socket the Worker sent, or closes it with the reason; `document` is the loaded room document or null. */
export function admitSocket(
  connection: Connection,
  ctx: ConnectionContext,
  document: RoomDocument | null,
  host: AdmitHost,
): void {
  const member = memberFromRequest(ctx.request);
  if (!member) {
    connection.close(CLOSE.SESSION_ENDED, "Not signed in");
    return;
  }
  if (!document) {
    connection.close(CLOSE.ROOM_UNAVAILABLE, "This room cannot be opened right now");
    return;
  }
  if (host.socketsOfUser(member.userId) > MAX_SOCKETS_PER_USER_PER_ROOM) {
    connection.close(CLOSE.RATE_LIMITED, `At most ${MAX_SOCKETS_PER_USER_PER_ROOM} connections per person to one room`);
    return;
  }
  const audience = host.audienceOf(member);
  const served = audience === null ? document : host.projection(audience);
  if (!served) {
    // A kind naming an audience it keeps no projection for: serving the room's own document instead would leak it.
    log("room.audience_unknown", { level: "error", room: host.roomId(), audience });
    connection.close(CLOSE.ROOM_UNAVAILABLE, "This room cannot be opened right now");
    return;
  }
  // Stock y-protocols clients read every frame as binary and fail on text notices.
  const notices = new URL(ctx.request.url).searchParams.get(NOTICES_PARAM) === "1";
  connection.setState({ member, notices, presence: [], audience } satisfies SocketState);
  host.admitted(connection);
  const canWrite = host.canWrite(member);
  const { userId, name, role } = member;
  notify(connection, { type: "welcome", userId, name, role, canWrite, audience });
  if (canWrite) warnIfNearQuota(connection, document.usedBytes);
  connection.send(syncFrame(syncProtocol.messageYjsSyncStep1, served.stateVector()));
  // Presence belongs to the room's own document: an audience is shown nobody's.
  const present = audience === null ? host.present() : null;
  if (present) connection.send(present);
}
