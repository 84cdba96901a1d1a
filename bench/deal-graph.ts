/**
 * The deal graph's cost at the size the issue names: 300 tasks, 1,000 dependencies, one task that 50
 * others wait for. `npx tsx bench/deal-graph.ts` prints a Markdown table of median and p99 per operation.
 */
import { performance } from "node:perf_hooks";
import { TaskGraph, type TaskId } from "../rooms/deal/graph";

const TASKS = 300;
const EDGES = 1_000;
const HUB_DEPENDENTS = 50;
const RUNS = 200;

/** A deterministic pseudo-random source, so every run measures the same graph. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function edges(): [TaskId, TaskId][] {
  const next = random(7);
  const ids = Array.from({ length: TASKS }, (_, i) => `t${i}`);
  const list = new Map<string, [TaskId, TaskId]>();
  // t0 is the hub (the inspection): 50 later tasks wait for it and for nothing else unfinished.
  for (let i = 1; i <= HUB_DEPENDENTS; i++) list.set(`t${i}>t0`, [`t${i}`, "t0"]);
  while (list.size < EDGES) {
    // Later tasks wait for earlier ones, so the graph is acyclic, as the room keeps it.
    const a = 1 + Math.floor(next() * (TASKS - 1));
    const b = Math.floor(next() * a);
    if (a <= HUB_DEPENDENTS && b > 0) continue;
    list.set(`t${a}>t${b}`, [ids[a] as TaskId, ids[b] as TaskId]);
  }
  return [...list.values()];
}

function time(run: () => void): { median: number; p99: number } {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(RUNS / 2)] as number, p99: samples[Math.floor(RUNS * 0.99)] as number };
}

const ids = Array.from({ length: TASKS }, (_, i) => `t${i}`);
const list = edges();
const built = TaskGraph.build(ids, list);
if (!built.ok) throw new Error(built.error.message);
const graph = built.graph;
const none = () => false;
const rows: [string, { median: number; p99: number }][] = [
  ["build from stored rows (load), checked as a whole", time(() => TaskGraph.build(ids, list))],
  [
    "add all 1,000 edges one by one, each checked for a cycle",
    time(() => {
      const g = TaskGraph.build(ids, []);
      if (g.ok) for (const [a, b] of list) g.graph.addDependency(a, b);
    }),
  ],
  [
    `complete the hub: unblockedBy (${graph.unblockedBy("t0", none).length} unblocked)`,
    time(() => graph.unblockedBy("t0", none)),
  ],
  ["reopen the hub: reblockedBy", time(() => graph.reblockedBy("t0", (task) => task !== "t0"))],
  [
    `hub waits for the last task: ${graph.addDependency("t0", `t${TASKS - 1}`).ok ? "added" : "refused, a cycle"}`,
    time(() => graph.addDependency("t0", `t${TASKS - 1}`)),
  ],
  ["task page: dependentsOf + dependenciesOf", time(() => [graph.dependentsOf("t0"), graph.dependenciesOf("t150")])],
];
console.log("| operation | median ms | p99 ms |\n|---|---|---|");
for (const [name, { median, p99 }] of rows) console.log(`| ${name} | ${median.toFixed(3)} | ${p99.toFixed(3)} |`);
