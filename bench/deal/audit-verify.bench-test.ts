/**
 * Audit verify of 100,000 entries inside workerd (`npm run bench:deal` runs it through bench/deal/vitest.config.ts):
 * inside a deal room's Durable Object, a chain of 100,000 audit-shaped entries is built with appendEntry and written
 * to a scratch table of the room's SQLite; then it is read back and verified with rooms/core/hash-chain.ts
 * verifyChain, as `audit.verify` would, and its parts are timed apart (canonical JSON, the digests batched and one by
 * one) to say where the time goes. Prints one `DEAL_AUDIT_BENCH` line of JSON. No production route is involved.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { expect, it } from "vitest";
import { VERIFY_BATCH_ENTRIES } from "../../config";
import { appendEntry, type ChainEntry, canonicalJson, type JsonValue, verifyChain } from "../../rooms/core/hash-chain";

const ENTRIES = 100_000;
const RUNS = 3;
const INSERT_BATCH = 1_000;

interface Cursor {
  toArray(): Record<string, unknown>[];
}
interface Sql {
  exec(query: string, ...bindings: unknown[]): Cursor;
}
interface Storage {
  sql: Sql;
  transactionSync<T>(work: () => T): T;
}
type Stub = Parameters<typeof runInDurableObject>[0];

/** One audit entry's content, shaped as the deal's audit log writes it. */
function content(i: number): JsonValue {
  return {
    actor: `u_${i % 7}`,
    role: "transaction_coordinator",
    at: new Date(Date.now() - (ENTRIES - i) * 60_000).toISOString(),
    command: "deal.task.complete",
    args: { id: `task_${i % 300}` },
    changes: { completedAt: { before: null, after: Date.now() - (ENTRIES - i) * 60_000 } },
    ip: "203.0.113.9",
  };
}

const ms = (start: number) => Math.round(performance.now() - start);
const median = (runs: number[]) => [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)] as number;

it("verifies an audit chain of 100,000 entries inside a Durable Object", async () => {
  const ns = (env as unknown as { deal: { idFromName(name: string): unknown; get(id: unknown): Stub } }).deal;
  const stub = ns.get(ns.idFromName("bench-audit-verify"));
  const result = await runInDurableObject(stub, async (_instance: unknown, state: unknown) => {
    const storage = (state as { storage: Storage }).storage;
    const { sql } = storage;
    sql.exec("CREATE TABLE bench_audit (seq INTEGER PRIMARY KEY, prev_hash TEXT, hash TEXT, content TEXT)");
    let start = performance.now();
    const built: ChainEntry[] = [];
    for (let i = 0; i < ENTRIES; i++) built.push(await appendEntry(built.at(-1) ?? null, content(i)));
    const buildMs = ms(start);
    start = performance.now();
    for (let i = 0; i < ENTRIES; i += INSERT_BATCH) {
      storage.transactionSync(() => {
        for (const entry of built.slice(i, i + INSERT_BATCH))
          sql.exec(
            "INSERT INTO bench_audit VALUES (?, ?, ?, ?)",
            entry.seq,
            entry.prevHash,
            entry.hash,
            JSON.stringify(entry.content),
          );
      });
    }
    const insertMs = ms(start);
    const head = built.at(-1)?.hash;
    built.length = 0;

    const readAndVerify: number[] = [];
    const readOnly: number[] = [];
    const verifyOnly: number[] = [];
    let entries: ChainEntry[] = [];
    for (let run = 0; run < RUNS; run++) {
      start = performance.now();
      entries = sql
        .exec("SELECT seq, prev_hash, hash, content FROM bench_audit ORDER BY seq")
        .toArray()
        .map((row) => ({
          seq: row.seq as number,
          prevHash: row.prev_hash as string,
          hash: row.hash as string,
          content: JSON.parse(row.content as string) as JsonValue,
        }));
      readOnly.push(ms(start));
      const verifyStart = performance.now();
      const verified = await verifyChain(entries, { expectedHead: head });
      verifyOnly.push(ms(verifyStart));
      readAndVerify.push(ms(start));
      if (!verified.ok) throw new Error(`the bench chain does not verify: ${verified.message}`);
    }

    // Where verifyChain's time goes: the canonical JSON and UTF-8 of every entry, then the digests alone.
    start = performance.now();
    const encoder = new TextEncoder();
    const inputs = entries.map((e) =>
      encoder.encode(`${e.prevHash}\n{"content":${canonicalJson(e.content)},"seq":${e.seq}}`),
    );
    const canonicalMs = ms(start);
    start = performance.now();
    for (let i = 0; i < inputs.length; i += VERIFY_BATCH_ENTRIES)
      await Promise.all(inputs.slice(i, i + VERIFY_BATCH_ENTRIES).map((b) => crypto.subtle.digest("SHA-256", b)));
    const digestBatchedMs = ms(start);
    start = performance.now();
    for (const bytes of inputs) await crypto.subtle.digest("SHA-256", bytes);
    const digestSerialMs = ms(start);
    sql.exec("DROP TABLE bench_audit");
    return {
      entries: ENTRIES,
      batch: VERIFY_BATCH_ENTRIES,
      buildMs,
      insertMs,
      readMs: readOnly,
      verifyMs: verifyOnly,
      readAndVerifyMs: readAndVerify,
      medianVerifyMs: median(verifyOnly),
      medianReadAndVerifyMs: median(readAndVerify),
      canonicalMs,
      digestBatchedMs,
      digestSerialMs,
    };
  });
  console.log(`DEAL_AUDIT_BENCH ${JSON.stringify(result)}`);
  expect(result.verifyMs).toHaveLength(RUNS);
});
