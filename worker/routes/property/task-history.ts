/** A task's completions, newest first, paged: a home's history is kept in its room, not mirrored. */
import type { Context } from "hono";
import { kindStub } from "../../../rooms/stubs";
import { taskHistoryQuery } from "../../../schema/property/commands";
import { taskHistorySchema } from "../../../schema/property/responses";
import type { AppEnv } from "../../app-env";
import { ApiError, parseWith } from "../../errors";
import { roomCaller } from "../../room-access";
import { notFound as notFoundCase, roomWith, validationFailed } from "../common";
import { defineRoute, json, pathParam, type RouteDef } from "../define";

const taskHistoryRoute = defineRoute({
  method: "get",
  path: "/api/rooms/{roomId}/tasks/{taskId}/history",
  summary: "A task's completions and skips, newest first",
  tag: "Commands",
  auth: "session",
  query: taskHistoryQuery,
  ok: { 200: json("One page of the history.", taskHistorySchema) },
  errors: [
    ...roomWith("room.read"),
    notFoundCase("No such task, or the room is not a home."),
    validationFailed("A query parameter is out of range."),
  ],
  handler: taskHistory,
});
async function taskHistory(c: Context<AppEnv>): Promise<Response> {
  const { room } = await roomCaller(c, "room.read");
  if (room.kind !== "property") throw new ApiError(404, "not_found", "No such task.");
  const query = parseWith(taskHistoryQuery, c.req.query());
  const entries = await kindStub(c.env, "property", room.id).history(
    pathParam(c, "taskId"),
    query.before ?? null,
    query.limit,
  );
  if (!entries) throw new ApiError(404, "not_found", "No such task.");
  const last = entries.at(-1);
  return c.json({ entries, next: entries.length === query.limit && last ? String(last.at) : null });
}

export const taskHistoryRoutes: readonly RouteDef[] = [taskHistoryRoute];
