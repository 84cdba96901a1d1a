/**
 * Runs one job in a fresh client process (bench/client.ts), apart from every server, and
 * returns its result. Output is read asynchronously: nothing here blocks the event loop,
 * which matters because wrangler's output pipes are drained by this same process.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { ClientLine, IdleReady, Job, JobResult } from "./jobs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

export type ResultOf<J extends Job> = Extract<JobResult, { kind: J["kind"] }>;

/**
 * Spawns the client for `job`. For an idle job, `onReady` runs while the clients are
 * connected (to read the server's memory); the clients disconnect when it returns.
 */
export function runJob<J extends Job>(job: J, onReady?: (ready: IdleReady) => Promise<void>): Promise<ResultOf<J>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "bench/client.ts", JSON.stringify(job)], {
      cwd: ROOT,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(killTimer);
      fn();
    };
    const killTimer = setTimeout(() => {
      child.kill("SIGKILL");
      settle(() => reject(new Error(`client for ${job.kind} did not finish within ${job.timeoutMs + 10_000} ms`)));
    }, job.timeoutMs + 10_000);
    child.stderr.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    createInterface({ input: child.stdout }).on("line", (text) => {
      let line: ClientLine;
      try {
        line = JSON.parse(text) as ClientLine;
      } catch {
        return; // Not ours (a library printing to stdout).
      }
      if (line.type === "ready") {
        const proceed = onReady ? onReady(line) : Promise.resolve();
        proceed.then(
          () => child.stdin.write("go\n"),
          (err: unknown) => {
            child.stdin.write("go\n");
            settle(() => reject(err instanceof Error ? err : new Error(String(err))));
          },
        );
      } else if (line.type === "error") {
        settle(() => reject(new Error(`${job.kind}: ${line.message}${stderr ? `\n${stderr}` : ""}`)));
      } else if (line.kind === job.kind) {
        const result = line as ResultOf<J>;
        settle(() => resolve(result));
      }
    });
    child.on("close", (code) =>
      settle(() => reject(new Error(`client for ${job.kind} exited with ${code} without a result\n${stderr}`))),
    );
  });
}
