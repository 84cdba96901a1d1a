import { describe, expect, it } from "vitest";
import { secondsUntilQuietEnds } from "./quiet-hours";

const at = (iso: string) => Date.parse(iso);

describe("quiet hours", () => {
  it("holds until the window ends, within one day", () => {
    expect(secondsUntilQuietEnds(at("2026-03-10T13:30:00Z"), { start: "12:00", end: "14:00", timeZone: "UTC" })).toBe(
      30 * 60,
    );
    expect(secondsUntilQuietEnds(at("2026-03-10T14:00:00Z"), { start: "12:00", end: "14:00", timeZone: "UTC" })).toBe(
      0,
    );
    expect(secondsUntilQuietEnds(at("2026-03-10T11:59:59Z"), { start: "12:00", end: "14:00", timeZone: "UTC" })).toBe(
      0,
    );
  });

  it("crosses midnight: 22:00–07:00 holds at 23:00 and at 06:00, not at 12:00", () => {
    const night = { start: "22:00", end: "07:00", timeZone: "UTC" };
    expect(secondsUntilQuietEnds(at("2026-03-10T23:00:00Z"), night)).toBe(8 * 3600);
    expect(secondsUntilQuietEnds(at("2026-03-11T06:00:00Z"), night)).toBe(3600);
    expect(secondsUntilQuietEnds(at("2026-03-11T12:00:00Z"), night)).toBe(0);
  });

  it("reads the clock in the person's time zone", () => {
    // 22:30 UTC is 00:30 in Berlin in summer (UTC+2) and 07:30 next morning in Tokyo (UTC+9).
    const now = at("2026-07-01T22:30:00Z");
    expect(secondsUntilQuietEnds(now, { start: "22:00", end: "07:00", timeZone: "Europe/Berlin" })).toBe(6.5 * 3600);
    expect(secondsUntilQuietEnds(now, { start: "22:00", end: "07:00", timeZone: "Asia/Tokyo" })).toBe(0);
  });

  it("has no window when unset or when start equals end", () => {
    const now = at("2026-03-10T13:30:00Z");
    expect(secondsUntilQuietEnds(now, { start: null, end: null, timeZone: "UTC" })).toBe(0);
    expect(secondsUntilQuietEnds(now, { start: "13:00", end: "13:00", timeZone: "UTC" })).toBe(0);
  });
});
