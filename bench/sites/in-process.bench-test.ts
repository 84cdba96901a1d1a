/**
 * The sites benchmark, in workerd (`npm run bench:sites` runs it and records the result):
 *
 * 1. Sustained ingestion into one site room: 30,000 TTN uplinks from 1,000 sensors in 50
 *    units, through the room's `ingestUplink` RPC with bounded concurrency, each stored
 *    with its rollups and judged against the rules in one transaction. The peer run sends
 *    the same readings into a site with every rule turned off. Trials alternate, each in a
 *    fresh room.
 * 2. The chart query: 30 days of per-minute rollups (43,200 rows) for one unit, read
 *    through the `readings` RPC, with the minute resolution asked for and chosen by span.
 *
 * Numbers are printed on one `SITES_BENCH` line. This file talks to the Worker with
 * `SELF.fetch` and to the room through its stub only, so it needs nothing from the workerd
 * test helpers' types (see cloudflare-test.d.ts next to it).
 */
import { abortAllDurableObjects, env, runInDurableObject, SELF } from "cloudflare:test";
import { expect, it } from "vitest";
import { round, summarize } from "../stats";
import {
  DAY,
  DEVICES,
  devEui,
  fillMinutesSql,
  IN_PROCESS_READINGS,
  type IngestRun,
  MINUTE,
  RULES_OFF,
  steadyTemperature,
  UNITS,
  uplinkBody,
} from "./shape";

const ORIGIN = "http://haven.test";
/** Trials of each kind, alternating rules on and off, each in a fresh site (`--trials=N` to run.ts). */
const TRIALS = Number((env as unknown as { SITES_TRIALS?: string }).SITES_TRIALS ?? "2") || 2;
/**
 * Which parts this process runs: "on", "off" (ingestion trials) and "chart". run.ts runs
 * each in a vitest process of its own: in one process, vitest-pool-workers 0.15.1 fails
 * after a few thousand commands with "Maximum call stack size exceeded" in its
 * `createProxyPrototypeClass` (it wraps a Durable Object class's prototype in one more
 * Proxy every time it constructs one), which is the harness, not the room.
 */
const PHASES = ((env as unknown as { SITES_PHASES?: string }).SITES_PHASES ?? "on,off,chart").split(",");
const CONCURRENCY = 32;
const CHART_RUNS = 30;
/** The columns a chart as wide as a laptop screen asks for (the client asks for 1,200 past a day). */
const CHART_COLUMNS = 1_200;
/**
 * A trial stops sending after this long even if not all its readings went in (the rate
 * is then over what was sent): at the 10,000/s target 30,000 readings take 3 s.
 */
const TRIAL_MAX_MS = 45_000;
/** Setup commands in flight at once (the room runs them one by one). */
const SETUP_CONCURRENCY = 8;
const IP = `10.250.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

/** What the benchmark calls on a site room's stub. */
interface SiteRpc {
  ingestUplink(keyHash: string, body: unknown): Promise<{ status: string }>;
  readings(
    unitId: string,
    from: number,
    to: number,
    resolution?: "raw" | "minute" | "hour",
    points?: number,
  ): Promise<{ resolution: string; at: number[] } | "too_many" | null>;
}

async function call(path: string, cookie: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { "CF-Connecting-IP": IP };
  if (cookie) headers.Cookie = cookie;
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    headers.Origin = ORIGIN;
  }
  return SELF.fetch(`${ORIGIN}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A command through `POST /api/rooms/:id/commands`, retried while the per-person allowance is spent. */
async function command(cookie: string, roomId: string, name: string, args: unknown): Promise<{ id?: string }> {
  // One key for every attempt, so a retried command runs once.
  const key = crypto.randomUUID();
  for (let attempt = 0; attempt < 60; attempt++) {
    const res = await call(`/api/rooms/${roomId}/commands`, cookie, { name, args, key });
    if (res.status === 429) {
      await new Promise((r) => setTimeout(r, 1_000));
      continue;
    }
    const text = await res.text();
    if (!res.ok) throw new Error(`${name} failed: ${res.status} ${text}`);
    return (JSON.parse(text) as { result: { id?: string } }).result;
  }
  throw new Error(`${name}: still rate limited after a minute`);
}

async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

interface Site {
  roomId: string;
  keyHash: string;
  unitIds: string[];
  rpc: SiteRpc;
  stub: ReturnType<typeof env.site.get>;
}

/**
 * A site of `units` units and `devices` sensors spread over them; with `rulesOff`, every rule turned off at the site.
 */
async function buildSite(
  cookie: string,
  name: string,
  units: number,
  devices: number,
  rulesOff: boolean,
): Promise<Site> {
  const created = await call("/api/rooms", cookie, { kind: "site", name });
  if (created.status !== 201) throw new Error(`create room: ${created.status} ${await created.text()}`);
  const roomId = ((await created.json()) as { room: { id: string } }).room.id;
  const made = await call(`/api/rooms/${roomId}/ingest-keys`, cookie, { label: "TTN bench" });
  if (made.status !== 201) throw new Error(`ingest key: ${made.status} ${await made.text()}`);
  const { key } = (await made.json()) as { key: string };
  const areaId = (await command(cookie, roomId, "area.create", { name: "Cold store" })).id as string;
  const unitIds: string[] = [];
  await inParallel(
    Array.from({ length: units }, (_, i) => i),
    SETUP_CONCURRENCY,
    async (i) =>
      unitIds.push(
        (await command(cookie, roomId, "unit.create", { areaId, name: `Fridge ${i + 1}`, kind: "fridge" }))
          .id as string,
      ),
  );
  unitIds.sort();
  const stub = env.site.get(env.site.idFromName(roomId));
  // The sensors go straight into the room's table: a thousand `device.assign` commands would
  // time the harness, not the room.
  await runInDurableObject(stub, (_i, state) => {
    for (let i = 0; i < devices; i++) {
      state.storage.sql.exec(
        "INSERT INTO devices (dev_eui, unit_id, name, created_at) VALUES (?, ?, ?, ?)",
        devEui(i),
        unitIds[i % units] ?? "",
        `Probe ${i + 1}`,
        Date.now(),
      );
    }
  });
  if (rulesOff) for (const rule of RULES_OFF) await command(cookie, roomId, "rule.set", rule);
  return { roomId, keyHash: await sha256Hex(key), unitIds, rpc: stub as unknown as SiteRpc, stub };
}

/**
 * Sends `count` uplinks round-robin over the site's sensors, `CONCURRENCY` in flight, each with its
 * own counter and now as its time.
 */
async function ingest(site: Site, count: number, devices: number): Promise<IngestRun> {
  const counters = new Array<number>(devices).fill(0);
  const times: number[] = [];
  const refused = new Map<string, number>();
  let next = 0;
  const start = performance.now();
  let capped = false;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        if (performance.now() - start > TRIAL_MAX_MS) {
          capped = true;
          return;
        }
        const i = next++;
        const device = i % devices;
        counters[device] = (counters[device] ?? 0) + 1;
        const body = uplinkBody(devEui(device), counters[device] as number, Date.now(), steadyTemperature(i));
        const sent = performance.now();
        const outcome = await site.rpc.ingestUplink(site.keyHash, body);
        times.push(performance.now() - sent);
        if (outcome.status !== "stored") refused.set(outcome.status, (refused.get(outcome.status) ?? 0) + 1);
      }
    }),
  );
  const ms = performance.now() - start;
  if (refused.size > 0) throw new Error(`uplinks not stored: ${JSON.stringify(Object.fromEntries(refused))}`);
  const done = Math.min(next, count);

  // The same again from inside the room: each call is the room's `ingestUplink` itself, awaited in turn.
  // A sensor may send 60 uplinks in a burst, so this part stays under that per sensor.
  const inRoomCount = Math.min(count, devices * 30);
  const bodies = Array.from({ length: inRoomCount }, (_, i) => {
    const device = i % devices;
    counters[device] = (counters[device] ?? 0) + 1;
    return uplinkBody(devEui(device), counters[device] as number, Date.now(), steadyTemperature(i));
  });
  const keyHash = site.keyHash;
  const inRoomStart = performance.now();
  const inRoomStored = await runInDurableObject(site.stub, async (instance) => {
    const room = instance as unknown as SiteRpc;
    let stored = 0;
    for (const body of bodies) if ((await room.ingestUplink(keyHash, body)).status === "stored") stored += 1;
    return stored;
  });
  const inRoomMs = performance.now() - inRoomStart;
  expect(inRoomStored).toBe(inRoomCount);

  const stored = await runInDurableObject(site.stub, (_i, state) => ({
    readings: state.storage.sql.exec("SELECT count(*) AS n FROM readings").one().n as number,
    rolled: state.storage.sql.exec("SELECT coalesce(sum(count), 0) AS n FROM readings_minute").one().n as number,
  }));
  expect(stored).toEqual({ readings: done + inRoomCount, rolled: done + inRoomCount });
  const s = summarize(times);
  return {
    inRoom: { readings: inRoomCount, ms: Math.round(inRoomMs), perSecond: Math.round((inRoomCount / inRoomMs) * 1000) },
    readings: done,
    capped,
    ms: Math.round(ms),
    perSecond: Math.round((done / ms) * 1000),
    callMs: { p50: round(s.p50), p99: round(s.p99), max: round(s.max) },
  };
}

async function signupOwner(): Promise<string> {
  const res = await call("/api/auth/signup", "", {
    email: `sites-bench-${crypto.randomUUID().slice(0, 8)}@example.com`,
    password: "bench password 1",
    name: "Bench Owner",
  });
  if (res.status !== 201) throw new Error(`signup: ${res.status} ${await res.text()}`);
  return (res.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
}

type Summarize = (samples: number[]) => { count: number; p50: number; p99: number; max: number };

/** The chart: a unit with 30 days of per-minute rollups, read through the room's RPC. */
async function chartQuery(cookie: string, summary: Summarize) {
  // The chart: a unit with 30 days of per-minute rollups.
  const site = await buildSite(cookie, "Chart site", 1, 1, false);
  const unitId = site.unitIds[0] as string;
  const to = Math.floor(Date.now() / MINUTE) * MINUTE;
  const from = to - 30 * DAY;
  const filled = await runInDurableObject(site.stub, (_i, state) => {
    state.storage.sql.exec(fillMinutesSql(unitId, from));
    return state.storage.sql.exec("SELECT count(*) AS n FROM readings_minute WHERE unit_id = ?", unitId).one()
      .n as number;
  });
  expect(filled).toBe(30 * 24 * 60);
  const query = async (resolution: "minute" | undefined, points?: number) => {
    const start = performance.now();
    // A stub made before abortAllDurableObjects() no longer works: a fresh one each time.
    const rpc = env.site.get(env.site.idFromName(site.roomId)) as unknown as SiteRpc;
    const answer = await rpc.readings(unitId, from, to, resolution, points);
    const ms = performance.now() - start;
    if (answer === null || answer === "too_many") throw new Error(`chart query: ${answer}`);
    expect(answer.resolution).toBe("minute");
    expect(answer.at.length).toBe(points ?? filled);
    return ms;
  };
  // Cold: every object evicted, so the first query also loads the room.
  await abortAllDurableObjects();
  const chartColdMs = await query("minute");
  for (let i = 0; i < 3; i++) await query("minute");
  const minute: number[] = [];
  const auto: number[] = [];
  const columns: number[] = [];
  for (let i = 0; i < CHART_RUNS; i++) {
    minute.push(await query("minute"));
    auto.push(await query(undefined));
    columns.push(await query("minute", CHART_COLUMNS));
  }

  return {
    rows: filled,
    coldMs: round(chartColdMs),
    minute: summary(minute),
    auto: summary(auto),
    columns: summary(columns),
  };
}

it("measures sustained ingestion into one site and a 30-day chart query", async () => {
  const cookie = await signupOwner();
  // No escalation mail from the bench (none is expected: every reading is inside its limits).
  await SELF.fetch(`${ORIGIN}/api/notification-prefs`, {
    method: "PUT",
    headers: { Cookie: cookie, Origin: ORIGIN, "Content-Type": "application/json", "CF-Connecting-IP": IP },
    body: JSON.stringify({ email: false, push: false }),
  });

  const kinds = [false, true].filter((off) => PHASES.includes(off ? "off" : "on"));
  if (kinds.length > 0) {
    // Warm-up: the same path in a small room of its own, so the first trial does not pay for compilation.
    const warm = await buildSite(cookie, "Warm-up site", 2, 50, false);
    console.log(`SITES_PROGRESS warm-up: ${JSON.stringify(await ingest(warm, 1_500, 50))}`);
  }

  const rulesOn: IngestRun[] = [];
  const rulesOff: IngestRun[] = [];
  const setupMs: number[] = [];
  const failures: { trial: number; rules: string; error: string }[] = [];
  for (let trial = 0; trial < TRIALS; trial++) {
    for (const off of kinds) {
      // A trial that fails is recorded with its error and the rest still run: the result says which.
      try {
        const setup = performance.now();
        const site = await buildSite(
          cookie,
          `Bench site ${trial + 1}${off ? " (rules off)" : ""}`,
          UNITS,
          DEVICES,
          off,
        );
        setupMs.push(performance.now() - setup);
        const run = await ingest(site, IN_PROCESS_READINGS, DEVICES);
        (off ? rulesOff : rulesOn).push(run);
        console.log(
          `SITES_PROGRESS trial ${trial + 1}, rules ${off ? "off" : "on"}: ${JSON.stringify(run)} ` +
            `(setup ${Math.round(setupMs.at(-1) ?? 0)} ms)`,
        );
      } catch (err) {
        const error =
          err instanceof Error ? `${err.name}: ${err.message}\n${err.stack ?? ""}`.slice(0, 2000) : String(err);
        failures.push({ trial: trial + 1, rules: off ? "off" : "on", error });
        console.log(`SITES_PROGRESS trial ${trial + 1}, rules ${off ? "off" : "on"} FAILED: ${error}`);
      }
    }
  }

  const summary = (samples: number[]) => {
    const s = summarize(samples);
    return { count: s.count, p50: round(s.p50), p99: round(s.p99), max: round(s.max) };
  };
  const chart = PHASES.includes("chart") ? await chartQuery(cookie, summary) : null;

  const results = {
    units: UNITS,
    devices: DEVICES,
    concurrency: CONCURRENCY,
    setupMs: setupMs.map(Math.round),
    rulesOn,
    rulesOff,
    failures,
    chart,
  };
  console.log(`SITES_BENCH ${JSON.stringify(results)}`);
});
