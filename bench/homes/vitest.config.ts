import { workerdBenchConfig } from "../workerd-config";

/** The in-process part of the homes benchmark: the real Worker, room, SQLite, alarms and queue, in workerd. */
export default workerdBenchConfig("bench/homes/in-process.bench-test.ts");
