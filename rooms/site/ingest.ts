/**
 * Taking a TTN uplink into a site room: the key proven, the body parsed with the sensor's
 * field mapping, TTN's retries dropped, then one reading stored (or the unknown sensor
 * recorded for a manager to claim). Evaluation and notifications come after the answer.
 */
import { and, eq, gt, isNull, or } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import { UPLINK_DEDUPE_MS } from "../../config";
import { type FieldMapping, parseWebhook, type Uplink } from "../../schema/site/ttn";
import type { RoomEffects } from "../core/commands";
import { recordReading } from "./monitor";
import { devices, ingestKeys, unclaimedDevices, uplinks } from "./tables";

export type IngestOutcome =
  | { status: "stored"; unitId: string }
  | { status: "duplicate" }
  | { status: "unclaimed" }
  | { status: "ignored"; event: string }
  | { status: "invalid"; reason: string; fields?: { path: string; message: string }[] }
  | { status: "unauthorized" };

/** Whether `keyHash` is one of the site's live ingest keys; marks it used (to the minute, so a stream of uplinks does not rewrite it each time). */
export function keyIsLive(db: DrizzleSqliteDODatabase, keyHash: string, now: number): boolean {
  const key = db.select({ id: ingestKeys.id, lastUsedAt: ingestKeys.lastUsedAt }).from(ingestKeys).where(and(eq(ingestKeys.hash, keyHash), isNull(ingestKeys.revokedAt))).get();
  if (!key) return false;
  if (key.lastUsedAt === null || now - key.lastUsedAt >= 60_000) db.update(ingestKeys).set({ lastUsedAt: now }).where(eq(ingestKeys.id, key.id)).run();
  return true;
}

/** The DevEUI a body names, before it is parsed in full: to find that sensor's field mapping and allowance. */
export function devEuiOf(body: unknown): string | null {
  if (typeof body !== "object" || body === null) return null;
  const ids = (body as { end_device_ids?: { dev_eui?: unknown } }).end_device_ids;
  return typeof ids?.dev_eui === "string" ? ids.dev_eui.toUpperCase() : null;
}

function seenBefore(db: DrizzleSqliteDODatabase, uplink: Uplink, now: number): boolean {
  const since = now - UPLINK_DEDUPE_MS;
  const byCounter = uplink.fCnt === null ? undefined : and(eq(uplinks.devEui, uplink.devEui), eq(uplinks.fCnt, uplink.fCnt));
  const byCorrelation = uplink.correlationIds.length > 0 ? or(...uplink.correlationIds.map((id) => eq(uplinks.correlationId, id))) : undefined;
  const match = byCounter && byCorrelation ? or(byCounter, byCorrelation) : (byCounter ?? byCorrelation);
  if (!match) return false;
  return db.select({ at: uplinks.receivedAt }).from(uplinks).where(and(match, gt(uplinks.receivedAt, since))).limit(1).get() !== undefined;
}

/** Runs inside the room's transaction: a stored reading is judged against the unit's rules in the same transaction. */
export function ingest(effects: RoomEffects, body: unknown): IngestOutcome {
  const { db, now } = effects;
  const eui = devEuiOf(body);
  const device = eui ? db.select().from(devices).where(eq(devices.devEui, eui)).get() : undefined;
  const mapping = device?.mapping ? (JSON.parse(device.mapping) as FieldMapping) : undefined;
  const parsed = parseWebhook(body, { now, mapping });
  if (parsed.kind === "ignored") return { status: "ignored", event: parsed.event };
  if (parsed.kind === "invalid") return { status: "invalid", reason: parsed.reason, ...(parsed.fields ? { fields: parsed.fields } : {}) };
  const uplink = parsed.uplink;
  if (seenBefore(db, uplink, now)) return { status: "duplicate" };
  db.insert(uplinks).values({ devEui: uplink.devEui, fCnt: uplink.fCnt, correlationId: uplink.correlationIds[0] ?? null, receivedAt: now }).run();
  const values = uplink.values;
  if (!device) {
    const seen = db.select().from(unclaimedDevices).where(eq(unclaimedDevices.devEui, uplink.devEui)).get();
    const row = { devEui: uplink.devEui, deviceId: uplink.deviceId, firstSeenAt: seen?.firstSeenAt ?? now, lastSeenAt: now, uplinks: (seen?.uplinks ?? 0) + 1, lastValues: JSON.stringify(values) };
    db.insert(unclaimedDevices).values(row).onConflictDoUpdate({ target: unclaimedDevices.devEui, set: row }).run();
    return { status: "unclaimed" };
  }
  recordReading(effects, {
    devEui: uplink.devEui,
    unitId: device.unitId,
    at: uplink.receivedAt,
    temperature: values.temperature ?? null,
    humidity: values.humidity ?? null,
    battery: values.battery ?? null,
    doorOpen: values.doorOpen ?? null,
    rssi: uplink.rssi,
    snr: uplink.snr,
  });
  return { status: "stored", unitId: device.unitId };
}
