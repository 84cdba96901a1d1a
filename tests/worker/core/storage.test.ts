import { abortAllDurableObjects, env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { COMPACT_AFTER_UPDATES, SNAPSHOT_CHUNK_BYTES } from "../../../config";
import { addChecklist, addItem, MAX_ITEM_TEXT_LENGTH, readChecklists } from "../../../schema/core/checklists";
import { addMember, createRoom, RoomClient, signup, waitFor } from "../helpers";

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

    // What bob has seen relayed is already in the room's SQLite, while the room still runs.
    const stored = new Y.Doc();
    for (const row of await roomStorage(room.id).query<{ update: ArrayBuffer }>(
      'SELECT "update" FROM ydoc_updates ORDER BY seq',
    )) {
      Y.applyUpdate(stored, new Uint8Array(row.update));
    }
    expect(readChecklists(stored)[0]?.items).toHaveLength(20);

    await abortAllDurableObjects();
    const c = await RoomClient.connect("property", room.id, alice.cookie);
    expect(readChecklists(c.doc)[0]?.items.map((i) => i.text)).toEqual(
      Array.from({ length: 20 }, (_, i) => `task ${i}`),
    );
    c.close();
  });

  it("writes a burst of updates as fewer rows and relays it in fewer frames (group commit)", async () => {
    const alice = await signup();
    const room = await createRoom(alice);
    const a = await RoomClient.connect("property", room.id, alice.cookie);
    const b = await RoomClient.connect("property", room.id, alice.cookie);
    let framesToB = 0;
    b.socket.addEventListener("message", (event) => {
      if (typeof event.data !== "string") framesToB += 1;
    });
    const burst = 200;
    const listId = addChecklist(a.doc, "Burst");
    for (let i = 0; i < burst; i++) addItem(a.doc, listId, `item ${i}`);
    await waitFor(() => readChecklists(b.doc)[0]?.items.length === burst, "the burst to arrive");
    const [rows] = await roomStorage(room.id).query<{ n: number }>("SELECT count(*) AS n FROM ydoc_updates");
    expect(rows?.n).toBeGreaterThanOrEqual(1);
    expect(rows?.n).toBeLessThan(burst);
    expect(framesToB).toBeLessThan(burst);
    a.close();
    b.close();
  });

  it("compacts the update log into a snapshot and loads the same document afterwards", async () => {
    const alice = await signup();
    const room = await createRoom(alice);
    const a = await RoomClient.connect("property", room.id, alice.cookie);
    const b = await RoomClient.connect("property", room.id, alice.cookie);
    const listId = addChecklist(a.doc, "Many");
    const edits = COMPACT_AFTER_UPDATES + 50;
    // One edit at a time, each relayed before the next, so each is a row of its own.
    for (let i = 0; i < edits; i++) {
      addItem(a.doc, listId, `item ${i}`);
      await waitFor(() => readChecklists(b.doc)[0]?.items.length === i + 1, `edit ${i} to land`);
    }
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
    // A second client sees each piece only once the room has stored it: waiting on its content, not on a count of
    // frames, so no other frame (the room's own mirror writes, presence) can be taken for a piece.
    const b = await RoomClient.connect("property", room.id, alice.cookie);
    const listId = addChecklist(a.doc, "Big");
    const text = "abcdefghij".repeat(MAX_ITEM_TEXT_LENGTH / 10);
    const perPiece = 450;
    for (let i = 0; i < 12; i++) {
      a.doc.transact(() => {
        for (let n = 0; n < perPiece; n++) addItem(a.doc, listId, text);
      });
      // Each piece is about a megabyte to prove and store: on two cores
      // shared with the rest of the suite that has taken over 30 s.
      await waitFor(
        () => {
          // A closed socket or a refusal would never deliver the piece: say so at once, with the room's reason.
          for (const [who, client] of Object.entries({ sender: a, reader: b })) {
            const refusals = client.notices.filter((n) => n.type === "rejected" || n.type === "rate_limited");
            if (client.closed || refusals.length > 0)
              throw new Error(`${who}: closed ${JSON.stringify(client.closed)}, refusals ${JSON.stringify(refusals)}`);
          }
          return (readChecklists(b.doc)[0]?.items.length ?? 0) === (i + 1) * perPiece;
        },
        `piece ${i} to be stored`,
        90_000,
      );
    }
    b.close();
    const rows = await roomStorage(room.id).query<{ size: number }>("SELECT length(data) AS size FROM ydoc_snapshot");
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows) expect(row.size).toBeLessThanOrEqual(SNAPSHOT_CHUNK_BYTES);

    await abortAllDurableObjects();
    const c = await RoomClient.connect("property", room.id, alice.cookie);
    expect(readChecklists(c.doc)[0]?.items).toHaveLength(12 * perPiece);
    expect(Y.encodeStateAsUpdate(c.doc).byteLength).toBeGreaterThan(10_000_000);
    c.close();
  }, 300_000);
});
