/**
 * Invites: created by owners and admins, listed and revoked by them, accepted once by the
 * invited account. An invite carries its maker's authority only while they still hold
 * it: acceptance checks the maker's current role in the same statement that spends it,
 * and removing or demoting a member revokes the pending invites they could no longer make.
 * Making one emails its link to the invited address; anyone holding the link may look it
 * up (room, inviter, role) before signing in, but never learns the invited address.
 */
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { z } from "zod";
import { INVITE_LOOKUP_PER_IP_MAX_REQUESTS, INVITE_LOOKUP_PER_IP_WINDOW_MS, INVITE_TTL_MS } from "../../config";
import { createInviteBody, type Invite, type InvitePreview, type PendingInvite } from "../../schema/core/api";
import { kindOf } from "../../schema/core/kinds";
import {
  inviteBodySchema,
  invitePreviewBodySchema,
  pendingInviteListSchema,
  roomBodySchema,
} from "../../schema/core/responses";
import { inviterRolesFor, mayGrant } from "../../schema/core/roles";
import { invites, memberships, rooms, users } from "../../schema/d1";
import type { AppEnv } from "../app-env";
import { randomToken, sha256Hex } from "../auth/crypto";
import { sendInvite } from "../email/invite";
import { ApiError, forbidden, notFound } from "../errors";
import { readJson } from "../middleware/json-body";
import { limitPerClient } from "../middleware/rate-limit";
import { requireAuth } from "../middleware/session";
import { findMembership, requireRoleOf, roomCaller } from "../room-access";
import {
  forbidden as forbiddenCase,
  notFound as notFoundCase,
  rateLimited,
  roomWith,
  validationFailed,
} from "./common";
import { defineRoute, empty, json, pathParam, type RouteDef } from "./define";

/** An invite's id is the SHA-256 of its token, in hex. */
const inviteId = z.string().regex(/^[0-9a-f]{64}$/);

const inviteGone = () => notFound("This invite does not exist, was withdrawn or was already used.");
const inviteExpired = () => new ApiError(410, "invite_expired", "This invite has expired. Ask for a new one.");

const lookupsPerClient = limitPerClient({
  bucket: "invite-lookup",
  maxRequests: INVITE_LOOKUP_PER_IP_MAX_REQUESTS,
  windowMs: INVITE_LOOKUP_PER_IP_WINDOW_MS,
  message: "Too many invites were looked up from your network. Try again later.",
});

/** The configured sender; checked when mailing, so a bad value fails the email, not the invite. */
const senderAddress = z.email();

const createInviteRoute = defineRoute({
  method: "post",
  path: "/api/rooms/{roomId}/invites",
  summary: "Invite someone by email",
  tag: "Invites",
  auth: "session",
  body: {
    json: createInviteBody,
    description: "`role` must be a role of the room's kind that the inviter could hold.",
  },
  ok: { 201: json("The invite, with its link; the link is also emailed.", inviteBodySchema) },
  errors: [
    ...roomWith("members.invite"),
    forbiddenCase("The role is above the inviter's."),
    validationFailed("The role is not a role of this kind of room."),
  ],
  handler: createInvite,
});
async function createInvite(c: Context<AppEnv>): Promise<Response> {
  const { db, user, room } = await roomCaller(c, "members.invite");
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
    // The fragment never reaches a server: the invite page reads it to fill in the address.
    url: `${new URL(c.req.url).origin}/invite/${token}#email=${encodeURIComponent(body.email)}`,
    role: body.role,
    email: body.email,
    expiresAt: new Date(expiresAt).toISOString(),
  };
  // Mailed after the answer; the answer still carries the link, so a mail that fails or
  // goes astray costs nothing: the inviter can copy the link and send it themselves.
  const mail = async () =>
    sendInvite(c.env.EMAIL, {
      from: senderAddress.parse(c.env.EMAIL_FROM),
      to: body.email,
      url: invite.url,
      roomName: room.name,
      roomKind: kindOf(room.kind).noun,
      inviterName: user.name,
      role: body.role,
      validDays: INVITE_TTL_MS / (24 * 60 * 60 * 1000),
    });
  c.executionCtx.waitUntil(
    mail().catch((error: unknown) => {
      console.error(
        JSON.stringify({
          event: "invite_email_failed",
          roomId: room.id,
          ray: c.req.header("CF-Ray") ?? null,
          error: String(error),
        }),
      );
    }),
  );
  return c.json({ invite }, 201);
}

const listInvitesRoute = defineRoute({
  method: "get",
  path: "/api/rooms/{roomId}/invites",
  summary: "Pending invites, oldest first",
  tag: "Invites",
  auth: "session",
  ok: { 200: json("Invites not yet accepted and not expired.", pendingInviteListSchema) },
  errors: roomWith("members.manage"),
  handler: listInvites,
});
async function listInvites(c: Context<AppEnv>): Promise<Response> {
  const { db, room } = await roomCaller(c, "members.manage");
  const rows = await db
    .select({
      id: invites.tokenHash,
      email: invites.email,
      role: invites.role,
      userId: users.id,
      name: users.name,
      createdAt: invites.createdAt,
      expiresAt: invites.expiresAt,
    })
    .from(invites)
    .innerJoin(users, eq(users.id, invites.createdBy))
    .where(and(eq(invites.roomId, room.id), isNull(invites.acceptedAt), gt(invites.expiresAt, Date.now())))
    .orderBy(invites.createdAt);
  const pending: PendingInvite[] = rows.map((row) => ({
    id: row.id,
    email: row.email,
    role: row.role,
    invitedBy: { userId: row.userId, name: row.name },
    createdAt: new Date(row.createdAt).toISOString(),
    expiresAt: new Date(row.expiresAt).toISOString(),
  }));
  return c.json({ invites: pending });
}

const withdrawInviteRoute = defineRoute({
  method: "delete",
  path: "/api/rooms/{roomId}/invites/{inviteId}",
  summary: "Withdraw a pending invite",
  tag: "Invites",
  auth: "session",
  ok: { 204: empty("Withdrawn; its link stops working.") },
  errors: [
    ...roomWith("members.manage"),
    forbiddenCase("The invite's role is above the caller's."),
    notFoundCase("No such pending invite in this room."),
  ],
  handler: withdrawInvite,
});
async function withdrawInvite(c: Context<AppEnv>): Promise<Response> {
  const { db, room } = await roomCaller(c, "members.manage");
  const id = inviteId.safeParse(pathParam(c, "inviteId"));
  if (!id.success) throw inviteGone();
  const pending = and(eq(invites.tokenHash, id.data), eq(invites.roomId, room.id), isNull(invites.acceptedAt));
  const invite = await db.select({ role: invites.role }).from(invites).where(pending).get();
  if (!invite) throw inviteGone();
  if (!mayGrant(room.kind, room.role, invite.role))
    throw forbidden(`You cannot withdraw an invite for ${invite.role}.`);
  await db.delete(invites).where(pending);
  return c.body(null, 204);
}

const previewInviteRoute = defineRoute({
  method: "get",
  path: "/api/invites/{token}",
  summary: "Look up an invite before signing in",
  description: "Never tells the invited address.",
  tag: "Invites",
  auth: "none",
  ok: { 200: json("What the invite page shows.", invitePreviewBodySchema) },
  errors: [
    notFoundCase("Unknown, withdrawn or used, or its maker may no longer grant it."),
    [410, "invite_expired", "The invite has expired."],
    rateLimited,
  ],
  middleware: [lookupsPerClient],
  handler: previewInvite,
});
async function previewInvite(c: Context<AppEnv>): Promise<Response> {
  const db = drizzle(c.env.DB);
  const row = await db
    .select({
      roomName: rooms.name,
      roomKind: rooms.kind,
      invitedBy: users.name,
      role: invites.role,
      acceptedAt: invites.acceptedAt,
      expiresAt: invites.expiresAt,
      makerRole: memberships.role,
      // Whether the invited address has an account: safe to tell the link's holder, who
      // is the invitee (see docs/security.md); the address itself is never sent.
      hasAccount: sql<number>`EXISTS (SELECT 1 FROM users AS invitee WHERE invitee.email = ${invites.email})`,
    })
    .from(invites)
    .innerJoin(rooms, eq(rooms.id, invites.roomId))
    .innerJoin(users, eq(users.id, invites.createdBy))
    .leftJoin(memberships, and(eq(memberships.roomId, invites.roomId), eq(memberships.userId, invites.createdBy)))
    .where(eq(invites.tokenHash, await sha256Hex(pathParam(c, "token"))))
    .get();
  // The same answers, in the same order, as accepting it would give.
  if (!row || row.acceptedAt !== null) throw inviteGone();
  if (row.expiresAt <= Date.now()) throw inviteExpired();
  if (!row.makerRole || !inviterRolesFor(row.roomKind, row.role).includes(row.makerRole)) throw inviteGone();
  const invite: InvitePreview = {
    roomName: row.roomName,
    roomKind: row.roomKind,
    invitedBy: row.invitedBy,
    role: row.role,
    expiresAt: new Date(row.expiresAt).toISOString(),
    hasAccount: Boolean(row.hasAccount),
  };
  return c.json({ invite });
}

const acceptInviteRoute = defineRoute({
  method: "post",
  path: "/api/invites/{token}/accept",
  summary: "Accept an invite",
  tag: "Invites",
  auth: "session",
  ok: { 200: json("The room the caller has joined.", roomBodySchema) },
  errors: [
    forbiddenCase("The invite was sent to another email address."),
    notFoundCase("Unknown, withdrawn or used, or its maker may no longer grant it."),
    [410, "invite_expired", "The invite has expired."],
  ],
  handler: acceptInvite,
});
async function acceptInvite(c: Context<AppEnv>): Promise<Response> {
  const { user } = requireAuth(c);
  const db = drizzle(c.env.DB);
  const tokenHash = await sha256Hex(pathParam(c, "token"));
  const invite = await db
    .select({
      roomId: invites.roomId,
      kind: rooms.kind,
      email: invites.email,
      role: invites.role,
      acceptedAt: invites.acceptedAt,
      expiresAt: invites.expiresAt,
    })
    .from(invites)
    .innerJoin(rooms, eq(rooms.id, invites.roomId))
    .where(eq(invites.tokenHash, tokenHash))
    .get();
  if (!invite || invite.acceptedAt !== null) throw inviteGone();
  const now = Date.now();
  if (invite.expiresAt <= now) throw inviteExpired();
  // Never name the invited address to someone else holding the link.
  if (invite.email !== user.email) {
    throw forbidden("This invite was sent to a different email address. Sign in with that address to accept it.");
  }
  // One transaction: the invite is spent only if it is still unspent and its maker still
  // holds a role that may invite with its role; the membership comes from that same
  // row, so two accepts cannot both succeed and a demoted or removed maker grants nothing.
  const [spent] = await c.env.DB.batch([
    c.env.DB.prepare(
      `UPDATE invites SET accepted_at = ?1, accepted_by = ?2
       WHERE token_hash = ?3 AND accepted_at IS NULL AND expires_at > ?1
         AND EXISTS (SELECT 1 FROM memberships m WHERE m.room_id = invites.room_id AND m.user_id = invites.created_by
                     AND m.role IN (SELECT value FROM json_each(?4)))`,
    ).bind(now, user.id, tokenHash, JSON.stringify(inviterRolesFor(invite.kind, invite.role))),
    c.env.DB.prepare(
      `INSERT INTO memberships (room_id, user_id, role, created_at)
       SELECT room_id, ?1, role, ?2 FROM invites WHERE token_hash = ?3 AND accepted_by = ?1 AND accepted_at = ?2
       ON CONFLICT (room_id, user_id) DO NOTHING`,
    ).bind(user.id, now, tokenHash),
  ]);
  if (spent?.meta.changes !== 1) throw inviteGone();
  const room = await findMembership(db, invite.roomId, user.id);
  if (!room) throw new ApiError(500, "internal", "Could not join the room.");
  return c.json({ room });
}

export const inviteRoutes: readonly RouteDef[] = [
  createInviteRoute,
  listInvitesRoute,
  withdrawInviteRoute,
  previewInviteRoute,
  acceptInviteRoute,
];
