import { defineConfig } from "drizzle-kit";

/** The deal room's SQLite: the core tables every room has. */
export default defineConfig({
  dialect: "sqlite",
  driver: "durable-sqlite",
  schema: "./rooms/core/tables.ts",
  out: "./rooms/deal/migrations",
});
