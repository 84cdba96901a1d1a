import { describe, expect, it } from "vitest";
import { undoRefusal } from "./undo";

const entry = { id: "c1", by: "ada", at: 1_000, before: "{}" };
const fine = { latestEntryId: "c1", taskUpdatedAt: 1_000, actorId: "ada", now: 1_000, windowMs: 120_000 };

describe("undoing a completion", () => {
  it("is allowed to its completer, within the window, with nothing after it", () => {
    expect(undoRefusal(entry, fine)).toBeNull();
    expect(undoRefusal(entry, { ...fine, now: 121_000 })).toBeNull();
  });

  it("is refused to anyone else", () => {
    expect(undoRefusal(entry, { ...fine, actorId: "bob" })?.code).toBe("forbidden");
  });

  it("is refused once the window has passed, and for entries that kept no earlier state", () => {
    expect(undoRefusal(entry, { ...fine, now: 121_001 })?.message).toMatch(/too late/);
    expect(undoRefusal({ ...entry, before: null }, fine)?.message).toMatch(/too late/);
  });

  it("is refused once the task has moved on: a later entry, or an edit", () => {
    expect(undoRefusal(entry, { ...fine, latestEntryId: "c2" })?.message).toMatch(/changed/);
    expect(undoRefusal(entry, { ...fine, taskUpdatedAt: 2_000 })?.message).toMatch(/changed/);
  });
});
