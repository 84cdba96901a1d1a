/**
 * D1 migrations for a local server's state. A fresh, empty state directory (each test file and benchmark starts one)
 * is given a copy of a migrated one instead of running `wrangler d1 migrations apply` again: that takes about 5 s a
 * time, and a copy a few milliseconds. The migrated state is made once per set of migrations (its key hashes
 * migrations/d1 and wrangler.toml) under the system's temporary folder. Any other directory, `.wrangler/state`
 * included, is migrated by wrangler in place, so what it holds is kept.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const WRANGLER = fileURLToPath(new URL("../node_modules/wrangler/bin/wrangler.js", import.meta.url));
const MIGRATIONS = join(ROOT, "migrations", "d1");

function wranglerApply(persistTo?: string): void {
  const args = [WRANGLER, "d1", "migrations", "apply", "DB", "--local"];
  if (persistTo) args.push("--persist-to", persistTo);
  const result = spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, CI: "true" },
  });
  if (result.status !== 0) throw new Error(`D1 migrations failed:\n${result.stdout}\n${result.stderr}`);
}

/** A name for the migrations as they stand: their SQL files' names and bytes, and the D1 binding's configuration. */
function migrationsKey(): string {
  const hash = createHash("sha256");
  for (const name of readdirSync(MIGRATIONS).sort())
    if (name.endsWith(".sql")) hash.update(name).update(readFileSync(join(MIGRATIONS, name)));
  hash.update(readFileSync(join(ROOT, "wrangler.toml")));
  return hash.digest("hex").slice(0, 16);
}

/** The migrated state for the current migrations, made when missing (atomically, so runs at once do not clash). */
function migratedTemplate(): string {
  const template = join(tmpdir(), `haven-d1-migrated-${migrationsKey()}`);
  if (existsSync(template)) return template;
  const making = mkdtempSync(`${template}-making-`);
  try {
    wranglerApply(making);
    renameSync(making, template);
  } catch (err) {
    rmSync(making, { recursive: true, force: true });
    // Another run made it meanwhile: theirs serves as well.
    if (!existsSync(template)) throw err;
  }
  return template;
}

/** Brings the local D1 database in `persistTo` (`.wrangler/state` when absent) up to the current migrations. */
export function applyLocalMigrations(persistTo?: string): void {
  if (persistTo && existsSync(persistTo) && readdirSync(persistTo).length === 0) {
    cpSync(migratedTemplate(), persistTo, { recursive: true });
    return;
  }
  wranglerApply(persistTo);
}
