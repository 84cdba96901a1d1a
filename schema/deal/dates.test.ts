import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import { DEAL_MAX_DUE_OFFSET_DAYS, DEAL_MAX_SPAN_DAYS } from "../../config";
import {
  addBusinessDays,
  type BusinessCalendar,
  changeKeyDates,
  isBusinessDay,
  type KeyDates,
  keyDatesSchema,
  type RelativeDue,
  relativeDueSchema,
  resolveDue,
} from "./dates";

const keyDates = (acceptance: string, closing: string): KeyDates => ({ acceptance, closing });
const fromAcceptance = (offset: number, unit: RelativeDue["unit"], rollForward?: boolean): RelativeDue => ({
  anchor: "acceptance",
  offset,
  unit,
  ...(rollForward === undefined ? {} : { rollForward }),
});
const beforeClosing = (offset: number, unit: RelativeDue["unit"]): RelativeDue => ({
  anchor: "closing",
  offset: -offset,
  unit,
});
const weekday = (date: string) => Temporal.PlainDate.from(date).dayOfWeek;

describe("business days", () => {
  it("counts the acceptance day as day 0: Friday + 3 business days is the next Wednesday", () => {
    expect(weekday("2027-01-08")).toBe(5);
    expect(resolveDue(fromAcceptance(3, "business_days"), keyDates("2027-01-08", "2027-02-08"))).toBe("2027-01-13");
    expect(resolveDue(fromAcceptance(1, "business_days"), keyDates("2027-01-08", "2027-02-08"))).toBe("2027-01-11");
  });

  it("skips Thanksgiving", () => {
    // Wednesday before Thanksgiving 2027 (Thursday Nov 25): Fri 26, Mon 29, Tue 30.
    expect(resolveDue(fromAcceptance(3, "business_days"), keyDates("2027-11-24", "2027-12-24"))).toBe("2027-11-30");
  });

  it("skips Christmas and New Year's Day observed on the Fridays before them", () => {
    // Christmas 2027 and New Year's Day 2028 fall on Saturdays: offices close Dec 24 and Dec 31, 2027.
    const dates = keyDates("2027-12-23", "2028-01-31");
    expect(resolveDue(fromAcceptance(3, "business_days"), dates)).toBe("2027-12-29");
    expect(resolveDue(fromAcceptance(5, "business_days"), dates)).toBe("2028-01-03");
  });

  it("counts backwards from closing, skipping Independence Day", () => {
    // Closing Monday 2028-07-10; Tuesday July 4 is skipped on the way back.
    expect(resolveDue(beforeClosing(5, "business_days"), keyDates("2028-06-01", "2028-07-10"))).toBe("2028-06-30");
  });

  it("moves an offset of 0 from a weekend or holiday to the next business day", () => {
    expect(resolveDue(fromAcceptance(0, "business_days"), keyDates("2027-06-19", "2027-07-30"))).toBe("2027-06-21");
    expect(resolveDue(fromAcceptance(0, "business_days"), keyDates("2031-03-05", "2031-04-30"))).toBe("2031-03-05");
  });

  it("crosses February 29 in a leap year", () => {
    expect(resolveDue(fromAcceptance(2, "business_days"), keyDates("2028-02-28", "2028-04-01"))).toBe("2028-03-01");
    expect(resolveDue(fromAcceptance(1, "days"), keyDates("2028-02-28", "2028-04-01"))).toBe("2028-02-29");
  });

  it("lands on a business day for every offset and start in a span of years", () => {
    for (let start = Temporal.PlainDate.from("2027-11-15"); start.year < 2028; start = start.add({ days: 3 })) {
      for (const offset of [-12, -5, -1, 1, 5, 12]) {
        const due = resolveDue(fromAcceptance(offset, "business_days"), keyDates(start.toString(), "2028-06-01"));
        expect(isBusinessDay(due), `${start} ${offset}`).toBe(true);
        expect(Math.sign(Temporal.PlainDate.compare(due, start))).toBe(Math.sign(offset));
      }
    }
  });

  it("uses the calendar it is given", () => {
    const everyDay: BusinessCalendar = { isBusinessDay: () => true };
    expect(resolveDue(fromAcceptance(3, "business_days"), keyDates("2027-11-24", "2027-12-24"), everyDay)).toBe(
      "2027-11-27",
    );
    expect(addBusinessDays(Temporal.PlainDate.from("2031-12-24"), 1).toString()).toBe("2031-12-26");
  });
});

describe("calendar days", () => {
  it("counts every day and keeps a weekend or holiday result unless told to roll forward", () => {
    const dates = keyDates("2027-06-01", "2027-07-01");
    // June 18, 2027 is Juneteenth observed (June 19 is a Saturday).
    expect(resolveDue(fromAcceptance(17, "days"), dates)).toBe("2027-06-18");
    expect(resolveDue(fromAcceptance(17, "days", true), dates)).toBe("2027-06-21");
    expect(resolveDue(fromAcceptance(18, "days", true), dates)).toBe("2027-06-21");
    expect(resolveDue(fromAcceptance(7, "days", true), dates)).toBe("2027-06-08");
  });

  it("counts before closing with a negative offset", () => {
    expect(resolveDue(beforeClosing(5, "days"), keyDates("2031-01-02", "2031-02-03"))).toBe("2031-01-29");
  });

  it("has no time-zone drift across a daylight-saving change or a year end", () => {
    expect(resolveDue(fromAcceptance(1, "days"), keyDates("2027-03-13", "2027-04-13"))).toBe("2027-03-14");
    expect(resolveDue(fromAcceptance(1, "days"), keyDates("2027-11-06", "2027-12-06"))).toBe("2027-11-07");
    expect(resolveDue(fromAcceptance(1, "days"), keyDates("2031-12-31", "2032-01-31"))).toBe("2032-01-01");
  });
});

describe("key dates", () => {
  it("refuses a change that puts closing before acceptance, naming both dates, and changes nothing", () => {
    const current = keyDates("2027-05-03", "2027-06-02");
    const result = changeKeyDates(current, { closing: "2027-05-01" });
    expect(result).toEqual({
      ok: false,
      error: {
        code: "validation_failed",
        message: "Closing (2027-05-01) is before the offer was accepted (2027-05-03).",
        details: {
          reason: "closing_before_acceptance",
          dates: { acceptance: "2027-05-03", closing: "2027-05-01" },
          fields: [{ path: "closing", message: "Closing (2027-05-01) is before the offer was accepted (2027-05-03)." }],
        },
      },
    });
    expect(current).toEqual(keyDates("2027-05-03", "2027-06-02"));
    const moved = changeKeyDates(current, { acceptance: "2027-06-03" });
    expect(moved.ok).toBe(false);
  });

  it("takes a change that keeps them in order, closing on the day of acceptance included", () => {
    const current = keyDates("2027-05-03", "2027-06-02");
    expect(changeKeyDates(current, { closing: "2027-06-30" })).toEqual({
      ok: true,
      keyDates: keyDates("2027-05-03", "2027-06-30"),
    });
    expect(changeKeyDates(current, { closing: "2027-05-03" }).ok).toBe(true);
  });

  it("refuses a deal longer than the longest span", () => {
    const closing = Temporal.PlainDate.from("2028-01-01")
      .add({ days: DEAL_MAX_SPAN_DAYS + 1 })
      .toString();
    const result = changeKeyDates(keyDates("2028-01-01", "2028-02-01"), { closing });
    expect(result.ok || result.error.details.reason).toBe("deal_too_long");
  });

  it("validates key dates with the schema", () => {
    expect(keyDatesSchema.safeParse(keyDates("2028-02-29", "2028-03-30")).success).toBe(true);
    const bad = [
      keyDates("2027-02-29", "2027-03-30"),
      keyDates("2027-6-1", "2027-07-01"),
      keyDates("1999-12-01", "2000-01-15"),
      keyDates("2027-07-01", "2027-06-01"),
      { acceptance: "2027-06-01" },
      { ...keyDates("2027-06-01", "2027-07-01"), inspection: "2027-06-10" },
    ];
    for (const value of bad) expect(keyDatesSchema.safeParse(value).success, JSON.stringify(value)).toBe(false);
    const reversed = keyDatesSchema.safeParse(keyDates("2027-07-01", "2027-06-01"));
    expect(reversed.error?.issues[0]).toMatchObject({ path: ["closing"], message: expect.stringContaining("before") });
  });
});

describe("relative due schema", () => {
  it("takes calendar and business days, before and after", () => {
    for (const due of [
      fromAcceptance(3, "business_days"),
      beforeClosing(5, "days"),
      fromAcceptance(17, "days", true),
    ]) {
      expect(relativeDueSchema.parse(due)).toEqual(due);
    }
  });

  it("refuses fractions, far offsets, unknown anchors and units, extra fields, and rolling business days", () => {
    const bad: unknown[] = [
      fromAcceptance(1.5, "days"),
      fromAcceptance(DEAL_MAX_DUE_OFFSET_DAYS + 1, "days"),
      { ...fromAcceptance(3, "days"), offset: -DEAL_MAX_DUE_OFFSET_DAYS - 1 },
      { ...fromAcceptance(3, "days"), anchor: "inspection" },
      { ...fromAcceptance(3, "days"), unit: "weeks" },
      { ...fromAcceptance(3, "days"), note: "x" },
      fromAcceptance(3, "business_days", true),
      { anchor: "acceptance", unit: "days" },
    ];
    for (const value of bad) expect(relativeDueSchema.safeParse(value).success, JSON.stringify(value)).toBe(false);
    const rolled = relativeDueSchema.safeParse(fromAcceptance(3, "business_days", true));
    expect(rolled.error?.issues[0]?.path).toEqual(["rollForward"]);
  });
});
