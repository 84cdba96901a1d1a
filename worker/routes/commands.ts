/**
 * The HTTP face of room commands and the queries beside them. A command posted here runs
 * the same room method as one sent over the room socket, with the same answer.
 */
import { Hono } from "hono";
import { z } from "zod";
import { propertyStub, roomStub } from "../../rooms/stubs";
import { COMMAND_ERROR_STATUS, type CommandOutcome } from "../../schema/core/commands";
import { taskHistoryQuery } from "../../schema/property/commands";
import type { AppEnv } from "../app-env";
import { ApiError, parseWith } from "../errors";
import { readJson } from "../middleware/json-body";
import { requireAuth } from "../middleware/session";
import { roomCaller } from "../room-access";

export const commandRoutes = new Hono<AppEnv>()
  .post("/rooms/:roomId/commands", async (c) => {
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
  })
  .get("/rooms/:roomId/tasks/:taskId/history", async (c) => {
    const { room } = await roomCaller(c, "room.read");
    if (room.kind !== "property") throw new ApiError(404, "not_found", "No such task.");
    const query = parseWith(taskHistoryQuery, c.req.query());
    const entries = await propertyStub(c.env, room.id).history(
      c.req.param("taskId"),
      query.before ?? null,
      query.limit,
    );
    if (!entries) throw new ApiError(404, "not_found", "No such task.");
    const last = entries.at(-1);
    return c.json({ entries, next: entries.length === query.limit && last ? String(last.at) : null });
  });
