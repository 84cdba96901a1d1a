/** GET /api/invites/:token: what the invite page shows before anyone signs in. */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { InvitePreview } from "../../../schema/core/api";
import { sha256Hex } from "../../../worker/auth/crypto";
import { addMember, api, createRoom, type ErrorJson, invite, json, signup, uniqueEmail } from "../helpers";

const lookUp = (token: string) => api(`/api/invites/${token}`);
const accept = (token: string, cookie: string) => api(`/api/invites/${token}/accept`, { cookie, method: "POST" });

describe("looking up an invite", () => {
  it(
    "names the room, its kind, who invited and the role, " + "without a session and without the invited email",
    async () => {
      const owner = await signup("Olive Owner");
      const room = await createRoom(owner, "deal", "Harbour deal");
      const email = uniqueEmail("newcomer");
      const inv = await invite(owner, room.id, email, "viewer");

      const res = await lookUp(inv.token);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).not.toContain(email);
      expect(text).not.toContain(email.split("@")[0]);
      const { invite: preview } = JSON.parse(text) as { invite: InvitePreview };
      expect(preview).toEqual({
        roomName: "Harbour deal",
        roomKind: "deal",
        invitedBy: "Olive Owner",
        role: "viewer",
        expiresAt: inv.expiresAt,
        hasAccount: false,
      });
    },
  );

  it("says whether the invited address already has an account, so the page can open on log in", async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const bob = await signup("Bob");
    const inv = await invite(owner, room.id, bob.email, "editor");
    const { invite: preview } = await json<{ invite: InvitePreview }>(await lookUp(inv.token));
    expect(preview.hasAccount).toBe(true);
  });

  it("answers 404 for a made-up token, before anyone makes an account", async () => {
    const res = await lookUp("abcdefghijkmnpqrstuvwxyz23456789");
    expect(res.status).toBe(404);
    const body = await json<ErrorJson>(res);
    expect(body.error.code).toBe("not_found");
    expect(body.error.message).toBe("This invite does not exist, was withdrawn or was already used.");
  });

  it("answers 404 once the invite is spent, with the message accepting it gives", async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const bob = await signup();
    const inv = await invite(owner, room.id, bob.email, "viewer");
    expect((await accept(inv.token, bob.cookie)).status).toBe(200);
    const looked = await lookUp(inv.token);
    const again = await accept(inv.token, bob.cookie);
    expect(looked.status).toBe(404);
    expect(again.status).toBe(404);
    expect((await json<ErrorJson>(looked)).error).toEqual((await json<ErrorJson>(again)).error);
  });

  it("answers 404 once the invite is withdrawn", async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const inv = await invite(owner, room.id, uniqueEmail(), "viewer");
    const id = await sha256Hex(inv.token);
    expect((await api(`/api/rooms/${room.id}/invites/${id}`, { cookie: owner.cookie, method: "DELETE" })).status).toBe(
      204,
    );
    expect((await lookUp(inv.token)).status).toBe(404);
  });

  it("answers 404 when its maker may no longer grant it, as accepting would", async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const admin = await addMember(owner, room, "admin");
    const inv = await invite(admin, room.id, uniqueEmail(), "admin");
    // Authority lost by a path that does not revoke (as a concurrent demotion could race).
    await env.DB.prepare("UPDATE memberships SET role = 'editor' WHERE room_id = ? AND user_id = ?")
      .bind(room.id, admin.user.id)
      .run();
    expect((await lookUp(inv.token)).status).toBe(404);
  });

  it("answers 410 once the invite has expired, with the message accepting it gives", async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const bob = await signup();
    const inv = await invite(owner, room.id, bob.email, "viewer");
    await env.DB.prepare("UPDATE invites SET expires_at = ? WHERE token_hash = ?")
      .bind(Date.now() - 1, await sha256Hex(inv.token))
      .run();
    const looked = await lookUp(inv.token);
    const accepted = await accept(inv.token, bob.cookie);
    expect(looked.status).toBe(410);
    expect(accepted.status).toBe(410);
    const body = await json<ErrorJson>(looked);
    expect(body.error.code).toBe("invite_expired");
    expect(body.error).toEqual((await json<ErrorJson>(accepted)).error);
  });

  it("is limited per client", async () => {
    let status = 0;
    for (let i = 0; i < 61 && status !== 429; i++) status = (await lookUp(`made-up-${i}`)).status;
    expect(status).toBe(429);
  });
});

describe("creating an invite", () => {
  it("still answers with the copyable link when the email is sent after the answer", async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const inv = await invite(owner, room.id, uniqueEmail(), "viewer");
    expect(inv.url).toMatch(new RegExp(`/invite/${inv.token}#email=${encodeURIComponent(inv.email)}$`));
  });
});
