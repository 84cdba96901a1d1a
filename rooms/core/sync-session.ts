/**
 * One socket's side of the y-protocols session: the frame checks and per-socket limits
 * every message meets, answering sync step 1, and handing updates to the group commit,
 * presence to `Presence` and commands to the runner. Limits live in memory: a room that
 * wakes from hibernation starts them afresh, which is harmless.
 */
import type { Connection, WSMessage } from "partyserver";
import * as syncProtocol from "y-protocols/sync";
import {
  MAX_AWARENESS_FRAME_BYTES,
  MAX_FRAME_BYTES,
  SOCKET_MESSAGE_BURST,
  SOCKET_MESSAGES_PER_SECOND,
  SOCKET_SYNC_REPLY_BYTES_PER_MINUTE,
  WEBSOCKET_MESSAGE_MAX_BYTES,
} from "../../config";
import { CLOSE, NOTICE_PREFIX } from "../../schema/core/messages";
import { isEmptyUpdate, MESSAGE_AWARENESS, parseClientFrame, syncFrame } from "./frames";
import type { VerifiedMember } from "./identity";
import { log } from "./log";
import { emptyPresence, type Presence } from "./presence";
import type { RoomDocument } from "./room-document";
import { closeRateLimited, refuse, stateOf } from "./sockets";
import { TokenBucket } from "./token-bucket";
import type { UpdateQueue } from "./update-queue";

/** Per-socket allowances, in memory. */
interface SocketLimits {
  messages: TokenBucket;
  syncReplies: TokenBucket;
  /** Document version at this socket's last sync answer; a repeated step 1 before the next change gets none. */
  answeredVersion: number;
}

/** A document a socket syncs with: the room's own or its audience's projection. */
export type SyncedDocument = Pick<RoomDocument, "version" | "usedBytes" | "diff">;

/** What the session needs of the room. */
export interface SyncSessionHost {
  roomId(): string;
  /** The audience a socket is served (null: the room's own document); undefined for one never admitted. */
  audienceOf(connection: Connection): string | null | undefined;
  /** The loaded document a socket is served, or null (sync step 1 is then not answered). */
  document(connection: Connection): SyncedDocument | null;
  updates: Pick<UpdateQueue, "push">;
  presence: Pick<Presence, "accept" | "everyone">;
  /** A command frame from the text channel, not yet parsed. */
  command(connection: Connection, member: VerifiedMember, message: string): void;
}

export class SyncSession {
  readonly #limits = new WeakMap<Connection, SocketLimits>();

  constructor(private readonly host: SyncSessionHost) {}

  #limitsOf(connection: Connection): SocketLimits {
    let limits = this.#limits.get(connection);
    if (!limits) {
      limits = {
        messages: new TokenBucket(SOCKET_MESSAGE_BURST, SOCKET_MESSAGES_PER_SECOND),
        syncReplies: new TokenBucket(SOCKET_SYNC_REPLY_BYTES_PER_MINUTE, SOCKET_SYNC_REPLY_BYTES_PER_MINUTE / 60),
        answeredVersion: -1,
      };
      this.#limits.set(connection, limits);
    }
    return limits;
  }

  /** One message from a socket: checked, limited, decoded and dispatched, or the socket closed with the reason. */
  receive(connection: Connection, message: WSMessage): void {
    // Frames still arriving on a socket the room has closed cost nothing more.
    if (connection.readyState !== WebSocket.READY_STATE_OPEN) return;
    const state = stateOf(connection);
    if (!state) {
      connection.close(CLOSE.SESSION_ENDED, "Not signed in");
      return;
    }
    const limits = this.#limitsOf(connection);
    if (!limits.messages.take()) {
      closeRateLimited(connection, "Too many messages; reconnect to continue");
      return;
    }
    if (typeof message === "string") {
      // Besides commands, the notice channel is one-way: clients have nothing else to say on it.
      if (!message.startsWith(NOTICE_PREFIX))
        connection.close(CLOSE.MALFORMED_FRAME, "Text frames are not part of the protocol");
      else this.host.command(connection, state.member, message);
      return;
    }
    const bytes =
      message instanceof ArrayBuffer
        ? new Uint8Array(message)
        : new Uint8Array(message.buffer, message.byteOffset, message.byteLength);
    if (bytes.byteLength > MAX_FRAME_BYTES) {
      connection.close(CLOSE.FRAME_TOO_LARGE, `Frame exceeds ${MAX_FRAME_BYTES} bytes`);
      return;
    }
    // Presence frames have their own, far smaller bound: refuse before parsing their JSON.
    if (bytes[0] === MESSAGE_AWARENESS && bytes.byteLength > MAX_AWARENESS_FRAME_BYTES) {
      connection.close(CLOSE.FRAME_TOO_LARGE, `Presence frames may be at most ${MAX_AWARENESS_FRAME_BYTES} bytes`);
      return;
    }
    const parsed = parseClientFrame(bytes);
    if (!parsed.ok) {
      connection.close(CLOSE.MALFORMED_FRAME, `Malformed frame: ${parsed.reason}`.slice(0, 120));
      return;
    }
    const frame = parsed.frame;
    // A projection is the room's to build: its sockets write nothing, and see and show no presence, which can
    // name what the room's own members are looking at.
    const projected = this.host.audienceOf(connection) !== null;
    switch (frame.kind) {
      case "sync-step1":
        this.#answerSyncStep1(connection, limits, frame.stateVector);
        return;
      case "update":
        // An empty one is an honest client's sync step 2 with nothing to add: no refusal for it.
        if (!projected) this.host.updates.push(connection, state.member, frame.update);
        else if (!isEmptyUpdate(frame.update)) refuse(connection, "read_only");
        return;
      case "awareness":
        if (!projected) this.host.presence.accept(connection, state, frame.entries);
        return;
      case "query-awareness":
        connection.send(projected ? emptyPresence() : this.host.presence.everyone());
        return;
    }
  }

  /**
   * Answers "what do I lack?" with the socket's own document's state minus the socket's,
   * once per document version: asking again before anything changed gets nothing new.
   * Every ask is charged to a per-socket byte allowance, answered or not, since each
   * answer is encoded and queued in the room's memory whether or not the client reads it.
   */
  #answerSyncStep1(connection: Connection, limits: SocketLimits, stateVector: Uint8Array): void {
    const document = this.host.document(connection);
    if (!document) return;
    if (limits.answeredVersion === document.version) {
      if (!limits.syncReplies.take(document.usedBytes))
        closeRateLimited(connection, "Too many full syncs; reconnect to continue");
      return;
    }
    const reply = syncFrame(syncProtocol.messageYjsSyncStep2, document.diff(stateVector));
    if (reply.byteLength > WEBSOCKET_MESSAGE_MAX_BYTES) {
      // The quota keeps documents far below this; should one pass it, the socket is told why, not failed silently.
      log("room.sync_too_large", { level: "error", room: this.host.roomId(), bytes: reply.byteLength });
      connection.close(CLOSE.ROOM_UNAVAILABLE, "This room's document is too large to send; an admin must trim it");
      return;
    }
    if (!limits.syncReplies.take(reply.byteLength)) {
      closeRateLimited(connection, "Too many full syncs; reconnect to continue");
      return;
    }
    limits.answeredVersion = document.version;
    connection.send(reply);
  }
}
