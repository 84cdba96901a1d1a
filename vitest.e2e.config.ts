import { defineConfig } from "vitest/config";

/** Process-level and browser tests: a real `wrangler dev` server, stock Yjs clients, Chromium. */
export default defineConfig({
  test: {
    include: ["tests/e2e/**/*.test.ts"],
    environment: "node",
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
