/**
 * Checks an exported audit log (JSON lines, one chain entry a line) on its own, with node's crypto only:
 * `npx tsx scripts/verify-audit-export.ts export.jsonl [expected-head]`. The check is ./audit-export-check.ts, which
 * re-implements the recipe documented in rooms/core/hash-chain.ts and docs/audit.md rather than importing it.
 * Exit 0: intact (prints the head); 1: broken (prints the first bad line); 2: usage or unreadable file.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { checkExport } from "./audit-export-check";

const [file, expectedHead] = process.argv.slice(2);
if (file === undefined) {
  console.error("usage: verify-audit-export.ts export.jsonl [expected-head]");
  process.exit(2);
}
let text: string;
try {
  text = readFileSync(file, "utf8");
} catch (error) {
  console.error(`cannot read ${file}: ${(error as Error).message}`);
  process.exit(2);
}

const result = checkExport(text, (input) => createHash("sha256").update(input, "utf8").digest("hex"), expectedHead);
if (!result.ok) {
  console.log(`BROKEN at line ${result.line}: ${result.why}`);
  process.exit(1);
}
console.log(`OK: ${result.count} entries, head ${result.head}`);
