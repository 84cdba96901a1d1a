import { defineConfig } from "drizzle-kit";

/** The property room's SQLite: the core tables every room has plus the property records. */
export default defineConfig({
  dialect: "sqlite",
  driver: "durable-sqlite",
  schema: ["./rooms/core/tables.ts", "./rooms/property/tables.ts"],
  out: "./rooms/property/migrations",
});
