/**
 * The demo site `npm start` fills: a restaurant kitchen's fridges and freezers in three
 * areas, one LoRaWAN sensor in each (and a door sensor on the walk-in cooler), an ingest
 * key, and four hours of readings posted through the TTN webhook as TTN would have. The
 * history holds a door-open spike, a freezer defrost (neither long enough to alert) and a
 * dessert case that stayed warm for 25 minutes (an alert, since cleared, waiting for
 * someone to acknowledge it). Layout commands have fixed ids and keys, so starting again
 * changes nothing; the room, key and sensors are written to .wrangler/demo-site.json for
 * `npm run simulate`.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { siteCommands } from "../schema/site/commands";
import type { UnitKind } from "../schema/site/records";
import type { FieldMapping } from "../schema/site/ttn";
import { DEMO_SITE_FILE, type DemoSiteFile, fCntAt, postUplink, Sensor, type SimDevice } from "./simulate";

const MINUTE = 60_000;
/**
 * History posted on the first start: 4 hours every 5 minutes, 48 uplinks a sensor, inside the
 * webhook's burst of 60 per sensor.
 */
const HISTORY_MINUTES = 240;
const HISTORY_STEP_MINUTES = 5;
const KEY_LABEL = "Demo simulator";

const AREAS = [
  { id: "kitchen", name: "Kitchen" },
  { id: "back-store", name: "Back store" },
  { id: "front-of-house", name: "Front of house" },
] as const;

type AreaId = (typeof AREAS)[number]["id"];

interface DemoUnit {
  id: string;
  areaId: AreaId;
  name: string;
  kind: UnitKind;
  sensors: (SimDevice & { name: string; mapping?: FieldMapping })[];
}

/** One sensor per unit, of the kinds kitchens buy; fixed DevEUIs with each vendor's prefix. */
const UNITS: DemoUnit[] = [
  {
    id: "prep-fridge",
    areaId: "kitchen",
    name: "Prep fridge",
    kind: "fridge",
    sensors: [
      { devEui: "24E124136B5021A1", deviceId: "em300-prep-fridge", name: "EM300-TH", model: "em300-th", setpoint: 3 },
    ],
  },
  {
    id: "line-fridge",
    areaId: "kitchen",
    name: "Line fridge",
    kind: "fridge",
    sensors: [
      { devEui: "A84041000181A102", deviceId: "lht65-line-fridge", name: "LHT65", model: "lht65", setpoint: 3.5 },
    ],
  },
  {
    id: "blast-chiller",
    areaId: "kitchen",
    name: "Blast chiller",
    kind: "blast_chiller",
    sensors: [
      { devEui: "A81758FFFE04C103", deviceId: "ers-blast-chiller", name: "Elsys ERS", model: "ers", setpoint: 2 },
    ],
  },
  {
    id: "walk-in-cooler",
    areaId: "back-store",
    name: "Walk-in cooler",
    kind: "walk_in_cooler",
    sensors: [
      { devEui: "A84041000181A105", deviceId: "lht65-walk-in-cooler", name: "LHT65", model: "lht65", setpoint: 2.5 },
      // The LDS02's battery is BAT_V, which Haven does not guess, so this sensor says how to read it.
      {
        devEui: "A840410000AB35A6",
        deviceId: "lds02-walk-in-door",
        name: "LDS02 door",
        model: "lds02",
        setpoint: null,
        mapping: { doorOpen: "DOOR_OPEN_STATUS", battery: "BAT_V" },
      },
    ],
  },
  {
    id: "walk-in-freezer",
    areaId: "back-store",
    name: "Walk-in freezer",
    kind: "walk_in_freezer",
    // The LHT65 hangs outside; its external probe is inside, so temperature is TempC_DS, not
    // the SHT sensor Haven tries first.
    sensors: [
      {
        devEui: "A84041000181A107",
        deviceId: "lht65-walk-in-freezer",
        name: "LHT65 with probe",
        model: "lht65",
        setpoint: -21,
        externalProbe: true,
        mapping: { temperature: "TempC_DS", battery: "BatV" },
      },
    ],
  },
  {
    id: "chest-freezer",
    areaId: "back-store",
    name: "Chest freezer",
    kind: "freezer",
    sensors: [
      { devEui: "A81758FFFE04C108", deviceId: "ers-chest-freezer", name: "Elsys ERS", model: "ers", setpoint: -22 },
    ],
  },
  {
    id: "dessert-case",
    areaId: "front-of-house",
    name: "Dessert display case",
    kind: "display_case",
    sensors: [
      {
        devEui: "24E124136B5021A9",
        deviceId: "em300-dessert-case",
        name: "EM300-TH",
        model: "em300-th",
        setpoint: 3.5,
      },
    ],
  },
];

type Step = { name: keyof typeof siteCommands; args: Record<string, unknown> };

/** The layout, as commands. */
export function demoSiteSteps(): Step[] {
  return [
    ...AREAS.map((a): Step => ({ name: "area.create", args: { id: a.id, name: a.name } })),
    ...UNITS.map(
      (u): Step => ({ name: "unit.create", args: { id: u.id, areaId: u.areaId, name: u.name, kind: u.kind } }),
    ),
    ...UNITS.flatMap((u) =>
      u.sensors.map(
        (s): Step => ({
          name: "device.assign",
          args: { devEui: s.devEui, unitId: u.id, name: s.name, ...(s.mapping ? { mapping: s.mapping } : {}) },
        }),
      ),
    ),
  ];
}

/** The sensors as the simulator takes them, each labelled with its unit. */
export function demoSiteDevices(): SimDevice[] {
  return UNITS.flatMap((u) =>
    u.sensors.map(({ devEui, deviceId, model, setpoint, externalProbe }) => ({
      devEui,
      deviceId,
      model,
      setpoint,
      ...(externalProbe ? { externalProbe } : {}),
      label: u.name,
    })),
  );
}

/**
 * What went on in the last four hours, by minutes before now: a delivery through the
 * walk-in cooler's door, a door-open spike on the line fridge, the walk-in freezer's
 * defrost, and the dessert case warm for 25 minutes (over the 15 the rule allows).
 */
function historyAt(unitId: string, minutesAgo: number): { extra?: number; doorOpen?: boolean } {
  const within = (from: number, to: number) => minutesAgo <= from && minutesAgo > to;
  switch (unitId) {
    case "walk-in-cooler":
      return within(200, 190) ? { doorOpen: true, extra: 1.2 } : within(190, 180) ? { extra: 0.5 } : {};
    case "line-fridge":
      return minutesAgo === 90 ? { extra: 4.5 } : {};
    case "walk-in-freezer":
      return within(105, 95) ? { extra: 9 } : within(95, 90) ? { extra: 2 } : {};
    case "dessert-case":
      return within(150, 125) ? { extra: 3.6 } : within(125, 120) ? { extra: 0.4 } : {};
    default:
      return {};
  }
}

async function call(
  url: string,
  cookie: string,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<Response> {
  const headers: Record<string, string> = { Cookie: cookie };
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  return fetch(`${url}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

function readSaved(): DemoSiteFile | null {
  try {
    return JSON.parse(readFileSync(DEMO_SITE_FILE, "utf8")) as DemoSiteFile;
  } catch {
    return null;
  }
}

/**
 * Whether a key saved by an earlier start still opens this site's webhook: a join-accept, which
 * Haven answers 200 and ignores.
 */
async function keyStillWorks(url: string, roomId: string, key: string): Promise<boolean> {
  const [first] = demoSiteDevices();
  if (!first) throw new Error("the demo site has no sensors to check its key with");
  const body = {
    end_device_ids: {
      device_id: first.deviceId,
      application_ids: { application_id: "harbour-kitchen" },
      dev_eui: first.devEui,
      join_eui: "A840410000000101",
    },
    correlation_ids: [`as:up:key-check-${Date.now()}`],
    received_at: new Date().toISOString(),
    join_accept: { session_key_id: Buffer.from("demo").toString("base64"), received_at: new Date().toISOString() },
  };
  const { status } = await postUplink(url, roomId, key, body);
  if (status !== 200 && status !== 401) throw new Error(`checking the saved ingest key: HTTP ${status}`);
  return status === 200;
}

/** A new ingest key for the simulator; the demo's older ones are revoked first if the site has as many as it may. */
async function newIngestKey(url: string, cookie: string, roomId: string): Promise<string> {
  let res = await call(url, cookie, `/api/rooms/${roomId}/ingest-keys`, { body: { label: KEY_LABEL } });
  if (res.status === 409) {
    const { keys } = (await (await call(url, cookie, `/api/rooms/${roomId}/ingest-keys`)).json()) as {
      keys: { id: string; label: string }[];
    };
    for (const old of keys.filter((k) => k.label === KEY_LABEL))
      await call(url, cookie, `/api/rooms/${roomId}/ingest-keys/${old.id}`, { method: "DELETE" });
    res = await call(url, cookie, `/api/rooms/${roomId}/ingest-keys`, { body: { label: KEY_LABEL } });
  }
  if (res.status !== 201) throw new Error(`could not make an ingest key: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { key: string }).key;
}

/**
 * Posts a sensor's history in order, as TTN would have delivered it; a 429 waits for the sensor's allowance to refill.
 */
async function backfill(
  url: string,
  roomId: string,
  key: string,
  device: SimDevice,
  unitId: string,
  now: number,
): Promise<Map<string, number>> {
  const answers = new Map<string, number>();
  const sensor = new Sensor(device);
  for (let ago = HISTORY_MINUTES; ago >= HISTORY_STEP_MINUTES; ago -= HISTORY_STEP_MINUTES) {
    // A few seconds of jitter, as sensors do not report on the minute.
    const at = now - ago * MINUTE + (fCntAt(now) % 7) * 1000;
    const body = sensor.uplink(at, sensor.measure(at, historyAt(unitId, ago)));
    for (let attempt = 1; ; attempt++) {
      const { status, answer } = await postUplink(url, roomId, key, body);
      if (status === 429 && attempt < 5) {
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      const outcome = status === 200 ? answer : `${status} ${answer}`;
      answers.set(outcome, (answers.get(outcome) ?? 0) + 1);
      break;
    }
  }
  return answers;
}

/**
 * Lays out the demo site, gives it an ingest key and, the first time, its history; then
 * writes what the simulator needs to .wrangler/demo-site.json and says how to run it.
 */
export async function seedSite(url: string, cookie: string, roomId: string): Promise<void> {
  for (const [i, step] of demoSiteSteps().entries()) {
    const res = await call(url, cookie, `/api/rooms/${roomId}/commands`, {
      body: { ...step, key: `demo-site-${roomId}-${i}` },
    });
    // 409: run by an earlier start under other arguments (the demo's layout changed since).
    if (!res.ok && res.status !== 409)
      throw new Error(`${step.name} ${JSON.stringify(step.args)}: ${res.status} ${await res.text()}`);
  }

  const saved = readSaved();
  const sameRoom = saved?.roomId === roomId;
  const key =
    sameRoom && saved.key && (await keyStillWorks(url, roomId, saved.key))
      ? saved.key
      : await newIngestKey(url, cookie, roomId);
  const devices = demoSiteDevices();
  const file: DemoSiteFile = {
    url,
    roomId,
    key,
    devices,
    ...(sameRoom && saved.backfilledAt ? { backfilledAt: saved.backfilledAt } : {}),
  };

  if (!file.backfilledAt) {
    const now = Date.now();
    const unitOf = new Map(UNITS.flatMap((u) => u.sensors.map((s) => [s.devEui, u.id] as const)));
    const perDevice = await Promise.all(
      devices.map((d) => {
        const unitId = unitOf.get(d.devEui);
        if (unitId === undefined) throw new Error(`demo sensor ${d.devEui} is in no unit`);
        return backfill(url, roomId, key, d, unitId, now);
      }),
    );
    const totals = new Map<string, number>();
    for (const answers of perDevice)
      for (const [answer, n] of answers) totals.set(answer, (totals.get(answer) ?? 0) + n);
    console.log(
      `  Demo site: ${HISTORY_MINUTES / 60} hours of history posted through the TTN webhook ` +
        `(${[...totals].map(([a, n]) => `${n} ${a}`).join(", ")}).`,
    );
    if (totals.get("stored")) file.backfilledAt = now;
  }

  mkdirSync(dirname(DEMO_SITE_FILE), { recursive: true });
  writeFileSync(DEMO_SITE_FILE, `${JSON.stringify(file, null, 2)}\n`);
  const deviceList = devices
    .map((d) => `${d.devEui}:${d.model}${d.setpoint === null ? "" : `:${d.setpoint}`}`)
    .join(",");
  console.log(`  Demo site sensors: run \`npm run simulate\` in another terminal (it reads .wrangler/demo-site.json),
  or aim any TTN-shaped client at POST ${url}/api/sites/${roomId}/ttn with Authorization: Bearer ${key}
  (npm run simulate -- --room ${roomId} --key ${key} --devices ${deviceList})`);
}
