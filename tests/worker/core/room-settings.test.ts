import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Room } from "../../../schema/core/api";
import { addChecklist, readChecklists } from "../../../schema/core/checklists";
import { CLOSE } from "../../../schema/core/messages";
import { addMember, api, createRoom, type ErrorJson, json, RoomClient, signup, waitFor } from "../helpers";

describe("renaming and archiving a room", () => {
  it("lets owners and admins rename and archive, and nobody else", async () => {
    const alice = await signup();
    const room = await createRoom(alice, "property", "Maple");
    const admin = await addMember(alice, room, "admin");
    const editor = await addMember(alice, room, "editor");

    const renamed = await api(`/api/rooms/${room.id}`, {
      method: "PATCH",
      cookie: admin.cookie,
      body: { name: "  Maple Street  " },
    });
    expect(renamed.status).toBe(200);
    expect((await json<{ room: Room }>(renamed)).room).toMatchObject({
      name: "Maple Street",
      archived: false,
      role: "admin",
    });

    const archived = await api(`/api/rooms/${room.id}`, {
      method: "PATCH",
      cookie: alice.cookie,
      body: { archived: true },
    });
    expect((await json<{ room: Room }>(archived)).room).toMatchObject({ archived: true });
    const list = await json<{ rooms: Room[] }>(await api("/api/rooms", { cookie: editor.cookie }));
    expect(list.rooms).toEqual([
      { id: room.id, kind: "property", name: "Maple Street", role: "editor", archived: true },
    ]);

    const refused = await api(`/api/rooms/${room.id}`, {
      method: "PATCH",
      cookie: editor.cookie,
      body: { name: "Mine now" },
    });
    expect(refused.status).toBe(403);
    for (const body of [{}, { name: "" }, { name: "x".repeat(121) }, { archived: "yes" }]) {
      const bad = await api(`/api/rooms/${room.id}`, { method: "PATCH", cookie: alice.cookie, body });
      expect(bad.status).toBe(400);
      expect((await json<ErrorJson>(bad)).error.code).toBe("validation_failed");
    }
    const back = await api(`/api/rooms/${room.id}`, {
      method: "PATCH",
      cookie: alice.cookie,
      body: { archived: false },
    });
    expect((await json<{ room: Room }>(back)).room).toMatchObject({ name: "Maple Street", archived: false });
  });
});

describe("deleting a room", () => {
  it("is for owners only; it closes every socket, forgets the memberships and erases the room's storage", async () => {
    const alice = await signup();
    const room = await createRoom(alice, "property", "Gone soon");
    const admin = await addMember(alice, room, "admin");
    const a = await RoomClient.connect("property", room.id, alice.cookie);
    const b = await RoomClient.connect("property", room.id, admin.cookie);
    addChecklist(a.doc, "Something stored");
    await waitFor(() => readChecklists(b.doc).length === 1, "the edit to be stored");

    expect((await api(`/api/rooms/${room.id}`, { method: "DELETE", cookie: admin.cookie })).status).toBe(403);
    expect((await api(`/api/rooms/${room.id}`, { method: "DELETE", cookie: alice.cookie })).status).toBe(204);
    expect((await a.waitClosed()).code).toBe(CLOSE.ACCESS_REVOKED);
    expect((await b.waitClosed()).code).toBe(CLOSE.ACCESS_REVOKED);

    for (const person of [alice, admin]) {
      expect((await api(`/api/rooms/${room.id}`, { cookie: person.cookie })).status).toBe(404);
      expect((await json<{ rooms: Room[] }>(await api("/api/rooms", { cookie: person.cookie }))).rooms).toEqual([]);
    }
    const stub = env.property.get(env.property.idFromName(room.id));
    const tables = await runInDurableObject(stub, (_instance, state) =>
      state.storage.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'ydoc%'").toArray(),
    );
    expect(tables).toEqual([]);
  });
});
