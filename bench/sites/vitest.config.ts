import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

/** The in-process part of the sites benchmark: the real Worker, room, SQLite, alarms and queue, in workerd. */
export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: fileURLToPath(new URL("../../wrangler.toml", import.meta.url)) },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations(fileURLToPath(new URL("../../migrations/d1", import.meta.url))),
          // Ingestion trials of each kind (rules on, rules off); run.ts passes --trials=N through.
          SITES_TRIALS: process.env.SITES_TRIALS ?? "2",
          // Which parts this process runs (run.ts runs each in a process of its own).
          SITES_PHASES: process.env.SITES_PHASES ?? "on,off,chart",
        },
      },
    })),
  ],
  test: {
    root: fileURLToPath(new URL("../..", import.meta.url)),
    include: ["bench/sites/in-process.bench-test.ts"],
    setupFiles: ["./tests/worker/setup.ts"],
    // A trial of 30,000 readings through the RPC takes about half a minute.
    testTimeout: 3_600_000,
    hookTimeout: 600_000,
  },
});
