/**
 * Audiences through real sockets. Homes keep no audience, so a home is given one here for the test: its viewers
 * become the audience "guests", served a projection that shows each asset's name only. What the guest's socket
 * receives, byte for byte, must hold nothing else of the room.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { VerifiedMember } from "../../../rooms/core/identity";
import type { Room } from "../../../schema/core/api";
import { addChecklist, readChecklists } from "../../../schema/core/checklists";
import { CLOSE, NOTICE_PREFIX } from "../../../schema/core/messages";
import { type Account, addMember, api, createRoom, RoomClient, signup, waitFor } from "../helpers";

/** The base room's audience hooks, as the test replaces them on one live room. */
interface AudienceHooks {
  audiences: readonly string[];
  audienceOf(member: VerifiedMember): string | null;
  projectedOf(audience: string, root: string, id: string): unknown;
  projectedAll(audience: string, root: string): Map<string, unknown>;
  mirrorOf(root: string, id: string): unknown;
  mirrorAll(root: string): Map<string, unknown>;
}

/** Gives the live room of `room` the audience "guests" (its members of `role`), who see assets' id and name only. */
async function withGuests(room: Room, role: string): Promise<void> {
  const stub = env.property.get(env.property.idFromName(room.id));
  await runInDurableObject(stub, (instance) => {
    const hooks = instance as unknown as AudienceHooks;
    const nameOnly = (asset: unknown) => {
      if (asset === undefined) return undefined;
      const { id, name } = asset as { id: string; name: string };
      return { id, name };
    };
    hooks.audiences = ["guests"];
    hooks.audienceOf = (member) => (member.role === role ? "guests" : null);
    hooks.projectedOf = (_audience, root, id) => (root === "assets" ? nameOnly(hooks.mirrorOf(root, id)) : undefined);
    hooks.projectedAll = (_audience, root) =>
      root === "assets"
        ? new Map([...hooks.mirrorAll(root)].map(([id, asset]) => [id, nameOnly(asset)]))
        : new Map<string, unknown>();
  });
}

async function createAsset(account: Account, room: Room, name: string, notes: string): Promise<string> {
  const res = await api(`/api/rooms/${room.id}/commands`, {
    cookie: account.cookie,
    body: { name: "asset.create", args: { name, category: "hvac", notes }, key: crypto.randomUUID() },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { result: { id: string } }).result.id;
}

const setRole = (owner: Account, room: Room, who: Account, role: string) =>
  api(`/api/rooms/${room.id}/members/${who.user.id}`, { cookie: owner.cookie, method: "PATCH", body: { role } });

const assetsOf = (client: RoomClient) => client.doc.getMap("assets").toJSON() as Record<string, unknown>;
const bytesText = (client: RoomClient) => client.binaries.map((b) => new TextDecoder().decode(b)).join("\n");

/** A home whose viewers (Gus) are guests, and an editor (Carl) served the room's own document. */
async function guestRoom() {
  const alice = await signup("Alice");
  const room = await createRoom(alice);
  const gus = await addMember(alice, room, "viewer", "Gus");
  const carl = await addMember(alice, room, "editor", "Carl");
  await withGuests(room, "viewer");
  return { alice, room, gus, carl };
}

describe("audiences", () => {
  it("serves a guest only its projection: no internal value, no other client's update, no presence", async () => {
    const { alice, room, gus, carl } = await guestRoom();
    const boiler = await createAsset(alice, room, "Boiler", "INTERNAL-serviced by cousin");

    const g = await RoomClient.connect("property", room.id, gus.cookie);
    expect(g.notices[0]).toMatchObject({ type: "welcome", role: "viewer", canWrite: false, audience: "guests" });
    // Sync step 1 was answered from the projection.
    expect(assetsOf(g)).toEqual({ [boiler]: { id: boiler, name: "Boiler" } });

    const a = await RoomClient.connect("property", room.id, alice.cookie);
    expect(a.notices[0]).toMatchObject({ audience: null, canWrite: true });
    const c = await RoomClient.connect("property", room.id, carl.cookie);
    c.setPresence({ editing: null });
    addChecklist(c.doc, "Carl's private list");
    await waitFor(() => readChecklists(a.doc).length === 1 && a.awareness.getStates().size > 0, "alice sees carl");

    const heater = await createAsset(alice, room, "Heater", "INTERNAL-leaks in winter");
    await waitFor(() => Object.keys(assetsOf(g)).length === 2, "the guest sees the heater");
    await waitFor(() => Object.keys(assetsOf(a)).length === 2, "alice sees the heater");
    expect(assetsOf(g)[heater]).toEqual({ id: heater, name: "Heater" });
    expect((assetsOf(a)[heater] as { notes: string }).notes).toBe("INTERNAL-leaks in winter");

    // Frames reach each socket in order: what the room relayed before the heater reached the guest by now.
    const seen = bytesText(g);
    expect(seen).not.toContain("INTERNAL");
    expect(seen).not.toContain("private list");
    expect(seen).not.toContain("Carl");
    expect(readChecklists(g.doc)).toEqual([]);
    expect(g.awareness.getStates().has(c.doc.clientID)).toBe(false);
    for (const client of [a, c, g]) client.close();
  });

  it("refuses a guest's update as read-only and applies nothing of it, whatever its role may write", async () => {
    const alice = await signup("Alice");
    const room = await createRoom(alice);
    const gus = await addMember(alice, room, "editor", "Gus");
    await withGuests(room, "editor");
    const g = await RoomClient.connect("property", room.id, gus.cookie);
    expect(g.notices[0]).toMatchObject({ role: "editor", canWrite: false, audience: "guests" });
    addChecklist(g.doc, "Guest's list");
    await waitFor(() => g.notices.some((n) => n.type === "rejected"), "the refusal");
    expect(g.notices.find((n) => n.type === "rejected")).toMatchObject({ reason: "read_only" });
    expect(g.closed).toBeNull();
    const a = await RoomClient.connect("property", room.id, alice.cookie);
    expect(readChecklists(a.doc)).toEqual([]);
    a.close();
    g.close();
  });

  it("runs a guest's commands over its socket, and the guest sees their result through its projection", async () => {
    const alice = await signup("Alice");
    const room = await createRoom(alice);
    const gus = await addMember(alice, room, "editor", "Gus");
    await withGuests(room, "editor");
    const g = await RoomClient.connect("property", room.id, gus.cookie);
    const args = { name: "Boiler", category: "hvac", notes: "INTERNAL-from the guest" };
    g.send(
      `${NOTICE_PREFIX}${JSON.stringify({ type: "command", id: 7, name: "asset.create", args, key: "key-of-7" })}`,
    );
    await waitFor(() => Object.keys(assetsOf(g)).length === 1, "the guest sees its asset");
    const result = g.texts.find((t) => t.includes('"command_result"')) ?? "";
    expect(JSON.parse(result.slice(NOTICE_PREFIX.length))).toMatchObject({ id: 7, ok: true });
    expect(Object.values(assetsOf(g))).toEqual([{ id: expect.any(String), name: "Boiler" }]);
    expect(bytesText(g)).not.toContain("INTERNAL");
    // The client's empty sync step 2 on connecting is no write: nothing was refused.
    expect(g.notices.filter((n) => n.type === "rejected")).toEqual([]);
    g.close();
  });

  it("closes a socket whose role change moves it to another audience, and keeps one whose audience stays", async () => {
    const { alice, room, gus, carl } = await guestRoom();
    await createAsset(alice, room, "Boiler", "INTERNAL-serviced by cousin");
    const g = await RoomClient.connect("property", room.id, gus.cookie);
    const c = await RoomClient.connect("property", room.id, carl.cookie);

    expect((await setRole(alice, room, carl, "admin")).status).toBe(200);
    await waitFor(() => c.notices.some((n) => n.type === "access"), "carl's access notice");
    expect(c.notices.find((n) => n.type === "access")).toEqual({ type: "access", role: "admin", canWrite: true });
    expect(c.closed).toBeNull();

    expect((await setRole(alice, room, gus, "editor")).status).toBe(200);
    expect((await g.waitClosed(1_000)).code).toBe(CLOSE.AUDIENCE_CHANGED);
    expect((await setRole(alice, room, carl, "viewer")).status).toBe(200);
    expect((await c.waitClosed(1_000)).code).toBe(CLOSE.AUDIENCE_CHANGED);

    // Reconnected, each is served the document their new role gives.
    const g2 = await RoomClient.connect("property", room.id, gus.cookie);
    expect(g2.notices[0]).toMatchObject({ audience: null, canWrite: true });
    expect(JSON.stringify(assetsOf(g2))).toContain("INTERNAL");
    const c2 = await RoomClient.connect("property", room.id, carl.cookie);
    expect(c2.notices[0]).toMatchObject({ audience: "guests", canWrite: false });
    expect(bytesText(c2)).not.toContain("INTERNAL");
    g2.close();
    c2.close();
  });
});
