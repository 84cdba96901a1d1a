/**
 * `npm run bench:homes`: a home of 500 assets and 2,000 tasks.
 *
 * 1. In workerd (bench/homes/in-process.bench-test.ts): building the home through socket
 *    commands, command round trips, a cold room load to a synced mirror, and 10,000 due
 *    reminder jobs worked off by the room's alarms.
 * 2. Under `wrangler dev` with Chromium: the same home built over HTTP (round trips
 *    through the dev proxy), then opening the room in a fresh browser until the dashboard
 *    shows the home's numbers: cold (the server process restarted just before) and warm.
 *
 * Writes bench/results/<date>-<host>-homes.md and .json.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, hostname, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { localDate } from "../../schema/property/recurrence";
import { launchChromium } from "../../scripts/chromium";
import { type DevServer, startDevServer } from "../../scripts/dev-server";
import { median, round, summarize } from "../stats";
import { homeCommands } from "./shape";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TRIALS = 3;
const TARGETS = { coldOpenMs: 300, roundTripP99Ms: 50 };

function log(message: string): void {
  process.stderr.write(`[bench:homes] ${message}\n`);
}

interface InProcess {
  buildCommands: number;
  buildMs: number;
  buildPerSecond: number;
  buildRoundTrip: { p50: number; p99: number; max: number };
  roundTrip: { count: number; p50: number; p99: number; max: number };
  coldOpenMs: number[];
  dueJobs: number;
  dueJobsMs: number;
  dueJobsPerSecond: number;
}

function runInProcess(): InProcess {
  log("in workerd: building the home, round trips, cold loads, 10,000 due jobs");
  const run = spawnSync(
    process.execPath,
    [join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "--config", "bench/homes/vitest.config.ts"],
    { cwd: ROOT, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
  );
  const line = `${run.stdout}\n${run.stderr}`.split("\n").find((l) => l.includes("HOMES_BENCH "));
  if (run.status !== 0 || !line)
    throw new Error(`the in-process run failed:\n${run.stdout.slice(-4000)}\n${run.stderr.slice(-4000)}`);
  return JSON.parse(line.slice(line.indexOf("HOMES_BENCH ") + "HOMES_BENCH ".length)) as InProcess;
}

async function call(url: string, path: string, cookie: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { Origin: url };
  if (cookie) headers.Cookie = cookie;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  return fetch(`${url}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Opens the room in a fresh browser context and times navigation start → dashboard showing `overdue` overdue tasks. */
async function openToDashboard(
  url: string,
  cookie: string,
  roomId: string,
  overdue: string,
): Promise<{ ms: number; overdue: string }> {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const [name, value] = cookie.split("=") as [string, string];
    await context.addCookies([{ name, value, url }]);
    const page = await context.newPage();
    await page.goto(`${url}/rooms/${roomId}`, { waitUntil: "commit" });
    const shown = await page.waitForFunction(
      (expected) => {
        const tile = document.querySelector('[data-testid="stat-overdue-value"]');
        const text = tile?.textContent?.trim() ?? "";
        if (!document.querySelector('[data-testid="health-score"]') || text !== expected) return null;
        return { ms: performance.now(), overdue: text };
      },
      overdue,
      { polling: "raf", timeout: 60_000 },
    );
    return (await shown.jsonValue()) as { ms: number; overdue: string };
  } finally {
    await browser.close();
  }
}

async function viaWrangler() {
  const persistTo = mkdtempSync(join(tmpdir(), "haven-bench-homes-"));
  let server: DevServer = await startDevServer({ persistTo });
  try {
    const email = `bench-${Date.now()}@haven.local`;
    const signup = await call(server.url, "/api/auth/signup", "", {
      email,
      password: "bench-password-1",
      name: "Bench Owner",
    });
    const cookie = (signup.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
    const room = (
      (await (await call(server.url, "/api/rooms", cookie, { kind: "property", name: "Bench home" })).json()) as {
        room: { id: string };
      }
    ).room;
    log("wrangler dev: building the home over HTTP");
    const times: number[] = [];
    const today = localDate(Date.now(), "UTC");
    // The home keeps UTC (no time zone set), so a task is overdue when its due date is before today in UTC.
    let overdueCount = 0;
    for (const command of homeCommands(today)) {
      const start = performance.now();
      const res = await call(server.url, `/api/rooms/${room.id}/commands`, cookie, {
        ...command,
        key: crypto.randomUUID(),
      });
      if (!res.ok) throw new Error(`${command.name} failed: ${res.status} ${await res.text()}`);
      const { result } = (await res.json()) as { result: { nextDue?: string | null } };
      times.push(performance.now() - start);
      if (typeof result.nextDue === "string" && result.nextDue < today) overdueCount += 1;
    }
    const overdue = String(overdueCount);
    log("wrangler dev + Chromium: warm opens");
    const warm = [];
    for (let i = 0; i < TRIALS; i++) warm.push((await openToDashboard(server.url, cookie, room.id, overdue)).ms);
    log("wrangler dev + Chromium: cold opens (server restarted before each)");
    const cold = [];
    for (let i = 0; i < TRIALS; i++) {
      await server.stop();
      server = await startDevServer({ persistTo });
      cold.push((await openToDashboard(server.url, cookie, room.id, overdue)).ms);
    }
    const http = summarize(times);
    return {
      httpRoundTrip: { count: http.count, p50: round(http.p50), p99: round(http.p99), max: round(http.max) },
      warmOpenMs: warm.map(round),
      coldOpenMs: cold.map(round),
      overdueShown: overdue,
    };
  } finally {
    await server.stop();
    rmSync(persistTo, { recursive: true, force: true });
  }
}

if (readdirSync(join(ROOT, "dist/client")).length === 0)
  spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
const started = new Date();
const load = loadavg();
if (process.argv.includes("--browser-only")) {
  // For working on the open path: the browser half alone, printed, not recorded.
  console.log(JSON.stringify(await viaWrangler(), null, 2));
  process.exit(0);
}
const inProcess = runInProcess();
const wrangler = await viaWrangler();
const host = `${
  hostname()
    .split(".")[0]
    ?.replace(/[^A-Za-z0-9-]/g, "") || "host"
}-${cpus().length}c`;
const date = started.toISOString().slice(0, 10);
const commit = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).stdout.trim();
const verdict = (ok: boolean) => (ok ? "met" : "**not met**");
const markdown =
  `# Homes benchmark, ${date} on ${host}\n\n` +
  `Commit ${commit}; load average at start ${load.map((l) => l.toFixed(2)).join(" ")}. \`npm run bench:homes\` ` +
  `(bench/homes/).\n` +
  `A home of 500 assets and 2,000 tasks (a quarter each: calendar RRULEs, "N months after done", one-offs, "2 weeks ` +
  `after done").\n\n` +
  `| measure | value | target |\n` +
  `|---|---|---|\n` +
  `| cold open to dashboard shown, Chromium + \`wrangler dev\` restarted just before (median of ${TRIALS}) | ` +
  `${median(wrangler.coldOpenMs)} ms (${wrangler.coldOpenMs.join(", ")}) | ≤ ${TARGETS.coldOpenMs} ms: ` +
  `${verdict(median(wrangler.coldOpenMs) <= TARGETS.coldOpenMs)} |\n` +
  `| warm open to dashboard shown, fresh browser context (median of ${TRIALS}) | ${median(wrangler.warmOpenMs)} ms ` +
  `(${wrangler.warmOpenMs.join(", ")}) | |\n` +
  `| cold room load to synced mirror, in workerd, every object evicted first | ${inProcess.coldOpenMs.join(", ")} ms ` +
  `| |\n` +
  `| command round trip over the room socket, in workerd (${inProcess.roundTrip.count} \`task.complete\`) | p50 ` +
  `${inProcess.roundTrip.p50} ms, p99 ${inProcess.roundTrip.p99} ms, max ${inProcess.roundTrip.max} ms | p99 ≤ ` +
  `${TARGETS.roundTripP99Ms} ms: ${verdict(inProcess.roundTrip.p99 <= TARGETS.roundTripP99Ms)} |\n` +
  `| command round trip over HTTP through \`wrangler dev\` (${wrangler.httpRoundTrip.count} commands building the ` +
  `home) | p50 ${wrangler.httpRoundTrip.p50} ms, p99 ${wrangler.httpRoundTrip.p99} ms, max ` +
  `${wrangler.httpRoundTrip.max} ms | p99 ≤ ${TARGETS.roundTripP99Ms} ms: ` +
  `${verdict(wrangler.httpRoundTrip.p99 <= TARGETS.roundTripP99Ms)} |\n` +
  `| building the home over the socket, in workerd | ${inProcess.buildCommands} commands in ${inProcess.buildMs} ms ` +
  `(${inProcess.buildPerSecond}/s; p99 ${inProcess.buildRoundTrip.p99} ms) | |\n` +
  `| due reminder jobs worked off by alarms, in workerd | ${inProcess.dueJobs} in ${inProcess.dueJobsMs} ms: ` +
  `**${inProcess.dueJobsPerSecond} jobs/s** (each: read task, queue a notification, plan the next; outbox sent to ` +
  `the queue) | recorded |\n\n` +
  `"Dashboard shown" is the first animation frame on which the overdue tile shows the home's\n` +
  `count (${wrangler.overdueShown}), measured in the page from navigation start, in a browser context with no stored ` +
  `data.\n` +
  `No peer product runs these commands, so there is no comparison row.\n`;
const outDir = join(ROOT, "bench", "results");
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, `${date}-${host}-homes.md`), markdown);
writeFileSync(
  join(outDir, `${date}-${host}-homes.json`),
  `${JSON.stringify({ date, host, commit, load, inProcess, wrangler }, null, 2)}\n`,
);
process.stdout.write(markdown);
