/**
 * The room's mirror of its records in the document: written after each commit, rebuilt
 * whole when the room starts, and measured against the mirror's budget before a command
 * commits. Only the room writes these roots; clients read them.
 */
import * as syncProtocol from "y-protocols/sync";
import type * as Y from "yjs";
import type { Touched } from "./commands";
import { syncFrame } from "./frames";
import { log } from "./log";
import { MirrorBudget } from "./mirror-budget";
import { setMirrored, syncMirrored } from "./mirrored";
import type { RoomDocument } from "./room-document";

/** What the mirror needs of the room (read when used: a kind's fields are set after the base constructor). */
export interface MirrorHost {
  roomId(): string;
  /** The loaded document, or null (nothing is then written). */
  document(): Pick<RoomDocument, "write" | "usedBytes"> | null;
  serverRoots(): readonly string[];
  /** Most bytes each server root's records may take in the document together. */
  caps(): Readonly<Record<string, number>>;
  mirrorOf(root: string, id: string): unknown;
  mirrorAll(root: string): Map<string, unknown>;
  /** Sends a frame to every socket served the room's own document. */
  relay(frame: Uint8Array): void;
  /** The audiences' projections, written with the same records after the room's document. */
  projections: MirrorFollower;
}

/** What the room's projections need of the mirror: the same touched records and the same resync. */
export interface MirrorFollower {
  /** `recordOf` gives each touched record as the mirror just wrote it (undefined: removed), read once for both. */
  write(records: Touched["records"], recordOf: (root: string, id: string) => unknown): void;
  sync(): void;
}

/** A transaction's touched records as read once its handler ran, by root then id. */
type Read = Map<string, Map<string, unknown>>;

export class RoomMirror {
  #budgetOf: MirrorBudget | null = null;
  /**
   * What each transaction's records were read as, keyed by its `touched.records`: the audit writer and `admit` read
   * in the transaction, `write` and the projections after it commits. Gone with the transaction; a transaction
   * rolled back never reaches `write`.
   */
  readonly #read = new WeakMap<Touched["records"], Read>();

  constructor(private readonly host: MirrorHost) {}

  get #budget(): MirrorBudget {
    this.#budgetOf ??= new MirrorBudget(this.host.caps());
    return this.#budgetOf;
  }

  /** `records`' record, read from the tables the first time it is asked for (and remembered when `keep`). */
  #valueOf(records: Touched["records"], root: string, id: string, keep: boolean): unknown {
    const read = this.#read.get(records)?.get(root);
    if (read?.has(id)) return read.get(id);
    const value = this.host.mirrorOf(root, id);
    if (keep) this.#remember(records, root, id, value);
    return value;
  }

  #remember(records: Touched["records"], root: string, id: string, value: unknown): void {
    let read = this.#read.get(records);
    if (!read) {
      read = new Map();
      this.#read.set(records, read);
    }
    let ofRoot = read.get(root);
    if (!ofRoot) {
      ofRoot = new Map();
      read.set(root, ofRoot);
    }
    ofRoot.set(id, value);
  }

  /**
   * A record `touched` holds, as its transaction left it, read once for whoever asks after the handler's writes:
   * the audit writer comparing it with the mirror, then `admit`. Only what follows the handler may ask (nothing
   * between those writes the records a handler touched, the audit rows and the feed aside, which are read fresh).
   */
  readAfter(touched: Readonly<Touched>, root: string, id: string): unknown {
    return this.#valueOf(touched.records, root, id, true);
  }

  /**
   * In a command's transaction, as its last write to what is mirrored: throws `quota_exceeded` when what it touched
   * would not fit. What it read is kept for `write` once it admits them.
   */
  readonly admit = (touched: Readonly<Touched>): void => {
    const document = this.host.document();
    if (!document) return;
    const entries: [string, string, unknown][] = [];
    for (const [root, ids] of touched.records)
      for (const id of ids) entries.push([root, id, this.#valueOf(touched.records, root, id, false)]);
    this.#budget.admit(entries, document.usedBytes);
    for (const [root, id, value] of entries) this.#remember(touched.records, root, id, value);
  };

  /** Counts a record against the budget and writes it. */
  #set(doc: Y.Doc, root: string, id: string, value: unknown): void {
    this.#budget.set(root, id, value);
    setMirrored(doc, root, id, value);
  }

  /**
   * Copies committed records into the document and every projection, and relays each change to its sockets. Each
   * record is what `admit` read in that transaction, or read now.
   */
  write(records: Touched["records"]): void {
    if (records.size === 0) return;
    this.#write((doc) => {
      for (const [root, ids] of records)
        for (const id of ids) this.#set(doc, root, id, this.#valueOf(records, root, id, true));
    });
    // Projections are built from the same records, which a room that did not load may not have.
    if (this.host.document())
      this.host.projections.write(records, (root, id) => this.#valueOf(records, root, id, true));
  }

  /** Makes the mirror equal the records: on start, after a crash between commit and mirror, or after a migration. */
  sync(): void {
    this.#write((doc) => {
      for (const root of this.host.serverRoots())
        syncMirrored(doc, root, this.host.mirrorAll(root), (id, value) => this.#set(doc, root, id, value));
    });
    if (this.host.document()) this.host.projections.sync();
  }

  #write(change: (doc: Y.Doc) => void): void {
    const document = this.host.document();
    if (!document) return;
    try {
      const update = document.write(change);
      if (update) this.host.relay(syncFrame(syncProtocol.messageYjsUpdate, update));
    } catch (err) {
      // The records are committed; the mirror is rebuilt from them when the room next starts.
      log("room.mirror_failed", {
        level: "error",
        room: this.host.roomId(),
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
}
