import { createServer } from "node:net";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

/** A port free on 127.0.0.1 now, for the test push service that tests/support/global-setup.ts starts. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no TCP port for the test push service");
  return address.port;
}

// Chosen once per run and read by global-setup.ts, which listens there: the Worker learns the origin
// as a binding, since only this exact origin may receive pushes besides the real push services.
process.env.HAVEN_TEST_PUSH_PORT ??= String(await freePort());
const pushTestOrigin = `http://127.0.0.1:${process.env.HAVEN_TEST_PUSH_PORT}`;

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
          // The test push service (tests/support/push-endpoint.ts); set nowhere else (schema/core/push-endpoint.ts).
          PUSH_TEST_ORIGIN: pushTestOrigin,
        },
        // Workers AI's Whisper, played by tests/support/whisper-peer.js: recordings are transcribed in this suite,
        // and in no other (wrangler.toml binds no AI, so `npm start` and the browser suite have it off).
        serviceBindings: { AI: { name: "whisper-peer", entrypoint: "Whisper" } },
        workers: [
          {
            name: "whisper-peer",
            modules: true,
            scriptPath: fileURLToPath(new URL("./tests/support/whisper-peer.js", import.meta.url)),
            compatibilityDate: "2026-04-20",
          },
        ],
      },
    })),
  ],
  test: {
    // Pure modules' tests run in Node (vitest.unit.config.ts); a test beside a module that needs the
    // platform is named *.workerd.test.ts. Each file here costs a fresh Worker, so the split is most of the speed.
    include: ["tests/worker/**/*.test.ts", "{rooms,schema,worker}/**/*.workerd.test.ts"],
    // At least two files at a time: vitest's default on a two-core machine is one, and a file spends
    // much of its time waiting on workerd.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    setupFiles: ["./tests/worker/setup.ts"],
    globalSetup: ["./tests/support/global-setup.ts"],
    testTimeout: 30_000,
    // Every request's log line (worker/middleware/request-id) would bury the lines a failing test needs.
    onConsoleLog: (log) => !log.includes('"event":"request"'),
  },
});
