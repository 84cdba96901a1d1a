import { describe, expect, it } from "vitest";
import { z } from "zod";
import { editBase, sameValue, staleFields } from "./edit-base";

describe("staleFields", () => {
  const room = { title: "Theirs", notes: "n", schedule: { type: "once", date: "2027-01-01" } };

  it("lets a change through when its base is what the room holds, or when it sets what the room holds", () => {
    expect(staleFields(room, { title: "Mine" }, { title: "Theirs" })).toEqual([]);
    expect(staleFields(room, { title: "Theirs" }, { title: "Old" })).toEqual([]);
  });

  it("names a field someone else changed since the base, with its value now", () => {
    expect(staleFields(room, { title: "Mine", notes: "x" }, { title: "Old", notes: "n" }, "task.")).toEqual([
      { path: "task.title", message: "was changed by someone else meanwhile", current: "Theirs" },
    ]);
  });

  it("checks nothing without a base, nor a changed field the base leaves out", () => {
    expect(staleFields(room, { title: "Mine" }, undefined)).toEqual([]);
    expect(staleFields(room, { title: "Mine" }, { notes: "n" })).toEqual([]);
  });

  it("compares objects as JSON, whatever their key order, and absent as null", () => {
    const schedule = { date: "2027-01-01", type: "once" };
    expect(staleFields(room, { schedule: { type: "once", date: "2027-02-01" } }, { schedule })).toEqual([]);
    expect(sameValue(undefined, null)).toBe(true);
    expect(sameValue([1, 2], [2, 1])).toBe(false);
  });
});

describe("editBase", () => {
  const base = editBase({ name: z.string(), notes: z.string() });

  it("takes any value of the editable fields, and refuses another field", () => {
    expect(base.parse(undefined)).toBeUndefined();
    expect(base.parse({ name: "  old  " })).toEqual({ name: "  old  " });
    expect(base.safeParse({ archived: true }).success).toBe(false);
  });
});
