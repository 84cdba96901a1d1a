import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      /** D1 migrations read by vitest.config.ts and applied before each test file. */
      TEST_MIGRATIONS: D1Migration[];
    }
  }
}
