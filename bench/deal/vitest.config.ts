import { workerdBenchConfig } from "../workerd-config";

/** The in-process part of the deal benchmark: audit verify inside a deal room's Durable Object, in workerd. */
export default workerdBenchConfig("bench/deal/audit-verify.bench-test.ts");
