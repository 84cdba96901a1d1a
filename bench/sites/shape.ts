/**
 * The site the benchmark builds, shared by the workerd half (in-process.bench-test.ts) and
 * the `wrangler dev` half (run.ts): sensors spread over units, TTN uplink bodies in the
 * Dragino LHT65 shape of tests/fixtures/ttn, the rules turned off for the peer run, and
 * 30 days of per-minute rollups for the chart query. Pure; no I/O.
 */
import { type TtnFixture, ttnFixture } from "../../tests/fixtures/ttn/load";

/** Units in the ingestion site, and sensors spread over them (20 per unit). */
export const UNITS = 50;
export const DEVICES = 1_000;
/** Readings sent into one room in the in-process run; 30 per sensor, inside each sensor's burst of 60. */
export const IN_PROCESS_READINGS = 30_000;
/** Readings posted to the webhook under `wrangler dev`; 20 per sensor. */
export const WEBHOOK_READINGS = 20_000;
/** Per-minute rollup rows of one unit for the chart query: 30 days. */
export const CHART_DAYS = 30;
export const CHART_ROWS = CHART_DAYS * 24 * 60;
export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

/** The `i`th sensor's DevEUI (16 upper-case hex digits, none of them a fixture's). */
export const devEui = (i: number) => `BE0C${i.toString(16).toUpperCase().padStart(12, "0")}`;

type Body = TtnFixture<"dragino-lht65">;

/**
 * The fixture re-dated once, when the benchmark starts; each body then only sets its own received_at.
 * Re-dating every body (about 0.1 ms each, measured) would add seconds to the measured ingest loop.
 */
const lht65 = ttnFixture("dragino-lht65");

/**
 * An LHT65 uplink from sensor `eui` with counter `fCnt`, received `at`, measuring `temperature`:
 * the fixture's body with a fresh time, counter and correlation id, as TTN would send it.
 */
export function uplinkBody(eui: string, fCnt: number, at: number, temperature: number, battery = 3.05): Body {
  const receivedAt = new Date(at).toISOString();
  return {
    ...lht65,
    end_device_ids: { ...lht65.end_device_ids, device_id: `probe-${eui.toLowerCase()}`, dev_eui: eui },
    correlation_ids: [`as:up:${crypto.randomUUID()}`, ...lht65.correlation_ids.slice(1)],
    received_at: receivedAt,
    uplink_message: {
      ...lht65.uplink_message,
      f_cnt: fCnt,
      received_at: receivedAt,
      decoded_payload: { ...lht65.uplink_message.decoded_payload, TempC_SHT: temperature, BatV: battery },
    },
  };
}

/** A cold-holding temperature inside every default limit (2.0–4.4 °C), varying by reading. */
export const steadyTemperature = (i: number) => 2 + ((i * 7) % 25) / 10;

/** `rule.set` commands that turn every rule of the site off: the peer run without evaluation. */
export const RULES_OFF = [
  {
    scope: "site",
    kind: "temperature_high",
    rule: { enabled: false, threshold: 5, durationMinutes: 15, hysteresis: 0.5, severity: "critical" },
  },
  {
    scope: "site",
    kind: "temperature_low",
    rule: { enabled: false, threshold: 0, durationMinutes: 30, hysteresis: 0.5, severity: "warning" },
  },
  { scope: "site", kind: "stale", rule: { enabled: false, durationMinutes: 15, severity: "warning" } },
  { scope: "site", kind: "battery_low", rule: { enabled: false, threshold: 2.7, severity: "warning" } },
  { scope: "site", kind: "door_open", rule: { enabled: false, durationMinutes: 10, severity: "warning" } },
] as const;

/** The unit rule of the alert-latency measure: above 5 °C alerts at once, clears below 4.5 °C. */
export const INSTANT_HIGH = {
  enabled: true,
  threshold: 5,
  durationMinutes: 0,
  hysteresis: 0.5,
  severity: "critical",
} as const;

/**
 * One SQL statement that fills `readings_minute` with `CHART_ROWS` rows for `unitId`, one per
 * minute from `from` (a minute boundary): two readings a minute around 2–5 °C. Values are
 * inlined so the same text runs in a room (`sql.exec`) and in the sqlite3 shell.
 */
export function fillMinutesSql(unitId: string, from: number): string {
  if (!/^[A-Za-z0-9-]+$/.test(unitId)) throw new Error(`unexpected unit id ${unitId}`);
  return (
    "INSERT OR REPLACE INTO readings_minute (unit_id, at, count, sum, min, max)\n" +
    `WITH RECURSIVE m(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM m WHERE i < ${CHART_ROWS - 1})\n` +
    `SELECT '${unitId}', ${from} + i * ${MINUTE}, 2, 2 * (2.0 + ((i * 7) % 30) / 10.0), ` +
    "1.9 + ((i * 7) % 30) / 10.0, 2.1 + ((i * 7) % 30) / 10.0 FROM m"
  );
}

/** One ingestion trial, as the workerd half reports it and the runner records it. */
export interface IngestRun {
  /** The same kind of readings sent by direct calls inside the room (no RPC between): the room's own rate. */
  inRoom: { readings: number; ms: number; perSecond: number };
  readings: number;
  /** Whether the trial stopped at its time cap before sending all its readings. */
  capped: boolean;
  ms: number;
  perSecond: number;
  callMs: { p50: number; p99: number; max: number };
}
