/**
 * `npm run test:future [-- vitest args]`: the workerd suite with the wall clock moved FUTURE_DAYS
 * (default 400) days ahead, for node and workerd alike, to prove no test depends on the day it runs.
 *
 * Debian's libfaketime cannot be used: workerd hangs at start under it (its constructor allocates
 * before workerd's tcmalloc is set up, and tcmalloc's set-up calls back into libfaketime). So this
 * compiles scripts/clock-offset.c, a preload that only adds an offset to the wall clocks, with `cc`.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const DAY_S = 24 * 60 * 60;
const days = Number(process.env.FUTURE_DAYS ?? 400);
if (!Number.isInteger(days))
  throw new Error(`FUTURE_DAYS must be a whole number of days, got ${process.env.FUTURE_DAYS}`);

const source = fileURLToPath(new URL("./clock-offset.c", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "haven-clock-"));
const library = join(dir, "clock-offset.so");
const env = { ...process.env, LD_PRELOAD: library, HAVEN_CLOCK_OFFSET_S: String(days * DAY_S) };

function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}): number {
  const result = spawnSync(command, args, { stdio: "inherit", ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

try {
  if (run("cc", ["-shared", "-fPIC", "-O2", "-Wall", "-o", library, source]) !== 0)
    throw new Error("could not compile scripts/clock-offset.c (a C compiler `cc` is needed)");
  // Show the clock the suite will see, so a preload that did not take is noticed before minutes of tests.
  run("node", ["-e", "console.log('test:future: the clock reads', new Date().toISOString())"], { env });
  process.exitCode = run("npx", ["vitest", "run", "--config", "vitest.config.ts", ...process.argv.slice(2)], { env });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
