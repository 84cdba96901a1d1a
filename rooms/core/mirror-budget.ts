/**
 * What the room's own mirror of its records may take in the document. Records reach the
 * document through the room, not a client's update, so the document's quota would not
 * see them: each command's mirror writes are measured inside its transaction, and a
 * command that would pass its kind's byte budget or the document's quota is refused
 * before it commits. Removals always pass: they are how a full room gets space back.
 */
import { MIRROR_ENTRY_OVERHEAD_BYTES, ROOM_DOC_QUOTA_BYTES } from "../../config";
import { CommandError } from "./commands";

const encoder = new TextEncoder();

/** A record as it would be mirrored: root, id, and its value (undefined when it is removed). */
export type MirrorEntry = readonly [root: string, id: string, value: unknown];

export class MirrorBudget {
  readonly #bytes = new Map<string, Map<string, number>>();
  readonly #totals = new Map<string, number>();

  /** `caps`: most bytes each root's records may take together; roots not named have only the document's quota. */
  constructor(private readonly caps: Readonly<Record<string, number>>) {}

  /** What one mirrored record costs in the document, about: its JSON plus the entry's own overhead. */
  static sizeOf(value: unknown): number {
    return value === undefined ? 0 : encoder.encode(JSON.stringify(value)).byteLength + MIRROR_ENTRY_OVERHEAD_BYTES;
  }

  /** Bytes `root`'s records take now. */
  total(root: string): number {
    return this.#totals.get(root) ?? 0;
  }

  /** Notes what the mirror now holds for a record. */
  set(root: string, id: string, value: unknown): void {
    const ids = this.#bytes.get(root) ?? new Map<string, number>();
    this.#bytes.set(root, ids);
    const size = MirrorBudget.sizeOf(value);
    const delta = size - (ids.get(id) ?? 0);
    if (size === 0) ids.delete(id);
    else ids.set(id, size);
    this.#totals.set(root, this.total(root) + delta);
  }

  /**
   * Throws `quota_exceeded` when writing `entries` would take a root past its budget, or
   * a document of `docBytes` past ROOM_DOC_QUOTA_BYTES (a changed record adds its new
   * value; the old one is only dropped at compaction).
   */
  admit(entries: readonly MirrorEntry[], docBytes: number): void {
    const totals = new Map<string, number>();
    let growth = 0;
    for (const [root, id, value] of entries) {
      const size = MirrorBudget.sizeOf(value);
      const before = this.#bytes.get(root)?.get(id) ?? 0;
      totals.set(root, (totals.get(root) ?? this.total(root)) + size - before);
      growth += size;
    }
    for (const [root, total] of totals) {
      const cap = this.caps[root];
      if (cap !== undefined && total > cap && total > this.total(root))
        throw new CommandError("quota_exceeded", `This room's ${root} are full; delete some to make space.`, {
          root,
          usedBytes: this.total(root),
          quotaBytes: cap,
        });
    }
    if (growth > 0 && docBytes + growth > ROOM_DOC_QUOTA_BYTES && [...totals].some(([r, t]) => t > this.total(r)))
      throw new CommandError("quota_exceeded", "This room is full; delete something to make space.", {
        usedBytes: docBytes,
        quotaBytes: ROOM_DOC_QUOTA_BYTES,
      });
  }
}
