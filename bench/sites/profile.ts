/**
 * A V8 CPU profile of the Worker's isolate under `wrangler dev` (which also runs the rooms'
 * Durable Objects), through wrangler's inspector port: `npm run bench:sites -- --profile`
 * profiles the timed webhook load, writes the profile to bench/scratch/ (open it in Chrome
 * DevTools) and prints the functions with the most self and total time.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import type { DevServer } from "../../scripts/dev-server";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The top functions by self time and by total time (callees included). */
export function topFunctions(profile: CpuProfile, top: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (n: ProfileNode) =>
    `${n.callFrame.functionName || "(anonymous)"} ` +
    `${n.callFrame.url.split("/").pop() ?? ""}:${n.callFrame.lineNumber + 1}`;
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    all += dt;
    const node = byId.get(id);
    if (!node) return;
    self.set(key(node), (self.get(key(node)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur);
      if (!n || seen.has(key(n))) continue;
      seen.add(key(n));
      total.set(key(n), (total.get(key(n)) ?? 0) + dt);
    }
  });
  const list = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / all).toFixed(1).padStart(5)} %  ${k}`)
      .join("\n");
  return (
    `profiled ${(all / 1000).toFixed(0)} ms\n\n` +
    `SELF TIME\n${list(self)}\n\n` +
    `TOTAL TIME (incl. callees)\n${list(total)}\n`
  );
}

/**
 * Starts profiling the Worker's isolate; the returned function stops, writes `<name>.cpuprofile` to
 * bench/scratch/ and returns the summary.
 */
export async function profileWorker(server: DevServer, name: string): Promise<() => Promise<string>> {
  const args = readFileSync(`/proc/${server.child.pid}/cmdline`, "utf8").split("\0");
  const port = args[args.indexOf("--inspector-port") + 1];
  if (!port) throw new Error("wrangler's inspector port not found");
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as Array<{
    webSocketDebuggerUrl: string;
  }>;
  const url = targets[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error("no inspector target");
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  let next = 0;
  const pending = new Map<number, (result: unknown) => void>();
  ws.on("message", (data: WebSocket.RawData) => {
    const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: unknown };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.result ?? msg.error);
  });
  const send = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve) => {
      const id = ++next;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  await send("Profiler.enable");
  await send("Profiler.setSamplingInterval", { interval: 100 });
  await send("Profiler.start");
  return async () => {
    const { profile } = (await send("Profiler.stop")) as { profile: CpuProfile };
    ws.close();
    const dir = fileURLToPath(new URL("../scratch", import.meta.url));
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${name}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    return `${topFunctions(profile, 30)}\nWrote ${file}\n`;
  };
}
