import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { PendingInvite, Room } from "../../../schema/core/api";
import { addMember, api, createRoom, type ErrorJson, invite, json, signup } from "../helpers";

const accept = (token: string, cookie: string) => api(`/api/invites/${token}/accept`, { cookie, method: "POST" });
const setRole = (roomId: string, userId: string, role: string, cookie: string) =>
  api(`/api/rooms/${roomId}/members/${userId}`, { cookie, method: "PATCH", body: { role } });
const remove = (roomId: string, userId: string, cookie: string) =>
  api(`/api/rooms/${roomId}/members/${userId}`, { cookie, method: "DELETE" });
const pending = async (roomId: string, cookie: string) =>
  (await json<{ invites: PendingInvite[] }>(await api(`/api/rooms/${roomId}/invites`, { cookie }))).invites;

describe("an invite carries its maker's authority only while they hold it", () => {
  it("is revoked when its maker is removed: a removed admin cannot come back through their own invite", async () => {
    const owner = await signup("Owner");
    const room = await createRoom(owner);
    const admin = await addMember(owner, room, "admin", "Rogue Admin");
    const second = await signup("Second Account");
    const backdoor = await invite(admin, room.id, second.email, "admin");
    expect((await remove(room.id, admin.user.id, owner.cookie)).status).toBe(204);

    expect((await accept(backdoor.token, second.cookie)).status).toBe(404);
    expect((await api(`/api/rooms/${room.id}`, { cookie: second.cookie })).status).toBe(404);
    expect(await pending(room.id, owner.cookie)).toEqual([]);
  });

  it("is revoked when its maker is demoted to a role that could not make it", async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const admin = await addMember(owner, room, "admin");
    const bob = await signup();
    const carol = await signup();
    const asAdmin = await invite(admin, room.id, bob.email, "admin");
    const asViewer = await invite(admin, room.id, carol.email, "viewer");
    expect((await setRole(room.id, admin.user.id, "viewer", owner.cookie)).status).toBe(200);

    expect((await accept(asAdmin.token, bob.cookie)).status).toBe(404);
    expect((await accept(asViewer.token, carol.cookie)).status).toBe(404);
    expect((await api(`/api/rooms/${room.id}`, { cookie: bob.cookie })).status).toBe(404);
  });

  it("keeps the invites a demoted member could still make", async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const coOwner = await addMember(owner, room, "owner");
    const bob = await signup();
    const dave = await signup();
    const asOwner = await invite(coOwner, room.id, bob.email, "owner");
    const asEditor = await invite(coOwner, room.id, dave.email, "editor");
    expect((await setRole(room.id, coOwner.user.id, "admin", owner.cookie)).status).toBe(200);

    expect((await accept(asOwner.token, bob.cookie)).status).toBe(404);
    const joined = await accept(asEditor.token, dave.cookie);
    expect(joined.status).toBe(200);
    expect((await json<{ room: Room }>(joined)).room.role).toBe("editor");
  });

  it("is checked against the maker's role at the moment it is accepted", async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const admin = await addMember(owner, room, "admin");
    const bob = await signup();
    const inv = await invite(admin, room.id, bob.email, "admin");
    // The maker loses authority by a path that does not revoke (as a concurrent demotion could race an accept).
    await env.DB.prepare("UPDATE memberships SET role = 'editor' WHERE room_id = ? AND user_id = ?")
      .bind(room.id, admin.user.id)
      .run();
    expect((await accept(inv.token, bob.cookie)).status).toBe(404);
    await env.DB.prepare("UPDATE memberships SET role = 'admin' WHERE room_id = ? AND user_id = ?")
      .bind(room.id, admin.user.id)
      .run();
    expect((await accept(inv.token, bob.cookie)).status).toBe(200);
  });

  it("never shows someone else who opens it the invited email", async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const bob = await signup();
    const eve = await signup("Eve");
    const inv = await invite(owner, room.id, bob.email, "viewer");
    const res = await accept(inv.token, eve.cookie);
    expect(res.status).toBe(403);
    const body = await res.text();
    expect(body).not.toContain(bob.email);
    expect(body).not.toContain(bob.email.split("@")[0]);
  });
});

describe("pending invites", () => {
  it("are listed for owners and admins without their tokens, oldest first", async () => {
    const owner = await signup("Olive Owner");
    const room = await createRoom(owner);
    const admin = await addMember(owner, room, "admin", "Adam Admin");
    const editor = await addMember(owner, room, "editor");
    const first = await invite(owner, room.id, "first@example.com", "editor");
    await invite(admin, room.id, "second@example.com", "viewer");
    const accepted = await signup();
    await accept((await invite(owner, room.id, accepted.email, "viewer")).token, accepted.cookie);

    const res = await api(`/api/rooms/${room.id}/invites`, { cookie: admin.cookie });
    expect(res.status).toBe(200);
    const text = await res.clone().text();
    expect(text).not.toContain(first.token);
    const { invites } = await json<{ invites: PendingInvite[] }>(res);
    expect(invites).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f]{64}$/),
        email: "first@example.com",
        role: "editor",
        invitedBy: { userId: owner.user.id, name: "Olive Owner" },
        createdAt: expect.any(String),
        expiresAt: first.expiresAt,
      },
      {
        id: expect.stringMatching(/^[0-9a-f]{64}$/),
        email: "second@example.com",
        role: "viewer",
        invitedBy: { userId: admin.user.id, name: "Adam Admin" },
        createdAt: expect.any(String),
        expiresAt: expect.any(String),
      },
    ]);
    expect((await api(`/api/rooms/${room.id}/invites`, { cookie: editor.cookie })).status).toBe(403);
    const outsider = await signup();
    expect((await api(`/api/rooms/${room.id}/invites`, { cookie: outsider.cookie })).status).toBe(404);
  });

  it("can be revoked, after which the link no longer works", async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const bob = await signup();
    const inv = await invite(owner, room.id, bob.email, "editor");
    const [listed] = await pending(room.id, owner.cookie);
    const revoked = await api(`/api/rooms/${room.id}/invites/${listed?.id}`, {
      cookie: owner.cookie,
      method: "DELETE",
    });
    expect(revoked.status).toBe(204);
    expect(await pending(room.id, owner.cookie)).toEqual([]);
    expect((await accept(inv.token, bob.cookie)).status).toBe(404);
    expect(
      (await api(`/api/rooms/${room.id}/invites/${listed?.id}`, { cookie: owner.cookie, method: "DELETE" })).status,
    ).toBe(404);
    expect(
      (await api(`/api/rooms/${room.id}/invites/not-an-id`, { cookie: owner.cookie, method: "DELETE" })).status,
    ).toBe(404);
  });

  it("can be revoked only by someone who could have made it, and only in its own room", async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const other = await createRoom(owner, "deal", "Other room");
    const admin = await addMember(owner, room, "admin");
    const editor = await addMember(owner, room, "editor");
    await invite(owner, room.id, "new-owner@example.com", "owner");
    await invite(owner, room.id, "new-viewer@example.com", "viewer");
    const [ownerInvite, viewerInvite] = await pending(room.id, owner.cookie);
    const del = (id: string | undefined, roomId: string, cookie: string) =>
      api(`/api/rooms/${roomId}/invites/${id}`, { cookie, method: "DELETE" });

    const refused = await del(ownerInvite?.id, room.id, admin.cookie);
    expect(refused.status).toBe(403);
    expect((await json<ErrorJson>(refused)).error.code).toBe("forbidden");
    expect((await del(viewerInvite?.id, room.id, editor.cookie)).status).toBe(403);
    expect((await del(viewerInvite?.id, other.id, owner.cookie)).status).toBe(404);
    expect(await pending(room.id, owner.cookie)).toHaveLength(2);
    expect((await del(viewerInvite?.id, room.id, admin.cookie)).status).toBe(204);
    expect((await del(ownerInvite?.id, room.id, owner.cookie)).status).toBe(204);
  });
});
