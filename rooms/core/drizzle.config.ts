import { defineConfig } from "drizzle-kit";

/**
 * The core track of every room's SQLite: the tables every kind has (document store, quarantine, commands and audit,
 * schedule, outbox, photos). Applied first at room start; each kind's own track follows (rooms/<kind>/migrations).
 */
export default defineConfig({
  dialect: "sqlite",
  driver: "durable-sqlite",
  schema: ["./rooms/core/tables.ts", "./rooms/core/photos.ts"],
  out: "./rooms/core/migrations",
});
