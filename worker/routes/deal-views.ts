/**
 * A deal's read routes for integrations: its summary, the buyer timeline and a task with its dependencies. The
 * room builds each for the caller's role (rooms/deal/queries.ts): a buyer's answer holds nothing internal.
 */
import type { Context } from "hono";
import { kindStub } from "../../rooms/stubs";
import type { Room } from "../../schema/core/api";
import { dealSummarySchema, dealTaskPageSchema, dealTimelineSchema } from "../../schema/deal/api";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { roomCaller, roomNotFound } from "../room-access";
import { notFound, roomNotFound as roomNotFoundCase } from "./common";
import { defineRoute, json, pathParam, type RouteDef } from "./define";

const notSetUp = () => new ApiError(404, "not_found", "This deal is not set up yet.");

/** The caller in a deal room (401, then 404 for a non-member or a room of another kind), and the room's stub. */
async function dealCaller(c: Context<AppEnv>) {
  const { user, room } = await roomCaller(c, "room.read");
  if (room.kind !== "deal") throw roomNotFound();
  return { user, room, stub: kindStub(c.env, "deal", room.id), viewer: viewerOf(user.id, room) };
}

const viewerOf = (userId: string, room: Room) => ({ userId, role: room.role });

const dealSummaryRoute = defineRoute({
  method: "get",
  path: "/api/rooms/{roomId}/deal",
  summary: "The deal summary, as the caller's role may see it",
  description:
    "The deal, its milestones with their progress, counts of open, overdue, blocked and completed tasks, days to " +
    "closing in the deal's time zone, and who owes what. Everything is over what the caller's role may see: a " +
    "buyer gets no internal field, record or count; a viewer or editor public data only.",
  tag: "Deals",
  auth: "session",
  ok: { 200: json("The summary.", dealSummarySchema) },
  errors: [roomNotFoundCase, notFound("The deal is not set up yet (`deal.create`).")],
  handler: getDealSummary,
});
async function getDealSummary(c: Context<AppEnv>): Promise<Response> {
  const { stub, viewer } = await dealCaller(c);
  const summary = await stub.summary(viewer);
  if (!summary) throw notSetUp();
  return c.json(summary);
}

const dealTimelineRoute = defineRoute({
  method: "get",
  path: "/api/rooms/{roomId}/deal/timeline",
  summary: "The buyer timeline: milestones as steps, the caller's next tasks, days to closing",
  tag: "Deals",
  auth: "session",
  ok: { 200: json("The timeline.", dealTimelineSchema) },
  errors: [roomNotFoundCase, notFound("The deal is not set up yet (`deal.create`).")],
  handler: getDealTimeline,
});
async function getDealTimeline(c: Context<AppEnv>): Promise<Response> {
  const { stub, viewer } = await dealCaller(c);
  const timeline = await stub.timeline(viewer);
  if (!timeline) throw notSetUp();
  return c.json(timeline);
}

const dealTaskRoute = defineRoute({
  method: "get",
  path: "/api/rooms/{roomId}/deal/tasks/{taskId}",
  summary: "A task with what it waits for and what waits for it",
  description:
    "Dependencies both ways, direct and indirect, with their titles and states. A task not shared with the buyer " +
    "is, to a buyer (or a viewer), a task that does not exist; they never get the dependency lists.",
  tag: "Deals",
  auth: "session",
  ok: { 200: json("The task.", dealTaskPageSchema) },
  errors: [roomNotFoundCase, notFound("No such task (or none the caller may see).")],
  handler: getDealTask,
});
async function getDealTask(c: Context<AppEnv>): Promise<Response> {
  const { stub, viewer } = await dealCaller(c);
  const page = await stub.taskPage(viewer, pathParam(c, "taskId"));
  if (!page) throw new ApiError(404, "not_found", "No such task.");
  return c.json(page);
}

export const dealViewRoutes: readonly RouteDef[] = [dealSummaryRoute, dealTimelineRoute, dealTaskRoute];
