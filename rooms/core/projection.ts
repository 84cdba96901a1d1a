/**
 * One audience's projected document: its own Y.Doc holding the room's server roots with the values that audience
 * may see (the kind's `projectedOf`), built by the room from its records, never filtered from the room's document.
 * Sockets of that audience are served this document only, so nothing they may not see is ever encoded for them.
 *
 * Its whole state is stored after each write, in the room's SQLite, so its Yjs identity outlives a restart: a
 * client holding an older state of it merges cleanly, and what the room removed stays removed on that client (a
 * document rebuilt from nothing would know nothing of the removal, and the client's copy would keep the entry).
 */
import { asc, eq } from "drizzle-orm";
import { type DrizzleSqliteDODatabase, drizzle } from "drizzle-orm/durable-sqlite";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import type { Touched } from "./commands";
import { syncFrame } from "./frames";
import { log } from "./log";
import { setMirrored, syncMirrored } from "./mirrored";
import { projectionDocs } from "./tables";
import { chunks, concat } from "./ydoc-store";

/** What a projection needs of the room (read when used: a kind's fields are set after the base constructor). */
export interface ProjectionHost {
  roomId(): string;
  storage(): DurableObjectStorage;
  /** The roots a projection holds: the room's server roots. */
  roots(): readonly string[];
  /** `record` (of `root`, in full) as this audience may see it; undefined when it sees nothing of it. */
  valueOf(root: string, id: string, record: unknown): unknown;
  /** Every record of `root` as this audience may see it. */
  all(root: string): Map<string, unknown>;
  /** Sends a frame to every socket of this audience. */
  relay(frame: Uint8Array): void;
}

export class ProjectionDoc {
  readonly #db: DrizzleSqliteDODatabase;
  #doc: Y.Doc;
  #version = 0;
  #storedBytes = 0;

  /** Loads the stored state (or starts empty); call `sync` next to bring it level with the records. */
  constructor(
    readonly audience: string,
    private readonly host: ProjectionHost,
  ) {
    this.#db = drizzle(host.storage());
    this.#doc = this.#load();
  }

  #load(): Y.Doc {
    const doc = new Y.Doc({ gc: true });
    const parts = this.#db
      .select({ data: projectionDocs.data })
      .from(projectionDocs)
      .where(eq(projectionDocs.audience, this.audience))
      .orderBy(asc(projectionDocs.part))
      .all();
    if (parts.length === 0) return doc;
    const state = concat(parts.map((p) => p.data));
    try {
      Y.applyUpdate(doc, state);
      this.#storedBytes = state.byteLength;
      return doc;
    } catch (err) {
      // Rebuilt from the records by `sync`; only clients' older copies lose their link (they see removed entries
      // again until they reconnect with a fresh copy), which is why this is an error someone must look at.
      log("room.projection_unreadable", {
        level: "error",
        room: this.host.roomId(),
        audience: this.audience,
        error: String(err),
      });
      return new Y.Doc({ gc: true });
    }
  }

  /** Bumped on every stored change. */
  get version(): number {
    return this.#version;
  }

  /** Encoded bytes of the stored state. */
  get usedBytes(): number {
    return this.#storedBytes;
  }

  /** What a client holding `stateVector` lacks. */
  diff(stateVector?: Uint8Array): Uint8Array {
    return Y.encodeStateAsUpdate(this.#doc, stateVector);
  }

  stateVector(): Uint8Array {
    return Y.encodeStateVector(this.#doc);
  }

  /**
   * Writes the touched records as this audience sees them (`recordOf`: each in full, as the room's mirror wrote
   * it), stores the state and relays the change.
   */
  write(records: Touched["records"], recordOf: (root: string, id: string) => unknown): void {
    this.#write((doc) => {
      for (const [root, ids] of records) {
        if (!this.host.roots().includes(root)) continue;
        for (const id of ids) setMirrored(doc, root, id, this.host.valueOf(root, id, recordOf(root, id)));
      }
    });
  }

  /** Makes the projection equal the records: after loading, and whenever the room's mirror resyncs. */
  sync(): void {
    this.#write((doc) => {
      for (const root of this.host.roots())
        syncMirrored(doc, root, this.host.all(root), (id, value) => setMirrored(doc, root, id, value));
    });
  }

  #write(change: (doc: Y.Doc) => void): void {
    const doc = this.#doc;
    const origin = Symbol("haven-projection-write");
    let update: Uint8Array | null = null;
    const capture = (bytes: Uint8Array, from: unknown) => {
      if (from === origin) update = bytes;
    };
    doc.on("update", capture);
    try {
      doc.transact(() => change(doc), origin);
      if (update) this.#store();
    } catch (err) {
      // Memory must not hold what storage does not: back to the stored state, which the next sync brings level.
      doc.destroy();
      this.#doc = this.#load();
      log("room.projection_failed", {
        level: "error",
        room: this.host.roomId(),
        audience: this.audience,
        error: err instanceof Error ? err.message : String(err),
      });
      return;
    } finally {
      doc.off("update", capture);
    }
    if (!update) return;
    this.#version += 1;
    this.host.relay(syncFrame(syncProtocol.messageYjsUpdate, update));
  }

  /** Replaces the stored state with the document's whole state, in parts that each fit a row, in one transaction. */
  #store(): void {
    const state = Y.encodeStateAsUpdate(this.#doc);
    const storage = this.host.storage();
    storage.transactionSync(() => {
      this.#db.delete(projectionDocs).where(eq(projectionDocs.audience, this.audience)).run();
      for (const [part, data] of chunks(state).entries())
        this.#db.insert(projectionDocs).values({ audience: this.audience, part, data }).run();
    });
    this.#storedBytes = state.byteLength;
  }
}
