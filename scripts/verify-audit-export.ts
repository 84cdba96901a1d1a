/**
 * Checks an exported audit log (JSON lines, one chain entry a line) on its own, with node's crypto only:
 * `npx tsx scripts/verify-audit-export.ts export.jsonl [expected-head]`. It re-implements the recipe documented in
 * rooms/core/hash-chain.ts and docs/audit.md rather than importing it, to show the recipe is enough.
 * Exit 0: intact (prints the head); 1: broken (prints the first bad line); 2: usage or unreadable file.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort(); // JavaScript sorts by UTF-16 code units, as the recipe says
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(record[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

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

function broken(line: number, why: string): never {
  console.log(`BROKEN at line ${line}: ${why}`);
  process.exit(1);
}

let head = "0".repeat(64);
let seq = 0;
const lines = text.split("\n").filter((l) => l.trim() !== "");
lines.forEach((line, i) => {
  let entry: { seq?: unknown; prevHash?: unknown; hash?: unknown; content?: unknown };
  try {
    entry = JSON.parse(line);
  } catch {
    broken(i + 1, "not JSON");
  }
  if (entry.seq !== seq + 1) broken(i + 1, `seq is ${String(entry.seq)}, expected ${seq + 1}`);
  if (entry.prevHash !== head) broken(i + 1, "prevHash is not the previous line's hash");
  const input = `${head}\n${canonical({ content: entry.content, seq: entry.seq })}`;
  const hash = createHash("sha256").update(input, "utf8").digest("hex");
  if (entry.hash !== hash) broken(i + 1, "hash does not match the line's content");
  head = hash;
  seq += 1;
});
if (expectedHead !== undefined && expectedHead !== head) {
  broken(lines.length + 1, `the chain ends at ${head}, not at the expected head ${expectedHead}`);
}
console.log(`OK: ${lines.length} entries, head ${head}`);
