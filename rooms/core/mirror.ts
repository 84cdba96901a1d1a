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

/** What `admit` read for one transaction's records, by root then id: committed as read, unless it rolled back. */
interface Admitted {
  records: Touched["records"];
  values: Map<string, Map<string, unknown>>;
}

export class RoomMirror {
  #budgetOf: MirrorBudget | null = null;
  #admitted: Admitted | null = null;
  /** Each transaction's records as read after its handler ran, by its `touched`: gone with the transaction. */
  readonly #readAfter = new WeakMap<Readonly<Touched>, Map<string, unknown>>();

  constructor(private readonly host: MirrorHost) {}

  get #budget(): MirrorBudget {
    this.#budgetOf ??= new MirrorBudget(this.host.caps());
    return this.#budgetOf;
  }

  /**
   * A record `touched` holds, as its transaction left it, read once for whoever asks after the handler's writes:
   * the audit writer comparing it with the mirror, then `admit`. Only what follows the handler may ask (nothing
   * between those writes the records a handler touched, the audit rows and the feed aside, which are read fresh).
   */
  readAfter(touched: Readonly<Touched>, root: string, id: string): unknown {
    let read = this.#readAfter.get(touched);
    if (!read) {
      read = new Map();
      this.#readAfter.set(touched, read);
    }
    const key = `${root}\u0000${id}`;
    if (!read.has(key)) read.set(key, this.host.mirrorOf(root, id));
    return read.get(key);
  }

  /**
   * In a command's transaction, as its last write to what is mirrored: throws `quota_exceeded` when what it touched
   * would not fit. Keeps what it read for `write`, which gets the same `records` only once that transaction has
   * committed (a transaction rolled back never reaches `write`, and the next admit replaces what was kept).
   */
  readonly admit = (touched: Readonly<Touched>): void => {
    const document = this.host.document();
    if (!document) return;
    const entries: [string, string, unknown][] = [];
    const values = new Map<string, Map<string, unknown>>();
    for (const [root, ids] of touched.records) {
      const ofRoot = new Map<string, unknown>();
      values.set(root, ofRoot);
      for (const id of ids) {
        // The feed's entries are written by the audit writer after the handler: read here, not remembered.
        const value = this.#readAfter.get(touched)?.get(`${root}\u0000${id}`) ?? this.host.mirrorOf(root, id);
        ofRoot.set(id, value);
        entries.push([root, id, value]);
      }
    }
    this.#admitted = null;
    this.#budget.admit(entries, document.usedBytes);
    this.#admitted = { records: touched.records, values };
  };

  /** Counts a record against the budget and writes it. */
  #set(doc: Y.Doc, root: string, id: string, value: unknown): void {
    this.#budget.set(root, id, value);
    setMirrored(doc, root, id, value);
  }

  /** Copies committed records into the document and every projection, and relays each change to its sockets. */
  write(records: Touched["records"]): void {
    // Read once: what `admit` read in this very transaction, else from the tables now.
    const admitted = this.#admitted?.records === records ? this.#admitted.values : null;
    this.#admitted = null;
    if (records.size === 0) return;
    const written = new Map<string, Map<string, unknown>>();
    this.#write((doc) => {
      for (const [root, ids] of records) {
        const read = admitted?.get(root);
        const ofRoot = new Map<string, unknown>();
        written.set(root, ofRoot);
        for (const id of ids) {
          const value = read?.has(id) ? read.get(id) : this.host.mirrorOf(root, id);
          ofRoot.set(id, value);
          this.#set(doc, root, id, value);
        }
      }
    });
    // Projections are built from the same records, which a room that did not load may not have.
    if (this.host.document()) this.host.projections.write(records, (root, id) => written.get(root)?.get(id));
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
