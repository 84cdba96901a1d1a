/**
 * A deal's audit log over its table (./audit-tables.ts): the writer each command's transaction calls instead of
 * core's plain row, the activity feed mirrored from its newest entries, pages for the export, and verifying the
 * whole chain a page at a time. The chain's recipe is rooms/core/hash-chain.ts.
 */
import { and, asc, count, desc, eq, gt, lte, ne } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import { DEAL_ACTIVITY_MIRROR_ENTRIES, DEAL_ACTIVITY_SUMMARY_MAX_CHARS, VERIFY_BATCH_ENTRIES } from "../../config";
import type { AuditHead, AuditVerifyReport } from "../../schema/deal/audit";
import type { ActivityEntry } from "../../schema/deal/records";
import type { AuditEntry, AuditWriter, FieldChange, Touched } from "../core/commands";
import {
  appendEntrySync,
  type ChainEntry,
  type ChainLink,
  canonicalJson,
  entryHash,
  GENESIS_HASH,
  type JsonValue,
  tailBreak,
  verifyChain,
} from "../core/hash-chain";
import { dealAudit, dealAuditHead } from "./audit-tables";

/** The document root the activity feed is mirrored into (a server root: only the room writes it). */
export const ACTIVITY_ROOT = "activity";

/** What each entry's hash covers besides its seq and the previous hash: the row, but for the chain's own columns. */
export type AuditContent = {
  id: string;
  at: number;
  actor: string;
  actorName: string;
  role: string;
  command: string;
  subject: string;
  summary: string;
  /** `[{ subject, field, before, after }]` as the handler reported them. */
  changes: JsonValue;
  ip: string | null;
};

export type AuditChainEntry = ChainEntry<AuditContent>;

/** Words for the activity feed from an entry; given the database, as it stands after the command's writes. */
export type Summarize = (entry: AuditEntry, db: DrizzleSqliteDODatabase) => string;

/** The title or name the command set or removed, else its subject. */
export const summaryFromChanges: Summarize = (entry) => {
  const named = entry.changes.find((change) => change.field === "title" || change.field === "name");
  const words = typeof named?.after === "string" ? named.after : named?.before;
  return typeof words === "string" && words !== "" ? words : entry.subject;
};

/** A record as plain JSON fields (what the mirror holds); anything else, or none, as no fields. */
function fieldsOf(record: unknown): Record<string, JsonValue> {
  if (typeof record !== "object" || record === null || Array.isArray(record)) return {};
  return JSON.parse(JSON.stringify(record)) as Record<string, JsonValue>;
}

/**
 * The fields that differ between two states of one record, as changes of `subject`, in field order; a record
 * created or removed changes every field it has (from or to null).
 */
export function recordChanges(subject: string, before: unknown, after: unknown): FieldChange[] {
  const [was, is] = [fieldsOf(before), fieldsOf(after)];
  const fields = [...new Set([...Object.keys(was), ...Object.keys(is)])].sort();
  return fields.flatMap((field) => {
    const [from, to] = [was[field] ?? null, is[field] ?? null];
    return canonicalJson(from) === canonicalJson(to) ? [] : [{ subject, field, before: from, after: to }];
  });
}

const HEAD_ROW = 1;

/** Where the chain stands; seq 0 and the genesis hash before its first entry. */
export function chainHead(db: DrizzleSqliteDODatabase): AuditHead {
  const row = db
    .select({ seq: dealAuditHead.seq, hash: dealAuditHead.hash })
    .from(dealAuditHead)
    .where(eq(dealAuditHead.id, HEAD_ROW))
    .get();
  return row ?? { seq: 0, hash: GENESIS_HASH };
}

/** How a deal's writer fills what the handler did not say itself. */
export interface AuditWriterOptions {
  /** Words for the activity feed (default: the title or name changed, else the subject). */
  summarize?: Summarize;
  /**
   * The changed fields, given what the handler reported and what it touched (default: what it reported). A room
   * whose handlers report nothing tells them from the touched records' states before and after.
   */
  changes?: (entry: AuditEntry, touched: Readonly<Touched>) => FieldChange[];
}

/**
 * The writer a deal hands the command engine: appends the command's entry to the chain and moves the head, in the
 * command's transaction, and marks the activity feed's newest entry (and the one it pushes out) for the mirror.
 */
export function dealAuditWriter(options: AuditWriterOptions = {}): AuditWriter {
  const { summarize = summaryFromChanges, changes = (entry: AuditEntry) => [...entry.changes] } = options;
  return function writeDealAudit(reported, effects, touched) {
    const { db } = effects;
    const entry: AuditEntry = { ...reported, changes: changes(reported, touched) };
    const head = chainHead(db);
    const content: AuditContent = {
      id: crypto.randomUUID(),
      at: entry.at,
      actor: entry.actor.userId,
      actorName: entry.actor.name,
      role: entry.actor.role,
      command: entry.command,
      subject: entry.subject,
      summary: summarize(entry, db).slice(0, DEAL_ACTIVITY_SUMMARY_MAX_CHARS),
      changes: [...entry.changes],
      // A socket admitted before addresses were carried has none.
      ip: entry.actor.ip ?? null,
    };
    const link = appendEntrySync(head.seq === 0 ? null : head, content);
    db.insert(dealAudit)
      .values({
        ...content,
        // Stored as canonical JSON, so verifying hashes the row's text as it stands (canonicalContentText).
        changes: canonicalJson(content.changes),
        seq: link.seq,
        prevHash: link.prevHash,
        hash: link.hash,
      })
      .run();
    const moved = { seq: link.seq, hash: link.hash };
    db.insert(dealAuditHead)
      .values({ id: HEAD_ROW, ...moved })
      .onConflictDoUpdate({ target: dealAuditHead.id, set: moved })
      .run();
    effects.touch(ACTIVITY_ROOT, content.id);
    const pushedOut = link.seq - DEAL_ACTIVITY_MIRROR_ENTRIES;
    if (pushedOut >= 1) {
      const old = db.select({ id: dealAudit.id }).from(dealAudit).where(eq(dealAudit.seq, pushedOut)).get();
      if (old) effects.touch(ACTIVITY_ROOT, old.id);
    }
  };
}

const activityColumns = {
  id: dealAudit.id,
  seq: dealAudit.seq,
  at: dealAudit.at,
  actorName: dealAudit.actorName,
  role: dealAudit.role,
  command: dealAudit.command,
  summary: dealAudit.summary,
};

/** One entry of the activity feed as mirrored, or undefined once it is no longer among the newest. */
export function activityOf(db: DrizzleSqliteDODatabase, id: string): ActivityEntry | undefined {
  const newest = chainHead(db).seq - DEAL_ACTIVITY_MIRROR_ENTRIES;
  return db
    .select(activityColumns)
    .from(dealAudit)
    .where(and(eq(dealAudit.id, id), gt(dealAudit.seq, newest)))
    .get();
}

/** The activity feed: the newest DEAL_ACTIVITY_MIRROR_ENTRIES entries, newest first. */
export function allActivity(db: DrizzleSqliteDODatabase): ActivityEntry[] {
  return db
    .select(activityColumns)
    .from(dealAudit)
    .orderBy(desc(dealAudit.seq))
    .limit(DEAL_ACTIVITY_MIRROR_ENTRIES)
    .all();
}

type AuditRow = typeof dealAudit.$inferSelect;

/** A row as its chain entry. A `changes` that is not JSON (written from outside) is kept as text: it fails its hash. */
function entryOf(row: AuditRow): AuditChainEntry {
  let changes: JsonValue;
  try {
    changes = JSON.parse(row.changes) as JsonValue;
  } catch {
    changes = row.changes;
  }
  const { seq, prevHash, hash, ...rest } = row;
  return { seq, prevHash, hash, content: { ...rest, changes } };
}

/** Entries with `afterSeq` < seq ≤ `upToSeq`, oldest first, at most `limit`: one page of an export. */
export function auditPage(
  db: DrizzleSqliteDODatabase,
  afterSeq: number,
  upToSeq: number,
  limit: number,
): AuditChainEntry[] {
  return db
    .select()
    .from(dealAudit)
    .where(and(gt(dealAudit.seq, afterSeq), lte(dealAudit.seq, upToSeq)))
    .orderBy(asc(dealAudit.seq))
    .limit(limit)
    .all()
    .map(entryOf);
}

/**
 * The bytes an entry's hash covers (rooms/core/hash-chain.ts's recipe), put together by SQLite from the row's
 * columns: the content's keys in canonical order, each text through `json_quote` (which escapes as JSON.stringify
 * does), `changes` as stored (the writer stores it canonical). Verify uses them only as a shortcut: a row whose
 * bytes do not hash right is checked again from its content, parsed from the row.
 */
export const HASHED_BYTES = `CAST(prev_hash || char(10) || '{"content":{"actor":' || json_quote(actor) ||
  ',"actorName":' || json_quote(actor_name) || ',"at":' || json_quote(at) || ',"changes":' || changes ||
  ',"command":' || json_quote(command) || ',"id":' || json_quote(id) || ',"ip":' || json_quote(ip) ||
  ',"role":' || json_quote(role) || ',"subject":' || json_quote(subject) || ',"summary":' || json_quote(summary) ||
  '},"seq":' || seq || '}' AS BLOB)`;

const VERIFY_PAGE = `SELECT seq, prev_hash, hash, ${HASHED_BYTES} FROM deal_audit
  WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?`;

/** A row as verify reads it: its link, and the bytes its hash covers; its content is read only if asked for. */
type StoredEntry = ChainEntry<AuditContent | null> & { bytes: ArrayBuffer | null };

/**
 * One page for verify. Its rows' content is not read into objects: that took longer than hashing them (100,000
 * rows in ~850 ms through drizzle against ~300 ms as plain arrays, bench/results/2026-12-07-deal.md), and is only
 * needed for a row whose bytes failed, which `content` then reads alone.
 */
function verifyPage(db: DrizzleSqliteDODatabase, sql: SqlStorage, afterSeq: number, upToSeq: number): StoredEntry[] {
  const entries: StoredEntry[] = [];
  for (const [seq, prevHash, hash, bytes] of sql.exec(VERIFY_PAGE, afterSeq, upToSeq, VERIFY_BATCH_ENTRIES).raw()) {
    entries.push({
      seq: seq as number,
      prevHash: prevHash as string,
      hash: hash as string,
      bytes: bytes instanceof ArrayBuffer ? bytes : null,
      get content() {
        const row = db.select().from(dealAudit).where(eq(dealAudit.seq, this.seq)).get();
        return row ? entryOf(row).content : null;
      },
    });
  }
  return entries;
}

const broken = (seq: number, reason: Exclude<AuditVerifyReport, { ok: true }>["reason"], message: string) =>
  ({ ok: false, seq, reason, message }) as const;

/**
 * Checks the whole chain up to its head, VERIFY_BATCH_ENTRIES rows read at a time, and reports the first broken link.
 * The head is read once at the start, so commands appended meanwhile are neither checked nor mistaken for a break.
 */
export async function verifyDealAudit(db: DrizzleSqliteDODatabase, sql: SqlStorage): Promise<AuditVerifyReport> {
  const head = chainHead(db);
  // Read with the head, in the same turn: no command can have appended in between, so rows past it were put there.
  const beyond = db.select({ n: count() }).from(dealAudit).where(gt(dealAudit.seq, head.seq)).get()?.n ?? 0;
  let after: ChainLink = { seq: 0, hash: GENESIS_HASH };
  let proven = 0;
  for (;;) {
    const page = verifyPage(db, sql, after.seq, head.seq);
    if (page.length === 0) break;
    const result = await verifyChain(page, { after, hashedBytesOf: (entry) => entry.bytes });
    if (result.ok) {
      proven += page.length;
      after = page.at(-1) as StoredEntry;
      continue;
    }
    const exchanged = result.reason === "altered" ? await exchangedSeq(db, page, result.index, after) : null;
    return exchanged ?? broken(result.seq, result.reason, result.message);
  }
  const tail = tailBreak(after, head, beyond, "rows");
  return tail ? { ok: false, ...tail } : { ok: true, count: proven, head };
}

/**
 * When the entry at `index` fails its hash, whether it is there because rows' seq numbers were exchanged: the
 * entry that truly follows the last proven one (it links to it) is stored under another seq, and its hash holds
 * for the seq it should have. Seq is hashed, so without this an exchange reads as a row altered.
 */
async function exchangedSeq(
  db: DrizzleSqliteDODatabase,
  page: readonly ChainLink[],
  index: number,
  after: ChainLink,
): Promise<AuditVerifyReport | null> {
  const prev = index === 0 ? after : (page[index - 1] as ChainLink);
  const seq = prev.seq + 1;
  const successors = db
    .select()
    .from(dealAudit)
    .where(and(eq(dealAudit.prevHash, prev.hash), ne(dealAudit.seq, seq)))
    .limit(2)
    .all();
  const [row] = successors;
  if (successors.length !== 1 || !row) return null;
  const moved = entryOf(row);
  if ((await entryHash(seq, moved.prevHash, moved.content)) !== moved.hash) return null;
  return broken(
    seq,
    "reordered",
    `the entry written as seq ${seq} is stored as seq ${moved.seq}: rows' seq numbers were exchanged`,
  );
}
