/**
 * A site's sensor ingestion: The Things Network's webhook posts each uplink here, with the
 * site's ingest key as `Authorization: Bearer <key>` (TTN webhooks can add that header).
 * Keys are made and revoked by managers; a key is shown once and kept as its SHA-256, and
 * several may be live at once so one can be rotated in before the old one is revoked.
 */
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { z } from "zod";
import { kindStub } from "../../../rooms/stubs";
import { COMMAND_ERROR_STATUS, type CommandOutcome } from "../../../schema/core/commands";
import { rooms } from "../../../schema/d1";
import {
  createIngestKeyBody,
  ingestAnswerSchema,
  ingestKeyListSchema,
  newIngestKeySchema,
  readingsAnswerSchema,
  readingsQuery,
  unclaimedListSchema,
  unclaimedQuery,
} from "../../../schema/site/api";
import { MAX_WEBHOOK_DEPTH, nestedDeeperThan } from "../../../schema/site/ttn";
import type { AppEnv } from "../../app-env";
import { randomToken, sha256Hex } from "../../auth/crypto";
import { ApiError, notFound, parseWith } from "../../errors";
import { readJson } from "../../middleware/json-body";
import { requireCapability, roomCaller, roomMember } from "../../room-access";
import { notFound as notFoundCase, roomNotFound, roomWith, validationFailed } from "../common";
import { defineRoute, empty, json, pathParam, type RouteDef } from "../define";

/** Random bytes in an ingest key: 160 bits. */
const INGEST_KEY_BYTES = 20;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const keyView = (key: { id: string; label: string; createdAt: number; lastUsedAt: number | null }) => ({
  ...key,
  createdAt: new Date(key.createdAt).toISOString(),
  lastUsedAt: iso(key.lastUsedAt),
});

function requireSite(kind: string): void {
  if (kind !== "site") throw notFound("Only sites take sensor data.");
}

/** What `ingestKey.create` answers: the key's record, never its secret. */
const ingestKeyResult = z.object({
  id: z.string(),
  label: z.string(),
  createdAt: z.number(),
  lastUsedAt: z.number().nullable(),
});

/**
 * Runs an ingest key command through the room's command path (capability, audit row,
 * idempotency key), with a fresh key: the route itself is not retried by TTN.
 */
async function ingestKeyCommand(
  c: Context<AppEnv>,
  roomId: string,
  name: "ingestKey.create" | "ingestKey.revoke",
  args: Record<string, string>,
): Promise<unknown> {
  const { user, room } = await roomCaller(c);
  const envelope = { name, args, key: crypto.randomUUID() };
  const member = roomMember(c, user, room);
  const answer = await kindStub(c.env, "site", roomId).commandAnswer(member, envelope, JSON.stringify(envelope).length);
  const outcome = JSON.parse(answer) as CommandOutcome;
  if (outcome.ok) return outcome.result;
  const { code, message, details } = outcome.error;
  if (code === "conflict" && name === "ingestKey.create") throw new ApiError(409, "too_many_keys", message);
  if (code === "not_found") throw notFound("No such ingest key.");
  throw new ApiError(COMMAND_ERROR_STATUS[code], code, message, details);
}

const unauthorizedKey = () =>
  new ApiError(401, "unauthorized", "Send this site's ingest key as Authorization: Bearer <key>.");

const ttnUplinkRoute = defineRoute({
  method: "post",
  path: "/api/sites/{roomId}/ttn",
  summary: "The Things Network webhook: one uplink",
  description:
    "Set up in TTN as a webhook with the header `Authorization: Bearer <ingest key>`. TTN v3 uplink messages are " +
    "stored; other TTN events (join accepts, downlink events) are answered 200 and ignored, so TTN does not retry " +
    "them.",
  tag: "Sites",
  auth: "none",
  body: {
    json: z.looseObject({ end_device_ids: z.looseObject({ dev_eui: z.string() }) }),
    description: "A TTN v3 webhook message.",
  },
  ok: {
    200: json(
      "`stored`, `duplicate` (a retry, stored once), `unclaimed` (a sensor no unit has claimed yet) or `ignored`.",
      ingestAnswerSchema,
    ),
  },
  errors: [
    [401, "unauthorized", "No key, a wrong or revoked key, or a room that is not a site (all alike)."],
    [429, "rate_limited", "The sensor sends faster than a sensor should; `Retry-After` says when to try again."],
  ],
  handler: ttnUplink,
});
async function ttnUplink(c: Context<AppEnv>): Promise<Response> {
  const key = /^Bearer ([A-Za-z0-9]{16,128})$/.exec(c.req.header("Authorization") ?? "")?.[1];
  if (!key) throw unauthorizedKey();
  const roomId = pathParam(c, "roomId");
  const site = await drizzle(c.env.DB).select({ kind: rooms.kind }).from(rooms).where(eq(rooms.id, roomId)).get();
  // An unknown room and a room that is not a site look the same as a wrong key: nothing to learn by probing.
  if (site?.kind !== "site") throw unauthorizedKey();
  const body = await readJson(c, z.unknown());
  if (nestedDeeperThan(body, MAX_WEBHOOK_DEPTH))
    throw new ApiError(400, "validation_failed", `Not a usable uplink: nested deeper than ${MAX_WEBHOOK_DEPTH} levels`);
  const outcome = await kindStub(c.env, "site", roomId).ingestUplink(await sha256Hex(key), body);
  switch (outcome.status) {
    case "unauthorized":
      throw unauthorizedKey();
    case "rate_limited":
      throw new ApiError(429, "rate_limited", "This sensor is sending faster than a sensor should.", undefined, {
        "Retry-After": "30",
      });
    case "invalid":
      throw new ApiError(
        400,
        "validation_failed",
        `Not a usable uplink: ${outcome.reason}`,
        outcome.fields ? { fields: outcome.fields } : undefined,
      );
    default:
      return c.json({ status: outcome.status });
  }
}

const listIngestKeysRoute = defineRoute({
  method: "get",
  path: "/api/rooms/{roomId}/ingest-keys",
  summary: "A site's live ingest keys (never their secrets)",
  tag: "Sites",
  auth: "session",
  ok: { 200: json("The live keys, newest first.", ingestKeyListSchema) },
  errors: [...roomWith("site.configure"), notFoundCase("The room is not a site.")],
  handler: listIngestKeys,
});
async function listIngestKeys(c: Context<AppEnv>): Promise<Response> {
  const { room } = await roomCaller(c);
  requireSite(room.kind);
  requireCapability(room, "site.configure");
  return c.json({ keys: (await kindStub(c.env, "site", room.id).listIngestKeys()).map(keyView) });
}

const createIngestKeyRoute = defineRoute({
  method: "post",
  path: "/api/rooms/{roomId}/ingest-keys",
  summary: "Make an ingest key",
  description:
    "The key is in the answer this once; only its SHA-256 is kept. Make a new one before revoking the old to " +
    "rotate without a gap.",
  tag: "Sites",
  auth: "session",
  body: { json: createIngestKeyBody },
  ok: { 201: json("The new key, with its secret.", newIngestKeySchema) },
  errors: [
    ...roomWith("site.configure"),
    notFoundCase("The room is not a site."),
    [409, "too_many_keys", "The site has as many live keys as it may."],
  ],
  handler: createIngestKey,
});
async function createIngestKey(c: Context<AppEnv>): Promise<Response> {
  const { room } = await roomCaller(c);
  requireSite(room.kind);
  requireCapability(room, "site.configure");
  const { label } = await readJson(c, createIngestKeyBody);
  const key = randomToken(INGEST_KEY_BYTES);
  const made = await ingestKeyCommand(c, room.id, "ingestKey.create", { label, keyHash: await sha256Hex(key) });
  return c.json({ ...keyView(ingestKeyResult.parse(made)), key }, 201);
}

const revokeIngestKeyRoute = defineRoute({
  method: "delete",
  path: "/api/rooms/{roomId}/ingest-keys/{keyId}",
  summary: "Revoke an ingest key",
  tag: "Sites",
  auth: "session",
  ok: { 204: empty("Revoked; TTN's requests with it get 401 from now on.") },
  errors: [...roomWith("site.configure"), notFoundCase("No such key, or the room is not a site.")],
  handler: revokeIngestKey,
});
async function revokeIngestKey(c: Context<AppEnv>): Promise<Response> {
  const { room } = await roomCaller(c);
  requireSite(room.kind);
  requireCapability(room, "site.configure");
  await ingestKeyCommand(c, room.id, "ingestKey.revoke", { id: pathParam(c, "keyId") });
  return c.body(null, 204);
}

const listUnclaimedDevicesRoute = defineRoute({
  method: "get",
  path: "/api/rooms/{roomId}/unclaimed-devices",
  summary: "Sensors heard from that no unit has claimed",
  tag: "Sites",
  auth: "session",
  query: unclaimedQuery,
  ok: { 200: json("One page, newest first, with their last values.", unclaimedListSchema) },
  errors: [
    ...roomWith("site.configure"),
    notFoundCase("The room is not a site."),
    validationFailed("A query parameter is malformed or out of range."),
  ],
  handler: listUnclaimedDevices,
});
async function listUnclaimedDevices(c: Context<AppEnv>): Promise<Response> {
  const { room } = await roomCaller(c);
  requireSite(room.kind);
  requireCapability(room, "site.configure");
  const { limit, before } = parseWith(unclaimedQuery, c.req.query());
  const page = await kindStub(c.env, "site", room.id).listUnclaimed(limit, before ?? null);
  return c.json({
    nextCursor: page.nextCursor,
    devices: page.devices.map((d) => ({
      ...d,
      firstSeenAt: new Date(d.firstSeenAt).toISOString(),
      lastSeenAt: new Date(d.lastSeenAt).toISOString(),
    })),
  });
}

const unitReadingsRoute = defineRoute({
  method: "get",
  path: "/api/rooms/{roomId}/units/{unitId}/readings",
  summary: "A unit's temperature history for a chart",
  description:
    "Columns (as uPlot takes them) of times and temperatures: raw readings for windows up to a day, per-minute " +
    "rollups up to 31 days, per-hour beyond, unless `resolution` says otherwise; with the temperature rules' " +
    "limits and the alerts overlapping the window.",
  tag: "Sites",
  auth: "session",
  query: readingsQuery,
  ok: { 200: json("The history, the limits and the alert periods.", readingsAnswerSchema) },
  errors: [
    roomNotFound,
    [400, "validation_failed", "A bad window, or one holding too many points at the resolution asked."],
    notFoundCase("No such unit, or the room is not a site."),
  ],
  handler: unitReadings,
});
async function unitReadings(c: Context<AppEnv>): Promise<Response> {
  const { room } = await roomCaller(c, "room.read");
  requireSite(room.kind);
  const { from, to, resolution, points } = parseWith(readingsQuery, c.req.query());
  const answer = await kindStub(c.env, "site", room.id).readings(pathParam(c, "unitId"), from, to, resolution, points);
  if (answer === null) throw notFound("No such unit in this site.");
  if (answer === "too_many")
    throw new ApiError(
      400,
      "validation_failed",
      "That window holds too many points at this resolution; ask for a coarser one, a shorter window, or at most " +
        "`points` points.",
    );
  return c.json(answer);
}

export const siteIngestRoutes: readonly RouteDef[] = [
  ttnUplinkRoute,
  listIngestKeysRoute,
  createIngestKeyRoute,
  revokeIngestKeyRoute,
  listUnclaimedDevicesRoute,
  unitReadingsRoute,
];
