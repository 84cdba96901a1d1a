/**
 * US federal holidays (5 U.S.C. 6103) for any year, computed from their rules rather than listed, so a deal
 * closing in any year counts its business days right. A holiday on a Saturday is observed the Friday before, one on
 * a Sunday the Monday after (the OPM rule federal offices follow); New Year's Day on a Saturday is therefore
 * observed on December 31 of the year before.
 */
import { Temporal } from "temporal-polyfill";

/** Decides which days count as business days; the room passes the deal's. */
export interface BusinessCalendar {
  isBusinessDay(date: Temporal.PlainDate): boolean;
}

export interface Holiday {
  /** The day offices close ("YYYY-MM-DD"). */
  date: string;
  name: string;
  /** True when `date` is not the holiday's own date (it fell on a weekend). */
  observed: boolean;
}

const MONDAY = 1;
const THURSDAY = 4;
const SATURDAY = 6;
const SUNDAY = 7;

type Rule =
  | { name: string; kind: "fixed"; month: number; day: number; since?: number }
  | { name: string; kind: "nth"; month: number; weekday: number; n: number }
  | { name: string; kind: "last"; month: number; weekday: number };

const RULES: readonly Rule[] = [
  { name: "New Year's Day", kind: "fixed", month: 1, day: 1 },
  { name: "Birthday of Martin Luther King, Jr.", kind: "nth", month: 1, weekday: MONDAY, n: 3 },
  { name: "Washington's Birthday", kind: "nth", month: 2, weekday: MONDAY, n: 3 },
  { name: "Memorial Day", kind: "last", month: 5, weekday: MONDAY },
  // A federal holiday since the Juneteenth National Independence Day Act of June 2021.
  { name: "Juneteenth National Independence Day", kind: "fixed", month: 6, day: 19, since: 2021 },
  { name: "Independence Day", kind: "fixed", month: 7, day: 4 },
  { name: "Labor Day", kind: "nth", month: 9, weekday: MONDAY, n: 1 },
  { name: "Columbus Day", kind: "nth", month: 10, weekday: MONDAY, n: 2 },
  { name: "Veterans Day", kind: "fixed", month: 11, day: 11 },
  { name: "Thanksgiving Day", kind: "nth", month: 11, weekday: THURSDAY, n: 4 },
  { name: "Christmas Day", kind: "fixed", month: 12, day: 25 },
];

/** The `n`th `weekday` (1 = Monday … 7 = Sunday) of a month. */
function nthWeekday(year: number, month: number, weekday: number, n: number): Temporal.PlainDate {
  const first = Temporal.PlainDate.from({ year, month, day: 1 });
  return first.add({ days: ((weekday - first.dayOfWeek + 7) % 7) + (n - 1) * 7 });
}

function lastWeekday(year: number, month: number, weekday: number): Temporal.PlainDate {
  const first = Temporal.PlainDate.from({ year, month, day: 1 });
  const last = first.with({ day: first.daysInMonth });
  return last.subtract({ days: (last.dayOfWeek - weekday + 7) % 7 });
}

/** The holidays whose own date is in `year`, on the days they are observed (which may be in the year before). */
function holidaysOf(year: number): Holiday[] {
  const holidays: Holiday[] = [];
  for (const rule of RULES) {
    if (rule.kind === "fixed") {
      if (rule.since !== undefined && year < rule.since) continue;
      const date = Temporal.PlainDate.from({ year, month: rule.month, day: rule.day });
      const shift = date.dayOfWeek === SATURDAY ? -1 : date.dayOfWeek === SUNDAY ? 1 : 0;
      holidays.push({ date: date.add({ days: shift }).toString(), name: rule.name, observed: shift !== 0 });
    } else {
      const date =
        rule.kind === "nth"
          ? nthWeekday(year, rule.month, rule.weekday, rule.n)
          : lastWeekday(year, rule.month, rule.weekday);
      holidays.push({ date: date.toString(), name: rule.name, observed: false });
    }
  }
  return holidays;
}

/** The federal holidays observed in `year`, in date order (next year's New Year's Day when observed on Dec 31). */
export function usFederalHolidays(year: number): Holiday[] {
  const inYear = (holiday: Holiday) => holiday.date.startsWith(`${year}-`);
  return [...holidaysOf(year).filter(inYear), ...holidaysOf(year + 1).filter(inYear)];
}

/** Observed holiday dates by year, built on first use: a deal resolves every due date through a few years only. */
const observedByYear = new Map<number, ReadonlyMap<string, Holiday>>();

/** The federal holiday observed on `date`, or null. */
export function usFederalHoliday(date: Temporal.PlainDate): Holiday | null {
  let holidays = observedByYear.get(date.year);
  if (!holidays) {
    holidays = new Map(usFederalHolidays(date.year).map((holiday) => [holiday.date, holiday]));
    observedByYear.set(date.year, holidays);
  }
  return holidays.get(date.toString()) ?? null;
}

/** Monday to Friday, except US federal holidays on their observed days. */
export const US_FEDERAL_CALENDAR: BusinessCalendar = {
  isBusinessDay: (date) => date.dayOfWeek < SATURDAY && usFederalHoliday(date) === null,
};
