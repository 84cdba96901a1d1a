import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Invite, Member, Room } from "../../../schema/core/api";
import { addMember, api, createRoom, type ErrorJson, invite, json, signup } from "../helpers";

const count = async (table: string) =>
  (await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>())?.n ?? 0;

describe("rooms", () => {
  it("creates a room with the caller as owner and lists only the caller's rooms", async () => {
    const alice = await signup("Alice");
    const bob = await signup("Bob");
    const res = await api("/api/rooms", { cookie: alice.cookie, body: { kind: "deal", name: "  12 Elm St  " } });
    expect(res.status).toBe(201);
    const { room } = await json<{ room: Room }>(res);
    expect(room).toEqual({ id: expect.any(String), kind: "deal", name: "12 Elm St", role: "owner", archived: false });
    await createRoom(bob, "site", "Bob's cold store");
    const list = await json<{ rooms: Room[] }>(await api("/api/rooms", { cookie: alice.cookie }));
    expect(list.rooms).toEqual([room]);
  });

  it("lists rooms newest first, where the client puts a room it has just created", async () => {
    const alice = await signup();
    const first = await createRoom(alice, "property", "First");
    await new Promise((r) => setTimeout(r, 5));
    const second = await createRoom(alice, "deal", "Second");
    const list = await json<{ rooms: Room[] }>(await api("/api/rooms", { cookie: alice.cookie }));
    expect(list.rooms.map((r) => r.id)).toEqual([second.id, first.id]);
  });

  it.each([
    ["an unknown kind", { kind: "castle", name: "x" }],
    ["an empty name", { kind: "property", name: "   " }],
    ["a missing kind", { name: "x" }],
  ])("answers 400 for %s and creates nothing", async (_label, body) => {
    const alice = await signup();
    const before = await count("rooms");
    const res = await api("/api/rooms", { cookie: alice.cookie, body });
    expect(res.status).toBe(400);
    expect((await json<ErrorJson>(res)).error.code).toBe("validation_failed");
    expect(await count("rooms")).toBe(before);
  });

  it("needs a session", async () => {
    expect((await api("/api/rooms", { body: { kind: "property", name: "x" } })).status).toBe(401);
    expect((await api("/api/rooms")).status).toBe(401);
  });

  it("tells a non-member the same as for a room that does not exist", async () => {
    const alice = await signup();
    const mallory = await signup("Mallory");
    const room = await createRoom(alice);
    const hidden = await api(`/api/rooms/${room.id}`, { cookie: mallory.cookie });
    const missing = await api(`/api/rooms/${crypto.randomUUID()}`, { cookie: mallory.cookie });
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(await hidden.json()).toEqual(await missing.json());
    const members = await api(`/api/rooms/${room.id}/members`, { cookie: mallory.cookie });
    expect(members.status).toBe(404);
    const inv = await api(`/api/rooms/${room.id}/invites`, {
      cookie: mallory.cookie,
      body: { email: "m@example.com", role: "owner" },
    });
    expect(inv.status).toBe(404);
  });
});

describe("invites", () => {
  it("lets the invited account join once with the invited role", async () => {
    const alice = await signup("Alice");
    const bob = await signup("Bob");
    const room = await createRoom(alice, "property", "Lake house");
    const res = await api(`/api/rooms/${room.id}/invites`, {
      cookie: alice.cookie,
      body: { email: bob.email.toUpperCase(), role: "editor" },
    });
    expect(res.status).toBe(201);
    const { invite: inv } = await json<{ invite: Invite }>(res);
    expect(inv).toEqual({
      token: expect.any(String),
      url: `http://haven.test/invite/${inv.token}#email=${encodeURIComponent(bob.email)}`,
      role: "editor",
      email: bob.email,
      expiresAt: expect.any(String),
    });
    expect(Date.parse(inv.expiresAt) - Date.now()).toBeGreaterThan(6 * 24 * 3600 * 1000);

    const accepted = await api(`/api/invites/${inv.token}/accept`, { cookie: bob.cookie, method: "POST" });
    expect(accepted.status).toBe(200);
    expect((await json<{ room: Room }>(accepted)).room).toEqual({ ...room, role: "editor" });
    expect((await json<{ rooms: Room[] }>(await api("/api/rooms", { cookie: bob.cookie }))).rooms).toHaveLength(1);

    const again = await api(`/api/invites/${inv.token}/accept`, { cookie: bob.cookie, method: "POST" });
    expect(again.status).toBe(404);
  });

  it("refuses another account, an expired invite and an unknown token, changing nothing", async () => {
    const alice = await signup();
    const bob = await signup();
    const eve = await signup("Eve");
    const room = await createRoom(alice);
    const inv = await invite(alice, room.id, bob.email, "viewer");
    const before = await count("memberships");
    const stolen = await api(`/api/invites/${inv.token}/accept`, { cookie: eve.cookie, method: "POST" });
    expect(stolen.status).toBe(403);
    expect((await api(`/api/invites/nosuchtoken/accept`, { cookie: bob.cookie, method: "POST" })).status).toBe(404);
    await env.DB.prepare("UPDATE invites SET expires_at = ?")
      .bind(Date.now() - 1)
      .run();
    const expired = await api(`/api/invites/${inv.token}/accept`, { cookie: bob.cookie, method: "POST" });
    expect(expired.status).toBe(410);
    expect((await json<ErrorJson>(expired)).error.code).toBe("invite_expired");
    expect(await count("memberships")).toBe(before);
  });

  it("needs a session to accept", async () => {
    expect((await api(`/api/invites/whatever/accept`, { method: "POST" })).status).toBe(401);
  });

  it("only owners and admins invite, and nobody grants more than they hold", async () => {
    const alice = await signup();
    const room = await createRoom(alice);
    const editor = await addMember(alice, room, "editor");
    const admin = await addMember(alice, room, "admin");
    expect(
      (
        await api(`/api/rooms/${room.id}/invites`, {
          cookie: editor.cookie,
          body: { email: "x@example.com", role: "viewer" },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await api(`/api/rooms/${room.id}/invites`, {
          cookie: admin.cookie,
          body: { email: "x@example.com", role: "owner" },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await api(`/api/rooms/${room.id}/invites`, {
          cookie: admin.cookie,
          body: { email: "x@example.com", role: "editor" },
        })
      ).status,
    ).toBe(201);
    const bad = await api(`/api/rooms/${room.id}/invites`, {
      cookie: alice.cookie,
      body: { email: "x@example.com", role: "buyer" },
    });
    expect(bad.status).toBe(400);
  });
});

describe("members", () => {
  it("lists members for owners and admins only", async () => {
    const alice = await signup("Alice");
    const room = await createRoom(alice);
    const bob = await addMember(alice, room, "viewer", "Bob");
    const res = await api(`/api/rooms/${room.id}/members`, { cookie: alice.cookie });
    expect(res.status).toBe(200);
    const { members } = await json<{ members: Member[] }>(res);
    expect(members.map((m) => [m.name, m.role])).toEqual([
      ["Alice", "owner"],
      ["Bob", "viewer"],
    ]);
    expect((await api(`/api/rooms/${room.id}/members`, { cookie: bob.cookie })).status).toBe(403);
  });

  it("changes a role and removes a member", async () => {
    const alice = await signup();
    const room = await createRoom(alice);
    const bob = await addMember(alice, room, "viewer");
    const patched = await api(`/api/rooms/${room.id}/members/${bob.user.id}`, {
      cookie: alice.cookie,
      method: "PATCH",
      body: { role: "editor" },
    });
    expect(patched.status).toBe(200);
    expect((await json<{ member: Member }>(patched)).member.role).toBe("editor");
    expect((await json<{ room: Room }>(await api(`/api/rooms/${room.id}`, { cookie: bob.cookie }))).room.role).toBe(
      "editor",
    );
    const removed = await api(`/api/rooms/${room.id}/members/${bob.user.id}`, {
      cookie: alice.cookie,
      method: "DELETE",
    });
    expect(removed.status).toBe(204);
    expect((await api(`/api/rooms/${room.id}`, { cookie: bob.cookie })).status).toBe(404);
  });

  it("never removes or demotes the last owner", async () => {
    const alice = await signup();
    const room = await createRoom(alice);
    const demote = await api(`/api/rooms/${room.id}/members/${alice.user.id}`, {
      cookie: alice.cookie,
      method: "PATCH",
      body: { role: "admin" },
    });
    expect(demote.status).toBe(409);
    expect((await json<ErrorJson>(demote)).error.code).toBe("last_owner");
    const leave = await api(`/api/rooms/${room.id}/members/${alice.user.id}`, {
      cookie: alice.cookie,
      method: "DELETE",
    });
    expect(leave.status).toBe(409);
    expect((await json<{ room: Room }>(await api(`/api/rooms/${room.id}`, { cookie: alice.cookie }))).room.role).toBe(
      "owner",
    );

    const carol = await addMember(alice, room, "owner", "Carol");
    expect(
      (
        await api(`/api/rooms/${room.id}/members/${alice.user.id}`, {
          cookie: alice.cookie,
          method: "PATCH",
          body: { role: "admin" },
        })
      ).status,
    ).toBe(200);
    expect(
      (await api(`/api/rooms/${room.id}/members/${carol.user.id}`, { cookie: carol.cookie, method: "DELETE" })).status,
    ).toBe(409);
  });

  it("keeps admins from acting on owners and editors from managing anyone", async () => {
    const alice = await signup();
    const room = await createRoom(alice);
    const admin = await addMember(alice, room, "admin");
    const editor = await addMember(alice, room, "editor");
    expect(
      (await api(`/api/rooms/${room.id}/members/${alice.user.id}`, { cookie: admin.cookie, method: "DELETE" })).status,
    ).toBe(403);
    expect(
      (
        await api(`/api/rooms/${room.id}/members/${alice.user.id}`, {
          cookie: admin.cookie,
          method: "PATCH",
          body: { role: "viewer" },
        })
      ).status,
    ).toBe(403);
    expect(
      (await api(`/api/rooms/${room.id}/members/${admin.user.id}`, { cookie: editor.cookie, method: "DELETE" })).status,
    ).toBe(403);
    expect(
      (
        await api(`/api/rooms/${room.id}/members/${editor.user.id}`, {
          cookie: admin.cookie,
          method: "PATCH",
          body: { role: "viewer" },
        })
      ).status,
    ).toBe(200);
  });

  it("lets any member leave", async () => {
    const alice = await signup();
    const room = await createRoom(alice);
    const bob = await addMember(alice, room, "viewer");
    expect(
      (await api(`/api/rooms/${room.id}/members/${bob.user.id}`, { cookie: bob.cookie, method: "DELETE" })).status,
    ).toBe(204);
    expect((await api(`/api/rooms/${room.id}`, { cookie: bob.cookie })).status).toBe(404);
  });

  it("answers 404 for a member that does not exist and 400 for an unknown role", async () => {
    const alice = await signup();
    const room = await createRoom(alice);
    const bob = await addMember(alice, room, "viewer");
    expect(
      (await api(`/api/rooms/${room.id}/members/${crypto.randomUUID()}`, { cookie: alice.cookie, method: "DELETE" }))
        .status,
    ).toBe(404);
    const bad = await api(`/api/rooms/${room.id}/members/${bob.user.id}`, {
      cookie: alice.cookie,
      method: "PATCH",
      body: { role: "emperor" },
    });
    expect(bad.status).toBe(400);
  });
});
