/** Invites: created by owners and admins, accepted once by the invited account. */
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { Hono } from "hono";
import { INVITE_TTL_MS } from "../../config";
import { createInviteBody, type Invite } from "../../schema/api";
import { invites, rooms } from "../../schema/d1";
import { mayGrant } from "../../schema/roles";
import type { AppEnv } from "../app-env";
import { randomToken, sha256Hex } from "../auth/crypto";
import { ApiError, forbidden, notFound } from "../errors";
import { readJson } from "../middleware/json-body";
import { requireAuth } from "../middleware/session";
import { findMembership, requireCapability, requireMembership, requireRoleOf } from "../room-access";

export const inviteRoutes = new Hono<AppEnv>()
  .post("/rooms/:roomId/invites", async (c) => {
    const { user } = requireAuth(c);
    const db = drizzle(c.env.DB);
    const room = await requireMembership(db, c.req.param("roomId"), user.id);
    requireCapability(room, "members.invite");
    const body = await readJson(c, createInviteBody);
    requireRoleOf(room.kind, body.role);
    if (!mayGrant(room.kind, room.role, body.role)) throw forbidden(`You cannot invite someone as ${body.role}.`);
    const token = randomToken(20);
    const now = Date.now();
    const expiresAt = now + INVITE_TTL_MS;
    await db.insert(invites).values({
      tokenHash: await sha256Hex(token),
      roomId: room.id,
      email: body.email,
      role: body.role,
      createdBy: user.id,
      createdAt: now,
      expiresAt,
    });
    const invite: Invite = {
      token,
      url: `${new URL(c.req.url).origin}/invite/${token}`,
      role: body.role,
      email: body.email,
      expiresAt: new Date(expiresAt).toISOString(),
    };
    return c.json({ invite }, 201);
  })
  .post("/invites/:token/accept", async (c) => {
    const { user } = requireAuth(c);
    const db = drizzle(c.env.DB);
    const tokenHash = await sha256Hex(c.req.param("token"));
    const invite = await db.select().from(invites).where(eq(invites.tokenHash, tokenHash)).get();
    if (!invite || invite.acceptedAt !== null) throw notFound("This invite does not exist or was already used.");
    const now = Date.now();
    if (invite.expiresAt <= now) throw new ApiError(410, "invite_expired", "This invite has expired. Ask for a new one.");
    if (invite.email !== user.email) {
      throw forbidden(`This invite is for ${invite.email}. Sign in with that email to accept it.`);
    }
    // One transaction: the invite is spent only if it was still unspent, and the
    // membership comes from that same row, so two accepts cannot both succeed.
    const [spent] = await c.env.DB.batch([
      c.env.DB.prepare(
        "UPDATE invites SET accepted_at = ?1, accepted_by = ?2 WHERE token_hash = ?3 AND accepted_at IS NULL AND expires_at > ?1",
      ).bind(now, user.id, tokenHash),
      c.env.DB.prepare(
        `INSERT INTO memberships (room_id, user_id, role, created_at)
         SELECT room_id, ?1, role, ?2 FROM invites WHERE token_hash = ?3 AND accepted_by = ?1 AND accepted_at = ?2
         ON CONFLICT (room_id, user_id) DO NOTHING`,
      ).bind(user.id, now, tokenHash),
    ]);
    if (!spent || spent.meta.changes !== 1) throw notFound("This invite does not exist or was already used.");
    const room = await findMembership(db, invite.roomId, user.id);
    if (!room) {
      const exists = await db.select({ id: rooms.id }).from(rooms).where(eq(rooms.id, invite.roomId)).get();
      throw exists ? new ApiError(500, "internal", "Could not join the room.") : notFound("The room no longer exists.");
    }
    return c.json({ room });
  });
