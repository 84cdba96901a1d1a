/**
 * Where Haven's room spends its time: `npx tsx bench/profile.ts [throughput|fanout]`.
 * Starts Haven under wrangler dev, attaches V8's CPU profiler to the Worker's isolate
 * (which also runs the rooms' Durable Objects) through wrangler's inspector port, runs one
 * workload from bench/client.ts and prints the functions with the most self and total
 * time. The raw profile goes to bench/scratch/ (open it in Chrome DevTools).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import { runJob } from "./client-process";
import type { FanoutJob, ThroughputJob } from "./jobs";
import { HavenServer } from "./servers";
import { type CpuProfile, topFunctions } from "./sites/profile";

/** A minimal Chrome DevTools Protocol session. */
class Inspector {
  #next = 0;
  #pending = new Map<number, (result: unknown) => void>();
  private constructor(private readonly ws: WebSocket) {
    ws.on("message", (data: WebSocket.RawData) => {
      const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: unknown };
      if (msg.id !== undefined) this.#pending.get(msg.id)?.(msg.result ?? msg.error);
    });
  }

  static async open(url: string): Promise<Inspector> {
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    return new Inspector(ws);
  }

  call(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = ++this.#next;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.ws.close();
  }
}

function inspectorPort(haven: HavenServer): number {
  for (const p of haven.memory().processes) {
    const args = readFileSync(`/proc/${p.pid}/cmdline`, "utf8").split("\0");
    const i = args.indexOf("--inspector-port");
    if (i >= 0 && args[i + 1]) return Number(args[i + 1]);
  }
  throw new Error("wrangler's inspector port not found");
}

async function main(): Promise<void> {
  const which = process.argv[2] === "fanout" ? "fanout" : "throughput";
  const dir = mkdtempSync(join(tmpdir(), "haven-profile-"));
  const haven = new HavenServer(dir);
  await haven.start();
  try {
    const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort(haven)}/json`)).json()) as Array<{
      webSocketDebuggerUrl: string;
    }>;
    const url = targets[0]?.webSocketDebuggerUrl;
    if (!url) throw new Error("no inspector target");
    const inspector = await Inspector.open(url);
    await inspector.call("Profiler.enable");
    await inspector.call("Profiler.setSamplingInterval", { interval: 100 });
    const base = { deflate: false, timeoutMs: 120_000 };
    const throughput = async (room: string, edits: number): Promise<ThroughputJob> => ({
      kind: "throughput",
      target: await haven.target(room),
      ...base,
      readers: 10,
      edits,
      window: 100,
    });
    const fanout = async (room: string, edits: number): Promise<FanoutJob> => ({
      kind: "fanout",
      target: await haven.target(room),
      ...base,
      readers: 200,
      edits,
      warmup: 10,
      gapMs: 10,
    });
    // Warm the isolate and the room's object, then profile only the steady state.
    const result =
      which === "fanout"
        ? await (async () => {
            await runJob(await fanout("profile", 20));
            await inspector.call("Profiler.start");
            return runJob(await fanout("profile", 200));
          })()
        : await (async () => {
            await runJob(await throughput("profile", 300));
            await inspector.call("Profiler.start");
            return runJob(await throughput("profile", 5000));
          })();
    const stopped = (await inspector.call("Profiler.stop")) as { profile: CpuProfile };
    inspector.close();
    const out = join(fileURLToPath(new URL(".", import.meta.url)), "scratch");
    mkdirSync(out, { recursive: true });
    const file = join(out, `haven-${which}.cpuprofile`);
    writeFileSync(file, JSON.stringify(stopped.profile));
    process.stdout.write(`${JSON.stringify(result)}\n\n${topFunctions(stopped.profile, 30)}\nWrote ${file}\n`);
  } finally {
    await haven.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
