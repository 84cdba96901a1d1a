/**
 * Attacks and heavy use that only show against the real runtime and its dev proxy: a
 * flooding editor and a large offline catch-up from a stock client. (A presence takeover
 * after hibernation is tried in hibernation.test.ts, which already waits for the room to
 * be evicted.)
 */
import { beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import * as Y from "yjs";
import { SOCKET_MESSAGE_BURST } from "../../config";
import { syncFrame } from "../../rooms/core/frames";
import { addChecklist, addItem, checklistsRoot, readChecklists } from "../../schema/core/checklists";
import { CLOSE } from "../../schema/core/messages";
import type { DevServer } from "../../scripts/dev-server";
import { addMember, connect, createRoom, signup, useDevServer, waitFor, whenSynced } from "./clients";

const devServer = useDevServer("abuse");
let server: DevServer;
beforeAll(async () => {
  server = await devServer.start();
});

/** A raw socket into a room, for frames no stock client would send. */
async function rawSocket(
  url: string,
  cookie: string,
  roomId: string,
): Promise<{ ws: WebSocket; closed: Promise<number> }> {
  const ws = new WebSocket(`${url.replace(/^http/, "ws")}/parties/property/${roomId}`, { headers: { Cookie: cookie } });
  const closed = new Promise<number>((resolve) => ws.on("close", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  return { ws, closed };
}

describe("abuse against the real runtime", () => {
  it("cuts off a flooding editor so another member's edit arrives before the flood is through", async () => {
    const alice = await signup(server.url, "Alice");
    const room = await createRoom(server.url, alice, "property", "Flooded");
    const mallory = await addMember(server.url, alice, room, "editor", "Mallory");
    const a = connect(server.url, alice, "property", room.id);
    const b = connect(server.url, alice, "property", room.id);
    await Promise.all([whenSynced(a), whenSynced(b)]);
    const listId = addChecklist(a.doc, "Shared");
    const itemId = addItem(a.doc, listId, "target") as string;
    await waitFor(() => readChecklists(b.doc)[0]?.items.length === 1, "the item to reach bob");

    // Mallory's edits: 30,000 one-field updates made on a copy of the room, sent at once.
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(a.doc));
    const frames: Uint8Array[] = [];
    copy.on("update", (update: Uint8Array) => frames.push(syncFrame(2, update)));
    const item = (checklistsRoot(copy).get(listId)?.get("items") as Y.Map<Y.Map<unknown>> | undefined)?.get(itemId);
    for (let i = 1; i <= 30_000; i++) item?.set("order", i);
    const m = await rawSocket(server.url, mallory.cookie, room.id);
    for (const frame of frames) m.ws.send(frame);
    addItem(a.doc, listId, "from alice");

    await waitFor(
      () => readChecklists(b.doc)[0]?.items.some((i) => i.text === "from alice") === true,
      "alice's edit",
      30_000,
    );
    const orderSeenWithAlicesEdit = readChecklists(b.doc)[0]?.items.find((i) => i.id === itemId)?.order ?? 0;
    expect(await m.closed).toBe(CLOSE.RATE_LIMITED);
    expect(orderSeenWithAlicesEdit).toBeLessThan(30_000);
    expect(orderSeenWithAlicesEdit).toBeLessThanOrEqual(2 * SOCKET_MESSAGE_BURST);
    a.destroy();
    b.destroy();
  });

  it("syncs 1.3 MB of edits a stock client made offline", async () => {
    const alice = await signup(server.url, "Alice");
    const room = await createRoom(server.url, alice, "property", "Offline work");
    const offline = new Y.Doc();
    const listId = addChecklist(offline, "Done on the train");
    offline.transact(() => {
      for (let i = 0; i < 1_300; i++) addItem(offline, listId, `${i} `.padEnd(1_000, "."));
    });
    expect(Y.encodeStateAsUpdate(offline).byteLength).toBeGreaterThan(1_300_000);
    const phone = connect(server.url, alice, "property", room.id, offline);
    const laptop = connect(server.url, alice, "property", room.id);
    await waitFor(
      () => readChecklists(laptop.doc)[0]?.items.length === 1_300,
      "all 1,300 edits on another device",
      30_000,
    );
    expect(phone.wsconnected).toBe(true);
    phone.destroy();
    laptop.destroy();
  });
});
