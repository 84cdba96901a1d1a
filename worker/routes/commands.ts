/**
 * The HTTP face of room commands, for every kind. A command posted here runs the same room
 * method as one sent over the room socket, with the same answer.
 */
import { Hono } from "hono";
import { z } from "zod";
import { roomStub } from "../../rooms/stubs";
import { COMMAND_ERROR_STATUS, type CommandOutcome } from "../../schema/core/commands";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { readJson } from "../middleware/json-body";
import { requireAuth } from "../middleware/session";
import { roomCaller } from "../room-access";

export const commandRoutes = new Hono<AppEnv>().post("/rooms/:roomId/commands", async (c) => {
  const { sessionId } = requireAuth(c);
  const { user, room } = await roomCaller(c, "room.read");
  const envelope = await readJson(c, z.unknown());
  const bytes = Number(c.req.header("Content-Length") ?? JSON.stringify(envelope).length);
  const member = { userId: user.id, name: user.name, role: room.role, sessionId };
  // RPC typing cannot carry `unknown` results across; the room returns a CommandOutcome.
  const outcome = (await roomStub(c.env, room.kind, room.id).command(
    member,
    envelope,
    bytes,
  )) as unknown as CommandOutcome;
  if (outcome.ok) return c.json({ result: outcome.result, replayed: outcome.replayed });
  const { code, message, details } = outcome.error;
  throw new ApiError(
    COMMAND_ERROR_STATUS[code],
    code,
    message,
    details,
    code === "rate_limited" ? { "Retry-After": "1" } : {},
  );
});
