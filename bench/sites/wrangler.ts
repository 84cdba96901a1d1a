/**
 * The `wrangler dev` half of the sites benchmark (run.ts) and its profile (profile.ts):
 * building a site over HTTP, driving the TTN webhook, timing a reading until a subscribed
 * Yjs board shows its alert, and the chart query over HTTP.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { type DevServer, startDevServer } from "../../scripts/dev-server";
import { round, summarize } from "../stats";
import {
  CHART_ROWS,
  DAY,
  DEVICES,
  devEui,
  fillMinutesSql,
  INSTANT_HIGH,
  MINUTE,
  steadyTemperature,
  uplinkBody,
} from "./shape";

/** Webhook requests in flight at once. */
export const WEBHOOK_CONCURRENCY = 32;
export const ALERT_SAMPLES = 200;
const ALERT_WARMUP = 10;
/** Sensors in the alert unit, taken in turn so none exceeds its uplink allowance. */
export const ALERT_DEVICES = 20;
const CHART_RUNS = 30;
const SETUP_CONCURRENCY = 8;
/** The timed webhook load stops sending after this long (the rate is then over what was sent). */
const WEBHOOK_MAX_MS = 60_000;

export type Summary = { count: number; p50: number; p99: number; max: number };
export function summary(samples: number[]): Summary {
  const s = summarize(samples);
  return { count: s.count, p50: round(s.p50), p99: round(s.p99), max: round(s.max) };
}

export async function call(
  url: string,
  path: string,
  cookie: string,
  body?: unknown,
  method?: string,
): Promise<Response> {
  const headers: Record<string, string> = { Origin: url };
  if (cookie) headers.Cookie = cookie;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const init = {
    method: method ?? (body === undefined ? "GET" : "POST"),
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  };
  try {
    return await fetch(`${url}${path}`, init);
  } catch {
    // The dev proxy may close an idle kept-alive connection just as it is reused: once more on a new one.
    return fetch(`${url}${path}`, init);
  }
}

/** A command, retried while the per-person allowance is spent (building 1,000 sensors takes more than its burst). */
export async function command(
  url: string,
  cookie: string,
  roomId: string,
  name: string,
  args: unknown,
): Promise<{ id?: string }> {
  // One key for every attempt, so a retried command runs once.
  const key = crypto.randomUUID();
  for (let attempt = 0; attempt < 120; attempt++) {
    const res = await call(url, `/api/rooms/${roomId}/commands`, cookie, { name, args, key });
    if (res.status === 429) {
      await new Promise((r) => setTimeout(r, 1_000));
      continue;
    }
    const text = await res.text();
    if (!res.ok) throw new Error(`${name} failed: ${res.status} ${text}`);
    return (JSON.parse(text) as { result: { id?: string } }).result;
  }
  throw new Error(`${name}: still rate limited after two minutes`);
}

export async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

export interface Site {
  roomId: string;
  key: string;
  areaId: string;
  unitIds: string[];
}

export async function buildSite(
  url: string,
  cookie: string,
  name: string,
  units: number,
  devices: number,
  firstDevice = 0,
): Promise<Site> {
  const created = await call(url, "/api/rooms", cookie, { kind: "site", name });
  if (created.status !== 201) throw new Error(`create room: ${created.status} ${await created.text()}`);
  const roomId = ((await created.json()) as { room: { id: string } }).room.id;
  const made = await call(url, `/api/rooms/${roomId}/ingest-keys`, cookie, { label: "TTN bench" });
  if (made.status !== 201) throw new Error(`ingest key: ${made.status} ${await made.text()}`);
  const { key } = (await made.json()) as { key: string };
  const areaId = (await command(url, cookie, roomId, "area.create", { name: "Cold store" })).id as string;
  const unitIds: string[] = [];
  await inParallel(
    Array.from({ length: units }, (_, i) => i),
    SETUP_CONCURRENCY,
    async (i) =>
      unitIds.push(
        (await command(url, cookie, roomId, "unit.create", { areaId, name: `Fridge ${i + 1}`, kind: "fridge" }))
          .id as string,
      ),
  );
  unitIds.sort();
  await inParallel(
    Array.from({ length: devices }, (_, i) => i),
    SETUP_CONCURRENCY,
    (i) =>
      command(url, cookie, roomId, "device.assign", {
        devEui: devEui(firstDevice + i),
        unitId: unitIds[i % units],
        name: `Probe ${i + 1}`,
      }),
  );
  return { roomId, key, areaId, unitIds };
}

export function postUplink(url: string, site: Site, body: unknown): Promise<Response> {
  return fetch(`${url}/api/sites/${site.roomId}/ttn`, {
    method: "POST",
    headers: { Authorization: `Bearer ${site.key}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

export interface WebhookRun {
  readings: number;
  /** Whether the load stopped at WEBHOOK_MAX_MS before sending all its readings. */
  capped: boolean;
  concurrency: number;
  ms: number;
  perSecond: number;
  latency: Summary;
  clientCpuPercent: number;
}

/** `count` uplinks round-robin over `devices` sensors, `WEBHOOK_CONCURRENCY` requests in flight. */
export async function webhookLoad(
  url: string,
  site: Site,
  count: number,
  devices: number,
  counters: number[],
): Promise<WebhookRun> {
  const times: number[] = [];
  const refused = new Map<string, number>();
  let next = 0;
  let capped = false;
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: WEBHOOK_CONCURRENCY }, async () => {
      while (next < count) {
        if (performance.now() - start > WEBHOOK_MAX_MS) {
          capped = true;
          return;
        }
        const i = next++;
        const device = i % devices;
        counters[device] = (counters[device] ?? 0) + 1;
        const body = uplinkBody(devEui(device), counters[device] as number, Date.now(), steadyTemperature(i));
        const sent = performance.now();
        const res = await postUplink(url, site, body);
        const text = await res.text();
        times.push(performance.now() - sent);
        const status = res.status === 200 ? (JSON.parse(text) as { status: string }).status : `${res.status}`;
        if (status !== "stored") refused.set(status, (refused.get(status) ?? 0) + 1);
      }
    }),
  );
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  if (refused.size > 0) throw new Error(`uplinks not stored: ${JSON.stringify(Object.fromEntries(refused))}`);
  const done = Math.min(next, count);
  return {
    readings: done,
    capped,
    concurrency: WEBHOOK_CONCURRENCY,
    ms: Math.round(ms),
    perSecond: Math.round((done / ms) * 1000),
    latency: summary(times),
    clientCpuPercent: Math.round(((used.user + used.system) / 1000 / ms) * 100),
  };
}

/** A stock y-websocket provider carrying the session cookie, as a browser's board would. */
export function board(url: string, cookie: string, roomId: string, doc: Y.Doc): WebsocketProvider {
  class CookieWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers: { Cookie: cookie } });
    }
  }
  return new WebsocketProvider(`${url.replace(/^http/, "ws")}/parties/site`, roomId, doc, {
    WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
}

/** Watches a document: `when(check)` resolves with performance.now() of the first update after which `check` holds. */
export function watcher(doc: Y.Doc) {
  const waiting = new Set<() => void>();
  doc.on("update", () => {
    for (const w of [...waiting]) w();
  });
  return (check: () => boolean, what: string, timeoutMs = 10_000): Promise<number> =>
    new Promise((resolve, reject) => {
      if (check()) return resolve(performance.now());
      const timer = setTimeout(() => {
        waiting.delete(test);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      function test() {
        if (!check()) return;
        waiting.delete(test);
        clearTimeout(timer);
        resolve(performance.now());
      }
      waiting.add(test);
    });
}

export interface AlertRun {
  samples: number;
  criticalShown: Summary;
  alertShown: Summary;
  webhookAnswered: Summary;
  clearedShown: Summary;
}

/**
 * A unit whose high-temperature rule alerts at once: a breaching reading (8 °C), then a
 * clearing one (2 °C), in turn. Each is timed from just before its POST to the first
 * document update after which the board shows it.
 */
export async function alertLatency(url: string, cookie: string, site: Site): Promise<AlertRun> {
  const unitId = site.unitIds[0] as string;
  await command(url, cookie, site.roomId, "rule.set", {
    scope: "unit",
    scopeId: unitId,
    kind: "temperature_high",
    rule: INSTANT_HIGH,
  });
  const doc = new Y.Doc();
  const provider = board(url, cookie, site.roomId, doc);
  const when = watcher(doc);
  try {
    // `synced` is set by the provider, not by a document update: polled.
    for (const start = Date.now(); !provider.synced; await new Promise((r) => setTimeout(r, 20))) {
      if (Date.now() - start > 30_000) throw new Error("the board did not sync");
    }
    const units = doc.getMap<{ status: string }>("units");
    const alerts = doc.getMap<{ unitId: string; state: string }>("alerts");
    const status = () => units.get(unitId)?.status;
    const alertActive = () => [...alerts.values()].some((a) => a.unitId === unitId && a.state === "active_unack");
    const counters = new Array<number>(ALERT_DEVICES).fill(0);
    const send = async (k: number, temperature: number) => {
      const device = k % ALERT_DEVICES;
      counters[device] = (counters[device] ?? 0) + 1;
      const res = await postUplink(
        url,
        site,
        uplinkBody(devEui(DEVICES + device), counters[device] as number, Date.now(), temperature),
      );
      const text = await res.text();
      if (res.status !== 200 || !text.includes('"stored"')) throw new Error(`uplink refused: ${res.status} ${text}`);
    };
    const critical: number[] = [];
    const alertTimes: number[] = [];
    const answered: number[] = [];
    const cleared: number[] = [];
    for (let k = 0; k < ALERT_WARMUP + ALERT_SAMPLES; k++) {
      const shown = when(() => status() === "critical", "the unit critical");
      const raised = when(alertActive, "the alert active");
      const sent = performance.now();
      await send(2 * k, 8);
      const answer = performance.now();
      const [shownAt, raisedAt] = await Promise.all([shown, raised]);
      const back = when(() => status() === "ok" && !alertActive(), "the unit back to ok");
      const clearSent = performance.now();
      await send(2 * k + 1, 2);
      const backAt = await back;
      if (k < ALERT_WARMUP) continue;
      critical.push(shownAt - sent);
      alertTimes.push(raisedAt - sent);
      answered.push(answer - sent);
      cleared.push(backAt - clearSent);
    }
    return {
      samples: ALERT_SAMPLES,
      criticalShown: summary(critical),
      alertShown: summary(alertTimes),
      webhookAnswered: summary(answered),
      clearedShown: summary(cleared),
    };
  } finally {
    provider.destroy();
    doc.destroy();
  }
}

/** The room's SQLite file in wrangler's state folder that holds `unitId`. */
export function siteDatabase(persistTo: string, unitId: string): string {
  const root = join(persistTo, "v3", "do");
  for (const dir of readdirSync(root).filter((d) => d.includes("SiteRoom"))) {
    for (const file of readdirSync(join(root, dir)).filter((f) => f.endsWith(".sqlite"))) {
      const path = join(root, dir, file);
      const found = spawnSync("sqlite3", [path, `SELECT count(*) FROM units WHERE id = '${unitId}'`], {
        encoding: "utf8",
      });
      if (found.status === 0 && found.stdout.trim() === "1") return path;
    }
  }
  throw new Error(`no site database under ${root} holds unit ${unitId}`);
}

/** The columns a chart as wide as a laptop screen asks for (the client asks for 1,200 past a day). */
export const CHART_COLUMNS = 1_200;

export interface ChartHttp {
  rows: number;
  bytes: number;
  /** The same 30 days gathered into CHART_COLUMNS columns. */
  columns: Summary;
  columnBytes: number;
  firstAfterRestartMs: number;
  minute: Summary;
  auto: Summary;
}

/**
 * The chart over HTTP: the server is stopped, 30 days of per-minute rollups written into
 * the room's SQLite file with the sqlite3 shell (the webhook takes readings of the last 7
 * days only), the server started again, then `GET …/readings` timed.
 */
export async function chartOverHttp(
  persistTo: string,
  stopped: DevServer,
  cookie: string,
  site: Site,
  unitId: string,
): Promise<{ server: DevServer; chart: ChartHttp }> {
  await stopped.stop();
  const to = Math.floor(Date.now() / MINUTE) * MINUTE;
  const from = to - 30 * DAY;
  const file = siteDatabase(persistTo, unitId);
  const fill = spawnSync("sqlite3", [file], { input: `${fillMinutesSql(unitId, from)};\n`, encoding: "utf8" });
  if (fill.status !== 0) throw new Error(`sqlite3 failed: ${fill.stderr}`);
  const server = await startDevServer({ persistTo });
  const get = async (resolution: string, points?: number) => {
    const start = performance.now();
    const res = await call(
      server.url,
      `/api/rooms/${site.roomId}/units/${unitId}/readings?from=${from}&to=${to}` +
        `${resolution ? `&resolution=${resolution}` : ""}${points ? `&points=${points}` : ""}`,
      cookie,
    );
    const text = await res.text();
    const ms = performance.now() - start;
    if (res.status !== 200) throw new Error(`readings: ${res.status} ${text.slice(0, 300)}`);
    const answer = JSON.parse(text) as { resolution: string; at: number[] };
    if (answer.resolution !== "minute" || answer.at.length !== (points ?? CHART_ROWS))
      throw new Error(`readings: ${answer.resolution}, ${answer.at.length} points`);
    return { ms, bytes: text.length };
  };
  const first = await get("minute");
  for (let i = 0; i < 3; i++) await get("minute");
  const minute: number[] = [];
  const auto: number[] = [];
  const columns: number[] = [];
  let columnBytes = 0;
  for (let i = 0; i < CHART_RUNS; i++) {
    minute.push((await get("minute")).ms);
    auto.push((await get("")).ms);
    const gathered = await get("minute", CHART_COLUMNS);
    columns.push(gathered.ms);
    columnBytes = gathered.bytes;
  }
  return {
    server,
    chart: {
      rows: CHART_ROWS,
      bytes: first.bytes,
      firstAfterRestartMs: round(first.ms),
      minute: summary(minute),
      auto: summary(auto),
      columns: summary(columns),
      columnBytes,
    },
  };
}
