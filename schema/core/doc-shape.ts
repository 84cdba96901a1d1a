/**
 * The documented shape of every root of a room's Yjs document, checked by the room on
 * each client update before anything of it is stored or relayed. A root the room does
 * not know, a field of the wrong type, an unknown field or text over its limit refuses
 * the whole update.
 */
import * as Y from "yjs";
import { type ChangedType, checklistsChangeError } from "./checklists";

/** A root clients write directly, with the check of its documented shape. */
export interface SharedRoot {
  /** Makes the root exist with its type, so an update cannot give it another. */
  define(doc: Y.Doc, name: string): void;
  check(path: readonly string[], changed: ChangedType, keys: Iterable<string | null>): string | null;
}

/** The roots clients may write in a room of any kind. A kind adds its own in its manifest's `sharedRoots`. */
const SHARED_ROOTS: Readonly<Record<string, SharedRoot>> = {
  checklists: { define: (doc, name) => doc.getMap(name), check: checklistsChangeError },
};

/** Why an update may not stand: it breaks the documented shape, or it writes a root only the room writes. */
export interface ShapeRefusal {
  reason: "invalid_shape" | "server_owned";
  detail: string;
}

/** Checks what one transaction changed. */
export type ShapeCheck = (doc: Y.Doc, transaction: Y.Transaction) => ShapeRefusal | null;

/** A kind's own shared roots, by name. */
export type SharedRoots = Readonly<Record<string, SharedRoot>>;

/** Gives a fresh document every shared root (core's, then the kind's) with its documented type. */
export function defineSharedRoots(doc: Y.Doc, kindRoots: SharedRoots = {}): void {
  for (const [name, root] of Object.entries({ ...SHARED_ROOTS, ...kindRoots })) root.define(doc, name);
}

/** The root's name and the keys from the root down to `type`; null for a type not attached to a root. */
function locate(type: ChangedType): { root: string; path: string[] } | null {
  const path: string[] = [];
  let current: ChangedType = type;
  while (current._item !== null) {
    const item = current._item;
    if (item.parentSub === null || !(item.parent instanceof Y.AbstractType)) return null;
    path.unshift(item.parentSub);
    current = item.parent;
  }
  return { root: Y.findRootTypeKey(current), path };
}

/**
 * The check of a client's changes for a room whose kind owns `serverRoots` and adds
 * `kindRoots` to core's shared roots: an insert into or a deletion from a server root
 * refuses the whole update, as does anything that breaks a shared root's shape.
 */
export function shapeCheckFor(serverRoots: readonly string[], kindRoots: SharedRoots = {}): ShapeCheck {
  const owned = new Set(serverRoots);
  const shared: SharedRoots = { ...SHARED_ROOTS, ...kindRoots };
  return (_doc, transaction) => {
    for (const [type, keys] of transaction.changed) {
      const place = locate(type);
      if (!place) return { reason: "invalid_shape", detail: "a change sits inside list content, which no root has" };
      if (owned.has(place.root))
        return {
          reason: "server_owned",
          detail: `"${place.root}" holds records the room writes; change them with a command`,
        };
      const root = Object.hasOwn(shared, place.root) ? shared[place.root] : undefined;
      if (!root)
        return { reason: "invalid_shape", detail: `"${place.root.slice(0, 64)}" is not a root of this document` };
      const error = root.check(place.path, type, keys);
      if (error) return { reason: "invalid_shape", detail: `${place.root}: ${error}` };
    }
    return null;
  };
}

/** The check for a room that owns no roots: shared roots only. */
export const docShapeCheck: ShapeCheck = shapeCheckFor([]);
