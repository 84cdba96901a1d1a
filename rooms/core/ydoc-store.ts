/**
 * Where a room's Yjs document lives in the room's SQLite: a snapshot split into chunks
 * plus the log of every update accepted since. This is the durability contract in code:
 * the room proves an update applies, then `save` writes it in the same turn, before it
 * is relayed, and the Durable Object's output gate holds every outgoing frame until that
 * write is durable. So any update a client has seen relayed survives a crash.
 *
 * Only what Yjs integrated is ever written (the room stores Yjs's own encoding of the
 * change, never the client's bytes), and loading survives a stored row that will not
 * apply anyway: that row is quarantined, the rest of the room loads.
 */
import { asc, eq, lt, max } from "drizzle-orm";
import { type DrizzleSqliteDODatabase, drizzle } from "drizzle-orm/durable-sqlite";
import * as Y from "yjs";
import { COMPACT_AFTER_BYTES, COMPACT_AFTER_UPDATES, MAX_LOG_ROW_BYTES, SNAPSHOT_CHUNK_BYTES } from "../../config";
import { concatBytes } from "../../schema/core/bytes";
import { defineSharedRoots } from "../../schema/core/doc-shape";
import { dropPending, encodeIntegrated } from "./doc-guard";
import { ydocQuarantine, ydocSnapshot, ydocUpdates } from "./tables";

/** Origin of the transactions that load stored state. */
export const LOAD_ORIGIN = Symbol("haven-load");

/** One quarantined piece of stored state, as admins see it. */
export interface QuarantineEntry {
  id: number;
  source: "log_row" | "pending";
  reason: string;
  bytes: number;
  quarantinedAt: string;
}

export class YDocStore {
  readonly #db: DrizzleSqliteDODatabase;
  #logUpdates = 0;
  #logBytes = 0;
  #snapshotBytes = 0;

  constructor(private readonly storage: DurableObjectStorage) {
    this.#db = drizzle(storage);
  }

  /**
   * Encoded bytes the stored document takes: the snapshot plus the log since. An upper bound until
   * the next compaction.
   */
  get docBytes(): number {
    return this.#snapshotBytes + this.#logBytes;
  }

  /** True while updates sit in the log, not yet merged into the snapshot. */
  get hasLog(): boolean {
    return this.#logUpdates > 0;
  }

  /**
   * Builds the document from the snapshot and the log. A log row that throws, and any
   * remainder Yjs could not integrate, are moved to quarantine and the room loads
   * without them; the log is then compacted so they never load again.
   */
  load(): Y.Doc {
    const snapshot = this.#readSnapshot();
    const rows = this.#db
      .select({ seq: ydocUpdates.seq, update: ydocUpdates.update })
      .from(ydocUpdates)
      .orderBy(asc(ydocUpdates.seq))
      .all();
    this.#snapshotBytes = snapshot?.byteLength ?? 0;
    this.#logUpdates = rows.length;
    this.#logBytes = rows.reduce((n, r) => n + r.update.byteLength, 0);

    let quarantined = 0;
    let doc = this.#tryLoad(
      snapshot,
      rows.map((r) => r.update),
    );
    if (!doc) {
      // Some row will not apply: find it (and any other) one row at a time.
      const good: Uint8Array[] = [];
      doc = freshDoc(snapshot);
      for (const row of rows) {
        try {
          Y.applyUpdate(doc, row.update, LOAD_ORIGIN);
          good.push(row.update);
        } catch (err) {
          this.#quarantine("log_row", row.update, `log row ${row.seq} failed to apply: ${errorText(err)}`);
          quarantined += 1;
          doc = freshDoc(snapshot, good);
        }
      }
    }
    const pending = dropPending(doc);
    if (pending) {
      this.#quarantine("pending", pending, "structs or deletions that depend on state the room does not have");
      quarantined += 1;
    }
    if (quarantined > 0) {
      console.log(
        JSON.stringify({ level: "error", event: "room.quarantine", quarantined, roomStorageRows: rows.length }),
      );
      this.compact(doc);
    }
    return doc;
  }

  #tryLoad(snapshot: Uint8Array | null, updates: Uint8Array[]): Y.Doc | null {
    try {
      const doc = freshDoc(snapshot);
      if (updates.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(updates), LOAD_ORIGIN);
      return doc;
    } catch {
      return null;
    }
  }

  #readSnapshot(): Uint8Array | null {
    const latest = this.#db
      .select({ g: max(ydocSnapshot.generation) })
      .from(ydocSnapshot)
      .get();
    if (latest?.g === null || latest?.g === undefined) return null;
    const parts = this.#db
      .select({ data: ydocSnapshot.data })
      .from(ydocSnapshot)
      .where(eq(ydocSnapshot.generation, latest.g))
      .orderBy(asc(ydocSnapshot.part))
      .all();
    return concat(parts.map((p) => p.data));
  }

  #quarantine(source: "log_row" | "pending", data: Uint8Array, reason: string): void {
    this.storage.transactionSync(() => {
      const last = this.#db
        .select({ id: max(ydocQuarantine.id) })
        .from(ydocQuarantine)
        .get();
      const id = (last?.id ?? 0) + 1;
      const quarantinedAt = Date.now();
      for (const [part, chunk] of chunks(data).entries()) {
        this.#db.insert(ydocQuarantine).values({ id, part, data: chunk, source, reason, quarantinedAt }).run();
      }
    });
  }

  /** What is in quarantine, newest first, for the room's admins. */
  listQuarantine(): QuarantineEntry[] {
    const rows = this.storage.sql
      .exec<{ id: number; source: string; reason: string; bytes: number; at: number }>(
        "SELECT id, source, reason, sum(length(data)) AS bytes, quarantined_at AS at " +
          "FROM ydoc_quarantine GROUP BY id ORDER BY id DESC",
      )
      .toArray();
    return rows.map((r) => ({
      id: r.id,
      source: r.source === "pending" ? "pending" : "log_row",
      reason: r.reason,
      bytes: r.bytes,
      quarantinedAt: new Date(r.at).toISOString(),
    }));
  }

  /**
   * Writes one proven update. A small one is a log row; one too large for a row (an
   * offline client's whole catch-up) is stored by compacting `doc`, which already holds
   * it, into a chunked snapshot in one transaction. Throws if storage refuses.
   */
  save(update: Uint8Array, doc: Y.Doc): void {
    if (update.byteLength > MAX_LOG_ROW_BYTES) {
      this.compact(doc);
      return;
    }
    // Plain SQL on the hot path: it runs once per group commit, and query building costs more than the insert.
    this.storage.sql.exec('INSERT INTO ydoc_updates ("update") VALUES (?)', update);
    this.#logUpdates += 1;
    this.#logBytes += update.byteLength;
    if (this.#logUpdates >= COMPACT_AFTER_UPDATES || this.#logBytes >= COMPACT_AFTER_BYTES) this.compact(doc);
  }

  /**
   * Replaces snapshot and log with one new snapshot of `doc`'s integrated state, in one
   * storage transaction: a crash leaves either the old snapshot and full log or the new
   * snapshot, never a mix.
   */
  compact(doc: Y.Doc): void {
    const state = encodeIntegrated(doc);
    this.storage.transactionSync(() => {
      const latest = this.#db
        .select({ g: max(ydocSnapshot.generation) })
        .from(ydocSnapshot)
        .get();
      const generation = (latest?.g ?? 0) + 1;
      for (const [part, data] of chunks(state).entries()) {
        this.#db.insert(ydocSnapshot).values({ generation, part, data }).run();
      }
      this.#db.delete(ydocSnapshot).where(lt(ydocSnapshot.generation, generation)).run();
      this.#db.delete(ydocUpdates).run();
    });
    this.#snapshotBytes = state.byteLength;
    this.#logUpdates = 0;
    this.#logBytes = 0;
  }
}

/** A document with the shared roots defined, holding `snapshot` and then `updates`. */
function freshDoc(snapshot: Uint8Array | null, updates: Uint8Array[] = []): Y.Doc {
  const doc = new Y.Doc({ gc: true });
  defineSharedRoots(doc);
  doc.transact(() => {
    if (snapshot) Y.applyUpdate(doc, snapshot, LOAD_ORIGIN);
    for (const update of updates) Y.applyUpdate(doc, update, LOAD_ORIGIN);
  }, LOAD_ORIGIN);
  return doc;
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 200);
}

/** `data` in parts of at most SNAPSHOT_CHUNK_BYTES, each fitting a SQLite row. */
export function chunks(data: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let offset = 0; offset < data.byteLength; offset += SNAPSHOT_CHUNK_BYTES)
    out.push(data.subarray(offset, offset + SNAPSHOT_CHUNK_BYTES));
  return out;
}

/** The parts `chunks` made, joined again. */
export function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1 && parts[0]) return parts[0];
  return concatBytes(parts);
}
