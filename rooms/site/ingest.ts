/**
 * Taking a TTN uplink into a site room: the key proven, the body parsed with the sensor's
 * field mapping, TTN's retries dropped, then one reading stored (or the unknown sensor
 * recorded for a manager to claim). Evaluation and notifications come after the answer.
 */
import { asc, count, eq, inArray } from "drizzle-orm";
import { MAX_UNCLAIMED_DEVICES_PER_SITE, UPLINK_DEDUPE_MS } from "../../config";
import { type FieldMapping, parseWebhook, type Uplink } from "../../schema/site/ttn";
import type { RoomEffects } from "../core/commands";
import type { Db } from "./common";
import { recordReading } from "./readings";
import { unclaimedDevices } from "./tables";

export type IngestOutcome =
  | { status: "stored"; unitId: string }
  | { status: "duplicate" }
  | { status: "unclaimed" }
  | { status: "ignored"; event: string }
  | { status: "invalid"; reason: string; fields?: { path: string; message: string }[] }
  | { status: "unauthorized" };

/**
 * Whether `keyHash` is one of the site's live ingest keys; marks it used
 * (to the minute, so a stream of uplinks does not rewrite it each time).
 */
export function keyIsLive(sql: SqlStorage, keyHash: string, now: number): boolean {
  const key = sql
    .exec<{ id: string; lastUsedAt: number | null }>(
      "SELECT id, last_used_at AS lastUsedAt FROM ingest_keys WHERE hash = ? AND revoked_at IS NULL LIMIT 1",
      keyHash,
    )
    .toArray()[0];
  if (!key) return false;
  if (key.lastUsedAt === null || now - key.lastUsedAt >= 60_000)
    sql.exec("UPDATE ingest_keys SET last_used_at = ? WHERE id = ?", now, key.id);
  return true;
}

/** The DevEUI a body names, before it is parsed in full: to find that sensor's field mapping and allowance. */
export function devEuiOf(body: unknown): string | null {
  if (typeof body !== "object" || body === null) return null;
  const ids = (body as { end_device_ids?: { dev_eui?: unknown } }).end_device_ids;
  return typeof ids?.dev_eui === "string" ? ids.dev_eui.toUpperCase() : null;
}

/** Correlation ids looked up per uplink: TTN sends about seven; more are not needed to spot a retry. */
const MAX_CORRELATION_IDS_CHECKED = 20;

/**
 * A retry of an uplink already taken in: TTN's retries carry the same correlation ids, and
 * the same counter at the same TTN time. The counter alone proves nothing: a device that
 * rejoined counts from 0 again (a counter drop is a rejoin, not a replay), and a key holder
 * could otherwise send future counters first to have the real uplinks dropped.
 */
function seenBefore(sql: SqlStorage, uplink: Uplink, now: number): boolean {
  const since = now - UPLINK_DEDUPE_MS;
  const ids = uplink.correlationIds.slice(0, MAX_CORRELATION_IDS_CHECKED);
  const byCounter = uplink.fCnt === null ? null : "(dev_eui = ? AND f_cnt = ? AND uplink_at = ?)";
  const byCorrelation = ids.length > 0 ? `correlation_id IN (${ids.map(() => "?").join(", ")})` : null;
  const match = [byCounter, byCorrelation].filter((part) => part !== null).join(" OR ");
  if (match === "") return false;
  const counter = uplink.fCnt === null ? [] : [uplink.devEui, uplink.fCnt, uplink.receivedAt];
  const bindings: SqlStorageValue[] = [since, ...counter, ...ids];
  return (
    sql.exec(`SELECT 1 FROM uplinks WHERE received_at > ? AND (${match}) LIMIT 1`, ...bindings).toArray().length > 0
  );
}

/** Records a sensor no unit holds; past the site's cap the longest silent one is dropped, so a flood stays bounded. */
function recordUnclaimed(db: Db, uplink: Uplink, now: number): void {
  const seen = db.select().from(unclaimedDevices).where(eq(unclaimedDevices.devEui, uplink.devEui)).get();
  if (!seen) {
    const held = db.select({ n: count() }).from(unclaimedDevices).get()?.n ?? 0;
    if (held >= MAX_UNCLAIMED_DEVICES_PER_SITE) {
      const oldest = db
        .select({ devEui: unclaimedDevices.devEui })
        .from(unclaimedDevices)
        .orderBy(asc(unclaimedDevices.lastSeenAt), asc(unclaimedDevices.devEui))
        .limit(held - MAX_UNCLAIMED_DEVICES_PER_SITE + 1)
        .all()
        .map((row) => row.devEui);
      db.delete(unclaimedDevices).where(inArray(unclaimedDevices.devEui, oldest)).run();
    }
  }
  const row = {
    devEui: uplink.devEui,
    deviceId: uplink.deviceId,
    firstSeenAt: seen?.firstSeenAt ?? now,
    lastSeenAt: now,
    uplinks: (seen?.uplinks ?? 0) + 1,
    lastValues: JSON.stringify(uplink.values),
  };
  db.insert(unclaimedDevices).values(row).onConflictDoUpdate({ target: unclaimedDevices.devEui, set: row }).run();
}

/** Runs inside the room's transaction: a stored reading is judged against the unit's rules in the same transaction. */
export function ingest(effects: RoomEffects, body: unknown): IngestOutcome {
  const { db, sql, now } = effects;
  const eui = devEuiOf(body);
  const device = eui
    ? sql
        .exec<{ unitId: string; mapping: string | null; gatewayId: string | null }>(
          "SELECT unit_id AS unitId, mapping, gateway_id AS gatewayId FROM devices WHERE dev_eui = ?",
          eui,
        )
        .toArray()[0]
    : undefined;
  const mapping = device?.mapping ? (JSON.parse(device.mapping) as FieldMapping) : undefined;
  const parsed = parseWebhook(body, { now, mapping });
  if (parsed.kind === "ignored") return { status: "ignored", event: parsed.event };
  if (parsed.kind === "invalid")
    return { status: "invalid", reason: parsed.reason, ...(parsed.fields ? { fields: parsed.fields } : {}) };
  const uplink = parsed.uplink;
  if (seenBefore(sql, uplink, now)) return { status: "duplicate" };
  sql.exec(
    "INSERT INTO uplinks (dev_eui, f_cnt, correlation_id, received_at, uplink_at) VALUES (?, ?, ?, ?, ?)",
    uplink.devEui,
    uplink.fCnt,
    uplink.correlationIds[0] ?? null,
    now,
    uplink.receivedAt,
  );
  const values = uplink.values;
  if (!device) {
    recordUnclaimed(db, uplink, now);
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
  // Which gateway the sensor is heard through, so a gateway gone quiet is told from a sensor gone quiet.
  if (uplink.gatewayId !== null && uplink.gatewayId !== device.gatewayId)
    sql.exec("UPDATE devices SET gateway_id = ? WHERE dev_eui = ?", uplink.gatewayId, uplink.devEui);
  return { status: "stored", unitId: device.unitId };
}
