import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import { US_FEDERAL_CALENDAR, usFederalHoliday, usFederalHolidays } from "./holidays";

const dates = (year: number) => usFederalHolidays(year).map((holiday) => holiday.date);
const closed = (date: string) => !US_FEDERAL_CALENDAR.isBusinessDay(Temporal.PlainDate.from(date));

describe("US federal holidays", () => {
  it("lists 2027 on its observed days, with New Year's Day 2028 on Friday December 31", () => {
    expect(dates(2027)).toEqual([
      "2027-01-01",
      "2027-01-18",
      "2027-02-15",
      "2027-05-31",
      "2027-06-18",
      "2027-07-05",
      "2027-09-06",
      "2027-10-11",
      "2027-11-11",
      "2027-11-25",
      "2027-12-24",
      "2027-12-31",
    ]);
    expect(usFederalHolidays(2027).at(-1)).toEqual({ date: "2027-12-31", name: "New Year's Day", observed: true });
  });

  it("lists leap year 2028 without the New Year's Day it observed in 2027", () => {
    expect(dates(2028)).toEqual([
      "2028-01-17",
      "2028-02-21",
      "2028-05-29",
      "2028-06-19",
      "2028-07-04",
      "2028-09-04",
      "2028-10-09",
      "2028-11-10",
      "2028-11-23",
      "2028-12-25",
    ]);
  });

  it("observes July 4 on a Saturday on Friday July 3", () => {
    expect(usFederalHoliday(Temporal.PlainDate.from("2037-07-03"))).toEqual({
      date: "2037-07-03",
      name: "Independence Day",
      observed: true,
    });
    expect(closed("2037-07-03")).toBe(true);
    expect(usFederalHoliday(Temporal.PlainDate.from("2037-07-06"))).toBeNull();
  });

  it("observes a Sunday holiday on the Monday after", () => {
    expect(usFederalHoliday(Temporal.PlainDate.from("2027-07-05"))?.name).toBe("Independence Day");
    expect(closed("2027-07-05")).toBe(true);
  });

  it("keeps Juneteenth from 2021 on only", () => {
    expect(usFederalHoliday(Temporal.PlainDate.from("2031-06-19"))?.name).toBe("Juneteenth National Independence Day");
    expect(usFederalHoliday(Temporal.PlainDate.from("2020-06-19"))).toBeNull();
    expect(dates(2020)).toHaveLength(10);
  });

  it("puts Thanksgiving on the fourth Thursday and Memorial Day on the last Monday of May", () => {
    for (const [year, thanksgiving, memorial] of [
      [2027, "2027-11-25", "2027-05-31"],
      [2028, "2028-11-23", "2028-05-29"],
      [2031, "2031-11-27", "2031-05-26"],
      [2150, "2150-11-26", "2150-05-25"],
    ] as const) {
      const holidays = usFederalHolidays(year);
      expect(holidays.find((holiday) => holiday.name === "Thanksgiving Day")?.date).toBe(thanksgiving);
      expect(holidays.find((holiday) => holiday.name === "Memorial Day")?.date).toBe(memorial);
    }
  });

  it("has eleven holidays every year from 2021, each on a weekday", () => {
    for (let year = 2021; year <= 2200; year += 1) {
      // Eleven holidays a year, one of which (New Year's Day) may be observed in the year before.
      const own = usFederalHolidays(year).length;
      expect([10, 11, 12]).toContain(own);
      for (const date of dates(year)) expect(Temporal.PlainDate.from(date).dayOfWeek).toBeLessThan(6);
    }
  });

  it("closes weekends and opens ordinary weekdays", () => {
    expect(closed("2031-03-08")).toBe(true);
    expect(closed("2031-03-09")).toBe(true);
    expect(closed("2031-03-10")).toBe(false);
  });
});
