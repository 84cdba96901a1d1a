import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { MAX_FRAME_BYTES } from "../../../config";
import { awarenessFrame, encodeAwareness, syncFrame } from "../../../rooms/core/frames";
import { addChecklist, addItem, readChecklists } from "../../../schema/core/checklists";
import { CLOSE } from "../../../schema/core/messages";
import { addMember, api, createRoom, RoomClient, signup, upgrade, waitFor } from "../helpers";

describe("live rooms", () => {
  it("syncs edits between two members", async () => {
    const alice = await signup("Alice");
    const room = await createRoom(alice);
    const bob = await addMember(alice, room, "editor", "Bob");
    const a = await RoomClient.connect("property", room.id, alice.cookie);
    const b = await RoomClient.connect("property", room.id, bob.cookie);
    const listId = addChecklist(a.doc, "Spring cleaning");
    addItem(a.doc, listId, "Clean gutters");
    await waitFor(() => readChecklists(b.doc)[0]?.items.length === 1, "bob to see the item");
    expect(readChecklists(b.doc)[0]?.items[0]?.text).toBe("Clean gutters");
    a.close();
    b.close();
  });

  it("welcomes a socket with its verified role", async () => {
    const alice = await signup("Alice");
    const room = await createRoom(alice, "site");
    const a = await RoomClient.connect("site", room.id, alice.cookie);
    await waitFor(() => a.notices.length > 0, "welcome");
    expect(a.notices[0]).toEqual({
      type: "welcome",
      userId: alice.user.id,
      name: "Alice",
      role: "owner",
      canWrite: true,
      audience: null,
    });
    a.close();
  });

  it("refuses upgrades without a session, from non-members, for the wrong kind and from a foreign origin", async () => {
    const alice = await signup();
    const mallory = await signup();
    const room = await createRoom(alice, "deal");
    expect((await upgrade(`/parties/deal/${room.id}`)).status).toBe(401);
    expect((await upgrade(`/parties/deal/${room.id}`, { cookie: mallory.cookie })).status).toBe(404);
    expect((await upgrade(`/parties/property/${room.id}`, { cookie: alice.cookie })).status).toBe(404);
    expect((await upgrade(`/parties/castle/${room.id}`, { cookie: alice.cookie })).status).toBe(404);
    expect(
      (await upgrade(`/parties/deal/${room.id}`, { cookie: alice.cookie, origin: "https://evil.example" })).status,
    ).toBe(403);
    expect((await upgrade(`/parties/deal/${room.id}`, { cookie: alice.cookie })).status).toBe(101);
    expect((await api(`/parties/deal/${room.id}`, { cookie: alice.cookie })).status).toBe(426);
  });
});

describe("compression", () => {
  it(
    "never negotiates permessage-deflate: Yjs frames are small and " +
      "barely compress, and it doubles per-socket memory",
    async () => {
      const alice = await signup();
      const room = await createRoom(alice);
      const res = await upgrade(`/parties/property/${room.id}`, {
        cookie: alice.cookie,
        headers: { "Sec-WebSocket-Extensions": "permessage-deflate; client_max_window_bits" },
      });
      expect(res.status).toBe(101);
      expect(res.headers.get("Sec-WebSocket-Extensions")).toBeNull();
      res.webSocket?.accept();
      res.webSocket?.close();
    },
  );
});

describe("sessions on the socket", () => {
  it(
    "opens a room with a session old enough to be refreshed, " + "and refreshes it on the next request instead",
    async () => {
      const alice = await signup();
      const room = await createRoom(alice);
      const sessionId = alice.cookie.split("=")[1]?.split(".")[0] ?? "";
      const soon = Date.now() + 24 * 60 * 60 * 1000;
      await env.DB.prepare("UPDATE sessions SET expires_at = ? WHERE id = ?").bind(soon, sessionId).run();
      const res = await upgrade(`/parties/property/${room.id}`, { cookie: alice.cookie });
      expect(res.status).toBe(101);
      res.webSocket?.accept();
      res.webSocket?.close();
      const me = await api("/api/me", { cookie: alice.cookie });
      expect(me.status).toBe(200);
      expect(me.headers.get("Set-Cookie")).toMatch(/Max-Age=259\d{4}/);
    },
  );
});

describe("authority", () => {
  it("gives a viewer the document and live updates but never applies its edits", async () => {
    const alice = await signup("Alice");
    const room = await createRoom(alice);
    const viewer = await addMember(alice, room, "viewer", "Vic");
    const a = await RoomClient.connect("property", room.id, alice.cookie);
    const listId = addChecklist(a.doc, "Before winter");
    await waitFor(() => readChecklists(a.doc).length === 1, "local apply");
    const v = await RoomClient.connect("property", room.id, viewer.cookie);
    expect(readChecklists(v.doc)[0]?.title).toBe("Before winter");
    expect(v.notices[0]).toMatchObject({ type: "welcome", role: "viewer", canWrite: false });

    addItem(a.doc, listId, "Bleed radiators");
    await waitFor(() => readChecklists(v.doc)[0]?.items.length === 1, "viewer to get the live update");

    addItem(v.doc, listId, "Viewer's sneaky item");
    await waitFor(() => v.notices.some((n) => n.type === "rejected"), "rejection notice");
    const fresh = await RoomClient.connect("property", room.id, alice.cookie);
    expect(readChecklists(fresh.doc)[0]?.items.map((i) => i.text)).toEqual(["Bleed radiators"]);
    expect(readChecklists(a.doc)[0]?.items.map((i) => i.text)).toEqual(["Bleed radiators"]);
    for (const c of [a, v, fresh]) c.close();
  });

  it("ignores identity headers forged by a client", async () => {
    const alice = await signup("Alice");
    const room = await createRoom(alice);
    const viewer = await addMember(alice, room, "viewer", "Vic");
    const res = await upgrade(`/parties/property/${room.id}?notices=1`, {
      cookie: viewer.cookie,
      headers: {
        "x-haven-user-id": alice.user.id,
        "x-haven-role": "owner",
        "x-haven-user-name": "Alice",
        "x-partykit-props": "{}",
      },
    });
    expect(res.status).toBe(101);
    const socket = res.webSocket as WebSocket;
    socket.accept();
    const first = await new Promise<string>((resolve) =>
      socket.addEventListener("message", (e) => typeof e.data === "string" && resolve(e.data)),
    );
    expect(JSON.parse(first.slice("__YPS:".length))).toEqual({
      type: "welcome",
      userId: viewer.user.id,
      name: "Vic",
      role: "viewer",
      canWrite: false,
      audience: null,
    });
    socket.close();
  });

  it("shows presence under the verified name, whatever the client claims", async () => {
    const alice = await signup("Alice");
    const room = await createRoom(alice);
    const bob = await addMember(alice, room, "editor", "Bob");
    const a = await RoomClient.connect("property", room.id, alice.cookie);
    const b = await RoomClient.connect("property", room.id, bob.cookie);
    b.setPresence({
      user: { id: alice.user.id, name: "Alice", color: "#000" },
      editing: { checklistId: "c1", itemId: "i1" },
    });
    await waitFor(() => a.awareness.getStates().has(b.doc.clientID), "alice to see bob's presence");
    expect(a.awareness.getStates().get(b.doc.clientID)).toMatchObject({
      user: { id: bob.user.id, name: "Bob" },
      editing: { checklistId: "c1", itemId: "i1" },
    });
    a.close();
    b.close();
  });

  it("does not let one socket overwrite or remove another's presence", async () => {
    const alice = await signup("Alice");
    const room = await createRoom(alice);
    const mallory = await addMember(alice, room, "editor", "Mallory");
    const a = await RoomClient.connect("property", room.id, alice.cookie);
    const m = await RoomClient.connect("property", room.id, mallory.cookie);
    a.setPresence({ editing: null });
    await waitFor(() => m.awareness.getStates().has(a.doc.clientID), "mallory to see alice");
    m.send(awarenessFrame(encodeAwareness([{ clientId: a.doc.clientID, clock: 99, state: null }])));
    m.send(awarenessFrame(encodeAwareness([{ clientId: a.doc.clientID, clock: 100, state: { editing: "spoofed" } }])));
    m.setPresence({ editing: null });
    await waitFor(() => a.awareness.getStates().has(m.doc.clientID), "alice to see mallory's own presence");
    const observer = await RoomClient.connect("property", room.id, alice.cookie);
    observer.send(new Uint8Array([3]));
    await waitFor(() => observer.awareness.getStates().has(a.doc.clientID), "observer to see alice");
    expect(observer.awareness.getStates().get(a.doc.clientID)).toMatchObject({
      user: { name: "Alice" },
      editing: null,
    });
    for (const c of [a, m, observer]) c.close();
  });
});

describe("access changes reach open sockets", () => {
  it("closes a removed member's socket at once", async () => {
    const alice = await signup();
    const room = await createRoom(alice);
    const bob = await addMember(alice, room, "editor");
    const b = await RoomClient.connect("property", room.id, bob.cookie);
    const res = await api(`/api/rooms/${room.id}/members/${bob.user.id}`, { cookie: alice.cookie, method: "DELETE" });
    expect(res.status).toBe(204);
    expect((await b.waitClosed(1_000)).code).toBe(CLOSE.ACCESS_REVOKED);
    expect((await upgrade(`/parties/property/${room.id}`, { cookie: bob.cookie })).status).toBe(404);
  });

  it("stops applying a member's edits as soon as they are demoted to viewer", async () => {
    const alice = await signup();
    const room = await createRoom(alice);
    const bob = await addMember(alice, room, "editor");
    const a = await RoomClient.connect("property", room.id, alice.cookie);
    const b = await RoomClient.connect("property", room.id, bob.cookie);
    const res = await api(`/api/rooms/${room.id}/members/${bob.user.id}`, {
      cookie: alice.cookie,
      method: "PATCH",
      body: { role: "viewer" },
    });
    expect(res.status).toBe(200);
    await waitFor(() => b.notices.some((n) => n.type === "access"), "access notice", 1_000);
    expect(b.notices.find((n) => n.type === "access")).toEqual({ type: "access", role: "viewer", canWrite: false });
    addChecklist(b.doc, "After demotion");
    await waitFor(() => b.notices.some((n) => n.type === "rejected"), "rejection");
    expect(readChecklists(a.doc)).toEqual([]);
    a.close();
    b.close();
  });

  it("closes the sockets of a session that logs out, and only those", async () => {
    const alice = await signup();
    const room = await createRoom(alice);
    const other = await api("/api/auth/login", { body: { email: alice.email, password: alice.password } });
    const otherCookie = (other.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
    const mine = await RoomClient.connect("property", room.id, alice.cookie);
    const theirs = await RoomClient.connect("property", room.id, otherCookie);
    expect((await api("/api/auth/logout", { cookie: alice.cookie, method: "POST" })).status).toBe(204);
    expect((await mine.waitClosed(1_000)).code).toBe(CLOSE.SESSION_ENDED);
    expect(theirs.closed).toBeNull();
    theirs.close();
  });
});

describe("bad frames", () => {
  it("closes a socket that sends a malformed frame; the room and its document carry on", async () => {
    const alice = await signup();
    const room = await createRoom(alice);
    const bob = await addMember(alice, room, "editor");
    const a = await RoomClient.connect("property", room.id, alice.cookie);
    addChecklist(a.doc, "Keep me");
    const b = await RoomClient.connect("property", room.id, bob.cookie);
    const before = Y.encodeStateAsUpdate(b.doc);
    b.send(new Uint8Array([0, 2, 10, 1, 2, 3]));
    const closed = await b.waitClosed();
    expect(closed.code).toBe(CLOSE.MALFORMED_FRAME);
    expect(closed.reason).toMatch(/^Malformed frame/);
    addChecklist(a.doc, "Still live");
    const c = await RoomClient.connect("property", room.id, alice.cookie);
    await waitFor(() => readChecklists(c.doc).length === 2, "room to keep serving");
    expect(Y.encodeStateAsUpdate(c.doc).byteLength).toBeGreaterThan(before.byteLength);
    a.close();
    c.close();
  });

  it.each([
    ["an unknown message type", new Uint8Array([9, 0])],
    ["an awareness update that is not JSON", new Uint8Array([1, 6, 1, 1, 1, 2, 123, 125].slice(0, 7))],
    ["a text frame", "hello"],
  ])("closes on %s", async (_label, frame) => {
    const alice = await signup();
    const room = await createRoom(alice);
    const a = await RoomClient.connect("property", room.id, alice.cookie);
    a.send(frame);
    expect((await a.waitClosed()).code).toBe(CLOSE.MALFORMED_FRAME);
  });

  it("closes a socket that sends a frame over the size limit, without applying it", async () => {
    const alice = await signup();
    const room = await createRoom(alice);
    const a = await RoomClient.connect("property", room.id, alice.cookie);
    a.send(syncFrame(2, new Uint8Array(MAX_FRAME_BYTES)));
    const closed = await a.waitClosed(20_000);
    expect(closed.code).toBe(CLOSE.FRAME_TOO_LARGE);
    const b = await RoomClient.connect("property", room.id, alice.cookie);
    expect(Y.encodeStateAsUpdate(b.doc)).toEqual(Y.encodeStateAsUpdate(new Y.Doc()));
    b.close();
  });
});
