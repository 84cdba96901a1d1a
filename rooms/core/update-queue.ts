/**
 * Group commit of clients' document updates. Updates arriving before the event loop turns
 * are proven one by one, written as one row and relayed as one frame; a refused update is
 * answered on its own socket. Knows nothing of Durable Objects: the room hands it the
 * document, the sockets and a relay.
 */
import type { Connection } from "partyserver";
import * as syncProtocol from "y-protocols/sync";
import { MAX_GROUP_UPDATES, MAX_LOG_ROW_BYTES, ROOM_DOC_QUOTA_BYTES, ROOM_DOC_WARN_FRACTION } from "../../config";
import { CLOSE } from "../../schema/core/messages";
import { isEmptyUpdate, syncFrame } from "./frames";
import type { VerifiedMember } from "./identity";
import { log } from "./log";
import type { RoomDocument } from "./room-document";
import { refuse, stateOf, warnIfNearQuota } from "./sockets";

/** What the queue needs of the room. */
export interface UpdateQueueHost {
  roomId(): string;
  /** The loaded document, or null (nothing is then committed). */
  document(): Pick<RoomDocument, "commit" | "usedBytes"> | null;
  canWrite(member: VerifiedMember): boolean;
  /** Every open socket. */
  sockets(): Iterable<Connection>;
  /** Sends a frame to every open socket. */
  relay(frame: Uint8Array): void;
}

interface QueuedUpdate {
  connection: Connection;
  update: Uint8Array;
}

export class UpdateQueue {
  #queue: QueuedUpdate[] = [];
  #queuedBytes = 0;
  #commitScheduled = false;

  constructor(private readonly host: UpdateQueueHost) {}

  /** Queues a member's update for the next group commit; a reader's is refused at once. */
  push(connection: Connection, member: VerifiedMember, update: Uint8Array): void {
    if (isEmptyUpdate(update)) return;
    if (!this.host.canWrite(member)) {
      refuse(connection, "read_only");
      return;
    }
    this.#queue.push({ connection, update });
    this.#queuedBytes += update.byteLength;
    if (this.#queuedBytes >= MAX_LOG_ROW_BYTES || this.#queue.length >= MAX_GROUP_UPDATES) {
      this.commit();
      return;
    }
    if (!this.#commitScheduled) {
      this.#commitScheduled = true;
      // A zero delay only yields the turn; it never outlives it, so it does not hold the room awake.
      setTimeout(() => this.commit(), 0);
    }
  }

  /** Updates waiting for the next commit. */
  get size(): number {
    return this.#queue.length;
  }

  /** Forgets what is queued (the room is being erased). */
  clear(): void {
    this.#queue = [];
    this.#queuedBytes = 0;
  }

  /**
   * Commits the queued group: each update proven, the group written as one row, then
   * relayed as one frame. A socket whose update could not be applied at all is closed
   * (no honest client sends one), as is one whose update built on changes the room never
   * received (reconnecting resyncs it); other refusals get a notice and the socket stays.
   */
  commit(): void {
    this.#commitScheduled = false;
    const queue = this.#queue;
    this.clear();
    const document = this.host.document();
    if (!document || queue.length === 0) return;
    const usedBefore = document.usedBytes;
    let result: ReturnType<RoomDocument["commit"]>;
    try {
      result = document.commit(queue.map((q) => q.update));
    } catch (err) {
      log("room.store_failed", {
        level: "error",
        room: this.host.roomId(),
        error: err instanceof Error ? err.message : String(err),
      });
      // Nothing was relayed. The senders still hold their edits and send them again when they resync.
      for (const { connection } of queue)
        connection.close(CLOSE.ROOM_UNAVAILABLE, "Could not save your change; reconnect to retry");
      return;
    }
    for (const [i, outcome] of result.outcomes.entries()) {
      const connection = queue[i]?.connection;
      if (outcome.ok || !connection || connection.readyState !== WebSocket.READY_STATE_OPEN) continue;
      log("room.update_refused", {
        level: "warn",
        room: this.host.roomId(),
        user: stateOf(connection)?.member.userId,
        reason: outcome.reason,
        detail: outcome.detail,
      });
      if (outcome.reason === "unappliable") connection.close(CLOSE.UPDATE_UNAPPLIABLE, "Update could not be applied");
      else if (outcome.reason === "missing_dependencies")
        connection.close(CLOSE.RESYNC, "Update builds on changes the room never received; reconnect to resync");
      else refuse(connection, outcome.reason);
    }
    if (!result.stored) return;
    this.host.relay(syncFrame(syncProtocol.messageYjsUpdate, result.stored));
    const warnAt = ROOM_DOC_QUOTA_BYTES * ROOM_DOC_WARN_FRACTION;
    if (usedBefore < warnAt && document.usedBytes >= warnAt) {
      for (const socket of this.host.sockets()) {
        const member = stateOf(socket)?.member;
        if (member && this.host.canWrite(member)) warnIfNearQuota(socket, document.usedBytes);
      }
    }
  }
}
