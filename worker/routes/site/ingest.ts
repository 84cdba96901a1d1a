/**
 * A site's sensor ingestion: The Things Network's webhook posts each uplink here, with the
 * site's ingest key as `Authorization: Bearer <key>` (TTN webhooks can add that header).
 * Keys are made and revoked by managers; a key is shown once and kept as its SHA-256, and
 * several may be live at once so one can be rotated in before the old one is revoked.
 */
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type Context, Hono } from "hono";
import { z } from "zod";
import { kindStub } from "../../../rooms/stubs";
import { COMMAND_ERROR_STATUS, type CommandOutcome } from "../../../schema/core/commands";
import { rooms } from "../../../schema/d1";
import { createIngestKeyBody, readingsQuery, unclaimedQuery } from "../../../schema/site/api";
import { MAX_WEBHOOK_DEPTH, nestedDeeperThan } from "../../../schema/site/ttn";
import type { AppEnv } from "../../app-env";
import { randomToken, sha256Hex } from "../../auth/crypto";
import { ApiError, notFound, parseWith } from "../../errors";
import { readJson } from "../../middleware/json-body";
import { requireAuth } from "../../middleware/session";
import { requireCapability, roomCaller } from "../../room-access";

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
  const { sessionId } = requireAuth(c);
  const { user, room } = await roomCaller(c);
  const envelope = { name, args, key: crypto.randomUUID() };
  const member = { userId: user.id, name: user.name, role: room.role, sessionId };
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

export const siteIngestRoutes = new Hono<AppEnv>()
  .post("/sites/:roomId/ttn", async (c) => {
    const key = /^Bearer ([A-Za-z0-9]{16,128})$/.exec(c.req.header("Authorization") ?? "")?.[1];
    if (!key) throw unauthorizedKey();
    const roomId = c.req.param("roomId");
    const site = await drizzle(c.env.DB).select({ kind: rooms.kind }).from(rooms).where(eq(rooms.id, roomId)).get();
    // An unknown room and a room that is not a site look the same as a wrong key: nothing to learn by probing.
    if (site?.kind !== "site") throw unauthorizedKey();
    const body = await readJson(c, z.unknown());
    if (nestedDeeperThan(body, MAX_WEBHOOK_DEPTH))
      throw new ApiError(
        400,
        "validation_failed",
        `Not a usable uplink: nested deeper than ${MAX_WEBHOOK_DEPTH} levels`,
      );
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
  })
  .get("/rooms/:roomId/ingest-keys", async (c) => {
    const { room } = await roomCaller(c);
    requireSite(room.kind);
    requireCapability(room, "site.configure");
    return c.json({ keys: (await kindStub(c.env, "site", room.id).listIngestKeys()).map(keyView) });
  })
  .post("/rooms/:roomId/ingest-keys", async (c) => {
    const { room } = await roomCaller(c);
    requireSite(room.kind);
    requireCapability(room, "site.configure");
    const { label } = await readJson(c, createIngestKeyBody);
    const key = randomToken(INGEST_KEY_BYTES);
    const made = await ingestKeyCommand(c, room.id, "ingestKey.create", { label, keyHash: await sha256Hex(key) });
    return c.json({ ...keyView(ingestKeyResult.parse(made)), key }, 201);
  })
  .delete("/rooms/:roomId/ingest-keys/:keyId", async (c) => {
    const { room } = await roomCaller(c);
    requireSite(room.kind);
    requireCapability(room, "site.configure");
    await ingestKeyCommand(c, room.id, "ingestKey.revoke", { id: c.req.param("keyId") });
    return c.body(null, 204);
  })
  .get("/rooms/:roomId/unclaimed-devices", async (c) => {
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
  })
  .get("/rooms/:roomId/units/:unitId/readings", async (c) => {
    const { room } = await roomCaller(c, "room.read");
    requireSite(room.kind);
    const { from, to, resolution, points } = parseWith(readingsQuery, c.req.query());
    const answer = await kindStub(c.env, "site", room.id).readings(c.req.param("unitId"), from, to, resolution, points);
    if (answer === null) throw notFound("No such unit in this site.");
    if (answer === "too_many")
      throw new ApiError(
        400,
        "validation_failed",
        "That window holds too many points at this resolution; ask for a coarser one, a shorter window, or at most " +
          "`points` points.",
      );
    return c.json(answer);
  });
