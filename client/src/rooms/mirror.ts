/**
 * Reading the records a room mirrors into its document, shared by every kind's store: each store names its roots
 * and what it keeps of them; this follows the document as it changes.
 */
import { createEffect, onCleanup } from "solid-js";
import type * as Y from "yjs";
import type { RoomStore } from "../room";

/** The records a room mirrors into `root`, skipping anything that is not a record. */
export function readRoot<T>(doc: Y.Doc, root: string): T[] {
  const out: T[] = [];
  doc.getMap(root).forEach((value) => {
    if (typeof value === "object" && value !== null) out.push(value as T);
  });
  return out;
}

/** Runs `refresh` with the room's document now and after each change of it, for as long as the caller's owner lives. */
export function followDoc(roomStore: RoomStore, refresh: (doc: Y.Doc) => void): void {
  createEffect(() => {
    const doc = roomStore.doc();
    if (!doc) return;
    const run = () => refresh(doc);
    run();
    doc.on("update", run);
    onCleanup(() => doc.off("update", run));
  });
}
