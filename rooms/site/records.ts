/**
 * A site's compliance records (docs/sites.md, "Records an inspector accepts"): every manual temperature log, every
 * correction of one and every corrective action, appended in the transaction that makes it to one hash chain per
 * site, by the recipe of rooms/core/hash-chain.ts (the deal's audit log uses the same). Nothing here updates or
 * deletes: a correction is a new record naming the one it corrects, and the original stays.
 *
 * Each entry's content is stored as its canonical JSON, so SQLite puts together the bytes its hash covers without
 * the row being read into objects; verify falls back to the parsed content for a row whose bytes fail.
 */
import { count, eq, gt } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import { VERIFY_BATCH_ENTRIES } from "../../config";
import type { SiteRecord, SiteRecordsPage, SiteRecordsVerifyReport } from "../../schema/site/compliance";
import type { RoomEffects } from "../core/commands";
import {
  appendEntrySync,
  type ChainEntry,
  type ChainLink,
  canonicalJson,
  GENESIS_HASH,
  type JsonValue,
  tailBreak,
  verifyChain,
} from "../core/hash-chain";
import { siteRecords, siteRecordsHead } from "./tables";

const HEAD_ROW = 1;

/** Where the chain stands; seq 0 and the genesis hash before its first record. */
export function recordsHead(db: DrizzleSqliteDODatabase): ChainLink {
  const row = db
    .select({ seq: siteRecordsHead.seq, hash: siteRecordsHead.hash })
    .from(siteRecordsHead)
    .where(eq(siteRecordsHead.id, HEAD_ROW))
    .get();
  return row ?? { seq: 0, hash: GENESIS_HASH };
}

/** Appends `record` to the chain and moves the head, in the caller's transaction. */
export function appendRecord(effects: Pick<RoomEffects, "db">, record: SiteRecord): ChainLink {
  const { db } = effects;
  const entry = appendEntrySync(recordsHead(db), record as unknown as JsonValue);
  db.insert(siteRecords)
    .values({
      seq: entry.seq,
      prevHash: entry.prevHash,
      hash: entry.hash,
      kind: record.kind,
      recordId: record.id,
      content: canonicalJson(record),
    })
    .run();
  db.insert(siteRecordsHead)
    .values({ id: HEAD_ROW, seq: entry.seq, hash: entry.hash })
    .onConflictDoUpdate({ target: siteRecordsHead.id, set: { seq: entry.seq, hash: entry.hash } })
    .run();
  return entry;
}

/** The record stored under `id` (its newest entry), if any. */
export function recordById(db: DrizzleSqliteDODatabase, id: string): SiteRecord | undefined {
  const row = db.select({ content: siteRecords.content }).from(siteRecords).where(eq(siteRecords.recordId, id)).get();
  return row ? (JSON.parse(row.content) as SiteRecord) : undefined;
}

/** The fields by which one record names another: a correction, a corrective action, a verification. */
type Naming =
  | { kind: "correction"; field: "corrects" }
  | { kind: "corrective_action"; field: "manualLogId" }
  | {
      kind: "verification";
      field: "verifies";
    };

/** Whether a record of `naming.kind` names `id` in `naming.field` already (corrects it, answers it, verifies it). */
export function isNamedBy(sql: SqlStorage, naming: Naming, id: string): boolean {
  return (
    sql
      .exec(
        "SELECT 1 FROM site_records WHERE kind = ? AND json_extract(content, ?) = ? LIMIT 1",
        naming.kind,
        `$.${naming.field}`,
        id,
      )
      .toArray().length > 0
  );
}

/** Records after `afterSeq`, oldest first, at most `limit`, with the head they were read against. */
export function recordsPage(sql: SqlStorage, db: DrizzleSqliteDODatabase, afterSeq: number, limit: number) {
  const head = recordsHead(db);
  const entries: SiteRecordsPage["entries"] = [];
  for (const [seq, prevHash, hash, content] of sql
    .exec(
      "SELECT seq, prev_hash, hash, content FROM site_records WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
      afterSeq,
      head.seq,
      limit,
    )
    .raw()) {
    entries.push({
      seq: seq as number,
      prevHash: prevHash as string,
      hash: hash as string,
      content: JSON.parse(content as string) as SiteRecord,
    });
  }
  return { head, entries } satisfies SiteRecordsPage;
}

const VERIFY_PAGE = `SELECT seq, prev_hash, hash, content,
  CAST(prev_hash || char(10) || '{"content":' || content || ',"seq":' || seq || '}' AS BLOB)
  FROM site_records WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?`;

type StoredEntry = ChainEntry & { bytes: ArrayBuffer | null };

function contentOf(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    // Not JSON (written from outside): kept as text, which fails its hash.
    return text;
  }
}

/**
 * Checks the whole chain up to its head, VERIFY_BATCH_ENTRIES rows at a time, and reports the first broken link:
 * a record altered, removed, moved, added after the head, or the last ones cut off. The head is read once at the
 * start, so records appended meanwhile are neither checked nor mistaken for a break.
 */
export async function verifyRecords(db: DrizzleSqliteDODatabase, sql: SqlStorage): Promise<SiteRecordsVerifyReport> {
  const head = recordsHead(db);
  const beyond = db.select({ n: count() }).from(siteRecords).where(gt(siteRecords.seq, head.seq)).get()?.n ?? 0;
  let after: ChainLink = { seq: 0, hash: GENESIS_HASH };
  let proven = 0;
  for (;;) {
    const page: StoredEntry[] = [];
    for (const [seq, prevHash, hash, content, bytes] of sql
      .exec(VERIFY_PAGE, after.seq, head.seq, VERIFY_BATCH_ENTRIES)
      .raw()) {
      page.push({
        seq: seq as number,
        prevHash: prevHash as string,
        hash: hash as string,
        content: contentOf(content as string),
        bytes: bytes instanceof ArrayBuffer ? bytes : null,
      });
    }
    if (page.length === 0) break;
    const result = await verifyChain(page, { after, hashedBytesOf: (entry) => entry.bytes });
    if (!result.ok) return { ok: false, seq: result.seq, reason: result.reason, message: result.message };
    proven += page.length;
    after = page.at(-1) as StoredEntry;
  }
  const tail = tailBreak(after, head, beyond, "records");
  return tail ? { ok: false, ...tail } : { ok: true, count: proven, head };
}
