/**
 * The HTTP face of room commands, for every kind. A command posted here runs the same room
 * method as one sent over the room socket, with the same answer.
 */
import type { Context } from "hono";
import { z } from "zod";
import { roomStub } from "../../rooms/stubs";
import { COMMAND_ERROR_STATUS, type CommandOutcome, commandEnvelope } from "../../schema/core/commands";
import { KIND_COMMANDS } from "../../schema/core/protocols";
import { commandResultSchema } from "../../schema/core/responses";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { readJson } from "../middleware/json-body";
import { roomCaller, roomMember } from "../room-access";
import { type ErrorCase, roomNotFound } from "./common";
import { defineRoute, json, type RouteDef } from "./define";

/** Every command's envelope, named and with its own arguments: every kind's, from the registry. */
const commandBody = z.union(
  KIND_COMMANDS.map(([name, args]) => commandEnvelope.extend({ name: z.literal(name), args }).meta({ title: name })),
);

const commandErrors: ErrorCase[] = Object.entries(COMMAND_ERROR_STATUS).map(
  ([code, status]): ErrorCase => [
    status,
    code as keyof typeof COMMAND_ERROR_STATUS,
    code === "forbidden"
      ? "The caller's role does not allow this command (or this record)."
      : "See the command's answer.",
  ],
);

const runCommandRoute = defineRoute({
  method: "post",
  path: "/api/rooms/{roomId}/commands",
  summary: "Run a command",
  description:
    "The same command, with the same answer, as one sent over the room's socket. A key the room has already run " +
    "returns its first answer with `replayed: true`.",
  tag: "Commands",
  auth: "session",
  body: {
    json: commandBody,
    description: "A command of the room's kind (`property`, `deal` or `site`), each with its own arguments.",
  },
  ok: { 200: json("The command ran (or had already run with this key).", commandResultSchema) },
  errors: [roomNotFound, ...commandErrors],
  handler: runCommand,
});
async function runCommand(c: Context<AppEnv>): Promise<Response> {
  const { user, room } = await roomCaller(c, "room.read");
  const envelope = await readJson(c, z.unknown());
  const bytes = Number(c.req.header("Content-Length") ?? JSON.stringify(envelope).length);
  const member = roomMember(c, user, room);
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
}

export const commandRoutes: readonly RouteDef[] = [runCommandRoute];
