import { describe, expect, it } from "vitest";
import { previewDate, schedulePreview } from "./schedule-preview";

const DAY_MS = 24 * 60 * 60_000;
const CODES = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"] as const;

/** A UTC calendar date `days` from now, and its weekday's RRULE code: fixtures relative to the clock. */
function fromNow(days: number): { date: string; code: string; at: Date } {
  const at = new Date(Date.now() + days * DAY_MS);
  return { date: at.toISOString().slice(0, 10), code: CODES[at.getUTCDay()] ?? "SU", at };
}

/** The expected "Fri 1 Jan 2027", written out without the module's formatter. */
function words(at: Date): string {
  const weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][at.getUTCDay()];
  const month = at.toLocaleDateString("en-GB", { month: "short", timeZone: "UTC" });
  return `${weekday} ${at.getUTCDate()} ${month} ${at.getUTCFullYear()}`;
}

describe("schedulePreview", () => {
  it("names the first date a weekly rule lands on after its start, then the pattern", () => {
    const start = fromNow(30);
    const due = fromNow(33);
    const preview = schedulePreview(
      { type: "calendar", rrule: `FREQ=WEEKLY;BYDAY=${due.code}`, start: start.date },
      "UTC",
    );
    expect(preview).toMatch(new RegExp(`^First due ${words(due.at)}, then every [A-Z][a-z]+day$`));
  });

  it("counts the start day itself when the rule falls on it", () => {
    const start = fromNow(45);
    const day = Number(start.date.slice(8, 10));
    const preview = schedulePreview(
      { type: "calendar", rrule: `FREQ=MONTHLY;BYMONTHDAY=${day}`, start: start.date },
      "Europe/Lisbon",
    );
    expect(preview?.startsWith(`First due ${words(start.at)}, then every month`)).toBe(true);
  });

  it("gives an after-completion task its first due date, then the interval", () => {
    const start = fromNow(10);
    expect(schedulePreview({ type: "after_completion", every: 3, unit: "month", start: start.date }, "UTC")).toBe(
      `First due ${words(start.at)}, then 3 months after it was last done`,
    );
  });

  it("reads a once task as its one date, with no 'then'", () => {
    const preview = schedulePreview({ type: "once", date: fromNow(5).date }, "UTC");
    expect(preview).toMatch(/^Once, on /);
    expect(preview).not.toContain("then");
  });

  it("is null for a rule that never falls due or an unknown time zone", () => {
    const start = fromNow(0).date;
    expect(
      schedulePreview({ type: "calendar", rrule: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", start }, "UTC"),
    ).toBeNull();
    expect(schedulePreview({ type: "once", date: start }, "Mars/Olympus")).toBeNull();
  });
});

describe("previewDate", () => {
  it("writes a date with its weekday and no commas", () => {
    const day = fromNow(100);
    expect(previewDate(day.date)).toBe(words(day.at));
  });
});
