/**
 * `npm start` ends with the terminal it runs in (issue 13). Closing a terminal sends SIGHUP
 * to its foreground process group; killing npm alone sends its children nothing. Either way
 * wrangler and workerd must be gone within 10 s, leaving the port and the state to the next
 * start. The real `npm start` runs here in a process group of its own, on a free port, with
 * its own HAVEN_STATE_DIR (both starts share it: the second finds the first one's data).
 * Processes are read from /proc, so this runs on Linux.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/dev-server";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The first start builds the client and seeds the demo data; a loaded machine needs a while for that. */
const START_TIMEOUT_MS = 240_000;
const GONE_WITHIN_MS = 10_000;

interface Proc {
  pid: number;
  ppid: number;
  pgid: number;
  comm: string;
  /** Start time in clock ticks since boot: tells a pid apart from a later process given the same number. */
  startedAt: string;
  zombie: boolean;
}

function readProc(pid: number): Proc | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // After the parenthesised comm: state ppid pgrp … with the start time the 20th of those.
  const close = stat.lastIndexOf(")");
  const fields = stat.slice(close + 2).split(" ");
  return {
    pid,
    comm: stat.slice(stat.indexOf("(") + 1, close),
    zombie: fields[0] === "Z",
    ppid: Number(fields[1]),
    pgid: Number(fields[2]),
    startedAt: fields[19] ?? "",
  };
}

/** `root` and every process below it. */
function processTree(root: number): Proc[] {
  const all = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProc(Number(name)))
    .filter((p): p is Proc => p !== null);
  const tree = all.filter((p) => p.pid === root);
  for (let i = 0; i < tree.length; i++) tree.push(...all.filter((p) => p.ppid === tree[i]?.pid));
  return tree;
}

/** Which of `processes` still run (the same process, not a zombie, not a new one under an old pid). */
function stillRunning(processes: readonly Proc[]): string[] {
  return processes
    .filter((p) => {
      const now = readProc(p.pid);
      return now !== null && !now.zombie && now.startedAt === p.startedAt;
    })
    .map((p) => `${p.pid} ${p.comm}`);
}

function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (err: NodeJS.ErrnoException) => resolve(err.code === "ECONNREFUSED"));
  });
}

interface Run {
  npm: ChildProcess;
  port: number;
  output: () => string;
  /** Everything the start ran, read once it was up: npm, sh, tsx, start.ts, the watchdog, wrangler, workerd… */
  processes: Proc[];
}

const stateDir = mkdtempSync(join(tmpdir(), "haven-start-stop-"));
const runs: Run[] = [];

/** A developer's shell, without what vitest sets for its own tests (NODE_ENV=test would change the client build). */
function shellEnv(port: number): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("VITEST") && !["NODE_ENV", "TEST"].includes(name)),
  );
  return { ...env, PORT: String(port), HAVEN_STATE_DIR: stateDir };
}

async function startHaven(): Promise<Run> {
  const port = await freePort();
  // Its own process group, as a shell gives each job it starts.
  const npm = spawn("npm", ["start"], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: shellEnv(port),
  });
  let output = "";
  npm.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  npm.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const run: Run = { npm, port, output: () => output, processes: [] };
  runs.push(run);
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!output.includes(`Haven is running at http://127.0.0.1:${port}`)) {
    if (npm.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  run.processes = processTree(npm.pid as number);
  expect(run.processes.map((p) => p.comm)).toContain("workerd");
  expect(await connectionRefused(port)).toBe(false);
  return run;
}

/** Waits until the port refuses connections and nothing the run started is left. */
async function expectGone(run: Run): Promise<void> {
  await expect
    .poll(async () => ({ refused: await connectionRefused(run.port), left: stillRunning(run.processes) }), {
      timeout: GONE_WITHIN_MS,
      interval: 100,
    })
    .toEqual({ refused: true, left: [] });
}

/** The ids of the demo account's rooms; the same ids after a restart mean its state was kept. */
async function demoRooms(run: Run): Promise<string> {
  const url = `http://127.0.0.1:${run.port}`;
  const login = await fetch(`${url}/api/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: url },
    body: JSON.stringify({ email: "demo@haven.local", password: "haven-demo-2026" }),
  });
  expect(login.status).toBe(200);
  const cookie = (login.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
  const { rooms } = (await (await fetch(`${url}/api/rooms`, { headers: { Cookie: cookie } })).json()) as {
    rooms: Array<{ id: string }>;
  };
  return rooms
    .map((r) => r.id)
    .sort()
    .join(",");
}

// Whatever a failing test left: every process group the runs started, and anything still below npm.
afterEach(() => {
  for (const run of runs.splice(0)) {
    const ours = [...run.processes, ...(run.npm.pid ? processTree(run.npm.pid) : [])];
    const leaders = new Set(ours.map((p) => p.pid));
    for (const p of ours) {
      if (stillRunning([p]).length === 0) continue;
      try {
        process.kill(leaders.has(p.pgid) ? -p.pgid : p.pid, "SIGKILL");
      } catch {
        // Gone meanwhile.
      }
    }
  }
});
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

const demoRoomIds: string[] = [];
/** What each start printed, for the check that a start on existing state goes as cleanly as the first. */
const outputs: string[] = [];

describe("npm start ends with its terminal", () => {
  it(
    "stops wrangler and workerd within 10 s when npm's process group gets SIGHUP (the terminal closed)",
    async () => {
      const run = await startHaven();
      demoRoomIds.push(await demoRooms(run));
      // Readiness reaches the Worker, not the single-page app, and finds D1, R2 and the rooms.
      const ready = await fetch(`http://127.0.0.1:${run.port}/health/ready`);
      expect([ready.status, ((await ready.json()) as { status: string }).status]).toEqual([200, "ok"]);
      outputs.push(run.output());
      process.kill(-(run.npm.pid as number), "SIGHUP");
      await expectGone(run);
    },
    START_TIMEOUT_MS + 30_000,
  );

  it(
    "stops wrangler and workerd within 10 s when the npm process alone is killed with SIGKILL",
    async () => {
      const run = await startHaven();
      demoRoomIds.push(await demoRooms(run));
      outputs.push(run.output());
      run.npm.kill("SIGKILL");
      await expectGone(run);
    },
    START_TIMEOUT_MS + 30_000,
  );

  it("keeps the data of a start that was ended either way (the second start found the first one's demo rooms)", () => {
    expect(demoRoomIds).toHaveLength(2);
    expect(demoRoomIds[0]).toMatch(/^[0-9a-f-]{36}(,[0-9a-f-]{36}){2}$/);
    expect(demoRoomIds[1]).toBe(demoRoomIds[0]);
  });

  it("starts again on that state without errors: rooms woken by alarms know their ids, the demo seeds again", () => {
    expect(outputs).toHaveLength(2);
    for (const output of outputs) {
      expect(output).not.toContain("Attempting to read .name");
      expect(output).not.toContain("could not be set up");
      expect(output).toContain('Demo deal "12 Elm St purchase": 18 of 41 tasks done');
      expect(output).not.toMatch(/\b500 Internal Server Error\b/);
    }
  });
});
