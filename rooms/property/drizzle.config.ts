import { defineConfig } from "drizzle-kit";

/** The property room's own track: its tables only. The core track (rooms/core/migrations) is applied before it. */
export default defineConfig({
  dialect: "sqlite",
  driver: "durable-sqlite",
  schema: "./rooms/property/tables.ts",
  out: "./rooms/property/migrations",
});
