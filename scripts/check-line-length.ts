/**
 * `npm run lint`'s second half: no source line over MAX_COLUMNS. Biome's formatter wraps code at that width but
 * leaves long strings and comments alone, so this check catches those. Generated files are skipped.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const MAX_COLUMNS = 120;
const SOURCE = /\.(ts|tsx|js|mjs|css)$/;
const GENERATED = [/\/migrations\//, /^worker-configuration\.d\.ts$/];

const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { encoding: "utf8" })
  .split("\n")
  .filter((f) => SOURCE.test(f) && !GENERATED.some((g) => g.test(f)));
const long: string[] = [];
for (const file of files) {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    continue; // listed by git but deleted in the work tree
  }
  text.split("\n").forEach((line, i) => {
    if ([...line].length > MAX_COLUMNS) long.push(`${file}:${i + 1}: ${[...line].length} columns`);
  });
}
if (long.length > 0) {
  console.error(`${long.length} source lines are over ${MAX_COLUMNS} columns:\n${long.join("\n")}`);
  process.exit(1);
}
console.log(`No source line over ${MAX_COLUMNS} columns in ${files.length} files.`);
