import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

/** The in-process part of the deal benchmark: audit verify inside a deal room's Durable Object, in workerd. */
export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: fileURLToPath(new URL("../../wrangler.toml", import.meta.url)) },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations(fileURLToPath(new URL("../../migrations/d1", import.meta.url))),
        },
      },
    })),
  ],
  test: {
    root: fileURLToPath(new URL("../..", import.meta.url)),
    include: ["bench/deal/audit-verify.bench-test.ts"],
    setupFiles: ["./tests/worker/setup.ts"],
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
