import { applyD1Migrations, env } from "cloudflare:test";
import { beforeEach } from "vitest";
import { useFreshClientIp } from "./helpers";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

// Each test is its own client, so per-client limits never carry from one test to the next.
beforeEach(useFreshClientIp);
