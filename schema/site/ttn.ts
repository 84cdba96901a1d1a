/**
 * The Things Stack (TTN v3) webhook bodies → sensor readings. Pure: no I/O, no `cloudflare:` imports.
 *
 * Message shape per The Things Stack "Data Formats" docs (ApplicationUp): an envelope of
 * `end_device_ids`, `correlation_ids`, `received_at`, plus exactly one event field — `uplink_message`,
 * `uplink_normalized`, `join_accept`, `downlink_ack|nack|sent|failed|queued`, `downlink_queue_invalidated`,
 * `location_solved`, `service_data`. Empty values ("", 0, false) are omitted by TTN, so every numeric field
 * may be missing. Unknown fields are stripped, never rejected: TTN adds fields over time.
 */
import { z } from "zod";

export const SENSOR_FIELDS = ["temperature", "humidity", "battery", "doorOpen"] as const;
export type SensorField = (typeof SENSOR_FIELDS)[number];

/**
 * Which key of decoded_payload gives each of our fields, per
 * device (e.g. { temperature: "TempC_SHT", battery: "BatV" }).
 */
export type FieldMapping = Partial<Record<SensorField, string>>;

/** A key of decoded_payload, or a dotted path into nested objects ("sensor.temp"). */
const decodedPath = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*$/, "letters, digits and _ in dot-separated segments");

export const fieldMappingSchema: z.ZodType<FieldMapping> = z.strictObject({
  temperature: decodedPath.optional(),
  humidity: decodedPath.optional(),
  battery: decodedPath.optional(),
  doorOpen: decodedPath.optional(),
});

/** The decoder key names tried, in order, when a device has no mapping. The first one present wins. */
export type DefaultMapping = Readonly<Record<SensorField, readonly string[]>>;
export const DEFAULT_MAPPING: DefaultMapping = Object.freeze({
  temperature: Object.freeze(["temperature", "TempC_SHT", "TempC_DS", "temp", "Temperature"]),
  humidity: Object.freeze(["humidity", "Hum_SHT", "hum", "Humidity"]),
  battery: Object.freeze(["battery", "BatV", "bat", "vdd"]),
  doorOpen: Object.freeze(["door_open", "DOOR_OPEN_STATUS", "door", "open"]),
});

export interface SensorValues {
  temperature: number;
  humidity: number;
  battery: number;
  doorOpen: boolean;
}

export interface Uplink {
  /** Upper-case, 16 hex digits. */
  devEui: string;
  deviceId: string;
  /** null when TTN left f_cnt out (it omits zero values, so this is usually frame 0). */
  fCnt: number | null;
  correlationIds: string[];
  /** Epoch ms of the top-level received_at (Application Server time). */
  receivedAt: number;
  values: Partial<SensorValues>;
  /** Best gateway: the rx_metadata entry with the highest rssi (channel_rssi when rssi is absent). */
  rssi: number | null;
  /** snr of that same best gateway; null when that entry has none (TTN also omits an snr of exactly 0). */
  snr: number | null;
  /** The best gateway's TTN id, when it named one: which gateway a sensor's readings come through. */
  gatewayId: string | null;
  /** Number of rx_metadata entries. */
  gateways: number;
  /** Whether decoded_payload was present. */
  decoded: boolean;
}

export interface FieldIssue {
  path: string;
  message: string;
}

export type ParsedWebhook =
  | { kind: "uplink"; uplink: Uplink }
  | { kind: "ignored"; event: string }
  | { kind: "invalid"; reason: string; fields?: FieldIssue[] };

/** Non-uplink ApplicationUp events: valid, answered 200, not stored (so TTN does not retry them). */
export const IGNORED_EVENTS = [
  // A second event per uplink when the decoder has normalizeUplink(); storing it would double-count.
  "uplink_normalized",
  "join_accept",
  "downlink_ack",
  "downlink_nack",
  "downlink_sent",
  "downlink_failed",
  "downlink_queued",
  "downlink_queue_invalidated",
  "location_solved",
  "service_data",
] as const;

export const MAX_RX_METADATA = 64;
export const MAX_CORRELATION_IDS = 32;
const MAX_FUTURE_MS = 5 * 60_000;
const MAX_PAST_MS = 7 * 24 * 60 * 60_000;

export const TEMPERATURE_RANGE = { min: -60, max: 100 } as const;
export const HUMIDITY_RANGE = { min: 0, max: 100 } as const;
export const BATTERY_VOLTS_MAX = 10;

const envelopeSchema = z.object({
  end_device_ids: z.object({
    device_id: z.string().min(1).max(64),
    dev_eui: z.string().regex(/^[0-9A-Fa-f]{16}$/, "16 hex digits"),
  }),
  correlation_ids: z.array(z.string().max(256)).max(MAX_CORRELATION_IDS).optional(),
  received_at: z.string().max(64),
});

/** TTN's gateway ids: 3 to 36 lower-case letters, digits and inner dashes. */
const GATEWAY_ID = /^[a-z0-9](?:[-]?[a-z0-9]){2,35}$/;

const rxMetadataSchema = z.object({
  // A gateway id that is not TTN's shape is left out rather than refusing the reading it carried.
  gateway_ids: z
    .object({ gateway_id: z.string().regex(GATEWAY_ID) })
    .optional()
    .catch(undefined),
  rssi: z.number().finite().optional(),
  channel_rssi: z.number().finite().optional(),
  snr: z.number().finite().optional(),
});

const uplinkMessageSchema = z.object({
  f_port: z.number().int().min(0).max(255).optional(),
  f_cnt: z.number().int().min(0).max(0xffff_ffff).optional(),
  frm_payload: z.string().optional(),
  decoded_payload: z.record(z.string(), z.unknown()).optional(),
  rx_metadata: z.array(rxMetadataSchema).max(MAX_RX_METADATA).optional(),
});

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Own-property walk along a dotted path; undefined when any step is missing or not an object. */
function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (Array.isArray(current) && typeof key === "number") current = current[key];
    else if (isPlainObject(current) && Object.hasOwn(current, String(key))) current = current[String(key)];
    else return undefined;
  }
  return current;
}

function issuesToInvalid(root: unknown, prefix: string[], error: z.ZodError): ParsedWebhook {
  const fields = error.issues.map((issue) => ({
    path: [...prefix, ...issue.path.map(String)].join("."),
    message: issue.message,
  }));
  const first = error.issues[0];
  // zod reports at least one issue with every error; this only keeps the answer typed.
  if (!first) return { kind: "invalid", reason: "invalid body", fields };
  const fullPath = [...prefix, ...first.path.map((p) => (typeof p === "symbol" ? String(p) : p))];
  const name = fullPath.join(".");
  let reason: string;
  if (first.code === "too_big" && Array.isArray(valueAt(root, fullPath))) reason = `too many entries in ${name}`;
  else if (valueAt(root, fullPath) === undefined) reason = `missing ${name}`;
  else reason = `invalid ${name}`;
  return { kind: "invalid", reason, fields };
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** Parses an RFC 3339 timestamp (nanosecond fractions allowed, truncated to ms); NaN when malformed. */
export function parseRfc3339(text: string): number {
  const m = RFC3339.exec(text);
  if (!m) return Number.NaN;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = m[7] ? Number(m[7].padEnd(3, "0").slice(0, 3)) : 0;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return Number.NaN;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return Number.NaN;
  let offsetMin = 0;
  if (!m[8]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return Number.NaN;
    offsetMin = (m[9] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  // A leap second (:60) is folded onto the next second's start.
  const utc = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), ms) + (second === 60 ? 1000 : 0);
  return utc - offsetMin * 60_000;
}

const NUMERIC_STRING = /^\s*-?\d+(?:\.\d+)?\s*$/;

/** A finite number, or a plain decimal string ("21.50": some decoders emit toFixed() output). */
function toNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string" && NUMERIC_STRING.test(value)) return Number(value);
  return undefined;
}

type Converted<T> = { ok: true; value: T | undefined } | { ok: false; message: string };

function describe(value: unknown): string {
  if (typeof value === "number") return String(value);
  try {
    const text = JSON.stringify(value);
    return text === undefined ? typeof value : text.length > 40 ? `${text.slice(0, 40)}…` : text;
  } catch {
    return typeof value;
  }
}

function convertTemperature(raw: unknown): Converted<number> {
  const n = toNumber(raw);
  if (n === undefined || n < TEMPERATURE_RANGE.min || n > TEMPERATURE_RANGE.max)
    return { ok: false, message: `expected a number of °C from -60 to 100, got ${describe(raw)}` };
  return { ok: true, value: n };
}

function convertHumidity(raw: unknown): Converted<number> {
  const n = toNumber(raw);
  if (n === undefined || n < HUMIDITY_RANGE.min || n > HUMIDITY_RANGE.max)
    return { ok: false, message: `expected a relative humidity from 0 to 100, got ${describe(raw)}` };
  return { ok: true, value: n };
}

/**
 * Volts 0…10; values over 100 are millivolts (3600 → 3.6). A value over 10 and up to 100 is neither: decoders
 * that report it (e.g. Milesight's `battery`) mean a percentage, so battery is left absent rather than refusing
 * the reading.
 */
function convertBattery(raw: unknown): Converted<number> {
  const n = toNumber(raw);
  if (n === undefined || n < 0)
    return { ok: false, message: `expected battery volts or millivolts, got ${describe(raw)}` };
  if (n <= BATTERY_VOLTS_MAX) return { ok: true, value: n };
  if (n <= 100) return { ok: true, value: undefined };
  const volts = n / 1000;
  if (volts > BATTERY_VOLTS_MAX)
    return { ok: false, message: `expected battery volts or millivolts, got ${describe(raw)}` };
  return { ok: true, value: volts };
}

function convertDoor(raw: unknown): Converted<boolean> {
  if (typeof raw === "boolean") return { ok: true, value: raw };
  if (raw === 0 || raw === 1) return { ok: true, value: raw === 1 };
  if (typeof raw === "string") {
    const word = raw.trim().toLowerCase();
    if (word === "open") return { ok: true, value: true };
    if (word === "closed" || word === "close") return { ok: true, value: false };
  }
  return { ok: false, message: `expected true/false, 0/1, "open" or "closed", got ${describe(raw)}` };
}

const CONVERTERS: { [K in SensorField]: (raw: unknown) => Converted<SensorValues[K]> } = {
  temperature: convertTemperature,
  humidity: convertHumidity,
  battery: convertBattery,
  doorOpen: convertDoor,
};

function lookup(decoded: Record<string, unknown>, path: string): unknown {
  return valueAt(decoded, path.split("."));
}

function extractValues(
  decoded: Record<string, unknown>,
  mapping: FieldMapping | undefined,
): { ok: true; values: Partial<SensorValues> } | { ok: false; field: SensorField; issue: FieldIssue } {
  const values: Partial<SensorValues> = {};
  for (const field of SENSOR_FIELDS) {
    const candidates = mapping ? (mapping[field] === undefined ? [] : [mapping[field]]) : DEFAULT_MAPPING[field];
    for (const key of candidates) {
      const raw = lookup(decoded, key);
      if (raw === undefined || raw === null) continue;
      const converted = CONVERTERS[field](raw);
      if (!converted.ok)
        return {
          ok: false,
          field,
          issue: { path: `uplink_message.decoded_payload.${key}`, message: converted.message },
        };
      if (converted.value !== undefined) (values as Record<SensorField, unknown>)[field] = converted.value;
      break; // first present candidate wins
    }
  }
  return { ok: true, values };
}

interface BestGateway {
  rssi: number | null;
  snr: number | null;
  gatewayId: string | null;
}

function bestGateway(rx: readonly z.infer<typeof rxMetadataSchema>[]): BestGateway {
  let best: { rssi: number; snr: number | null; gatewayId: string | null } | null = null;
  for (const entry of rx) {
    const rssi = entry.rssi ?? entry.channel_rssi;
    if (rssi === undefined) continue;
    const snr = entry.snr ?? null;
    if (best === null || rssi > best.rssi || (rssi === best.rssi && (snr ?? -Infinity) > (best.snr ?? -Infinity)))
      best = { rssi, snr, gatewayId: entry.gateway_ids?.gateway_id ?? null };
  }
  return best ?? { rssi: null, snr: null, gatewayId: null };
}

/** Deepest nesting a webhook body may have: TTN's envelope and a decoder's payload are a few levels deep. */
export const MAX_WEBHOOK_DEPTH = 32;

/**
 * Whether `value` nests objects or arrays deeper than `max`: walked without recursion, so a
 * body nested thousands deep is refused with a 400 instead of overflowing the stack later.
 */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (typeof node !== "object" || node === null) continue;
    if (depth >= max) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Classifies one TTN v3 webhook body. Throws only when `options.mapping` itself is malformed (a
 * configuration error; check stored mappings with fieldMappingSchema first).
 */
export function parseWebhook(body: unknown, options: { now: number; mapping?: FieldMapping }): ParsedWebhook {
  const mapping = options.mapping === undefined ? undefined : fieldMappingSchema.parse(options.mapping);
  if (!isPlainObject(body)) return { kind: "invalid", reason: "body is not a JSON object" };

  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) return issuesToInvalid(body, [], envelope.error);
  const env = envelope.data;

  const receivedAt = parseRfc3339(env.received_at);
  if (Number.isNaN(receivedAt))
    return {
      kind: "invalid",
      reason: "received_at is not an RFC 3339 time",
      fields: [{ path: "received_at", message: `got ${describe(env.received_at)}` }],
    };
  if (!Object.hasOwn(body, "uplink_message") || body.uplink_message === undefined) {
    const known = IGNORED_EVENTS.find((event) => Object.hasOwn(body, event) && isPlainObject(body[event]));
    if (known) return { kind: "ignored", event: known };
    // An event type added to TTN after this module was written: still a TTN message, so no retry storm.
    const envelopeKeys = new Set(["end_device_ids", "correlation_ids", "received_at"]);
    const other = Object.keys(body).find((key) => !envelopeKeys.has(key) && isPlainObject(body[key]));
    if (other !== undefined && /^[a-z][a-z0-9_]{0,63}$/.test(other)) return { kind: "ignored", event: other };
    return { kind: "invalid", reason: "no event in message" };
  }

  // Only what is stored must be recent: an ignored event (a join-accept, a downlink ack) keeps nothing,
  // so it is answered 200 at any age rather than refused and retried by TTN.
  if (receivedAt > options.now + MAX_FUTURE_MS || receivedAt < options.now - MAX_PAST_MS)
    return {
      kind: "invalid",
      reason: "timestamp out of range",
      fields: [{ path: "received_at", message: "more than 5 minutes ahead or 7 days behind the server clock" }],
    };

  const message = uplinkMessageSchema.safeParse(body.uplink_message);
  if (!isPlainObject(body.uplink_message)) return { kind: "invalid", reason: "invalid uplink_message" };
  if (!message.success) return issuesToInvalid(body, ["uplink_message"], message.error);
  const up = message.data;

  let values: Partial<SensorValues> = {};
  if (up.decoded_payload !== undefined) {
    const extracted = extractValues(up.decoded_payload, mapping);
    if (!extracted.ok) return { kind: "invalid", reason: `${extracted.field} out of range`, fields: [extracted.issue] };
    values = extracted.values;
  }

  const rx = up.rx_metadata ?? [];
  const { rssi, snr, gatewayId } = bestGateway(rx);
  return {
    kind: "uplink",
    uplink: {
      devEui: env.end_device_ids.dev_eui.toUpperCase(),
      deviceId: env.end_device_ids.device_id,
      fCnt: up.f_cnt ?? null,
      correlationIds: env.correlation_ids ?? [],
      receivedAt,
      values,
      rssi,
      snr,
      gatewayId,
      gateways: rx.length,
      decoded: up.decoded_payload !== undefined,
    },
  };
}
