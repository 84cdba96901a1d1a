/**
 * Where a room's Yjs document lives in the room's SQLite: a snapshot split into chunks
 * plus the log of every update accepted since. This is the durability contract in code:
 * `append` runs synchronously in the same turn as the update is applied and before it is
 * relayed, and the Durable Object's output gate holds every outgoing frame until that
 * write is durable. So any update a client has seen relayed survives a crash.
 */
import { asc, desc, eq, lt } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import * as Y from "yjs";
import { COMPACT_AFTER_BYTES, COMPACT_AFTER_UPDATES, SNAPSHOT_CHUNK_BYTES } from "../config";
import { ydocSnapshot, ydocUpdates } from "../schema/room";

/** Origin of the transaction that loads stored state, so it is not written back. */
export const LOAD_ORIGIN = Symbol("haven-load");

export class YDocStore {
  #logUpdates = 0;
  #logBytes = 0;

  constructor(
    private readonly db: DrizzleSqliteDODatabase,
    private readonly storage: DurableObjectStorage,
  ) {}

  /** Applies the stored snapshot and update log to `doc`. */
  load(doc: Y.Doc): void {
    const latest = this.db.select({ g: ydocSnapshot.generation }).from(ydocSnapshot).orderBy(desc(ydocSnapshot.generation)).limit(1).get();
    const updates = this.db.select({ update: ydocUpdates.update }).from(ydocUpdates).orderBy(asc(ydocUpdates.seq)).all();
    doc.transact(() => {
      if (latest) {
        const parts = this.db
          .select({ data: ydocSnapshot.data })
          .from(ydocSnapshot)
          .where(eq(ydocSnapshot.generation, latest.g))
          .orderBy(asc(ydocSnapshot.part))
          .all();
        Y.applyUpdate(doc, concat(parts.map((p) => p.data)), LOAD_ORIGIN);
      }
      if (updates.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(updates.map((u) => u.update)), LOAD_ORIGIN);
    }, LOAD_ORIGIN);
    this.#logUpdates = updates.length;
    this.#logBytes = updates.reduce((n, u) => n + u.update.byteLength, 0);
  }

  /** Writes one accepted update to the log. Throws if storage refuses it. */
  append(update: Uint8Array): void {
    // Plain SQL on the hot path: it runs once per update, and query building costs more than the insert.
    this.storage.sql.exec("INSERT INTO ydoc_updates (\"update\") VALUES (?)", update);
    this.#logUpdates += 1;
    this.#logBytes += update.byteLength;
  }

  get needsCompaction(): boolean {
    return this.#logUpdates >= COMPACT_AFTER_UPDATES || this.#logBytes >= COMPACT_AFTER_BYTES;
  }

  /**
   * Replaces snapshot and log with one new snapshot of `doc`, in one storage transaction:
   * a crash leaves either the old snapshot and full log or the new snapshot, never a mix.
   */
  compact(doc: Y.Doc): void {
    const state = Y.encodeStateAsUpdate(doc);
    this.storage.transactionSync(() => {
      const latest = this.db.select({ g: ydocSnapshot.generation }).from(ydocSnapshot).orderBy(desc(ydocSnapshot.generation)).limit(1).get();
      const generation = (latest?.g ?? 0) + 1;
      for (let part = 0, offset = 0; offset < state.byteLength; part++, offset += SNAPSHOT_CHUNK_BYTES) {
        const data = state.subarray(offset, offset + SNAPSHOT_CHUNK_BYTES);
        this.db.insert(ydocSnapshot).values({ generation, part, data }).run();
      }
      this.db.delete(ydocSnapshot).where(lt(ydocSnapshot.generation, generation)).run();
      this.db.delete(ydocUpdates).run();
    });
    this.#logUpdates = 0;
    this.#logBytes = 0;
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
