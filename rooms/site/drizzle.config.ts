import { defineConfig } from "drizzle-kit";

/** The site room's SQLite: the core tables every room has plus its layout, sensors and readings. */
export default defineConfig({
  dialect: "sqlite",
  driver: "durable-sqlite",
  schema: ["./rooms/core/tables.ts", "./rooms/site/tables.ts"],
  out: "./rooms/site/migrations",
});
