/**
 * Attacks on a room by its own members, each as a security review found it, and what
 * the room must do instead: refuse, stay healthy, keep everyone else's work.
 */
import { abortAllDurableObjects, env, runInDurableObject } from "cloudflare:test";
import * as encoding from "lib0/encoding";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  MAX_PENDING_DELETE_BYTES,
  MAX_PRESENCE_ENTRIES_PER_SOCKET,
  MAX_SOCKETS_PER_USER_PER_ROOM,
} from "../../../config";
import { awarenessFrame, encodeAwareness, syncFrame } from "../../../rooms/core/frames";
import {
  addChecklist,
  addItem,
  checklistsRoot,
  MAX_ITEM_TEXT_LENGTH,
  readChecklists,
} from "../../../schema/core/checklists";
import { CLOSE } from "../../../schema/core/messages";
import { addMember, api, createRoom, json, RoomClient, signup, waitFor } from "../helpers";

/** The 22-byte update from the review: `Y.decodeUpdate` accepts it, `Y.applyUpdate` throws. */
const POISON = Uint8Array.from("010198a5dd5200280098a5dd520304646f6e65017900".match(/../g) ?? [], (h) =>
  Number.parseInt(h, 16),
);

/** Runs SQL in a room's own database (a fresh stub each time: stubs die with `abortAllDurableObjects`). */
function roomSql(roomId: string) {
  return <T extends Record<string, SqlStorageValue>>(sql: string, ...params: SqlStorageValue[]) =>
    runInDurableObject(env.property.get(env.property.idFromName(roomId)), (_instance, state) =>
      state.storage.sql.exec<T>(sql, ...params).toArray(),
    );
}

/** Adds a checklist of `count` items of maximum length (about 2 KB each), all in one transaction and so one update. */
function addBigItems(doc: Y.Doc, count: number, title = "Big"): string {
  const text = "0123456789".repeat(MAX_ITEM_TEXT_LENGTH / 10);
  let listId = "";
  doc.transact(() => {
    listId = addChecklist(doc, title);
    for (let i = 0; i < count; i++) addItem(doc, listId, text);
  });
  return listId;
}

const noRuntimeText = (client: RoomClient) => client.texts.filter((t) => /Error|\n\s+at /.test(t));

/** The presence states a client sees of others. */
const peersOf = (client: RoomClient) =>
  [...client.awareness.getStates()].filter(([id]) => id !== client.doc.clientID).map(([, state]) => state);

describe("poisoned updates", () => {
  it(
    "refuses an update that decodes but cannot apply, closes " + "only that socket, and the room reloads healthy",
    async () => {
      const alice = await signup("Alice");
      const room = await createRoom(alice);
      const bob = await addMember(alice, room, "editor", "Bob");
      const a = await RoomClient.connect("property", room.id, alice.cookie);
      const listId = addChecklist(a.doc, "Keep me");
      const b = await RoomClient.connect("property", room.id, bob.cookie);
      await waitFor(() => readChecklists(b.doc).length === 1, "bob to sync");

      expect(Y.decodeUpdate(POISON).structs).toHaveLength(1);
      b.send(syncFrame(2, POISON));
      expect((await b.waitClosed()).code).toBe(CLOSE.UPDATE_UNAPPLIABLE);
      expect(a.closed).toBeNull();

      addItem(a.doc, listId, "after the attack");
      const fresh = await RoomClient.connect("property", room.id, alice.cookie);
      await waitFor(() => readChecklists(fresh.doc)[0]?.items.length === 1, "the room to keep serving");

      await abortAllDurableObjects();
      const reloaded = await RoomClient.connect("property", room.id, alice.cookie);
      expect(reloaded.closed).toBeNull();
      expect(readChecklists(reloaded.doc)[0]).toMatchObject({
        title: "Keep me",
        items: [{ text: "after the attack" }],
      });
      reloaded.close();
    },
  );

  it("loads everything else when a stored log row will not apply, and quarantines that row for admins", async () => {
    const alice = await signup("Alice");
    const room = await createRoom(alice);
    const editor = await addMember(alice, room, "editor");
    const a = await RoomClient.connect("property", room.id, alice.cookie);
    const listId = addChecklist(a.doc, "Before");
    const b = await RoomClient.connect("property", room.id, alice.cookie);
    await waitFor(() => readChecklists(b.doc).length === 1, "the first edit to be stored");
    // A row written by an older Haven that stored client bytes unchecked, then a good row after it.
    const sql = roomSql(room.id);
    await sql('INSERT INTO ydoc_updates ("update") VALUES (?)', POISON.slice().buffer);
    addItem(a.doc, listId, "after the bad row");
    await waitFor(() => readChecklists(b.doc)[0]?.items.length === 1, "the later edit to be stored");
    a.close();
    b.close();

    await abortAllDurableObjects();
    const c = await RoomClient.connect("property", room.id, alice.cookie);
    expect(c.closed).toBeNull();
    expect(readChecklists(c.doc)[0]).toMatchObject({ title: "Before", items: [{ text: "after the bad row" }] });
    const [log] = await sql<{ n: number }>("SELECT count(*) AS n FROM ydoc_updates");
    expect(log?.n).toBe(0);

    const res = await api(`/api/rooms/${room.id}/quarantine`, { cookie: alice.cookie });
    expect(res.status).toBe(200);
    const { quarantine } = await json<{ quarantine: { source: string; bytes: number; reason: string }[] }>(res);
    expect(quarantine).toEqual([expect.objectContaining({ source: "log_row", bytes: POISON.byteLength })]);
    expect(quarantine[0]?.reason).toMatch(/failed to apply/);
    expect((await api(`/api/rooms/${room.id}/quarantine`, { cookie: editor.cookie })).status).toBe(403);
    c.close();
  });

  it("sends no runtime error text to sockets of a room that cannot load", async () => {
    const alice = await signup();
    const room = await createRoom(alice);
    const a = await RoomClient.connect("property", room.id, alice.cookie);
    addChecklist(a.doc, "x");
    await waitFor(() => a.received.frames > 1, "the edit to be relayed");
    a.close();
    await roomSql(room.id)(
      "INSERT INTO ydoc_snapshot (generation, part, data) VALUES (99, 0, ?)",
      new Uint8Array([1, 200, 200, 200, 9, 9]).buffer,
    );
    await abortAllDurableObjects();
    const broken = await RoomClient.connect("property", room.id, alice.cookie);
    const closed = await broken.waitClosed();
    expect(closed.code).toBe(CLOSE.ROOM_UNAVAILABLE);
    expect(closed.reason).not.toMatch(/Error|at /);
    expect(noRuntimeText(broken)).toEqual([]);
  });

  it("never lets a client-chosen connection id reach the runtime or decide presence", async () => {
    const alice = await signup("Alice");
    const room = await createRoom(alice);
    const mallory = await addMember(alice, room, "editor", "Mallory");
    const long = await RoomClient.connect("property", room.id, alice.cookie, `_pk=${"x".repeat(300)}`);
    expect(long.closed).toBeNull();
    expect(noRuntimeText(long)).toEqual([]);

    const a = await RoomClient.connect("property", room.id, alice.cookie, "_pk=same");
    const m = await RoomClient.connect("property", room.id, mallory.cookie, "_pk=same");
    a.setPresence({ editing: { checklistId: "c1", itemId: "i1" } });
    await waitFor(() => long.awareness.getStates().has(a.doc.clientID), "alice's presence");
    // Mallory claims alice's presence entry, from a socket with alice's connection id.
    m.send(
      awarenessFrame(
        encodeAwareness([
          { clientId: a.doc.clientID, clock: 99, state: { editing: { checklistId: "c9", itemId: "fake" } } },
        ]),
      ),
    );
    m.send(awarenessFrame(encodeAwareness([{ clientId: a.doc.clientID, clock: 100, state: null }])));
    m.setPresence({ editing: null });
    await waitFor(() => long.awareness.getStates().has(m.doc.clientID), "mallory's own presence");
    expect(long.awareness.getStates().get(a.doc.clientID)).toMatchObject({
      user: { name: "Alice" },
      editing: { itemId: "i1" },
    });
    for (const c of [long, a, m]) c.close();
  });
});

describe("large offline work", () => {
  it("accepts 1.3 MB of offline edits sent as one sync frame and keeps all of them", async () => {
    const alice = await signup();
    const room = await createRoom(alice);
    const offline = new Y.Doc();
    const listId = addChecklist(offline, "Done while offline");
    offline.transact(() => {
      for (let i = 0; i < 1_300; i++) addItem(offline, listId, `${i} `.padEnd(1_000, "."));
    });
    expect(Y.encodeStateAsUpdate(offline).byteLength).toBeGreaterThan(1_300_000);

    const a = await RoomClient.connect("property", room.id, alice.cookie);
    Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(offline));
    const check = await RoomClient.connect("property", room.id, alice.cookie);
    await waitFor(() => readChecklists(check.doc)[0]?.items.length === 1_300, "all 1,300 edits", 20_000);
    expect(a.closed).toBeNull();

    await abortAllDurableObjects();
    const reloaded = await RoomClient.connect("property", room.id, alice.cookie);
    expect(readChecklists(reloaded.doc)[0]?.items).toHaveLength(1_300);
    reloaded.close();
  });
});

describe("memory and fairness", () => {
  it("answers a flood of sync requests once, then closes the socket that keeps asking", async () => {
    const alice = await signup();
    const room = await createRoom(alice);
    const viewer = await addMember(alice, room, "viewer");
    const a = await RoomClient.connect("property", room.id, alice.cookie);
    addBigItems(a.doc, 450);
    const v = await RoomClient.connect("property", room.id, viewer.cookie);
    await waitFor(() => readChecklists(v.doc)[0]?.items.length === 450, "the viewer's first sync", 10_000);
    const docBytes = Y.encodeStateAsUpdate(v.doc).byteLength;
    expect(docBytes).toBeGreaterThan(900_000);
    const before = v.received.bytes;

    const step1 = syncFrame(0, new Uint8Array([0]));
    for (let i = 0; i < 3_000; i++) v.send(step1);
    expect((await v.waitClosed(20_000)).code).toBe(CLOSE.RATE_LIMITED);
    // At most one more whole document was encoded for it, not 3,000.
    expect(v.received.bytes - before).toBeLessThan(2 * docBytes);
    expect(v.notices.some((n) => n.type === "rate_limited")).toBe(true);
    expect(a.closed).toBeNull();
    a.close();
  });

  it("refuses deletions of items the room never had, and serves nobody the planted set", async () => {
    const alice = await signup();
    const room = await createRoom(alice);
    const a = await RoomClient.connect("property", room.id, alice.cookie);
    addChecklist(a.doc, "Normal");
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0); // no structs
    encoding.writeVarUint(encoder, 1); // deletions for one client...
    encoding.writeVarUint(encoder, 123_456_789); // ...that never existed
    const ranges = 200_000;
    encoding.writeVarUint(encoder, ranges);
    for (let i = 0; i < ranges; i++) {
      encoding.writeVarUint(encoder, i * 2);
      encoding.writeVarUint(encoder, 1);
    }
    const planted = encoding.toUint8Array(encoder);
    expect(planted.byteLength).toBeGreaterThan(700_000);
    expect(Y.decodeUpdate(planted).ds.clients.size).toBe(1);
    const b = await RoomClient.connect("property", room.id, alice.cookie);
    a.send(syncFrame(2, planted));
    expect((await a.waitClosed()).code).toBe(CLOSE.RESYNC);

    addChecklist(b.doc, "Still fine");
    const fresh = await RoomClient.connect("property", room.id, alice.cookie);
    await waitFor(() => readChecklists(fresh.doc).length === 2, "later edits");
    expect(Y.encodeStateAsUpdate(fresh.doc).byteLength).toBeLessThan(MAX_PENDING_DELETE_BYTES);
    const [stored] = await roomSql(room.id)<{ bytes: number | null }>(
      'SELECT sum(length("update")) AS bytes FROM ydoc_updates',
    );
    expect(stored?.bytes ?? 0).toBeLessThan(10_000);
    for (const c of [b, fresh]) c.close();
  });

  it("refuses more sockets per person than the cap", async () => {
    const alice = await signup();
    const room = await createRoom(alice);
    const open: RoomClient[] = [];
    for (let i = 0; i < MAX_SOCKETS_PER_USER_PER_ROOM; i++)
      open.push(await RoomClient.connect("property", room.id, alice.cookie));
    const extra = await RoomClient.connect("property", room.id, alice.cookie);
    expect((await extra.waitClosed()).code).toBe(CLOSE.RATE_LIMITED);
    expect(open.every((c) => c.closed === null)).toBe(true);
    for (const c of open) c.close();
  });
});

describe("presence bounds", () => {
  it("closes a socket that sends a huge presence frame, caps entries per socket and drops unknown fields", async () => {
    const alice = await signup("Alice");
    const room = await createRoom(alice);
    const viewer = await addMember(alice, room, "viewer", "Vic");
    const observer = await RoomClient.connect("property", room.id, alice.cookie);
    const v = await RoomClient.connect("property", room.id, viewer.cookie);

    const many = Array.from({ length: 10 }, (_, i) => ({
      clientId: 1_000 + i,
      clock: 1,
      state: {
        editing: { checklistId: "c", itemId: `i${i}` },
        script: "<img onerror=alert(1)>",
        user: { name: "Alice" },
      },
    }));
    v.send(awarenessFrame(encodeAwareness(many)));
    await waitFor(() => peersOf(observer).length >= MAX_PRESENCE_ENTRIES_PER_SOCKET, "capped presence");
    const shown = peersOf(observer);
    expect(shown).toHaveLength(MAX_PRESENCE_ENTRIES_PER_SOCKET);
    for (const state of shown) {
      expect(Object.keys(state).sort()).toEqual(["editing", "user"]);
      expect(state.user).toMatchObject({ id: viewer.user.id, name: "Vic" });
    }

    const huge = Array.from({ length: 20_000 }, (_, i) => ({
      clientId: 5_000 + i,
      clock: 1,
      state: { editing: null },
    }));
    v.send(awarenessFrame(encodeAwareness(huge)));
    expect((await v.waitClosed()).code).toBe(CLOSE.FRAME_TOO_LARGE);
    await waitFor(() => peersOf(observer).length === 0, "the closed socket's presence to leave");
    observer.close();
  });
});

describe("document shape and quota", () => {
  it.each([
    [
      "a 50,000-character title",
      (doc: Y.Doc, id: string) => checklistsRoot(doc).get(id)?.set("title", "x".repeat(50_000)),
    ],
    ["a field of the wrong type", (doc: Y.Doc, id: string) => checklistsRoot(doc).get(id)?.set("order", "first")],
    ["an unknown field", (doc: Y.Doc, id: string) => checklistsRoot(doc).get(id)?.set("html", "<b>hi</b>")],
    ["an extra top-level key", (doc: Y.Doc) => doc.getMap("mine").set("k", 1)],
    ["a checklist that is not a map", (doc: Y.Doc) => (checklistsRoot(doc) as Y.Map<unknown>).set("junk", "text")],
    ["list content in a keyed map", (doc: Y.Doc) => doc.getArray("checklists").insert(0, [1])],
  ])("refuses %s and keeps the document as it was", async (_label, breakIt) => {
    const alice = await signup();
    const room = await createRoom(alice);
    const a = await RoomClient.connect("property", room.id, alice.cookie);
    const id = addChecklist(a.doc, "Original");
    const b = await RoomClient.connect("property", room.id, alice.cookie);
    await waitFor(() => readChecklists(b.doc).length === 1, "the checklist to sync");
    // A client that bypasses schema/checklists.ts, as a hostile one would.
    const raw = new Y.Doc();
    Y.applyUpdate(raw, Y.encodeStateAsUpdate(b.doc));
    raw.on("update", (update: Uint8Array) => b.send(syncFrame(2, update)));
    breakIt(raw, id);
    await waitFor(() => b.notices.some((n) => n.type === "rejected" && n.reason === "invalid_shape"), "the refusal");
    expect(b.closed).toBeNull();

    addItem(a.doc, id, "later edit");
    const fresh = await RoomClient.connect("property", room.id, alice.cookie);
    await waitFor(() => readChecklists(fresh.doc)[0]?.items.length === 1, "later edits to apply");
    expect(readChecklists(fresh.doc)).toEqual([expect.objectContaining({ title: "Original", order: 0 })]);
    expect([...fresh.doc.share.keys()]).toEqual(["checklists"]);
    for (const c of [a, b, fresh]) c.close();
  });

  it("warns near the quota, refuses additions at it, and still accepts deletions that make room", async () => {
    const alice = await signup();
    const room = await createRoom(alice);
    const a = await RoomClient.connect("property", room.id, alice.cookie);
    const lists: string[] = [];
    const refused = () => a.notices.some((n) => n.type === "rejected" && n.reason === "quota_exceeded");
    for (let i = 0; i < 20 && !refused(); i++) {
      lists.push(addBigItems(a.doc, 450, `Part ${i}`));
      const settled = a.received.frames;
      await waitFor(() => refused() || a.received.frames > settled, `part ${i} to be relayed or refused`, 30_000);
    }
    expect(a.notices.some((n) => n.type === "quota")).toBe(true);
    expect(refused()).toBe(true);
    expect(a.closed).toBeNull();

    // Someone deletes a few big checklists: allowed at the quota, and it frees space.
    const helper = await RoomClient.connect("property", room.id, alice.cookie);
    const stored = readChecklists(helper.doc).map((c) => c.id);
    expect(stored.length).toBeLessThan(lists.length);
    for (const id of stored.slice(0, 3)) checklistsRoot(helper.doc).delete(id);
    const afterDelete = await RoomClient.connect("property", room.id, alice.cookie);
    await waitFor(() => readChecklists(afterDelete.doc).length === stored.length - 3, "the deletions to apply", 30_000);
    afterDelete.close();
    const added = addBigItems(helper.doc, 100, "After cleanup");
    const check = await RoomClient.connect("property", room.id, alice.cookie);
    await waitFor(() => readChecklists(check.doc).some((c) => c.id === added), "an addition after cleanup", 30_000);
    for (const c of [a, helper, check]) c.close();
  }, 120_000);
});
