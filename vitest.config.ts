import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

/** The workerd suite: the real Worker, D1, R2 and Durable Objects, in workerd. */
export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations(fileURLToPath(new URL("./migrations/d1", import.meta.url))),
          // A VAPID key pair for tests only (wrangler.toml leaves Web Push off until a deployer sets theirs).
          VAPID_PUBLIC_KEY: "BJ0XsbbuFYW-s4Ill6C4oI8KXytP057UEWnipCipty5EjobMoslrGq_2ye5cyvCKnbhaLpaVZEiFJ6DTHkBkO2g",
          VAPID_PRIVATE_KEY: "tAmGsauNPVRX-x426WyMG6AY2cz3r0sn5NqjfdnMX8s",
        },
      },
    })),
  ],
  test: {
    include: ["tests/worker/**/*.test.ts", "rooms/**/*.test.ts", "schema/**/*.test.ts", "worker/**/*.test.ts"],
    setupFiles: ["./tests/worker/setup.ts"],
    globalSetup: ["./tests/support/global-setup.ts"],
    testTimeout: 30_000,
  },
});
