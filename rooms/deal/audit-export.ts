/**
 * A deal's audit export, line by line. Pure: the Worker streams pages of entries through these (JSON lines or CSV)
 * and tests read them back.
 *
 * - JSON lines: one chain entry a line, `{"seq","prevHash","hash","content"}`, exactly what
 *   scripts/verify-audit-export.ts checks alone.
 * - CSV (RFC 4180, CRLF, a header row): one entry a row, for a spreadsheet. A cell that a spreadsheet would run as
 *   a formula (it begins with = + - @, a tab or a CR) or that begins with ' is written with a ' before it, so opening
 *   the file runs nothing; `entriesFromCsv` strips it again and gives back the entries the chain hashed.
 */
import type { JsonValue } from "../core/hash-chain";
import type { AuditChainEntry } from "./audit";

/** One JSON line (with its newline) for an entry. */
export function jsonLine(entry: AuditChainEntry): string {
  return `${JSON.stringify({ seq: entry.seq, prevHash: entry.prevHash, hash: entry.hash, content: entry.content })}\n`;
}

export const CSV_COLUMNS = [
  "seq",
  "id",
  "at",
  "time",
  "actor",
  "actor_name",
  "role",
  "command",
  "subject",
  "summary",
  "changes",
  "ip",
  "prev_hash",
  "hash",
] as const;

/** The furthest from 1970 a Date can stand, in milliseconds; a row altered past it has no time to show. */
const MAX_DATE_MS = 8.64e15;
const FORMULA_START = /^[=+\-@\t\r']/;

function cell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The header row. */
export const csvHeader = (): string => `${CSV_COLUMNS.join(",")}\r\n`;

/** One CSV row (with its CRLF) for an entry; `time` is `at` in UTC for a reader, `ip` empty when there was none. */
export function csvLine(entry: AuditChainEntry): string {
  const { content } = entry;
  const values: Record<(typeof CSV_COLUMNS)[number], string> = {
    seq: String(entry.seq),
    id: content.id,
    at: String(content.at),
    time: Math.abs(content.at) <= MAX_DATE_MS ? new Date(content.at).toISOString() : "",
    actor: content.actor,
    actor_name: content.actorName,
    role: content.role,
    command: content.command,
    subject: content.subject,
    summary: content.summary,
    changes: JSON.stringify(content.changes),
    ip: content.ip ?? "",
    prev_hash: entry.prevHash,
    hash: entry.hash,
  };
  return `${CSV_COLUMNS.map((column) => cell(values[column])).join(",")}\r\n`;
}

/** The rows of RFC 4180 text as cells. */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let value = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        value += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else value += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(value);
      value = "";
    } else if (ch === "\n" || (ch === "\r" && text[i + 1] === "\n")) {
      if (ch === "\r") i++;
      row.push(value);
      rows.push(row);
      row = [];
      value = "";
    } else value += ch;
  }
  if (value !== "" || row.length > 0) rows.push([...row, value]);
  return rows;
}

/** Reads a CSV export back into the chain's entries (for verifyChain); throws on a header it does not know. */
export function entriesFromCsv(text: string): AuditChainEntry[] {
  const [header, ...rows] = csvRows(text);
  if (header?.join(",") !== CSV_COLUMNS.join(",")) throw new Error("not a deal audit CSV export: unknown header");
  return rows.map((cells) => {
    const get = (column: (typeof CSV_COLUMNS)[number]): string => {
      const raw = cells[CSV_COLUMNS.indexOf(column)] ?? "";
      return raw.startsWith("'") ? raw.slice(1) : raw;
    };
    return {
      seq: Number(get("seq")),
      prevHash: get("prev_hash"),
      hash: get("hash"),
      content: {
        id: get("id"),
        at: Number(get("at")),
        actor: get("actor"),
        actorName: get("actor_name"),
        role: get("role"),
        command: get("command"),
        subject: get("subject"),
        summary: get("summary"),
        changes: JSON.parse(get("changes")) as JsonValue,
        ip: get("ip") === "" ? null : get("ip"),
      },
    };
  });
}
