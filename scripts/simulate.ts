/**
 * `npm run simulate`: LoRaWAN temperature sensors in a site's fridges and freezers, posting
 * uplinks to Haven's TTN webhook exactly as The Things Stack (v3) does: the ApplicationUp
 * envelope, real frame bytes of each device's payload format in `frm_payload`, and the
 * vendor decoder's `decoded_payload`. No dependencies: Node's own fetch.
 *
 * By default it reads the demo site `npm start` prepared (.wrangler/demo-site.json);
 * `--room`, `--key` and `--devices` aim it anywhere else. `npm run simulate -- --help`.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

/**
 * Where `npm start` leaves the demo site's room, ingest key and sensors for the simulator (in HAVEN_STATE_DIR if set).
 */
export const DEMO_SITE_FILE = process.env.HAVEN_STATE_DIR
  ? resolve(fileURLToPath(new URL("..", import.meta.url)), process.env.HAVEN_STATE_DIR, "demo-site.json")
  : fileURLToPath(new URL("../.wrangler/demo-site.json", import.meta.url));

/** Payload formats the simulator speaks, each as its vendor's TTN decoder outputs it. */
export const MODELS = ["lht65", "em300-th", "ers", "lds02"] as const;
export type Model = (typeof MODELS)[number];

export interface SimDevice {
  devEui: string;
  /** TTN's end device id. */
  deviceId: string;
  model: Model;
  /** °C the unit the sensor sits in holds; null for a door sensor. */
  setpoint: number | null;
  /** An LHT65 whose external DS18B20 probe is in the unit (its own SHT sensor outside, in the room). */
  externalProbe?: boolean;
  /** The unit, for the printed lines. */
  label?: string;
}

/** What the sensor measured. */
export interface Measurement {
  temperature: number | null;
  humidity: number | null;
  /** Volts. */
  battery: number;
  doorOpen: boolean | null;
}

/** The file `npm start` writes for the demo site. */
export interface DemoSiteFile {
  url: string;
  roomId: string;
  key: string;
  devices: SimDevice[];
  /** When history was posted (epoch ms), so a second start does not post it again. */
  backfilledAt?: number;
}

/* ---------- payload formats: frame bytes and decoder output ---------- */

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;
const int16 = (value: number) => (value < 0 ? value + 0x10000 : value) & 0xffff;

/**
 * Dragino LHT65, port 2, 11 bytes: battery (2 status bits, 14 bits mV), SHT temperature
 * (int16 ÷ 100), SHT humidity (÷ 10), external sensor type (1 = DS18B20), its temperature
 * (int16 ÷ 100), then 0x7FFF. Decoded as Dragino's TTN decoder names the fields.
 */
function lht65(
  m: Measurement,
  device: SimDevice,
  ambient: number,
): { port: number; bytes: number[]; decoded: Record<string, unknown> } {
  const unitTemp = m.temperature ?? ambient;
  const sht = device.externalProbe ? ambient : unitTemp;
  const ds = device.externalProbe ? unitTemp : unitTemp + 0.3;
  const mv = Math.round(m.battery * 1000);
  const status = mv > 2850 ? 3 : mv > 2700 ? 2 : mv > 2500 ? 1 : 0;
  const shtRaw = int16(Math.round(sht * 100));
  const hum = Math.round((m.humidity ?? 50) * 10);
  const dsRaw = int16(Math.round(ds * 100));
  const word = (status << 14) | (mv & 0x3fff);
  const bytes = [
    word >> 8,
    word & 0xff,
    shtRaw >> 8,
    shtRaw & 0xff,
    hum >> 8,
    hum & 0xff,
    0x01,
    dsRaw >> 8,
    dsRaw & 0xff,
    0x7f,
    0xff,
  ];
  return {
    port: 2,
    bytes,
    decoded: {
      BatV: mv / 1000,
      Bat_status: status,
      Ext_sensor: "Temperature Sensor",
      Hum_SHT: hum / 10,
      TempC_DS: round(ds, 2),
      TempC_SHT: round(sht, 2),
    },
  };
}

/**
 * Milesight EM300-TH, port 85, channel/type/value triplets: 01 75 battery %, 03 67
 * temperature (int16 LE ÷ 10), 04 68 humidity (÷ 2). Its battery is a percentage, which
 * Haven leaves out (it reads volts).
 */
function em300(m: Measurement): { port: number; bytes: number[]; decoded: Record<string, unknown> } {
  // Half full or better: its ER14505 cell lasts years. (A reading of 10 % or less would pass for volts.)
  const percent = Math.max(50, Math.min(100, Math.round(50 + ((m.battery - 3.0) / 0.6) * 50)));
  const t = int16(Math.round((m.temperature ?? 0) * 10));
  const h = Math.round((m.humidity ?? 50) * 2);
  return {
    port: 85,
    bytes: [0x01, 0x75, percent, 0x03, 0x67, t & 0xff, t >> 8, 0x04, 0x68, h],
    decoded: { battery: percent, humidity: h / 2, temperature: round((t > 0x7fff ? t - 0x10000 : t) / 10, 1) },
  };
}

/**
 * Elsys ERS, port 5, type-prefixed values: 01 temperature (int16 BE ÷ 10), 02 humidity %, 04 light
 * lux, 05 motion count, 07 vdd mV.
 */
function ers(m: Measurement): { port: number; bytes: number[]; decoded: Record<string, unknown> } {
  const t = int16(Math.round((m.temperature ?? 0) * 10));
  const h = Math.round(m.humidity ?? 50);
  const mv = Math.round(m.battery * 1000);
  // Inside a closed fridge it is dark and nothing moves.
  return {
    port: 5,
    bytes: [0x01, t >> 8, t & 0xff, 0x02, h, 0x04, 0x00, 0x00, 0x05, 0x00, 0x07, mv >> 8, mv & 0xff],
    decoded: { temperature: round((t > 0x7fff ? t - 0x10000 : t) / 10, 1), humidity: h, light: 0, motion: 0, vdd: mv },
  };
}

/**
 * Dragino LDS02 door sensor, port 10, 10 bytes: door status bit and battery mV, times
 * opened (24 bits), last open minutes (24 bits), alarm, and a spare byte. Its battery
 * field (BAT_V) is not one Haven guesses, so the demo maps it.
 */
function lds02(
  m: Measurement,
  state: { opened: number; lastOpenMinutes: number },
): { port: number; bytes: number[]; decoded: Record<string, unknown> } {
  const mv = Math.round(m.battery * 1000);
  const word = ((m.doorOpen ? 1 : 0) << 15) | (mv & 0x3fff);
  const { opened, lastOpenMinutes } = state;
  return {
    port: 10,
    bytes: [
      word >> 8,
      word & 0xff,
      (opened >> 16) & 0xff,
      (opened >> 8) & 0xff,
      opened & 0xff,
      (lastOpenMinutes >> 16) & 0xff,
      (lastOpenMinutes >> 8) & 0xff,
      lastOpenMinutes & 0xff,
      0x00,
      0x00,
    ],
    decoded: {
      DOOR_OPEN_STATUS: m.doorOpen ? 1 : 0,
      DOOR_OPEN_TIMES: opened,
      LAST_DOOR_OPEN_DURATION: lastOpenMinutes,
      BAT_V: mv / 1000,
      ALARM: 0,
    },
  };
}

/* ---------- the TTN envelope ---------- */

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A ULID, as The Things Stack writes in correlation ids: 48-bit time, 80 random bits, Crockford base 32. */
function ulid(at: number): string {
  let time = "";
  for (let t = at, i = 0; i < 10; i++, t = Math.floor(t / 32)) time = CROCKFORD[t % 32] + time;
  let rest = "";
  for (const byte of randomBytes(16)) rest += CROCKFORD[byte % 32];
  return time + rest;
}

const iso = (ms: number) => new Date(ms).toISOString();
/** A gateway's concentrator clock: microseconds, wrapping at 2³². */
const concentratorTimestamp = (ms: number) => (ms * 1000) % 0x1_0000_0000;

const GATEWAYS = [
  {
    gateway_ids: { gateway_id: "harbour-kitchen-gw", eui: "7076FF0056081B2C" },
    location: { latitude: 50.7192, longitude: -1.9813, altitude: 4, source: "SOURCE_REGISTRY" },
  },
  { gateway_ids: { gateway_id: "eui-b827ebfffe6a1c2d", eui: "B827EBFFFE6A1C2D" } },
];
const EU868_FREQUENCIES = [
  "868100000",
  "868300000",
  "868500000",
  "867100000",
  "867300000",
  "867500000",
  "867700000",
  "867900000",
];

/** A stable number from a DevEUI, so each sensor keeps its own radio link and phase from run to run. */
function seedOf(devEui: string): number {
  let h = 2166136261;
  for (const c of devEui) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h;
}

const gaussian = () => Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());

/**
 * The frame counter: seconds since 2026 at the moment of the uplink, never less than the
 * last one plus one. Haven drops an uplink whose DevEUI and f_cnt it saw in the last day
 * (TTN's retries), so a counter restarting at 0 on each run would be dropped; tied to the
 * clock it grows across runs and backfills alike, as long as uplinks are ≥ 1 s apart.
 */
const FCNT_EPOCH_MS = Date.UTC(2026, 0, 1);
export const fCntAt = (at: number) => Math.max(0, Math.floor((at - FCNT_EPOCH_MS) / 1000)) % 0x1_0000_0000;

/** One simulated sensor: its own counter, radio link and temperature walk. */
export class Sensor {
  #fCnt = -1;
  #walk = 0;
  #humidity: number;
  #battery: number;
  #door = { opened: 0, lastOpenMinutes: 0, openSince: null as number | null };
  readonly #seed: number;
  readonly #frozen: boolean;

  constructor(readonly device: SimDevice) {
    this.#seed = seedOf(device.devEui);
    this.#frozen = (device.setpoint ?? 0) < -5;
    this.#humidity = this.#frozen ? 70 : 85;
    this.#battery = 3.0 + (this.#seed % 60) / 100;
    this.#door.opened = 20 + (this.#seed % 300);
  }

  /**
   * The unit's temperature at `at`: its setpoint, the compressor's cycle (fridges about
   * ±0.6 °C over 20 minutes, freezers ±0.9 °C over 40), a slow random walk, and `extra` °C
   * of trouble from the scenario.
   */
  temperatureAt(at: number, extra = 0): number | null {
    const { setpoint } = this.device;
    if (setpoint === null) return null;
    const periodMs = (this.#frozen ? 40 : 20) * 60_000;
    const phase = ((this.#seed % 1000) / 1000) * 2 * Math.PI;
    const cycle = (this.#frozen ? 0.9 : 0.6) * Math.sin((2 * Math.PI * at) / periodMs + phase);
    this.#walk = Math.max(-0.5, Math.min(0.5, this.#walk * 0.9 + gaussian() * 0.08));
    return round(setpoint + cycle + this.#walk + extra, 2);
  }

  /** What the sensor measures at `at`. A door sensor tracks how long it stayed open. */
  measure(at: number, trouble: { extra?: number; doorOpen?: boolean } = {}): Measurement {
    this.#humidity = Math.max(30, Math.min(98, this.#humidity + gaussian() * 0.8));
    this.#battery = Math.max(2.4, this.#battery - 0.00001);
    let doorOpen: boolean | null = null;
    if (this.device.model === "lds02") {
      doorOpen = trouble.doorOpen ?? false;
      if (doorOpen && this.#door.openSince === null) {
        this.#door.openSince = at;
        this.#door.opened += 1;
      } else if (!doorOpen && this.#door.openSince !== null) {
        this.#door.lastOpenMinutes = Math.round((at - this.#door.openSince) / 60_000);
        this.#door.openSince = null;
      }
    }
    return {
      temperature: this.temperatureAt(at, trouble.extra),
      humidity: round(this.#humidity, 1),
      battery: round(this.#battery, 3),
      doorOpen,
    };
  }

  /** The webhook body TTN would post for this measurement, received at `at`. */
  uplink(at: number, m: Measurement): Record<string, unknown> {
    this.#fCnt = Math.max(this.#fCnt + 1, fCntAt(at));
    const d = this.device;
    const frame =
      d.model === "lht65"
        ? lht65(m, d, 14 + gaussian() * 0.3)
        : d.model === "em300-th"
          ? em300(m)
          : d.model === "ers"
            ? ers(m)
            : lds02(m, this.#door);
    const gatewayAt = at - 80;
    const nsAt = at - 35;
    const baseRssi = -68 - (this.#seed % 40);
    // A sensor in a walk-in or a steel cabinet is heard by one gateway; some reach both.
    const heardBy = this.#seed % 3 === 0 ? GATEWAYS : GATEWAYS.slice(0, 1);
    const rx = heardBy.map((gw, i) => {
      const rssi = Math.round(baseRssi - i * 14 + gaussian() * 2);
      return {
        ...gw,
        time: iso(gatewayAt),
        timestamp: concentratorTimestamp(gatewayAt + i * 7919),
        rssi,
        channel_rssi: rssi,
        snr: round(Math.max(-15, Math.min(12, 9 + (rssi + 70) / 4 + gaussian())), 2),
        uplink_token: Buffer.from(`${gw.gateway_ids.gateway_id}:${concentratorTimestamp(gatewayAt)}`).toString(
          "base64",
        ),
        received_at: iso(gatewayAt + 20),
      };
    });
    const spreadingFactor = baseRssi > -85 ? 7 : baseRssi > -100 ? 8 : 9;
    const ids = [
      "as:up",
      "gs:conn",
      "gs:up:host",
      "gs:uplink",
      "ns:uplink",
      "rpc:/ttn.lorawan.v3.GsNs/HandleUplink",
      "rpc:/ttn.lorawan.v3.NsAs/HandleUplink",
    ];
    return {
      end_device_ids: {
        device_id: d.deviceId,
        application_ids: { application_id: "harbour-kitchen" },
        dev_eui: d.devEui,
        join_eui: "A840410000000101",
        dev_addr: `260B${(this.#seed & 0xffff).toString(16).toUpperCase().padStart(4, "0")}`,
      },
      correlation_ids: ids.map((prefix) => `${prefix}:${ulid(at)}`),
      received_at: iso(at),
      uplink_message: {
        session_key_id: Buffer.from(`${d.devEui}-session`).toString("base64"),
        f_port: frame.port,
        f_cnt: this.#fCnt,
        frm_payload: Buffer.from(frame.bytes).toString("base64"),
        decoded_payload: frame.decoded,
        rx_metadata: rx,
        settings: {
          data_rate: { lora: { bandwidth: 125000, spreading_factor: spreadingFactor, coding_rate: "4/5" } },
          frequency: EU868_FREQUENCIES[this.#fCnt % EU868_FREQUENCIES.length],
          // The first gateway's concentrator clock, as in its rx_metadata entry.
          timestamp: concentratorTimestamp(gatewayAt),
          time: iso(gatewayAt),
        },
        received_at: iso(nsAt),
        consumed_airtime: `${(0.041 * 2 ** (spreadingFactor - 7) + frame.bytes.length * 0.0016).toFixed(6)}s`,
        network_ids: {
          net_id: "000013",
          ns_id: "EC656E0000000181",
          tenant_id: "ttn",
          cluster_id: "eu1",
          cluster_address: "eu1.cloud.thethings.network",
        },
      },
    };
  }
}

/** Posts one webhook body as TTN does; resolves to the HTTP status and Haven's answer. */
export async function postUplink(
  url: string,
  roomId: string,
  key: string,
  body: unknown,
): Promise<{ status: number; answer: string }> {
  const res = await fetch(`${url.replace(/\/$/, "")}/api/sites/${encodeURIComponent(roomId)}/ttn`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Authorization: `Bearer ${key}`,
      "User-Agent": "TheThingsStack/3 (haven simulate)",
    },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let answer = text;
  try {
    const json = JSON.parse(text) as { status?: string; error?: { message?: string } };
    answer = json.status ?? json.error?.message ?? text;
  } catch {
    // Not JSON: print it as it came.
  }
  return { status: res.status, answer: answer.slice(0, 200) };
}

/* ---------- the command line ---------- */

export const SCENARIOS = ["normal", "warming", "door", "stale"] as const;
type Scenario = (typeof SCENARIOS)[number];

const HELP = `Usage: npm run simulate -- [options]

Posts LoRaWAN sensor uplinks to a site's TTN webhook, as The Things Stack v3 does.
With no --room, --key or --devices it reads the demo site npm start prepared
(.wrangler/demo-site.json).

Options:
  --url <url>          Haven's address (default: the demo file's, else http://localhost:8787)
  --room <roomId>      the site's room id
  --key <key>          an ingest key of that site (sent as Authorization: Bearer <key>)
  --devices <list>     comma-separated DEVEUI[:model[:setpoint]] (models: ${MODELS.join(", ")};
                       setpoint °C, default 3), or the path of a JSON file shaped like
                       .wrangler/demo-site.json
  --interval <s>       seconds between each sensor's uplinks (default 5; at least 1)
  --scenario <name>    normal     every unit near its setpoint (default)
                       warming    the target's unit warms 1 °C a minute to 6 °C above its
                                  setpoint: an alert once above the limit for the rule's duration
                       door       the target door sensor reports open and its unit warms slowly
                       stale      the target goes silent: a stale alert after 15 minutes
  --target <DEVEUI>    the sensor the scenario happens to (default: the first that fits)
  --count <n>          stop after n rounds (default: until Ctrl-C)
  --help               this text

Examples:
  npm run simulate
  npm run simulate -- --scenario warming
  npm run simulate -- --url https://haven.example.com --room <roomId> --key <key> \\
      --devices A84041000181A102:lht65:3,24E124136B5021A1:em300-th:-20`;

function fail(message: string): never {
  console.error(`simulate: ${message}\n(npm run simulate -- --help)`);
  process.exit(2);
}

function readDemoFile(path: string): DemoSiteFile | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return null;
  }
  try {
    return JSON.parse(text) as DemoSiteFile;
  } catch (err) {
    fail(`${path} is not JSON: ${(err as Error).message}`);
  }
}

function parseDeviceList(list: string): SimDevice[] {
  return list
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry, i) => {
      const [eui = "", model = "lht65", setpoint] = entry.split(":");
      if (!/^[0-9A-Fa-f]{16}$/.test(eui)) fail(`"${eui}" is not a DevEUI (16 hex digits)`);
      if (!(MODELS as readonly string[]).includes(model)) fail(`unknown model "${model}" (${MODELS.join(", ")})`);
      const degrees = model === "lds02" ? null : setpoint === undefined ? 3 : Number(setpoint);
      if (degrees !== null && !Number.isFinite(degrees)) fail(`"${setpoint}" is not a setpoint in °C`);
      return { devEui: eui.toUpperCase(), deviceId: `sim-${model}-${i + 1}`, model: model as Model, setpoint: degrees };
    });
}

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);

function describeMeasurement(m: Measurement): string {
  const parts: string[] = [];
  if (m.temperature !== null) parts.push(`${m.temperature.toFixed(2).padStart(6)} °C`);
  if (m.doorOpen !== null) parts.push(m.doorOpen ? "door OPEN" : "door closed");
  return parts.join("  ").padEnd(10);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: "string" },
      room: { type: "string" },
      key: { type: "string" },
      devices: { type: "string" },
      interval: { type: "string", default: "5" },
      scenario: { type: "string", default: "normal" },
      target: { type: "string" },
      count: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    return;
  }

  const fromFile =
    values.devices && !values.devices.includes(",") && values.devices.endsWith(".json")
      ? readDemoFile(values.devices)
      : null;
  const demo =
    fromFile ??
    (values.devices === undefined || values.room === undefined || values.key === undefined
      ? readDemoFile(DEMO_SITE_FILE)
      : null);
  const url = values.url ?? demo?.url ?? "http://localhost:8787";
  const roomId =
    values.room ??
    demo?.roomId ??
    fail("no --room, and no demo site file (run npm start first, or pass --room, --key and --devices)");
  const key = values.key ?? demo?.key ?? fail("no --key (an ingest key of the site)");
  const devices = values.devices !== undefined && !fromFile ? parseDeviceList(values.devices) : (demo?.devices ?? []);
  if (devices.length === 0) fail("no devices to simulate");
  const intervalS = Number(values.interval);
  if (!Number.isFinite(intervalS) || intervalS < 1) fail("--interval takes seconds, at least 1");
  const scenario = values.scenario as Scenario;
  if (!(SCENARIOS as readonly string[]).includes(scenario))
    fail(`unknown scenario "${values.scenario}" (${SCENARIOS.join(", ")})`);
  const rounds = values.count === undefined ? Infinity : Number(values.count);
  if (!(rounds >= 1)) fail("--count takes a number of rounds, at least 1");

  const fits = (d: SimDevice) =>
    scenario === "door" ? d.model === "lds02" : scenario === "warming" ? d.setpoint !== null && d.setpoint > -5 : true;
  const wanted = values.target?.toUpperCase();
  const target = wanted ? devices.find((d) => d.devEui === wanted) : devices.find(fits);
  if (scenario !== "normal" && !target)
    fail(
      values.target ? `--target ${values.target} is not among the devices` : `no device fits the ${scenario} scenario`,
    );
  // The door scenario warms the unit whose door it is: the sensor listed next to it with the same label.
  const doorUnit =
    scenario === "door" && target
      ? devices.find((d) => d !== target && d.setpoint !== null && d.label !== undefined && d.label === target.label)
      : undefined;

  const sensors = devices.map((d) => new Sensor(d));
  const startedAt = Date.now();
  console.log(
    `Simulating ${sensors.length} sensor(s) → ${url}/api/sites/${roomId}/ttn every ${intervalS} s, ` +
      `scenario ${scenario}${target && scenario !== "normal" ? ` on ${target.label ?? target.devEui}` : ""}. Ctrl-C ` +
      `stops.`,
  );

  let stopping = false;
  let posted = 0;
  const answers = new Map<string, number>();
  let wake: (() => void) | null = null;
  const stop = () => {
    if (stopping) process.exit(130); // a second Ctrl-C does not wait
    stopping = true;
    wake?.();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);

  for (let round = 0; round < rounds && !stopping; round++) {
    const at = Date.now();
    const minutes = (at - startedAt) / 60_000;
    await Promise.all(
      sensors.map(async (sensor) => {
        const d = sensor.device;
        if (scenario === "stale" && d === target && round > 0) return;
        const trouble =
          scenario === "warming" && d === target
            ? { extra: Math.min(6, minutes) }
            : scenario === "door" && d === target
              ? { doorOpen: true }
              : scenario === "door" && d === doorUnit
                ? { extra: Math.min(5, minutes * 0.3) }
                : {};
        const m = sensor.measure(at, trouble);
        const body = sensor.uplink(at, m);
        const fCnt = (body.uplink_message as { f_cnt: number }).f_cnt;
        let line: string;
        try {
          const { status, answer } = await postUplink(url, roomId, key, body);
          const tally = status === 200 ? `200 ${answer}` : String(status);
          answers.set(tally, (answers.get(tally) ?? 0) + 1);
          line = `${status} ${answer}`;
        } catch (err) {
          const cause = (err as { cause?: { code?: string } }).cause?.code;
          line = `not sent: ${cause ?? (err as Error).message}`;
          answers.set("not sent", (answers.get("not sent") ?? 0) + 1);
        }
        posted += 1;
        console.log(
          `${clock(at)}  ${(d.label ?? d.deviceId).padEnd(22)} ${d.devEui}  ` +
            `f_cnt ${String(fCnt).padStart(9)}  ${describeMeasurement(m)}  → ${line}`,
        );
      }),
    );
    if (round + 1 >= rounds || stopping) break;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, intervalS * 1000);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wake = null;
  }
  const summary = [...answers].map(([answer, n]) => `${n}× ${answer}`).join(", ");
  console.log(`\nStopped after ${posted} uplink(s)${summary ? `: ${summary}` : ""}.`);
  process.off("SIGINT", stop);
  process.off("SIGTERM", stop);
}

// Run only as a script, not when the demo seed imports the sensor model.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
