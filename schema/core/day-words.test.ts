import { describe, expect, it } from "vitest";
import { dayWords } from "./day-words";

describe("dayWords", () => {
  it("writes a day with its weekday, and its year only when it is not this year's", () => {
    expect(dayWords("2026-11-30", "2026-12-07")).toBe("Mon 30 Nov");
    expect(dayWords("2027-01-01", "2026-12-07")).toBe("Fri 1 Jan 2027");
    expect(dayWords("2027-01-01")).toBe("Fri 1 Jan 2027");
  });

  it("reads the date as that calendar day, whatever the clock's zone", () => {
    expect(dayWords("2024-02-29", "2024-03-01")).toBe("Thu 29 Feb");
  });

  it("gives back what is not a date unchanged", () => {
    expect(dayWords("soon", "2026-12-07")).toBe("soon");
    expect(dayWords("2026-13-45", "2026-12-07")).toBe("2026-13-45");
  });
});
