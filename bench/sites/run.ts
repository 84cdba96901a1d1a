/**
 * `npm run bench:sites`: a cold-storage site's sensor path.
 *
 * 1. In workerd (bench/sites/in-process.bench-test.ts): sustained ingestion into one site
 *    room through its RPC, with the rules evaluated and, as the peer, with every rule off;
 *    and the 30-day per-minute chart query through the room's RPC.
 * 2. Under `wrangler dev`: the TTN webhook driven by Node's fetch with many sensors and
 *    requests in flight; the time from posting a breaching reading to a subscribed Yjs
 *    board showing the unit critical and its alert; and the chart query over HTTP.
 *
 * Writes bench/results/<date>-<host>-sites.md and .json (`--scratch`: to bench/scratch/).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, hostname, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type DevServer, startDevServer } from "../../scripts/dev-server";
import { median, round } from "../stats";
import { profileWorker } from "./profile";
import { DEVICES, type IngestRun, UNITS, WEBHOOK_READINGS } from "./shape";
import {
  ALERT_DEVICES,
  ALERT_SAMPLES,
  alertLatency,
  buildSite,
  call,
  chartOverHttp,
  command,
  type Summary,
  WEBHOOK_CONCURRENCY,
  webhookLoad,
} from "./wrangler";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TARGETS = { readingsPerSecond: 10_000, alertP99Ms: 100, chartP99Ms: 50 };

/**
 * `--profile`: a CPU profile of the Worker during the timed webhook load (slows it; the run goes to bench/scratch/).
 */
const PROFILE = process.argv.includes("--profile");

function log(message: string): void {
  process.stderr.write(`[bench:sites] ${message}\n`);
}

interface InProcess {
  units: number;
  devices: number;
  concurrency: number;
  setupMs: number[];
  rulesOn: IngestRun[];
  rulesOff: IngestRun[];
  failures?: { trial: number; rules: string; error: string }[];
  chart: { rows: number; coldMs: number; minute: Summary; auto: Summary; columns: Summary };
}

const parseLine = (line: string) =>
  JSON.parse(line.slice(line.indexOf("SITES_BENCH ") + "SITES_BENCH ".length)) as InProcess;

function runInProcess(): InProcess {
  // `--in-process-log=<file>`: take the workerd half from the output of an earlier
  // `vitest run --config bench/sites/vitest.config.ts` (its SITES_BENCH line) instead of running it.
  const reuse = process.argv.find((a) => a.startsWith("--in-process-log="))?.slice("--in-process-log=".length);
  if (reuse) {
    // The file may still be being written by a run started alongside: wait for its line.
    let line: string | undefined;
    for (const start = Date.now(); !line && Date.now() - start < 30 * 60_000; ) {
      line = readFileSync(reuse, "utf8")
        .split("\n")
        .find((l) => l.includes("SITES_BENCH "));
      if (!line) spawnSync("sleep", ["5"]);
    }
    if (!line) throw new Error(`no SITES_BENCH line in ${reuse}`);
    log(`in workerd: taken from ${reuse}`);
    return parseLine(line);
  }
  const trials = Number(process.argv.find((a) => a.startsWith("--trials="))?.slice("--trials=".length) ?? "2") || 2;
  log(
    `in workerd: ${trials} × 30,000 readings with rules and without, alternating (a fresh 1,000-sensor site each), ` +
      `then the 30-day chart query; one vitest process each`,
  );
  // One process per part: see PHASES in in-process.bench-test.ts.
  const phase = (phases: string): InProcess => {
    const run = spawnSync(
      process.execPath,
      [join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "--config", "bench/sites/vitest.config.ts"],
      {
        cwd: ROOT,
        encoding: "utf8",
        maxBuffer: 256 * 1024 * 1024,
        env: { ...process.env, SITES_TRIALS: "1", SITES_PHASES: phases },
      },
    );
    const line = `${run.stdout}\n${run.stderr}`.split("\n").find((l) => l.includes("SITES_BENCH "));
    if (run.status !== 0 || !line)
      throw new Error(`the in-process run (${phases}) failed:\n${run.stdout.slice(-4000)}\n${run.stderr.slice(-4000)}`);
    const result = parseLine(line);
    log(`  ${phases}: ${JSON.stringify(result.rulesOn.concat(result.rulesOff).map((r) => r.perSecond))} readings/s`);
    return result;
  };
  const parts: InProcess[] = [];
  for (let trial = 0; trial < trials; trial++) for (const kind of ["on", "off"]) parts.push(phase(kind));
  const chart = phase("chart");
  return {
    ...chart,
    setupMs: parts.flatMap((p) => p.setupMs),
    rulesOn: parts.flatMap((p) => p.rulesOn),
    rulesOff: parts.flatMap((p) => p.rulesOff),
    failures: parts.flatMap((p) => (p.failures ?? []).map((f) => ({ ...f, trial: parts.indexOf(p) + 1 }))),
  };
}

async function viaWrangler() {
  const persistTo = mkdtempSync(join(tmpdir(), "haven-bench-sites-"));
  let server: DevServer = await startDevServer({ persistTo });
  try {
    const signup = await call(server.url, "/api/auth/signup", "", {
      email: `bench-${Date.now()}@haven.local`,
      password: "bench-password-1",
      name: "Bench Owner",
    });
    const cookie = (signup.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
    if (signup.status !== 201) throw new Error(`signup: ${signup.status} ${await signup.text()}`);
    await call(server.url, "/api/notification-prefs", cookie, { email: false, push: false }, "PUT");

    log(`wrangler dev: building a site of ${UNITS} units and ${DEVICES} sensors over HTTP`);
    const setupStart = performance.now();
    const site = await buildSite(server.url, cookie, "Bench site (webhook)", UNITS, DEVICES);
    const setupMs = Math.round(performance.now() - setupStart);
    const counters = new Array<number>(DEVICES).fill(0);
    log("wrangler dev: webhook warm-up, 1 reading per sensor");
    await webhookLoad(server.url, site, DEVICES, DEVICES, counters);
    log(`wrangler dev: ${WEBHOOK_READINGS} readings through the webhook, ${WEBHOOK_CONCURRENCY} in flight`);
    const stopProfile = PROFILE ? await profileWorker(server, "sites-webhook") : null;
    const webhook = await webhookLoad(server.url, site, WEBHOOK_READINGS, DEVICES, counters);
    if (stopProfile) process.stderr.write(`${await stopProfile()}\n`);

    log(`wrangler dev: reading → alert on a subscribed board, ${ALERT_SAMPLES} samples`);
    const alertSite = await buildSite(server.url, cookie, "Bench site (alerts)", 1, ALERT_DEVICES, DEVICES);
    const alerts = await alertLatency(server.url, cookie, alertSite);

    log("wrangler dev: the 30-day chart over HTTP (server restarted after filling the rollups)");
    const chartUnit = (
      await command(server.url, cookie, alertSite.roomId, "unit.create", {
        areaId: alertSite.areaId,
        name: "Chart fridge",
        kind: "fridge",
      })
    ).id as string;
    const charted = await chartOverHttp(persistTo, server, cookie, alertSite, chartUnit);
    server = charted.server;
    return { setupMs, webhook, alerts, chart: charted.chart };
  } finally {
    await server.stop();
    rmSync(persistTo, { recursive: true, force: true });
  }
}

if (readdirSync(join(ROOT, "dist/client")).length === 0)
  spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
const started = new Date();
const load = loadavg();
if (process.argv.includes("--wrangler-only")) {
  // For working on the HTTP half: printed, not recorded.
  console.log(JSON.stringify(await viaWrangler(), null, 2));
  process.exit(0);
}
const wrangler = await viaWrangler();
const inProcess = runInProcess();
const loadAfter = loadavg();
const host = `${
  hostname()
    .split(".")[0]
    ?.replace(/[^A-Za-z0-9-]/g, "") || "host"
}-${cpus().length}c`;
const date = started.toISOString().slice(0, 10);
const commit = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).stdout.trim();
const dirty = spawnSync("git", ["status", "--porcelain", "--", ".", ":!bench"], {
  cwd: ROOT,
  encoding: "utf8",
}).stdout.trim();
const verdict = (ok: boolean) => (ok ? "met" : "**not met**");
/** A target row's verdict; a value that was not measured (a failed part) is not judged. */
const judge = (value: number | null | undefined, ok: (v: number) => boolean) =>
  typeof value === "number" && Number.isFinite(value) ? verdict(ok(value)) : "not measured";
const on = inProcess.rulesOn.map((r) => r.perSecond);
const off = inProcess.rulesOff.map((r) => r.perSecond);
const onMedian = median(on);
const offMedian = median(off);
const onInRoom = inProcess.rulesOn.map((r) => r.inRoom.perSecond);
const offInRoom = inProcess.rulesOff.map((r) => r.inRoom.perSecond);
const onInRoomMedian = median(onInRoom);
const offInRoomMedian = median(offInRoom);
const perReadingUs = (perSecond: number) => round(1_000_000 / perSecond);
const w = wrangler;
const capped = (runs: { readings: number; capped?: boolean }[]) =>
  runs.some((r) => r.capped)
    ? `; a trial stops sending at 45 s: ${runs.map((r) => r.readings).join(", ")} readings sent`
    : "";
const failures = (inProcess.failures ?? [])
  .map(
    (f) =>
      `**In workerd, trial ${f.trial} with rules ${f.rules} failed** (not counted above): ` +
      `\`${f.error.split("\n")[0]}\`\n`,
  )
  .join("");
const markdown =
  `# Sites benchmark, ${date} on ${host}\n\n` +
  `Commit ${commit}${dirty ? " with uncommitted changes outside bench/" : ""}; load average ` +
  `${load.map((l) => l.toFixed(2)).join(" ")} at start, ${loadAfter.map((l) => l.toFixed(2)).join(" ")} at the end. ` +
  `\`npm run bench:sites\` (bench/sites/).\n` +
  `A site of ${inProcess.units} units with ${inProcess.devices} LoRaWAN sensors ` +
  `(${inProcess.devices / inProcess.units} per unit); every reading a TTN uplink in the Dragino LHT65 shape with its ` +
  `own counter, correlation id and time, inside every default limit (2.0–4.4 °C, battery 3.05 V).\n\n` +
  `| measure | value | target |\n` +
  `|---|---|---|\n` +
  `| sustained ingestion into one room, in workerd, rules evaluated: the room's \`ingestUplink\` called inside the ` +
  `room, one after another (${inProcess.rulesOn[0]?.inRoom.readings ?? 0} readings per trial, 30 per sensor) | ` +
  `**${onInRoomMedian} readings/s** (median; trials ${onInRoom.join(", ")}; ${perReadingUs(onInRoomMedian)} µs a ` +
  `reading) | ≥ ${TARGETS.readingsPerSecond.toLocaleString("en")}/s: ` +
  `${judge(onInRoomMedian, (v) => v >= TARGETS.readingsPerSecond)} |\n` +
  `| … the same with every rule off (peer) | ${offInRoomMedian} readings/s (trials ${offInRoom.join(", ")}; ` +
  `${perReadingUs(offInRoomMedian)} µs a reading) | evaluation costs ` +
  `${round(perReadingUs(onInRoomMedian) - perReadingUs(offInRoomMedian))} µs a reading |\n` +
  `| the same readings through the room's RPC from the test Worker (\`ingestUplink\` RPC, ${inProcess.concurrency} ` +
  `in flight, up to 30,000 readings per trial${capped(inProcess.rulesOn)}, fresh room per trial) | **${onMedian} ` +
  `readings/s** (median; trials ${on.join(", ")}; ${perReadingUs(onMedian)} µs a reading) | ≥ ` +
  `${TARGETS.readingsPerSecond.toLocaleString("en")}/s: ${judge(onMedian, (v) => v >= TARGETS.readingsPerSecond)} |\n` +
  `| the same with every rule off (peer${capped(inProcess.rulesOff)}) | ${offMedian} readings/s (trials ` +
  `${off.join(", ")}; ${perReadingUs(offMedian)} µs a reading) | evaluation costs ` +
  `${round(perReadingUs(onMedian) - perReadingUs(offMedian))} µs a reading |\n` +
  `| RPC call time under that load, rules on (last trial) | p50 ${inProcess.rulesOn.at(-1)?.callMs.p50} ms, p99 ` +
  `${inProcess.rulesOn.at(-1)?.callMs.p99} ms, max ${inProcess.rulesOn.at(-1)?.callMs.max} ms | |\n` +
  `| sustained ingestion through the webhook, \`wrangler dev\` (Node fetch, ${w.webhook.concurrency} in flight, ` +
  `${w.webhook.readings} readings${w.webhook.capped ? ", stopped at 60 s" : ""}) | **${w.webhook.perSecond} ` +
  `readings/s**; latency p50 ${w.webhook.latency.p50} ms, p99 ${w.webhook.latency.p99} ms, max ` +
  `${w.webhook.latency.max} ms (client process ${w.webhook.clientCpuPercent} % of a core) | ≥ ` +
  `${TARGETS.readingsPerSecond.toLocaleString("en")}/s: ${verdict(w.webhook.perSecond >= TARGETS.readingsPerSecond)} ` +
  `|\n` +
  `| breaching reading posted → unit \`critical\` on a subscribed Yjs board, \`wrangler dev\` (${w.alerts.samples} ` +
  `samples) | p50 ${w.alerts.criticalShown.p50} ms, p99 ${w.alerts.criticalShown.p99} ms, max ` +
  `${w.alerts.criticalShown.max} ms | p99 ≤ ${TARGETS.alertP99Ms} ms: ` +
  `${verdict(w.alerts.criticalShown.p99 <= TARGETS.alertP99Ms)} |\n` +
  `| … → its alert \`active_unack\` on the board | p50 ${w.alerts.alertShown.p50} ms, p99 ${w.alerts.alertShown.p99} ` +
  `ms, max ${w.alerts.alertShown.max} ms | p99 ≤ ${TARGETS.alertP99Ms} ms: ` +
  `${verdict(w.alerts.alertShown.p99 <= TARGETS.alertP99Ms)} |\n` +
  `| … the webhook's own answer to that POST | p50 ${w.alerts.webhookAnswered.p50} ms, p99 ` +
  `${w.alerts.webhookAnswered.p99} ms | |\n` +
  `| clearing reading posted → unit back to \`ok\` on the board | p50 ${w.alerts.clearedShown.p50} ms, p99 ` +
  `${w.alerts.clearedShown.p99} ms, max ${w.alerts.clearedShown.max} ms | |\n` +
  `| chart: 30 days of per-minute rollups (${inProcess.chart.rows} points), \`readings\` RPC in workerd, resolution ` +
  `"minute" (${inProcess.chart.minute.count} runs) | p50 ${inProcess.chart.minute.p50} ms, p99 ` +
  `${inProcess.chart.minute.p99} ms, max ${inProcess.chart.minute.max} ms | p99 ≤ ${TARGETS.chartP99Ms} ms: ` +
  `${judge(inProcess.chart.minute.p99, (v) => v <= TARGETS.chartP99Ms)} |\n` +
  `| … resolution chosen by span | p50 ${inProcess.chart.auto.p50} ms, p99 ${inProcess.chart.auto.p99} ms | p99 ≤ ` +
  `${TARGETS.chartP99Ms} ms: ${judge(inProcess.chart.auto.p99, (v) => v <= TARGETS.chartP99Ms)} |\n` +
  `| … first query with the room cold (every object evicted) | ${inProcess.chart.coldMs} ms | |\n` +
  `| … the same 30 days of per-minute data gathered into 1,200 columns (\`points=1200\`, what the unit page asks for ` +
  `past a day) | p50 ${inProcess.chart.columns.p50} ms, p99 ${inProcess.chart.columns.p99} ms | p99 ≤ ` +
  `${TARGETS.chartP99Ms} ms: ${judge(inProcess.chart.columns.p99, (v) => v <= TARGETS.chartP99Ms)} |\n` +
  `| chart over HTTP, \`GET /api/rooms/:id/units/:unit/readings\` under \`wrangler dev\` ` +
  `(${w.chart.bytes.toLocaleString("en")} bytes of JSON) | minute: p50 ${w.chart.minute.p50} ms, p99 ` +
  `${w.chart.minute.p99} ms; by span: p50 ${w.chart.auto.p50} ms, p99 ${w.chart.auto.p99} ms; first after a restart ` +
  `${w.chart.firstAfterRestartMs} ms | p99 ≤ ${TARGETS.chartP99Ms} ms: ` +
  `${verdict(Math.max(w.chart.minute.p99, w.chart.auto.p99) <= TARGETS.chartP99Ms)} |\n` +
  `| … gathered into 1,200 columns (\`points=1200\`, ${w.chart.columnBytes.toLocaleString("en")} bytes) | p50 ` +
  `${w.chart.columns.p50} ms, p99 ${w.chart.columns.p99} ms | p99 ≤ ${TARGETS.chartP99Ms} ms: ` +
  `${verdict(w.chart.columns.p99 <= TARGETS.chartP99Ms)} |\n\n` +
  `${failures}\n` +
  `Building the ${inProcess.units}-unit site took ${median(inProcess.setupMs)} ms in workerd (median; ` +
  `${inProcess.units + 2} commands, its ${inProcess.devices} sensors written straight into the room's table) and ` +
  `${w.setupMs} ms under \`wrangler dev\` (${inProcess.devices + inProcess.units + 2} commands over HTTP).\n` +
  `The rules-on readings are judged against every default rule (high, low off by default, stale, battery) and keep ` +
  `each unit's stale check planned; no reading breaches, so no alert is raised: the steady state of a healthy site.\n` +
  `The alert measure uses a unit rule with no duration (\`temperature_high\` above 5 °C at once, hysteresis 0.5 °C) ` +
  `and ${ALERT_DEVICES} sensors on that unit taken in turn; each sample is timed from just before the POST to the ` +
  `first document update after which the board shows it. The room copies sensor records into the document at most ` +
  `every 20 ms (SENSOR_MIRROR_COALESCE_MS), which is part of every sample.\n` +
  `The chart's rollups were written straight into the room's SQLite (in workerd with \`runInDurableObject\`, under ` +
  `\`wrangler dev\` with the sqlite3 shell while the server was stopped): the webhook takes no reading older than 7 ` +
  `days.\n`;
const outDir = join(ROOT, "bench", process.argv.includes("--scratch") || PROFILE ? "scratch" : "results");
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, `${date}-${host}-sites.md`), markdown);
writeFileSync(
  join(outDir, `${date}-${host}-sites.json`),
  `${JSON.stringify({ date, host, commit, load, loadAfter, targets: TARGETS, inProcess, wrangler }, null, 2)}\n`,
);
process.stdout.write(markdown);
