import { defineConfig } from "vitest/config";

/**
 * Pure modules' tests, beside the modules, in Node: no platform, so no Worker to start per file.
 * A test beside a module that needs workerd (its bindings, its WebSocket) is named *.workerd.test.ts
 * and runs in vitest.config.ts instead.
 */
export default defineConfig({
  test: {
    include: ["{rooms,schema,worker}/**/*.test.ts"],
    exclude: ["**/*.workerd.test.ts"],
    environment: "node",
  },
});
