/**
 * The check behind scripts/verify-audit-export.ts, apart from files and the process so it can be run anywhere (the
 * workerd suite runs it on real exports). It re-implements the recipe documented in rooms/core/hash-chain.ts and
 * docs/audit.md rather than importing it, to show the recipe is enough; the caller brings SHA-256.
 */

/** Lowercase hex SHA-256 of a string's UTF-8 bytes. */
export type Sha256Hex = (text: string) => string;

export type ExportCheck = { ok: true; count: number; head: string } | { ok: false; line: number; why: string };

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort(); // JavaScript sorts by UTF-16 code units, as the recipe says
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(record[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Checks JSON lines, one chain entry a line, from the genesis hash to `expectedHead` when given. */
export function checkExport(text: string, sha256Hex: Sha256Hex, expectedHead?: string): ExportCheck {
  let head = "0".repeat(64);
  let seq = 0;
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  for (const [i, line] of lines.entries()) {
    let entry: { seq?: unknown; prevHash?: unknown; hash?: unknown; content?: unknown };
    try {
      entry = JSON.parse(line);
    } catch {
      return { ok: false, line: i + 1, why: "not JSON" };
    }
    if (entry.seq !== seq + 1)
      return { ok: false, line: i + 1, why: `seq is ${String(entry.seq)}, expected ${seq + 1}` };
    if (entry.prevHash !== head) return { ok: false, line: i + 1, why: "prevHash is not the previous line's hash" };
    const hash = sha256Hex(`${head}\n${canonical({ content: entry.content, seq: entry.seq })}`);
    if (entry.hash !== hash) return { ok: false, line: i + 1, why: "hash does not match the line's content" };
    head = hash;
    seq += 1;
  }
  if (expectedHead !== undefined && expectedHead !== head) {
    return {
      ok: false,
      line: lines.length + 1,
      why: `the chain ends at ${head}, not at the expected head ${expectedHead}`,
    };
  }
  return { ok: true, count: lines.length, head };
}
