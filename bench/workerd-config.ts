/**
 * The vitest config of a benchmark's in-process part: the real Worker, rooms, SQLite, alarms and queue in workerd,
 * with the D1 migrations applied as the workerd test suite applies them. One per benchmark, differing in its file.
 */
import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export interface BenchConfigOptions {
  /** Bindings the benchmark reads besides the migrations (its trials, its phases). */
  bindings?: Record<string, string>;
  /** How long one benchmark test may run. */
  testTimeoutMs?: number;
}

export function workerdBenchConfig(benchFile: string, options: BenchConfigOptions = {}) {
  return defineConfig({
    plugins: [
      cloudflareTest(async () => ({
        wrangler: { configPath: fileURLToPath(new URL("../wrangler.toml", import.meta.url)) },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: await readD1Migrations(fileURLToPath(new URL("../migrations/d1", import.meta.url))),
            ...options.bindings,
          },
        },
      })),
    ],
    test: {
      root: fileURLToPath(new URL("..", import.meta.url)),
      include: [benchFile],
      setupFiles: ["./tests/worker/setup.ts"],
      testTimeout: options.testTimeoutMs ?? 600_000,
      hookTimeout: 600_000,
    },
  });
}
