import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { appendEntry, type ChainEntry } from "../../rooms/core/hash-chain";

const root = fileURLToPath(new URL("../..", import.meta.url));
const tsx = join(root, "node_modules/tsx/dist/cli.mjs");
const dir = mkdtempSync(join(tmpdir(), "haven-audit-export-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function exportLines(count: number): Promise<ChainEntry[]> {
  const entries: ChainEntry[] = [];
  for (let i = 0; i < count; i++) {
    const content = { actor: `u${i}`, command: "task.complete", changes: { status: { before: null, after: "é✓" } } };
    entries.push(await appendEntry(entries.at(-1) ?? null, content));
  }
  return entries;
}

function verify(entries: readonly ChainEntry[], ...args: string[]) {
  const file = join(dir, `export-${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(file, `${entries.map((e) => JSON.stringify(e)).join("\n")}\n`);
  return spawnSync(process.execPath, [tsx, "scripts/verify-audit-export.ts", file, ...args], {
    cwd: root,
    encoding: "utf8",
  });
}

describe("scripts/verify-audit-export.ts", () => {
  it("accepts an intact export from appendEntry, with and without its head", async () => {
    const entries = await exportLines(20);
    const head = entries[19]?.hash as string;
    expect(verify(entries).stdout).toContain(`OK: 20 entries, head ${head}`);
    const withHead = verify(entries, head);
    expect(withHead.status, withHead.stderr).toBe(0);
  });

  it("finds an altered line, a removed line and a removed last line (given the head)", async () => {
    const entries = await exportLines(20);
    const altered = entries.map((e, i) => (i === 7 ? { ...e, content: { actor: "someone else" } } : e));
    const a = verify(altered);
    expect(a.status).toBe(1);
    expect(a.stdout).toContain("line 8");
    const removed = verify(entries.filter((_, i) => i !== 3));
    expect(removed.status).toBe(1);
    expect(removed.stdout).toContain("line 4");
    const head = entries[19]?.hash as string;
    const lastGone = verify(entries.slice(0, 19), head);
    expect(lastGone.status).toBe(1);
    expect(lastGone.stdout).toContain("expected head");
  });

  it("accepts an empty export and answers a missing file with a usage error", () => {
    expect(verify([]).status).toBe(0);
    const missing = spawnSync(process.execPath, [tsx, "scripts/verify-audit-export.ts", join(dir, "none.jsonl")], {
      cwd: root,
      encoding: "utf8",
    });
    expect(missing.status).toBe(2);
  });
});
