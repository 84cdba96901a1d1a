import { describe, expect, it } from "vitest";
import type { AuditEntry } from "../core/commands";
import { recordChanges, summaryFromChanges } from "./audit";

describe("recordChanges", () => {
  it("names each field that differs, before and after, in field order", () => {
    const before = { id: "t1", title: "Inspection", state: "BLOCKED", dependsOn: ["t0"], due: { days: 3 } };
    const after = { id: "t1", title: "Inspection", state: "PENDING", dependsOn: ["t0"], due: { days: 3 }, note: "x" };
    expect(recordChanges("task:t1", before, after)).toEqual([
      { subject: "task:t1", field: "note", before: null, after: "x" },
      { subject: "task:t1", field: "state", before: "BLOCKED", after: "PENDING" },
    ]);
  });

  it("treats nested values by content, not key order", () => {
    expect(recordChanges("deal:info", { keyDates: { a: 1, b: 2 } }, { keyDates: { b: 2, a: 1 } })).toEqual([]);
  });

  it("gives every field of a record created or removed", () => {
    expect(recordChanges("task:t2", undefined, { id: "t2", title: "Appraisal" })).toEqual([
      { subject: "task:t2", field: "id", before: null, after: "t2" },
      { subject: "task:t2", field: "title", before: null, after: "Appraisal" },
    ]);
    expect(recordChanges("task:t2", { id: "t2" }, null)).toEqual([
      { subject: "task:t2", field: "id", before: "t2", after: null },
    ]);
  });
});

describe("summaryFromChanges", () => {
  const entry = (changes: AuditEntry["changes"]): AuditEntry => ({
    at: 0,
    actor: { userId: "u", name: "U", role: "admin", sessionId: "s", ip: null },
    command: "deal.task.update",
    subject: "task:t1",
    args: {},
    changes,
  });

  it("uses the title set or removed, else the subject", () => {
    const titled = entry([{ subject: "task:t1", field: "title", before: "Old", after: "New" }]);
    expect(summaryFromChanges(titled, null as never)).toBe("New");
    const removed = entry([{ subject: "task:t1", field: "title", before: "Old", after: null }]);
    expect(summaryFromChanges(removed, null as never)).toBe("Old");
    expect(summaryFromChanges(entry([]), null as never)).toBe("task:t1");
  });
});
