import { abortAllDurableObjects, env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { COMPACT_AFTER_UPDATES, SNAPSHOT_CHUNK_BYTES } from "../../config";
import { addChecklist, addItem, readChecklists } from "../../schema/checklists";
import { addMember, createRoom, RoomClient, signup, waitFor } from "./helpers";

function roomStorage(roomId: string) {
  const stub = env.property.get(env.property.idFromName(roomId));
  return {
    query: <T extends Record<string, SqlStorageValue>>(sql: string) =>
      runInDurableObject(stub, (_instance, state) => state.storage.sql.exec<T>(sql).toArray()),
  };
}

describe("durability", () => {
  it("has every relayed update in SQLite, and a restarted room serves it", async () => {
    const alice = await signup();
    const room = await createRoom(alice);
    const bob = await addMember(alice, room, "editor");
    const a = await RoomClient.connect("property", room.id, alice.cookie);
    const b = await RoomClient.connect("property", room.id, bob.cookie);
    const listId = addChecklist(a.doc, "Move-in");
    for (let i = 0; i < 20; i++) addItem(a.doc, listId, `task ${i}`);
    await waitFor(() => readChecklists(b.doc)[0]?.items.length === 20, "bob to receive all 20");
    const [logged] = await roomStorage(room.id).query<{ n: number }>("SELECT count(*) AS n FROM ydoc_updates");
    expect(logged?.n).toBeGreaterThanOrEqual(21);

    await abortAllDurableObjects();
    const c = await RoomClient.connect("property", room.id, alice.cookie);
    expect(readChecklists(c.doc)[0]?.items.map((i) => i.text)).toEqual(Array.from({ length: 20 }, (_, i) => `task ${i}`));
    c.close();
  });

  it("compacts the update log into a snapshot and loads the same document afterwards", async () => {
    const alice = await signup();
    const room = await createRoom(alice);
    const a = await RoomClient.connect("property", room.id, alice.cookie);
    const listId = addChecklist(a.doc, "Many");
    const edits = COMPACT_AFTER_UPDATES + 50;
    for (let i = 0; i < edits; i++) addItem(a.doc, listId, `item ${i}`);
    const b = await RoomClient.connect("property", room.id, alice.cookie);
    await waitFor(() => readChecklists(b.doc)[0]?.items.length === edits, "all edits to land", 20_000);
    const storage = roomStorage(room.id);
    const [log] = await storage.query<{ n: number }>("SELECT count(*) AS n FROM ydoc_updates");
    const [snap] = await storage.query<{ n: number }>("SELECT count(*) AS n FROM ydoc_snapshot");
    expect(log?.n).toBeLessThan(COMPACT_AFTER_UPDATES);
    expect(snap?.n).toBeGreaterThanOrEqual(1);

    const expected = Y.encodeStateVector(b.doc);
    await abortAllDurableObjects();
    const c = await RoomClient.connect("property", room.id, alice.cookie);
    expect(readChecklists(c.doc)[0]?.items).toHaveLength(edits);
    expect(Y.encodeStateVector(c.doc)).toEqual(expected);
    c.close();
  });

  it("grows a document past 10 MB in snapshot rows of at most 1 MB", async () => {
    const alice = await signup();
    const room = await createRoom(alice);
    const a = await RoomClient.connect("property", room.id, alice.cookie);
    const text = a.doc.getText("notes");
    const piece = "abcdefghij".repeat(90_000);
    for (let i = 0; i < 12; i++) {
      text.insert(text.length, piece);
      const target = (i + 1) * piece.length;
      const check = await RoomClient.connect("property", room.id, alice.cookie);
      await waitFor(() => check.doc.getText("notes").length === target, `piece ${i} to be stored`, 20_000);
      check.close();
    }
    const rows = await roomStorage(room.id).query<{ size: number }>("SELECT length(data) AS size FROM ydoc_snapshot");
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows) expect(row.size).toBeLessThanOrEqual(SNAPSHOT_CHUNK_BYTES);

    await abortAllDurableObjects();
    const c = await RoomClient.connect("property", room.id, alice.cookie);
    expect(c.doc.getText("notes").length).toBe(12 * piece.length);
    expect(Y.encodeStateAsUpdate(c.doc).byteLength).toBeGreaterThan(10_000_000);
    c.close();
  });
});
