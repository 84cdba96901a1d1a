/**
 * Runs Haven under `wrangler dev` (workerd with local D1, R2, Queues and Durable Objects)
 * as a child process. Used by `npm start`, the process-level tests and the benchmark.
 *
 * A server never outlives the process that started it: each runs in a process group of its
 * own (so a stop reaches workerd), a terminating signal to this process is passed on to every
 * such group and waited for, and scripts/watchdog.mjs ends the group when this process is gone
 * without a word (SIGKILL, a crash, or the npm that ran it killed).
 */
import { type ChildProcess, type StdioOptions, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { DEV_SERVER_STOP_GRACE_MS, DEV_SERVER_WATCHDOG_POLL_MS } from "../config";
import { applyLocalMigrations } from "./local-migrations";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const WRANGLER = fileURLToPath(new URL("../node_modules/wrangler/bin/wrangler.js", import.meta.url));
const WATCHDOG = fileURLToPath(new URL("./watchdog.mjs", import.meta.url));

/** The signals whose default action ends a process: each is passed on to the server groups before this one ends. */
export const TERMINATING_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"] as const;

/** A server started by `spawnServerGroup`. */
export interface ServerGroup {
  /** The group's leader, the watchdog: its pid is the group's id, its exit the server's. */
  child: ChildProcess;
  /** Sends `signal` to the server and every process it started, and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface DevServer extends ServerGroup {
  url: string;
  port: number;
}

const running = new Set<ServerGroup>();
let passingOnSignals = false;

/**
 * On the first terminating signal of each kind, stops every running group with it, then
 * ends this process as that signal would have, unless the program listens for it itself.
 */
function passOnTerminatingSignals(): void {
  if (passingOnSignals) return;
  passingOnSignals = true;
  for (const signal of TERMINATING_SIGNALS) {
    process.once(signal, async () => {
      await Promise.all([...running].map((group) => group.stop(signal)));
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

/**
 * Starts `node <args>` as a server that ends with this process: in a process group of its
 * own, under scripts/watchdog.mjs. Stop it by its group (`stop`), never by the child's pid alone.
 */
export function spawnServerGroup(
  args: readonly string[],
  options: { stdio: StdioOptions; env: NodeJS.ProcessEnv },
): ServerGroup {
  passOnTerminatingSignals();
  const watchdog = [
    WATCHDOG,
    String(process.pid),
    String(DEV_SERVER_STOP_GRACE_MS),
    String(DEV_SERVER_WATCHDOG_POLL_MS),
  ];
  const child = spawn(process.execPath, [...watchdog, process.execPath, ...args], {
    cwd: ROOT,
    detached: true,
    stdio: options.stdio,
    env: options.env,
  });
  const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      return;
    }
    // The watchdog exits once the server did, or kills the group after DEV_SERVER_STOP_GRACE_MS.
    await exited;
  };
  const group = { child, stop };
  running.add(group);
  child.once("exit", () => running.delete(group));
  return group;
}

export interface DevServerOptions {
  port?: number;
  /** Where local state lives; `.wrangler/state` unless given. */
  persistTo?: string;
  /** Print wrangler's output (for `npm start`); tests keep it quiet. */
  inheritOutput?: boolean;
  readyTimeoutMs?: number;
  /** Extra environment for wrangler, e.g. TMPDIR: wrangler writes each sent email under it as an .eml file. */
  env?: Record<string, string>;
}

/** A TCP port nobody is listening on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Applies the D1 migrations to the local database (idempotent). */
async function waitUntilReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/api/me`);
      if (res.status === 401) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`wrangler dev did not answer at ${url} within ${timeoutMs} ms`);
}

/** How often a start is tried again when a port picked as free was taken before wrangler bound it. */
const PORT_RACE_ATTEMPTS = 3;

/**
 * Starts `wrangler dev` and resolves once the API answers. Ports are picked free and then
 * handed to wrangler, so another process starting at the same moment can take one in
 * between: then the start is tried again on new ports (unless the caller chose the port).
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  applyLocalMigrations(options.persistTo);
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(options, options.port ?? (await freePort()));
    } catch (err) {
      const raced = err instanceof Error && err.message.includes("Address already in use");
      if (!raced || options.port !== undefined || attempt >= PORT_RACE_ATTEMPTS) throw err;
    }
  }
}

async function launch(options: DevServerOptions, port: number): Promise<DevServer> {
  const args = [
    WRANGLER,
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--inspector-port",
    String(await freePort()),
    "--show-interactive-dev-session=false",
    ...(options.persistTo ? ["--persist-to", options.persistTo] : []),
    ...(options.inheritOutput ? [] : ["--log-level", "error"]),
  ];
  const { child, stop } = spawnServerGroup(args, {
    stdio: options.inheritOutput ? "inherit" : ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...options.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-8000)));
  child.stderr?.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-8000)));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(url, child, options.readyTimeoutMs ?? 60_000);
  } catch (err) {
    await stop("SIGKILL");
    throw new Error(`${(err as Error).message}\n${output}`);
  }
  return { url, port, child, stop };
}
