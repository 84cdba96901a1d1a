import { defineConfig } from "drizzle-kit";

/** The site room's own track: its tables only. The core track (rooms/core/migrations) is applied before it. */
export default defineConfig({
  dialect: "sqlite",
  driver: "durable-sqlite",
  schema: "./rooms/site/tables.ts",
  out: "./rooms/site/migrations",
});
