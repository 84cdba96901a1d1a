/**
 * A room's live Yjs document together with its storage: the one place where client
 * updates become part of the room. Each update is proven to apply (and to keep the
 * document's shape, and to leave little it cannot integrate) before anything of it is
 * written, and it is written before the caller relays it. The room class only adds
 * sockets around this.
 */
import * as Y from "yjs";
import { QUOTA_COMPACTION_INTERVAL_MS, ROOM_DOC_QUOTA_BYTES } from "../../config";
import { migrateTextFields } from "../../schema/core/checklists";
import { docShapeCheck, type ShapeCheck } from "../../schema/core/doc-shape";
import type { RejectionReason } from "../../schema/core/messages";
import { encodeIntegrated, UpdateGuard } from "./doc-guard";
import { LOAD_ORIGIN, type YDocStore } from "./ydoc-store";

export type UpdateOutcome =
  | { ok: true }
  | {
      ok: false;
      reason: Exclude<RejectionReason, "read_only"> | "unappliable" | "missing_dependencies";
      detail: string;
    };

export interface CommitResult {
  /** One outcome per update, in order. */
  outcomes: UpdateOutcome[];
  /** What the group added, as stored: the frame payload to relay. Null when nothing changed. */
  stored: Uint8Array | null;
}

export class RoomDocument {
  #doc: Y.Doc;
  #guard: UpdateGuard;
  #version = 0;
  #quotaCompactedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly store: YDocStore,
    private readonly shape: ShapeCheck = docShapeCheck,
  ) {
    this.#doc = store.load();
    this.#guard = new UpdateGuard(this.#doc, shape);
    this.#migrate();
  }

  /**
   * Brings a document written by an older Haven to today's shape (plain-string titles and
   * item texts become Y.Text with the same content), stored like any change. Clients get
   * it with their next sync.
   */
  #migrate(): void {
    this.write((doc) => migrateTextFields(doc));
  }

  /**
   * A change the room itself makes (the mirror of its records), stored before it is
   * returned for relaying, like a client's. Returns null when `change` changed nothing.
   */
  write(change: (doc: Y.Doc) => void): Uint8Array | null {
    const origin = Symbol("haven-room-write");
    let update: Uint8Array | null = null;
    const capture = (bytes: Uint8Array, from: unknown) => {
      if (from === origin) update = bytes;
    };
    this.#doc.on("update", capture);
    try {
      this.#doc.transact(() => change(this.#doc), origin);
    } finally {
      this.#doc.off("update", capture);
    }
    if (!update) return null;
    try {
      this.store.save(update, this.#doc);
    } catch (err) {
      this.#rebuild([]);
      throw err;
    }
    this.#version += 1;
    return update;
  }

  /** Bumped on every stored change. */
  get version(): number {
    return this.#version;
  }

  /** A record as the document holds it in a server root now (the last committed mirror), or undefined. */
  mirrored(root: string, id: string): unknown {
    return this.#doc.getMap(root).get(id);
  }

  /** Encoded bytes the stored document takes (an upper bound until the next compaction). */
  get usedBytes(): number {
    return this.store.docBytes;
  }

  /** The integrated state a client with `stateVector` lacks. */
  diff(stateVector?: Uint8Array): Uint8Array {
    return encodeIntegrated(this.#doc, stateVector);
  }

  stateVector(): Uint8Array {
    return Y.encodeStateVector(this.#doc);
  }

  /**
   * Applies `updates` one by one, each proven before it counts, then writes what Yjs
   * integrated as one row (or a chunked snapshot when it is large). A refused update
   * leaves nothing behind: the document is rebuilt from storage plus the updates already
   * proven in this group. Throws if storage refuses the write; the document is then
   * rebuilt without the group, so memory never holds what storage does not.
   */
  commit(updates: readonly Uint8Array[]): CommitResult {
    const outcomes: UpdateOutcome[] = [];
    const accepted: Uint8Array[] = [];
    let addedBytes = 0;
    for (const update of updates) {
      if (!this.#fitsQuota(addedBytes, update)) {
        outcomes.push({
          ok: false,
          reason: "quota_exceeded",
          detail: `the room's document may hold at most ${ROOM_DOC_QUOTA_BYTES} bytes`,
        });
        continue;
      }
      const result = this.#guard.apply(update);
      if (result.ok) {
        if (result.integrated) {
          accepted.push(result.integrated);
          addedBytes += result.integrated.byteLength;
        }
        outcomes.push({ ok: true });
        continue;
      }
      this.#rebuild(accepted);
      outcomes.push(result);
    }
    if (accepted.length === 0) return { outcomes, stored: null };
    const merged = accepted.length === 1 ? (accepted[0] as Uint8Array) : Y.mergeUpdates(accepted);
    try {
      this.store.save(merged, this.#doc);
    } catch (err) {
      this.#rebuild([]);
      throw err;
    }
    this.#version += 1;
    return { outcomes, stored: merged };
  }

  /**
   * Whether `update` may join a document this group has already grown by `added` bytes.
   * Updates that only delete always may: they are how a full room gets space back.
   */
  #fitsQuota(added: number, update: Uint8Array): boolean {
    if (this.store.docBytes + added + update.byteLength <= ROOM_DOC_QUOTA_BYTES) return true;
    if (Y.parseUpdateMeta(update).to.size === 0) return true;
    // The log overstates the document (deleted content only goes at compaction): measure
    // it, but not more often than the interval, so a stream of oversized updates cannot
    // make the room re-encode itself again and again.
    const now = Date.now();
    if (!this.store.hasLog || now - this.#quotaCompactedAt < QUOTA_COMPACTION_INTERVAL_MS) return false;
    this.#quotaCompactedAt = now;
    this.store.compact(this.#doc);
    return this.store.docBytes + update.byteLength <= ROOM_DOC_QUOTA_BYTES;
  }

  /**
   * Compacts, so deletions since the last compaction stop counting against the quota;
   * at most once per QUOTA_COMPACTION_INTERVAL_MS. True when it compacted and space may have been freed.
   */
  reclaim(): boolean {
    const now = Date.now();
    if (!this.store.hasLog || now - this.#quotaCompactedAt < QUOTA_COMPACTION_INTERVAL_MS) return false;
    this.#quotaCompactedAt = now;
    this.store.compact(this.#doc);
    return true;
  }

  /** Replaces the in-memory document with the stored one plus `proven` updates not yet stored. */
  #rebuild(proven: Uint8Array[]): void {
    const doc = this.store.load();
    if (proven.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(proven), LOAD_ORIGIN);
    this.#doc.destroy();
    this.#doc = doc;
    this.#guard = new UpdateGuard(doc, this.shape);
  }
}
