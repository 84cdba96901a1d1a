/**
 * Runs Haven under `wrangler dev` (workerd with local D1, R2, Queues and Durable Objects)
 * as a child process. Used by `npm start`, the process-level tests and the benchmark.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const WRANGLER = fileURLToPath(new URL("../node_modules/wrangler/bin/wrangler.js", import.meta.url));

export interface DevServer {
  url: string;
  port: number;
  child: ChildProcess;
  /** Sends `signal` to wrangler and every process it started, and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
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
export function applyLocalMigrations(persistTo?: string): void {
  const args = [
    WRANGLER,
    "d1",
    "migrations",
    "apply",
    "DB",
    "--local",
    ...(persistTo ? ["--persist-to", persistTo] : []),
  ];
  const result = spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, CI: "true" },
  });
  if (result.status !== 0) throw new Error(`D1 migrations failed:\n${result.stdout}\n${result.stderr}`);
}

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
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    // Its own process group, so a stop reaches workerd too.
    detached: true,
    stdio: options.inheritOutput ? "inherit" : ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...options.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-8000)));
  child.stderr?.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-8000)));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      return;
    }
    await exited;
  };
  try {
    await waitUntilReady(url, child, options.readyTimeoutMs ?? 60_000);
  } catch (err) {
    await stop("SIGKILL");
    throw new Error(`${(err as Error).message}\n${output}`);
  }
  return { url, port, child, stop };
}
