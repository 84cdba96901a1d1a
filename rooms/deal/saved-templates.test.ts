import { describe, expect, it } from "vitest";
import { relativeDueOf } from "./saved-templates";

const keyDates = { acceptance: "2030-03-01", closing: "2030-03-31" };
const fixed = (dueDate: string | null) => relativeDueOf({ dueRule: null, dueDate }, keyDates);

describe("a saved template's due dates", () => {
  it("keeps a relative rule as it is", () => {
    const rule = { anchor: "closing", offset: -5, unit: "business_days" } as const;
    expect(relativeDueOf({ dueRule: JSON.stringify(rule), dueDate: "2030-03-24" }, keyDates)).toEqual(rule);
  });

  it("counts a fixed date in days from the nearer key date, acceptance on a tie", () => {
    expect(fixed("2030-03-04")).toEqual({ anchor: "acceptance", offset: 3, unit: "days" });
    expect(fixed("2030-02-20")).toEqual({ anchor: "acceptance", offset: -9, unit: "days" });
    expect(fixed("2030-03-29")).toEqual({ anchor: "closing", offset: -2, unit: "days" });
    expect(fixed("2030-04-10")).toEqual({ anchor: "closing", offset: 10, unit: "days" });
    expect(fixed("2030-03-16")).toEqual({ anchor: "acceptance", offset: 15, unit: "days" });
  });

  it("keeps a far date within the offsets a template allows, and puts an undated task at closing", () => {
    expect(fixed("2035-01-01")).toEqual({ anchor: "closing", offset: 365, unit: "days" });
    expect(fixed("2025-01-01")).toEqual({ anchor: "acceptance", offset: -365, unit: "days" });
    expect(fixed(null)).toEqual({ anchor: "closing", offset: 0, unit: "days" });
  });
});
