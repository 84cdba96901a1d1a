/**
 * Proof that a client's update applies before anything of it is stored or relayed.
 * `Y.decodeUpdate` accepts updates that `Y.applyUpdate` then throws on (an item whose
 * parent is its own future clock, content of an unknown kind), and Yjs keeps structs and
 * deletions it cannot integrate yet in memory, re-reading them on every later update.
 * Nothing here touches the runtime, so the rules are tested on their own.
 */
import * as Y from "yjs";
import { MAX_PENDING_DELETE_BYTES, MAX_PENDING_STRUCT_BYTES } from "../../config";
import type { ShapeCheck, ShapeRefusal } from "../../schema/core/doc-shape";

/** Why an update was not applied. */
export type RefusalReason = "unappliable" | "missing_dependencies" | "invalid_shape" | "server_owned";

export type GuardResult =
  | {
      ok: true;
      /** What Yjs integrated, in its own encoding: the bytes to store and relay. Null when nothing changed. */
      integrated: Uint8Array | null;
    }
  | { ok: false; reason: RefusalReason; detail: string };

/** Bytes of structs and deletions the document holds but could not integrate. */
function pendingBytes(doc: Y.Doc): { structs: number; deletes: number } {
  return {
    structs: doc.store.pendingStructs?.update.byteLength ?? 0,
    deletes: doc.store.pendingDs?.byteLength ?? 0,
  };
}

/** Which clocks the pending structs wait for, against what the document has: "client 7 from 12 (has 3)". */
function missingWords(doc: Y.Doc): string {
  const missing = doc.store.pendingStructs?.missing;
  if (!missing || missing.size === 0) return "";
  const has = Y.decodeStateVector(Y.encodeStateVector(doc));
  const words = [...missing]
    .slice(0, 3)
    .map(([client, clock]) => `client ${client} from ${clock} (has ${has.get(client) ?? 0})`);
  return `; waiting for ${words.join(", ")}`;
}

/** Forgets everything the document could not integrate. The senders still hold it and resend it when they resync. */
export function dropPending(doc: Y.Doc): Uint8Array | null {
  const parts = [doc.store.pendingStructs?.update, doc.store.pendingDs].filter(
    (p): p is Uint8Array => p !== undefined && p !== null,
  );
  doc.store.pendingStructs = null;
  doc.store.pendingDs = null;
  if (parts.length === 0) return null;
  return parts.length === 1 ? (parts[0] as Uint8Array) : Y.mergeUpdates(parts);
}

/**
 * The document's integrated state (or what `stateVector` lacks of it), without the
 * pending remainder Yjs would otherwise append: what the room stores and serves is only
 * what it could apply.
 */
export function encodeIntegrated(doc: Y.Doc, stateVector?: Uint8Array): Uint8Array {
  const { pendingStructs, pendingDs } = doc.store;
  if (pendingStructs === null && pendingDs === null) return Y.encodeStateAsUpdate(doc, stateVector);
  doc.store.pendingStructs = null;
  doc.store.pendingDs = null;
  try {
    return Y.encodeStateAsUpdate(doc, stateVector);
  } finally {
    doc.store.pendingStructs = pendingStructs;
    doc.store.pendingDs = pendingDs;
  }
}

/**
 * Applies client updates to one document and reports whether each result may stand.
 * Its listeners are registered once, not per update: a burst of thousands of updates
 * pays only for Yjs's own work. On a refusal the document may hold part of the update
 * (Yjs has no rollback): the caller must discard the document and rebuild it.
 */
export class UpdateGuard {
  readonly #origin = Symbol("guarded-update");
  #integrated: Uint8Array | null = null;
  #shapeError: ShapeRefusal | null = null;

  constructor(
    private readonly doc: Y.Doc,
    checkShape: ShapeCheck,
  ) {
    doc.on("update", (bytes: Uint8Array, origin: unknown) => {
      if (origin === this.#origin) this.#integrated = bytes;
    });
    doc.on("afterTransaction", (transaction: Y.Transaction) => {
      if (transaction.origin === this.#origin && this.#shapeError === null)
        this.#shapeError = checkShape(doc, transaction);
    });
  }

  apply(update: Uint8Array): GuardResult {
    this.#integrated = null;
    this.#shapeError = null;
    try {
      Y.applyUpdate(this.doc, update, this.#origin);
    } catch (err) {
      return { ok: false, reason: "unappliable", detail: err instanceof Error ? err.message : "apply failed" };
    }
    // Set by the afterTransaction listener during applyUpdate, which narrowing cannot see.
    const refusal = this.#shapeError as ShapeRefusal | null;
    if (refusal !== null) return { ok: false, reason: refusal.reason, detail: refusal.detail };
    const after = pendingBytes(this.doc);
    if (after.structs > MAX_PENDING_STRUCT_BYTES || after.deletes > MAX_PENDING_DELETE_BYTES) {
      return {
        ok: false,
        reason: "missing_dependencies",
        detail:
          `leaves ${after.structs} bytes of structs and ${after.deletes} bytes of deletions ` +
          `the room cannot integrate${missingWords(this.doc)}`,
      };
    }
    return { ok: true, integrated: this.#integrated };
  }
}
