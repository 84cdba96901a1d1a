/** A task's completions, newest first, paged: a home's history is kept in its room, not mirrored. */
import { Hono } from "hono";
import { kindStub } from "../../../rooms/stubs";
import { taskHistoryQuery } from "../../../schema/property/commands";
import type { AppEnv } from "../../app-env";
import { ApiError, parseWith } from "../../errors";
import { roomCaller } from "../../room-access";

export const taskHistoryRoutes = new Hono<AppEnv>().get("/rooms/:roomId/tasks/:taskId/history", async (c) => {
  const { room } = await roomCaller(c, "room.read");
  if (room.kind !== "property") throw new ApiError(404, "not_found", "No such task.");
  const query = parseWith(taskHistoryQuery, c.req.query());
  const entries = await kindStub(c.env, "property", room.id).history(
    c.req.param("taskId"),
    query.before ?? null,
    query.limit,
  );
  if (!entries) throw new ApiError(404, "not_found", "No such task.");
  const last = entries.at(-1);
  return c.json({ entries, next: entries.length === query.limit && last ? String(last.at) : null });
});
