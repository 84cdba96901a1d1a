/**
 * How a room copies its records into a document's server-owned root maps: the one algorithm behind the room's
 * mirror and every audience's projection (projection.ts), so both heal and compare alike.
 */
import type * as Y from "yjs";

/** Writes one record into `root` unless the document already holds the same value; undefined removes it. */
export function setMirrored(doc: Y.Doc, root: string, id: string, value: unknown): void {
  const map = doc.getMap(root);
  if (value === undefined) {
    if (map.has(id)) map.delete(id);
    return;
  }
  if (JSON.stringify(map.get(id)) !== JSON.stringify(value)) map.set(id, value);
}

/**
 * Makes `root` hold exactly `records`: what they no longer have is removed, what differs is set, through `set`
 * (so a caller can also count what each record costs).
 */
export function syncMirrored(
  doc: Y.Doc,
  root: string,
  records: ReadonlyMap<string, unknown>,
  set: (id: string, value: unknown) => void,
): void {
  for (const id of [...doc.getMap(root).keys()]) if (!records.has(id)) set(id, undefined);
  for (const [id, value] of records) set(id, value);
}
