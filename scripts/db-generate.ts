/**
 * `npm run db:generate`: drizzle-kit's migrations for D1 and for every room track, core's first,
 * then each kind that has a `rooms/<kind>/drizzle.config.ts` (a new kind is found, not listed here).
 * The generated files are formatted so the tree stays Biome-clean.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { stdio: "inherit" });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const kindConfigs = readdirSync("rooms", { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== "core")
  .map((entry) => `rooms/${entry.name}/drizzle.config.ts`)
  .filter((config) => existsSync(config))
  .sort();

for (const config of ["drizzle.d1.config.ts", "rooms/core/drizzle.config.ts", ...kindConfigs])
  run("npx", ["drizzle-kit", "generate", "--config", config, ...process.argv.slice(2)]);
const trackDirs = ["core", ...kindConfigs.map((config) => config.split("/")[1])].map(
  (kind) => `rooms/${kind}/migrations`,
);
run("npx", ["biome", "check", "--write", ...trackDirs.filter((dir) => existsSync(dir))]);
