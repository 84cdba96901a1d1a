import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** The workerd suite: the real Worker, D1, R2 and Durable Objects, in workerd. */
export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations(fileURLToPath(new URL("./migrations/d1", import.meta.url))),
        },
      },
    })),
  ],
  test: {
    include: ["tests/worker/**/*.test.ts", "rooms/**/*.test.ts", "schema/**/*.test.ts", "worker/**/*.test.ts"],
    setupFiles: ["./tests/worker/setup.ts"],
    testTimeout: 30_000,
  },
});
