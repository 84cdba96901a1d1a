import { describe, expect, it } from "vitest";
import { appendEntrySync, verifyChain } from "../core/hash-chain";
import type { AuditChainEntry, AuditContent } from "./audit";
import { CSV_COLUMNS, csvHeader, csvLine, entriesFromCsv, jsonLine } from "./audit-export";

function entries(summaries: string[]): AuditChainEntry[] {
  const chain: AuditChainEntry[] = [];
  for (const [i, summary] of summaries.entries()) {
    const content: AuditContent = {
      id: `e${i}`,
      at: 1_700_000_000_000 + i,
      actor: "u-1",
      actorName: i === 1 ? '-Dash, "Quoted"' : "Zoë",
      role: "admin",
      command: "deal.task.update",
      subject: "task:t1",
      summary,
      changes: [{ subject: "task:t1", field: "notes", before: "line 1\r\nline 2", after: summary }],
      ip: i % 2 === 0 ? null : "2001:db8::1",
    };
    chain.push(appendEntrySync(chain.at(-1) ?? null, content));
  }
  return chain;
}

const NASTY = ["=1+1", "+SUM(A1)", "@cmd", "'already quoted", "\ttab", "a,b", 'say "hi"', "two\nlines", "-", "", "ok"];

describe("the CSV export", () => {
  it("reads back to exactly the entries written, so the chain still verifies", async () => {
    const chain = entries(NASTY);
    const text = csvHeader() + chain.map(csvLine).join("");
    const back = entriesFromCsv(text);
    expect(back).toEqual(chain);
    expect(await verifyChain(back)).toMatchObject({ ok: true, count: NASTY.length });
  });

  it("starts no cell with what a spreadsheet runs as a formula", () => {
    const text = csvHeader() + entries(NASTY).map(csvLine).join("");
    const cells = text.split(/[,\r\n]/).map((cell) => cell.replace(/^"/, ""));
    expect(cells.filter((cell) => /^[=+@\t]/.test(cell))).toEqual([]);
    expect(text).toContain(",'=1+1,");
    expect(text).toContain(',"\'-Dash, ""Quoted""",');
  });

  it("refuses text that is not its export", () => {
    expect(() => entriesFromCsv("a,b\r\n1,2\r\n")).toThrow(/unknown header/);
    expect(csvHeader()).toBe(`${CSV_COLUMNS.join(",")}\r\n`);
  });
});

describe("the JSON lines export", () => {
  it("is one chain entry a line, as scripts/verify-audit-export.ts reads it", () => {
    const [entry] = entries(["two\nlines"]);
    const line = jsonLine(entry as AuditChainEntry);
    expect(line.endsWith("\n")).toBe(true);
    expect(line.slice(0, -1)).not.toContain("\n");
    expect(JSON.parse(line)).toEqual(entry);
    expect(Object.keys(JSON.parse(line))).toEqual(["seq", "prevHash", "hash", "content"]);
  });
});
