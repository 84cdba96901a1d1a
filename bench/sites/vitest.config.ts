import { workerdBenchConfig } from "../workerd-config";

/** The in-process part of the sites benchmark: the real Worker, room, SQLite, alarms and queue, in workerd. */
export default workerdBenchConfig("bench/sites/in-process.bench-test.ts", {
  bindings: {
    // Ingestion trials of each kind (rules on, rules off); run.ts passes --trials=N through.
    SITES_TRIALS: process.env.SITES_TRIALS ?? "2",
    // Which parts this process runs (run.ts runs each in a process of its own).
    SITES_PHASES: process.env.SITES_PHASES ?? "on,off,chart",
  },
  // A trial of 30,000 readings through the RPC takes about half a minute.
  testTimeoutMs: 3_600_000,
});
