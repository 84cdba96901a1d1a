/**
 * Audit verify of 100,000 entries inside workerd (`npm run bench:deal` runs it through bench/deal/vitest.config.ts).
 * A deal room's own `deal_audit` table is filled with 100,000 entries shaped as its writer makes them (hashed by
 * rooms/core/hash-chain.ts, `changes` stored canonical), and its head set; then the room's `verifyAudit` RPC, what
 * `GET /api/rooms/:id/audit/verify` calls, is timed from outside the object: reading every page from SQLite and
 * checking every link. In the same run, the same rows are verified the way the room did before (each content's
 * canonical JSON built again from its parsed row), and the parts are timed apart. Prints one `DEAL_AUDIT_BENCH` line.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { drizzle } from "drizzle-orm/durable-sqlite";
import { expect, it } from "vitest";
import { VERIFY_BATCH_ENTRIES } from "../../config";
import { appendEntry, type ChainEntry, canonicalJson, verifyChain } from "../../rooms/core/hash-chain";
import { type AuditContent, auditPage } from "../../rooms/deal/audit";
import type { AuditVerifyReport } from "../../schema/deal/audit";

const ENTRIES = 100_000;
const RUNS = 3;
const INSERT_BATCH = 1_000;

interface Storage {
  sql: { exec(query: string, ...bindings: unknown[]): { toArray(): Record<string, unknown>[] } };
  transactionSync<T>(work: () => T): T;
}
interface DealStub {
  auditHead(): Promise<{ seq: number; hash: string }>;
  verifyAudit(): Promise<AuditVerifyReport>;
}
type Stub = Parameters<typeof runInDurableObject>[0] & DealStub;

const PEOPLE = ["Cora Coordinator", "Alex Agent", "Ada Admin", "Owen Owner"];

/** One entry's content as the deal's writer makes it: a task completed, unblocking one dependent. */
function content(i: number, start: number): AuditContent {
  const task = `task_${i % 300}`;
  return {
    id: crypto.randomUUID(),
    at: start + i * 60_000,
    actor: `user_${i % PEOPLE.length}`,
    actorName: PEOPLE[i % PEOPLE.length] as string,
    role: "transaction_coordinator",
    command: "deal.task.complete",
    subject: `task:${task}`,
    summary: `Order the home inspection (${i % 300})`,
    changes: [
      { subject: `task:${task}`, field: "state", before: "IN_PROGRESS", after: "COMPLETED" },
      { subject: `task:${task}`, field: "completedAt", before: null, after: start + i * 60_000 },
      { subject: `task:task_${(i + 1) % 300}`, field: "state", before: "BLOCKED", after: "PENDING" },
    ],
    ip: "203.0.113.9",
  };
}

const ms = (start: number) => Math.round(performance.now() - start);
const median = (runs: number[]) => [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)] as number;

it("verifies a deal's audit log of 100,000 entries", async () => {
  const ns = (env as unknown as { deal: { idFromName(name: string): unknown; get(id: unknown): Stub } }).deal;
  const stub = ns.get(ns.idFromName("bench-audit-verify"));
  // Loads the room, so its tables exist before they are filled.
  expect(await stub.auditHead()).toEqual({ seq: 0, hash: "0".repeat(64) });

  const filled = await runInDurableObject(stub, async (_instance: unknown, state: unknown) => {
    const storage = (state as { storage: Storage }).storage;
    const start = Date.now() - ENTRIES * 60_000;
    let begun = performance.now();
    const built: ChainEntry<AuditContent>[] = [];
    for (let i = 0; i < ENTRIES; i++) built.push(await appendEntry(built.at(-1) ?? null, content(i, start)));
    const buildMs = ms(begun);
    begun = performance.now();
    for (let i = 0; i < ENTRIES; i += INSERT_BATCH) {
      storage.transactionSync(() => {
        for (const { seq, prevHash, hash, content: c } of built.slice(i, i + INSERT_BATCH))
          storage.sql.exec(
            "INSERT INTO deal_audit (seq, id, at, actor, actor_name, role, command, subject, summary, changes, ip, " +
              "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            seq,
            c.id,
            c.at,
            c.actor,
            c.actorName,
            c.role,
            c.command,
            c.subject,
            c.summary,
            canonicalJson(c.changes),
            c.ip,
            prevHash,
            hash,
          );
      });
    }
    const last = built.at(-1) as ChainEntry;
    storage.sql.exec("INSERT INTO deal_audit_head (id, seq, hash) VALUES (1, ?, ?)", last.seq, last.hash);
    return { buildMs, insertMs: ms(begun), head: last.hash };
  });

  // The room's own verify, as the route calls it.
  const verifyMs: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const begun = performance.now();
    const report = await stub.verifyAudit();
    verifyMs.push(ms(begun));
    expect(report).toMatchObject({ ok: true, count: ENTRIES });
  }

  // The peer in the same run: the same rows, read a page at a time, each content's canonical JSON built again.
  const before = await runInDurableObject(stub, async (_instance: unknown, state: unknown) => {
    const db = drizzle((state as DurableObjectState).storage);
    const fullMs: number[] = [];
    const readMs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const begun = performance.now();
      let after = { seq: 0, hash: "0".repeat(64) };
      let read = 0;
      for (;;) {
        const readStart = performance.now();
        const page = auditPage(db, after.seq, ENTRIES, VERIFY_BATCH_ENTRIES);
        read += performance.now() - readStart;
        if (page.length === 0) break;
        const result = await verifyChain(page, { after });
        if (!result.ok) throw new Error(`the bench chain does not verify: ${result.message}`);
        after = page.at(-1) as ChainEntry;
      }
      fullMs.push(ms(begun));
      readMs.push(Math.round(read));
    }
    // Its parts: canonical JSON and UTF-8 of every entry, then the digests alone.
    const entries = auditPage(db, 0, ENTRIES, ENTRIES);
    let begun = performance.now();
    const encoder = new TextEncoder();
    const inputs = entries.map((e) =>
      encoder.encode(`${e.prevHash}\n{"content":${canonicalJson(e.content)},"seq":${e.seq}}`),
    );
    const canonicalMs = ms(begun);
    begun = performance.now();
    for (const bytes of inputs) await crypto.subtle.digest("SHA-256", bytes);
    return { fullMs, readMs, canonicalMs, digestMs: ms(begun) };
  });

  const result = {
    entries: ENTRIES,
    page: VERIFY_BATCH_ENTRIES,
    buildMs: filled.buildMs,
    insertMs: filled.insertMs,
    verifyMs,
    medianVerifyMs: median(verifyMs),
    recomputeAllMs: before.fullMs,
    medianRecomputeAllMs: median(before.fullMs),
    readMs: before.readMs,
    canonicalMs: before.canonicalMs,
    digestMs: before.digestMs,
  };
  console.log(`DEAL_AUDIT_BENCH ${JSON.stringify(result)}`);
  expect(result.verifyMs).toHaveLength(RUNS);
});
