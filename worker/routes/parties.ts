/**
 * GET /parties/:kind/:roomId: the WebSocket gate. Everything is checked here, before the
 * room's Durable Object is touched: the upgrade itself, the Origin (by middleware), the
 * session, the room's existence, its kind and the caller's membership.
 */
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { clientIp, IDENTITY_HEADERS, RESERVED_HEADER_PREFIXES } from "../../rooms/core/identity";
import { roomStub } from "../../rooms/stubs";
import { ROOM_KINDS, type RoomKind } from "../../schema/core/roles";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { requireAuth } from "../middleware/session";
import { findMembership, roomNotFound } from "../room-access";
import { defineRoute, empty, pathParam, type RouteDef } from "./define";

const isRoomKind = (value: string): value is RoomKind => (ROOM_KINDS as readonly string[]).includes(value);

const roomSocketRoute = defineRoute({
  method: "get",
  path: "/parties/{kind}/{roomId}",
  summary: "A room's live document (WebSocket)",
  description:
    "Speaks y-protocols sync and awareness; with `notices=1`, also JSON notices as `__YPS:` text frames. See " +
    "docs/api.md.",
  tag: "Live",
  auth: "session",
  upgrade: true,
  ok: { 101: empty("Switching to WebSocket.") },
  errors: [[404, "room_not_found", "No such room, the caller is not a member, or `kind` is not the room's."]],
  handler: openRoomSocket,
});
async function openRoomSocket(c: Context<AppEnv>): Promise<Response> {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError(426, "upgrade_required", "This endpoint speaks WebSocket only.");
  }
  const auth = requireAuth(c);
  const kind = pathParam(c, "kind");
  const room = isRoomKind(kind) ? await findMembership(drizzle(c.env.DB), pathParam(c, "roomId"), auth.user.id) : null;
  if (!room || room.kind !== kind) throw roomNotFound();

  // The room gets the verified identity, never the client's credentials or claims.
  const headers = new Headers();
  for (const [name, value] of c.req.raw.headers) {
    const lower = name.toLowerCase();
    if (lower === "cookie" || lower === "authorization") continue;
    if (!RESERVED_HEADER_PREFIXES.some((prefix) => lower.startsWith(prefix))) headers.set(name, value);
  }
  headers.set(IDENTITY_HEADERS.userId, auth.user.id);
  headers.set(IDENTITY_HEADERS.name, encodeURIComponent(auth.user.name));
  headers.set(IDENTITY_HEADERS.role, room.role);
  headers.set(IDENTITY_HEADERS.sessionId, auth.sessionId);
  const ip = clientIp(c.req.header("CF-Connecting-IP"));
  if (ip !== null) headers.set(IDENTITY_HEADERS.ip, ip);
  headers.set("x-partykit-room", room.id);
  // The socket's id in the room is ours, never the client's `_pk`: nothing a client
  // chooses decides whose presence a socket may change, and no odd id reaches the runtime.
  const url = new URL(c.req.raw.url);
  url.searchParams.set("_pk", crypto.randomUUID());
  return roomStub(c.env, room.kind, room.id).fetch(new Request(url, { method: "GET", headers }));
}

export const partyRoutes: readonly RouteDef[] = [roomSocketRoute];
