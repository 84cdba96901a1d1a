import { defineConfig } from "drizzle-kit";

/**
 * The deal room's own track: every `rooms/deal/*tables.ts` (its records, documents, audit chain). The core track
 * (rooms/core/migrations) is applied before it.
 */
export default defineConfig({
  dialect: "sqlite",
  driver: "durable-sqlite",
  schema: "./rooms/deal/*tables.ts",
  out: "./rooms/deal/migrations",
});
