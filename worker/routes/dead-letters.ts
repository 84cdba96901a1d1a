/**
 * The jobs of a room that kept failing (the dead-letter queue's consumer records them),
 * as the room's owners and admins see them, and sending one again. They belong to the
 * room, so they need `room.manage`.
 */
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Context } from "hono";
import { DEAD_LETTERS_PAGE_MAX } from "../../config";
import { job } from "../../schema/core/jobs";
import type { DeadLetter } from "../../schema/core/notifications";
import { deadLetterListSchema, deadLetterRetrySchema } from "../../schema/core/responses";
import { deadLetters } from "../../schema/d1";
import type { AppEnv } from "../app-env";
import { ApiError, notFound } from "../errors";
import { roomCaller } from "../room-access";
import { notFound as notFoundCase, roomWith } from "./common";
import { defineRoute, json, pathParam, type RouteDef } from "./define";

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

const listDeadLettersRoute = defineRoute({
  method: "get",
  path: "/api/rooms/{roomId}/dead-letters",
  summary: "The room's jobs that failed every retry",
  tag: "Notifications",
  auth: "session",
  ok: { 200: json("Newest first.", deadLetterListSchema) },
  errors: roomWith("room.manage"),
  handler: listDeadLetters,
});
async function listDeadLetters(c: Context<AppEnv>): Promise<Response> {
  const { db, room } = await roomCaller(c, "room.manage");
  const rows = await db
    .select()
    .from(deadLetters)
    .where(eq(deadLetters.roomId, room.id))
    .orderBy(desc(deadLetters.createdAt), desc(deadLetters.id))
    .limit(DEAD_LETTERS_PAGE_MAX);
  const letters: DeadLetter[] = rows.map((row) => ({
    id: row.id,
    type: row.type,
    key: row.key,
    body: JSON.parse(row.body) as unknown,
    error: row.error,
    attempts: row.attempts,
    createdAt: new Date(row.createdAt).toISOString(),
    retriedAt: iso(row.retriedAt),
  }));
  return c.json({ deadLetters: letters });
}

const retryDeadLetterRoute = defineRoute({
  method: "post",
  path: "/api/rooms/{roomId}/dead-letters/{id}/retry",
  summary: "Send a failed job again",
  tag: "Notifications",
  auth: "session",
  ok: { 202: json("Queued again.", deadLetterRetrySchema) },
  errors: [
    ...roomWith("room.manage"),
    notFoundCase("No such failed job in this room."),
    [409, "already_retried", "The job was already sent again."],
    [409, "not_retryable", "The stored job cannot be read."],
  ],
  handler: retryDeadLetter,
});
async function retryDeadLetter(c: Context<AppEnv>): Promise<Response> {
  const { db, room } = await roomCaller(c, "room.manage");
  const id = pathParam(c, "id");
  const row = await db
    .select({ body: deadLetters.body, retriedAt: deadLetters.retriedAt })
    .from(deadLetters)
    .where(and(eq(deadLetters.id, id), eq(deadLetters.roomId, room.id)))
    .get();
  if (!row) throw notFound("No such failed job in this room.");
  if (row.retriedAt !== null) throw new ApiError(409, "already_retried", "This job was already sent again.");
  const parsed = job.safeParse(JSON.parse(row.body));
  if (!parsed.success)
    throw new ApiError(409, "not_retryable", "This job cannot be read, so sending it again would fail the same way.");
  // Claimed before sending, so two admins pressing retry at once send it once.
  const now = Date.now();
  const claimed = await db
    .update(deadLetters)
    .set({ retriedAt: now })
    .where(and(eq(deadLetters.id, id), isNull(deadLetters.retriedAt)))
    .returning({ id: deadLetters.id });
  if (claimed.length === 0) throw new ApiError(409, "already_retried", "This job was already sent again.");
  try {
    await c.env.JOBS.send(parsed.data);
  } catch (error) {
    await db.update(deadLetters).set({ retriedAt: null }).where(eq(deadLetters.id, id));
    console.log(JSON.stringify({ event: "dead_letter_retry_failed", roomId: room.id, id, error: String(error) }));
    throw new ApiError(500, "internal", "The job could not be queued. Try again.");
  }
  console.log(
    JSON.stringify({
      event: "dead_letter_retried",
      roomId: room.id,
      id,
      type: parsed.data.type,
      key: parsed.data.key,
    }),
  );
  return c.json({ retriedAt: new Date(now).toISOString() }, 202);
}

export const deadLetterRoutes: readonly RouteDef[] = [listDeadLettersRoute, retryDeadLetterRoute];
