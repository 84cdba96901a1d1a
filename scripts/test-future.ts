/**
 * `npm run test:future`: the whole of `npm test` (lint, type-check, build, the workerd suite and the
 * browser/process suite) with the wall clock moved FUTURE_DAYS (default 400) days ahead, to prove no
 * test depends on the day it runs. Every process it starts sees the moved clock: node, wrangler,
 * workerd, and Chromium with its renderer, GPU and utility processes (they inherit the environment).
 *
 * `npm run test:future -- <vitest args>` runs only `vitest run <args>` under the moved clock, with the
 * workerd suite's config unless the args name one, e.g. `-- tests/worker/site` or
 * `-- --config vitest.e2e.config.ts tests/e2e/home.test.ts`.
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

/** No args: all of `npm test`. Args: `vitest run` with them, on the workerd suite unless they pick a config. */
function testCommand(args: readonly string[]): [string, string[]] {
  if (args.length === 0) return ["npm", ["test"]];
  const namesConfig = args.some((arg) => arg === "--config" || arg.startsWith("--config=") || arg === "-c");
  return ["npx", ["vitest", "run", ...(namesConfig ? [] : ["--config", "vitest.config.ts"]), ...args]];
}

try {
  if (run("cc", ["-shared", "-fPIC", "-O2", "-Wall", "-o", library, source]) !== 0)
    throw new Error("could not compile scripts/clock-offset.c (a C compiler `cc` is needed)");
  // Show the clock the suite will see, so a preload that did not take is noticed before minutes of tests.
  const probe = `const ahead = (Date.now() - ${Date.now()}) / 864e5;
    console.log('test:future: the clock reads', new Date().toISOString(), '(' + ahead.toFixed(3) + ' days ahead)');
    process.exitCode = Math.abs(ahead - ${days}) < 0.01 ? 0 : 1;`;
  if (run("node", ["-e", probe], { env }) !== 0) throw new Error("the clock preload did not move node's clock");
  const [command, args] = testCommand(process.argv.slice(2));
  process.exitCode = run(command, args, { env });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
