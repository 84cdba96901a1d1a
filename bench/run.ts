/**
 * `npm run bench`: the same workloads against Haven (wrangler dev / workerd), the reference
 * Yjs server (@y/websocket-server) and Hocuspocus, each server in its own process group,
 * every workload in a client process apart from the servers. Prints the comparison and
 * writes bench/results/<date>-<host>.md and .json. `--quick` runs reduced counts and
 * writes to bench/scratch/ instead (for checking the harness, not for recording).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, hostname, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runJob } from "./client-process";
import type { Target } from "./jobs";
import { renderMarkdown } from "./report";
import type {
  BenchResults,
  FanoutRow,
  MemoryReading,
  MemoryRow,
  ServerResults,
  SyncRow,
  ThroughputRow,
} from "./results";
import {
  type BenchServer,
  HavenServer,
  HocuspocusServer,
  type MemorySample,
  ReferenceDeflateServer,
  ReferenceServer,
  RelayDiagServer,
  type RelayMode,
} from "./servers";
import { median } from "./stats";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const QUICK = process.argv.includes("--quick");
/** `--only=haven,hocuspocus`: run a subset (for working on the harness; the report then lacks peers). */
const ONLY =
  process.argv
    .find((a) => a.startsWith("--only="))
    ?.slice("--only=".length)
    .split(",") ?? null;
const selected = (id: string) => ONLY === null || ONLY.includes(id);

const CONFIG = {
  fanoutReaders: [10, 50, 200],
  fanoutEdits: QUICK ? 40 : 300,
  fanoutWarmup: QUICK ? 5 : 20,
  fanoutGapMs: 10,
  throughputReaders: 10,
  throughputEdits: QUICK ? 1000 : 4000,
  throughputWindow: 100,
  throughputRepeats: QUICK ? 1 : 3,
  docBytes: 1024 * 1024,
  updateBytes: 50_000,
  warmClients: QUICK ? 2 : 5,
  coldRestarts: QUICK ? 1 : 2,
  idleClients: 200,
  settleMs: 3000,
};

const JOB_TIMEOUT_MS = 120_000;
const DEFLATE = [false, true] as const;

const started = Date.now();
function log(message: string): void {
  process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}\n`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function reading(sample: MemorySample): MemoryReading {
  return {
    serverKb: sample.serverKb,
    workerKb: sample.workerKb,
    treeKb: sample.treeKb,
    processes: sample.processes.map((p) => ({ comm: p.comm, ...(p.role ? { role: p.role } : {}), rssKb: p.rssKb })),
  };
}

const tag = (deflate: boolean) => (deflate ? "deflate" : "plain");

/** A server and how to address its rooms (Haven's diagnosis addresses the same server another way). */
interface Endpoint {
  server: BenchServer;
  target(room: string): Promise<Target>;
}

const endpoint = (server: BenchServer): Endpoint => ({ server, target: (room) => server.target(room) });

/** Server restarts detected in the middle of a measurement (wrangler dev reloads when a source file changes). */
const reloads: string[] = [];

/**
 * Runs one measurement; if the server's processes changed meanwhile, the measurement
 * spanned two servers: it is noted and run once more on fresh rooms (`attempt` > 0).
 */
async function stable<T>(server: BenchServer, what: string, measure: (attempt: number) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const before = server.fingerprint();
    let outcome: { ok: true; value: T } | { ok: false; error: unknown };
    try {
      outcome = { ok: true, value: await measure(attempt) };
    } catch (error) {
      outcome = { ok: false, error };
      await sleep(1000); // A failure may be the reload itself, which takes a moment to show.
    }
    if (server.fingerprint() === before) {
      if (outcome.ok) return outcome.value;
      throw outcome.error;
    }
    reloads.push(`${server.label}: ${what} (attempt ${attempt + 1})`);
    log(`${server.label}: the server restarted during "${what}"; ${attempt === 0 ? "measuring again" : "giving up"}`);
    if (attempt >= 1) throw new Error(`the server restarted during ${what}, twice`);
    await sleep(5000); // Let a reload finish.
  }
}

/** (d) On a server process that has just started: RSS idle, then with N idle clients connected to one room. */
async function measureMemory(server: BenchServer, deflate: boolean): Promise<MemoryRow> {
  const row: MemoryRow = { deflate, clients: CONFIG.idleClients, connectMs: 0, baseline: null, loaded: null };
  try {
    await sleep(CONFIG.settleMs);
    row.baseline = reading(server.memory());
    const target = await server.target(`idle-${tag(deflate)}`);
    const result = await stable(server, `memory, ${tag(deflate)}`, async (attempt) => {
      if (attempt > 0) throw new Error("RSS after a restart is not comparable to the baseline");
      return runJob(
        { kind: "idle", target, deflate, timeoutMs: JOB_TIMEOUT_MS, clients: CONFIG.idleClients },
        async (ready) => {
          row.connectMs = ready.connectMs;
          await sleep(CONFIG.settleMs);
          row.loaded = reading(server.memory());
        },
      );
    });
    if (result.connected !== CONFIG.idleClients)
      row.error = `only ${result.connected} of ${CONFIG.idleClients} idle clients were still connected`;
  } catch (err) {
    row.error = errorText(err);
  }
  return row;
}

/** (a) */
async function measureFanout(at: Endpoint, readers: number, deflate: boolean, room: string): Promise<FanoutRow> {
  try {
    const r = await stable(at.server, `fan-out to ${readers}, ${tag(deflate)}`, async (attempt) =>
      runJob({
        kind: "fanout",
        target: await at.target(`${room}-${attempt}`),
        deflate,
        timeoutMs: JOB_TIMEOUT_MS,
        readers,
        edits: CONFIG.fanoutEdits,
        warmup: CONFIG.fanoutWarmup,
        gapMs: CONFIG.fanoutGapMs,
      }),
    );
    return {
      readers,
      deflate,
      latencyMs: r.latencyMs,
      missing: r.missing,
      connectMs: r.connectMs,
      extensions: r.extensions,
    };
  } catch (err) {
    return { readers, deflate, latencyMs: null, missing: 0, connectMs: 0, extensions: "", error: errorText(err) };
  }
}

/** (b) Median of several runs, each in a fresh room. */
async function measureThroughput(at: Endpoint, deflate: boolean, roomPrefix: string): Promise<ThroughputRow> {
  const row: ThroughputRow = { deflate, editsPerSec: null, runs: [], extensions: "" };
  try {
    for (let k = 0; k < CONFIG.throughputRepeats; k++) {
      const r = await stable(at.server, `sustained edits, ${tag(deflate)}`, async (attempt) =>
        runJob({
          kind: "throughput",
          target: await at.target(`${roomPrefix}-${k}-${attempt}`),
          deflate,
          timeoutMs: JOB_TIMEOUT_MS,
          readers: CONFIG.throughputReaders,
          edits: CONFIG.throughputEdits,
          window: CONFIG.throughputWindow,
        }),
      );
      row.runs.push(r);
      row.extensions = r.extensions;
      if (!r.verified) row.error = `run ${k}: a fresh client did not see the last edit`;
    }
    row.editsPerSec = median(row.runs.map((r) => r.editsPerSec));
  } catch (err) {
    row.error = errorText(err);
  }
  return row;
}

async function syncTimes(
  server: BenchServer,
  deflate: boolean,
  rooms: string[],
  holder: boolean,
  items: number,
): Promise<{ timesMs: number[]; extensions: string }> {
  const targets = await Promise.all(rooms.map((room) => server.target(room)));
  const [first] = targets;
  if (!first) throw new Error("no rooms to sync");
  const what = `${holder ? "warm" : "cold"} sync, ${tag(deflate)}`;
  const r = await stable(server, what, async (attempt) => {
    // A restart in the middle makes warm syncs cold and cold ones meaningless: no second try.
    if (attempt > 0) throw new Error(`the server restarted during ${what}`);
    return runJob({
      kind: "sync",
      target: first,
      deflate,
      timeoutMs: JOB_TIMEOUT_MS,
      clients: targets,
      expectItems: items,
      holder,
    });
  });
  return { timesMs: r.timesMs, extensions: r.extensions };
}

/**
 * (c) Seeds two 1 MB documents, times warm syncs of the first, then restarts the server
 * for each cold sync: the first client after the restart (process and room cold), then a
 * client of the second document (room cold, process warm). Leaves the server stopped.
 */
async function measureSync(server: BenchServer, results: ServerResults): Promise<void> {
  const rooms = ["doc-1mb-a", "doc-1mb-b"] as const;
  let items = 0;
  for (const room of rooms) {
    const seed = await runJob({
      kind: "seed",
      target: await server.target(room),
      deflate: false,
      timeoutMs: JOB_TIMEOUT_MS,
      targetBytes: CONFIG.docBytes,
      updateBytes: CONFIG.updateBytes,
    });
    results.doc = {
      bytes: seed.bytes,
      items: seed.items,
      updates: seed.updates,
      verified: seed.verified && (results.doc?.verified ?? true),
    };
    items = seed.items;
  }
  const rows = new Map<boolean, SyncRow>();
  for (const deflate of DEFLATE) {
    const row: SyncRow = {
      deflate,
      warmMs: [],
      warmMedianMs: null,
      coldMs: [],
      coldMedianMs: null,
      roomColdMs: [],
      roomColdMedianMs: null,
      extensions: "",
    };
    rows.set(deflate, row);
    results.sync.push(row);
    try {
      const warm = await syncTimes(
        server,
        deflate,
        Array.from({ length: CONFIG.warmClients }, () => rooms[0]),
        true,
        items,
      );
      row.warmMs = warm.timesMs;
      row.warmMedianMs = median(warm.timesMs);
      row.extensions = warm.extensions;
    } catch (err) {
      row.error = errorText(err);
    }
  }
  for (const deflate of DEFLATE) {
    const row = rows.get(deflate);
    if (!row) continue;
    for (let k = 0; k < CONFIG.coldRestarts; k++) {
      await server.stop();
      log(`${server.label}: restarted for a cold sync (${tag(deflate)} ${k + 1}/${CONFIG.coldRestarts})`);
      try {
        await server.start();
        const [cold, roomCold] = (await syncTimes(server, deflate, [...rooms], false, items)).timesMs;
        if (cold !== undefined) row.coldMs.push(cold);
        if (roomCold !== undefined) row.roomColdMs.push(roomCold);
      } catch (err) {
        row.error = errorText(err);
      }
    }
    row.coldMedianMs = row.coldMs.length > 0 ? median(row.coldMs) : null;
    row.roomColdMedianMs = row.roomColdMs.length > 0 ? median(row.roomColdMs) : null;
  }
  await server.stop();
}

function emptyResults(who: { id: string; label: string; persistence: string }, notes: string[]): ServerResults {
  return {
    id: who.id,
    label: who.label,
    persistence: who.persistence,
    notes,
    fanout: [],
    throughput: [],
    sync: [],
    doc: null,
    memory: [],
  };
}

/** Every workload against one server, in the order that keeps them from disturbing each other. */
async function benchServer(
  server: BenchServer,
  notes: string[],
  whileRunning?: () => Promise<void>,
): Promise<ServerResults> {
  const results = emptyResults(server, notes);
  const at = endpoint(server);
  try {
    // (d) first, each on a process that has just started: RSS does not shrink after load.
    for (const deflate of DEFLATE) {
      await server.stop();
      await server.start();
      log(`${server.label}: started; memory with ${CONFIG.idleClients} idle clients, ${tag(deflate)}`);
      results.memory.push(await measureMemory(server, deflate));
    }
    for (const deflate of DEFLATE) {
      for (const readers of CONFIG.fanoutReaders) {
        log(`${server.label}: fan-out to ${readers} readers, ${tag(deflate)}`);
        results.fanout.push(await measureFanout(at, readers, deflate, `fanout-${readers}-${tag(deflate)}`));
      }
    }
    for (const deflate of DEFLATE) {
      log(`${server.label}: sustained edits, ${tag(deflate)}`);
      results.throughput.push(await measureThroughput(at, deflate, `edits-${tag(deflate)}`));
    }
    if (whileRunning) await whileRunning();
    log(`${server.label}: 1 MB document, warm and cold sync`);
    await measureSync(server, results);
  } catch (err) {
    results.notes.push(`run aborted: ${errorText(err)}`);
  } finally {
    await server.stop();
  }
  return results;
}

/** The reference server without persistence: the highest bar for (b). */
async function referenceInMemory(): Promise<ServerResults> {
  const server = new ReferenceServer(null);
  const results = emptyResults(server, [
    "Diagnosis only: the stock reference server without persistence (documents in memory), as `npx y-websocket` " +
      "runs by default.",
  ]);
  const at = endpoint(server);
  try {
    await server.start();
    log(`${server.label}: fan-out to 200 readers and sustained edits`);
    results.fanout.push(await measureFanout(at, 200, false, "fanout-200"));
    for (const deflate of DEFLATE)
      results.throughput.push(await measureThroughput(at, deflate, `edits-${tag(deflate)}`));
  } catch (err) {
    results.notes.push(`run aborted: ${errorText(err)}`);
  } finally {
    await server.stop();
  }
  return results;
}

/** The reference handler with permessage-deflate accepted: Haven's "deflate on" rows, like for like. */
async function referenceWithDeflate(): Promise<ServerResults> {
  const server = new ReferenceDeflateServer();
  const results = emptyResults(
    { id: "y-websocket-server-deflate", label: server.label, persistence: server.persistence },
    [
      "Diagnosis only: the reference server's setupWSConnection behind a ws server with perMessageDeflate: true " +
        "(bench/reference-deflate-server.ts), documents in memory.",
    ],
  );
  const at = endpoint(server);
  try {
    await server.start();
    log(`${server.label}: fan-out to 200 readers and sustained edits, deflate`);
    results.fanout.push(await measureFanout(at, 200, true, "fanout-200"));
    results.throughput.push(await measureThroughput(at, true, "edits"));
  } catch (err) {
    results.notes.push(`run aborted: ${errorText(err)}`);
  } finally {
    await server.stop();
  }
  return results;
}

const RELAY_MODES: Array<{ mode: RelayMode; label: string }> = [
  { mode: "memory", label: "bare DO relay: in-memory socket set, no storage" },
  { mode: "relay", label: "bare DO relay: hibernatable sockets (getWebSockets), no storage" },
  { mode: "sql", label: "bare DO relay: hibernatable + one raw SQLite INSERT per update" },
  { mode: "sql-attach", label: "bare DO relay: as above + deserializeAttachment per socket per relay" },
];

/** A bare Yjs relay in a Durable Object (bench/diag/worker.js), adding Haven's costs one at a time. */
async function relayDiagnosis(persistTo: string): Promise<ServerResults[]> {
  const server = new RelayDiagServer(persistTo);
  const out: ServerResults[] = [];
  try {
    await server.start();
    for (const { mode, label } of RELAY_MODES) {
      server.mode = mode;
      const results = emptyResults(
        {
          id: `relay-${mode}`,
          label,
          persistence: mode.startsWith("sql") ? "one SQLite INSERT per update before the relay" : "none",
        },
        [
          "Diagnosis only: bench/diag/worker.js under the same wrangler dev setup (through its dev proxy), no auth, " +
            "no drizzle, no partyserver.",
        ],
      );
      const at = endpoint(server);
      log(`${label}: fan-out to 200 readers and sustained edits`);
      results.fanout.push(await measureFanout(at, 200, false, "fanout-200"));
      results.throughput.push(await measureThroughput(at, false, "edits"));
      out.push(results);
    }
  } catch (err) {
    const failed = emptyResults({ id: "relay-diag", label: "bare DO relay", persistence: "n/a" }, [
      `run aborted: ${errorText(err)}`,
    ]);
    out.push(failed);
  } finally {
    await server.stop();
  }
  return out;
}

function localDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

function foreignWorkerd(): number {
  let n = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === "workerd") n++;
    } catch {
      // Exited meanwhile.
    }
  }
  return n;
}

function ensureClientBuilt(): void {
  const dir = join(ROOT, "dist", "client");
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {
    entries = [];
  }
  if (entries.length > 0) return;
  log("dist/client is empty: building the client once (npx vite build)");
  const r = spawnSync("npx", ["vite", "build"], { cwd: ROOT, stdio: "inherit" });
  if (r.status !== 0) {
    // wrangler only needs the assets directory to exist.
    mkdirSync(dir, { recursive: true });
  }
}

async function main(): Promise<void> {
  ensureClientBuilt();
  const startedAt = new Date();
  const head = () => spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).stdout.trim();
  const commit = head();
  const dirtyAtStart = spawnSync(
    "git",
    ["status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)bench"],
    { cwd: ROOT, encoding: "utf8" },
  )
    .stdout.split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const environment: BenchResults["environment"] = {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    memTotalMb: totalmem() / 1024 / 1024,
    commit,
    commitEnd: commit,
    dirtyAtStart,
    loadAvgStart: loadavg(),
    loadAvgEnd: [],
    foreignWorkerdAtStart: foreignWorkerd(),
  };
  const scratch = mkdtempSync(join(tmpdir(), "haven-bench-"));
  const servers: ServerResults[] = [];
  const diagnosis: ServerResults[] = [];
  try {
    const haven = new HavenServer(join(scratch, "haven"));
    if (selected("haven"))
      servers.push(
        await benchServer(
          haven,
          [
            "Runs under `wrangler dev`: client → wrangler's proxy workerd → the workerd running the Worker (session " +
              "check against D1) → the room's Durable Object. (d) counts both workerd processes; wrangler's own node " +
              "processes are listed below but not counted.",
          ],
          async () => {
            // Diagnosis while the same process runs: skip wrangler's dev proxy.
            const direct = emptyResults(
              {
                id: "haven-direct",
                label: "haven, direct to the Worker's workerd (no dev proxy)",
                persistence: haven.persistence,
              },
              [
                "Diagnosis only: same server process and rooms code, clients connect to the workerd that runs the " +
                  "Worker instead of wrangler's proxy.",
              ],
            );
            const directOf: Endpoint = { server: haven, target: (room) => haven.directTarget(room) };
            log("haven (direct): fan-out to 200 readers and sustained edits");
            for (const deflate of DEFLATE)
              direct.fanout.push(await measureFanout(directOf, 200, deflate, `direct-fanout-200-${tag(deflate)}`));
            for (const deflate of DEFLATE)
              direct.throughput.push(await measureThroughput(directOf, deflate, `direct-edits-${tag(deflate)}`));
            diagnosis.push(direct);
          },
        ),
      );
    if (selected("y-websocket-server"))
      servers.push(
        await benchServer(new ReferenceServer(join(scratch, "leveldb")), [
          "Stock src/server.js with YPERSISTENCE (y-leveldb). The document is bound to LevelDB asynchronously: a " +
            "new client can get sync step 2 before the stored state is loaded and receive the content afterwards as " +
            "an update, so time to synced is measured until the client holds the whole document.",
          "Its ws server does not enable permessage-deflate, so 'deflate on' rows are uncompressed for it.",
        ]),
      );
    if (selected("hocuspocus"))
      servers.push(
        await benchServer(new HocuspocusServer(join(scratch, "hocuspocus")), [
          "Stock Server on Node with onLoadDocument/onStoreDocument hooks writing one file per document. Merges the " +
            "updates of one event-loop turn into one frame (flushDelay 0) and acknowledges each update to its writer " +
            "(SyncStatus).",
          "Its ws server (crossws) does not enable permessage-deflate, so 'deflate on' rows are uncompressed for it.",
        ]),
      );
    // The reference without persistence: the highest bar for (b).
    if (selected("y-websocket-server")) diagnosis.push(await referenceInMemory(), await referenceWithDeflate());
    if (selected("relay-diag")) diagnosis.push(...(await relayDiagnosis(join(scratch, "relay"))));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  environment.loadAvgEnd = loadavg();
  environment.commitEnd = head();

  const host =
    hostname()
      .split(".")[0]
      ?.replace(/[^A-Za-z0-9-]/g, "") || "host";
  const results: BenchResults = {
    date: localDate(startedAt),
    host: `${host}-${environment.cpus}c`,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - started,
    quick: QUICK || ONLY !== null,
    environment,
    config: CONFIG,
    reloads,
    servers,
    diagnosis,
  };
  const markdown = renderMarkdown(results);
  // Only complete, full-size runs are results; the rest goes to the git-ignored scratch directory.
  const outDir = join(ROOT, "bench", QUICK || ONLY ? "scratch" : "results");
  mkdirSync(outDir, { recursive: true });
  const base = join(outDir, `${results.date}-${results.host}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(`${base}.md`, `${markdown}\n`);
  process.stdout.write(`${markdown}\n\nWrote ${base}.md and ${base}.json\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
