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
  write(records: Touched["records"]): void;
  sync(): void;
}

export class RoomMirror {
  #budgetOf: MirrorBudget | null = null;

  constructor(private readonly host: MirrorHost) {}

  get #budget(): MirrorBudget {
    this.#budgetOf ??= new MirrorBudget(this.host.caps());
    return this.#budgetOf;
  }

  /** In a command's transaction: throws `quota_exceeded` when what it touched would not fit. */
  readonly admit = (touched: Readonly<Touched>): void => {
    const document = this.host.document();
    if (!document) return;
    const entries: [string, string, unknown][] = [];
    for (const [root, ids] of touched.records)
      for (const id of ids) entries.push([root, id, this.host.mirrorOf(root, id)]);
    this.#budget.admit(entries, document.usedBytes);
  };

  /** Counts a record against the budget and writes it. */
  #set(doc: Y.Doc, root: string, id: string, value: unknown): void {
    this.#budget.set(root, id, value);
    setMirrored(doc, root, id, value);
  }

  /** Copies committed records into the document and every projection, and relays each change to its sockets. */
  write(records: Touched["records"]): void {
    if (records.size === 0) return;
    this.#write((doc) => {
      for (const [root, ids] of records) for (const id of ids) this.#set(doc, root, id, this.host.mirrorOf(root, id));
    });
    // Projections are built from the same tables, which a room that did not load may not have.
    if (this.host.document()) this.host.projections.write(records);
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
