/**
 * `npx tsx bench/audit-verify.ts`: builds a chain of 100,000 audit-shaped entries with appendEntry and times
 * verifyChain over it in node (WebCrypto digests, as in workerd). Target: ≤ 1 s (issue 14). Prints Markdown.
 */
import { loadavg } from "node:os";
import { appendEntry, type ChainEntry, verifyChain } from "../rooms/core/hash-chain";

const ENTRIES = 100_000;
const RUNS = 3;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

const loadAtStart = load();
const entries: ChainEntry[] = [];
const buildStart = performance.now();
for (let i = 0; i < ENTRIES; i++) {
  const content = {
    actor: `u_${i % 7}`,
    role: "transaction_coordinator",
    at: new Date(Date.now() - (ENTRIES - i) * 60_000).toISOString(),
    command: "task.complete",
    args: { taskId: `task_${i % 300}` },
    changes: { status: { before: "IN_PROGRESS", after: "COMPLETED" } },
    ip: "203.0.113.9",
  };
  entries.push(await appendEntry(entries.at(-1) ?? null, content));
}
const buildMs = performance.now() - buildStart;
const times: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const start = performance.now();
  const result = await verifyChain(entries, { expectedHead: entries.at(-1)?.hash });
  times.push(performance.now() - start);
  if (!result.ok) throw new Error(`the benchmark chain does not verify: ${result.message}`);
}
const sorted = [...times].sort((a, b) => a - b);
const median = sorted[Math.floor(RUNS / 2)] ?? 0;
console.log(`# Audit verify, ${new Date().toISOString().slice(0, 10)}, node ${process.version}\n`);
console.log(`Load average ${loadAtStart} at start, ${load()} at the end.\n`);
console.log(`| measure | value | target |\n|---|---|---|`);
console.log(
  `| verifyChain of ${ENTRIES} entries (median of ${RUNS}) | **${median.toFixed(0)} ms** ` +
    `(runs ${times.map((t) => t.toFixed(0)).join(", ")}) | ≤ 1000 ms: ${median <= 1000 ? "met" : "**not met**"} |`,
);
console.log(`| building them with appendEntry, one after another | ${buildMs.toFixed(0)} ms | |`);
