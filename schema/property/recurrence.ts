/**
 * When a home's maintenance tasks fall due. Due dates are calendar dates ("YYYY-MM-DD") in
 * the home's IANA time zone, and a task falls due at DUE_HOUR_LOCAL on its date, so a
 * reminder keeps its local hour across daylight-saving changes. Pure and side-effect free:
 * the Worker and the browser client both import it.
 *
 * Calendar schedules are RFC 5545 RRULE values, evaluated by rrule-temporal with DTSTART
 * at DUE_HOUR_LOCAL on the schedule's start date in the home's zone (we own DTSTART, so a
 * rule cannot carry its own). As RFC 5545 says, a date a rule names that a month or year
 * lacks is skipped, not moved: BYMONTHDAY=31 falls only in months with a 31st (use
 * BYMONTHDAY=-1 for the last day of every month), a monthly rule started on the 31st keeps
 * to the 31st, and February 29 falls only in leap years.
 */

import { RRuleTemporal } from "rrule-temporal";
import { toText } from "rrule-temporal/totext";
import { Temporal } from "temporal-polyfill";
import { z } from "zod";
import { dayWords } from "../core/day-words";
import { plainDate, readDate } from "../core/plain-date";
import { isoDate, isTimeZone, LAST_YEAR } from "./dates";

/** The local hour a task falls due on its due date. */
export const DUE_HOUR_LOCAL = 9;

export { addDays, isoDate, isTimeZone, localDate } from "./dates";

/** Nothing returned is later than this, so every date handed out is itself a valid `isoDate`. */
const LAST_DATE = `${LAST_YEAR}-12-31`;
/** How far ahead a rule is searched: one with no date in this span never (or no longer) falls due. */
const SEARCH_YEARS = 20;
/**
 * rrule-temporal's own cap on the periods it walks (it throws past it). Every search here is
 * bounded by a date window instead; this only has to exceed the days in the supported years
 * plus SEARCH_YEARS, since a COUNT rule is walked from its start.
 */
const MAX_ITERATIONS = 100_000;
/**
 * Length in days of the first window searched; each next one doubles, so a daily rule finds its next date
 * without listing twenty years of them.
 */
const FIRST_WINDOW_DAYS = 32;

const UNITS = ["day", "week", "month", "year"] as const;
type Unit = (typeof UNITS)[number];

export const scheduleSchema = z.discriminatedUnion("type", [
  /** Fixed dates from an RRULE value (no "RRULE:" prefix, no DTSTART), from `start` on. */
  z.object({ type: z.literal("calendar"), rrule: z.string().min(1).max(500), start: isoDate }),
  /** Due `every` units after it was last done; first due on `start`. */
  z.object({
    type: z.literal("after_completion"),
    every: z.number().int().min(1).max(400),
    unit: z.enum(UNITS),
    start: isoDate,
  }),
  z.object({ type: z.literal("once"), date: isoDate }),
]);
export type Schedule = z.infer<typeof scheduleSchema>;
type CalendarSchedule = Extract<Schedule, { type: "calendar" }>;

function dueZoned(date: Temporal.PlainDate, timeZone: string): Temporal.ZonedDateTime {
  return date.toZonedDateTime({ timeZone, plainTime: { hour: DUE_HOUR_LOCAL } });
}

/** Epoch ms of DUE_HOUR_LOCAL:00 local time on `date` in `timeZone`. */
export function dueInstant(date: string, timeZone: string): number {
  return dueZoned(plainDate(date), timeZone).epochMilliseconds;
}

function earlier(a: Temporal.PlainDate, b: Temporal.PlainDate): Temporal.PlainDate {
  return Temporal.PlainDate.compare(a, b) <= 0 ? a : b;
}

const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
type Weekday = (typeof WEEKDAYS)[number];
const FREQS = ["DAILY", "WEEKLY", "MONTHLY", "YEARLY"] as const;
type Freq = (typeof FREQS)[number];
const BYDAY = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/;
/** Rule parts that list integers, with the largest magnitude RFC 5545 allows and whether it may be negative. */
const INTEGER_LISTS: Record<string, { max: number; signed: boolean }> = {
  BYMONTH: { max: 12, signed: false },
  BYMONTHDAY: { max: 31, signed: true },
  BYYEARDAY: { max: 366, signed: true },
  BYWEEKNO: { max: 53, signed: true },
  BYSETPOS: { max: 366, signed: true },
};

/**
 * An RRULE value split into its parts, checked beyond what rrule-temporal checks (it ignores unknown
 * parts and out-of-range numbers).
 */
interface Rule {
  /** The rule with names upper-cased (RFC 5545 names are case-insensitive), as given to rrule-temporal. */
  text: string;
  freq: Freq;
  interval: number;
  parts: ReadonlyMap<string, string>;
}

function isFreq(value: string): value is Freq {
  return (FREQS as readonly string[]).includes(value);
}

function isWeekday(value: string): value is Weekday {
  return (WEEKDAYS as readonly string[]).includes(value);
}

/** A rule part's value is well formed; "" when it is, else why not. */
function partValueError(name: string, value: string): string {
  const bad = `${name}=${value} is not valid`;
  const list = value.split(",");
  const limits = INTEGER_LISTS[name];
  if (limits) {
    const ok = list.every((item) => {
      if (!/^[+-]?\d{1,3}$/.test(item)) return false;
      const n = Number(item);
      return n !== 0 && Math.abs(n) <= limits.max && (limits.signed || n > 0);
    });
    return ok ? "" : bad;
  }
  switch (name) {
    case "INTERVAL":
      return /^\d{1,4}$/.test(value) && Number(value) >= 1 ? "" : bad;
    case "COUNT":
      return /^\d{1,5}$/.test(value) ? "" : bad;
    case "UNTIL":
      return /^\d{8}(T\d{6}Z)?$/.test(value) ? "" : `${bad}: use a date like 20271231`;
    case "WKST":
      return isWeekday(value) ? "" : bad;
    case "BYDAY":
      return list.every((item) => {
        const match = BYDAY.exec(item);
        return (
          match !== null && (match[1] === undefined || (Number(match[1]) !== 0 && Math.abs(Number(match[1])) <= 53))
        );
      })
        ? ""
        : bad;
    default:
      return `${name} is not supported in a maintenance schedule`;
  }
}

/**
 * The part combinations RFC 5545 forbids; "" when there are none. rrule-temporal runs them
 * anyway with surprising results (FREQ=WEEKLY;BYDAY=1MO is every Monday, FREQ=MONTHLY;BYWEEKNO=5
 * once a year), so they are refused rather than saved meaning something else.
 */
function combinationError(freq: Freq, parts: ReadonlyMap<string, string>): string {
  const byDayOrdinal =
    parts
      .get("BYDAY")
      ?.split(",")
      .some((item) => BYDAY.exec(item)?.[1] !== undefined) ?? false;
  if (byDayOrdinal && (freq === "DAILY" || freq === "WEEKLY" || parts.has("BYWEEKNO"))) {
    return "A numbered BYDAY like 1MO needs FREQ=MONTHLY, or FREQ=YEARLY without BYWEEKNO";
  }
  if (freq === "WEEKLY" && parts.has("BYMONTHDAY")) return "BYMONTHDAY can't be used with FREQ=WEEKLY";
  if (freq !== "YEARLY" && parts.has("BYYEARDAY")) return "BYYEARDAY needs FREQ=YEARLY";
  if (freq !== "YEARLY" && parts.has("BYWEEKNO")) return "BYWEEKNO needs FREQ=YEARLY";
  if (parts.has("BYSETPOS") && ![...parts.keys()].some((name) => name.startsWith("BY") && name !== "BYSETPOS")) {
    return "BYSETPOS needs another BY part to pick from";
  }
  return "";
}

/** Reads an RRULE value, or says what is wrong with it. */
function parseRule(rrule: string): Rule | string {
  const text = rrule.trim().toUpperCase();
  if (/^(RRULE|DTSTART|EXDATE|RDATE)\b/.test(text) || /[\r\n:]/.test(text)) {
    return (
      "Give only the rule itself, like FREQ=MONTHLY;BYMONTHDAY=1, without RRULE: or DTSTART " +
      "(the start date is set separately)"
    );
  }
  const parts = new Map<string, string>();
  for (const part of text.split(";")) {
    const match = /^([A-Z]+)=([^=]+)$/.exec(part);
    if (!match?.[1] || !match[2]) return `"${part}" is not a rule part like FREQ=WEEKLY`;
    const [, name, value] = match;
    if (parts.has(name)) return `${name} is given twice`;
    parts.set(name, value);
  }
  const freq = parts.get("FREQ");
  if (freq === undefined) return "The rule needs a FREQ, like FREQ=WEEKLY";
  if (freq === "HOURLY" || freq === "MINUTELY" || freq === "SECONDLY") return "Maintenance can repeat at most daily";
  if (!isFreq(freq)) return `FREQ=${freq} is not valid`;
  for (const [name, value] of parts) {
    if (name === "FREQ") continue;
    if (name === "BYHOUR" || name === "BYMINUTE" || name === "BYSECOND") {
      return `Maintenance falls due on dates, so the rule can't use ${name}`;
    }
    const error = partValueError(name, value);
    if (error) return error;
  }
  if (parts.has("COUNT") && parts.has("UNTIL")) return "Use COUNT or UNTIL, not both";
  const combination = combinationError(freq, parts);
  if (combination) return combination;
  return { text, freq, interval: Number(parts.get("INTERVAL") ?? "1"), parts };
}

/** The rule's rrule-temporal object, with DTSTART at the due hour of `start` in `timeZone`. */
function compile(rule: Rule, start: Temporal.PlainDate, timeZone: string): RRuleTemporal<Temporal.ZonedDateTime> {
  return new RRuleTemporal({
    rruleString: rule.text,
    dtstart: dueZoned(start, timeZone),
    temporal: Temporal,
    maxIterations: MAX_ITERATIONS,
  });
}

/**
 * A valid calendar schedule's compiled rule; an invalid one is a caller's bug (scheduleError says why), so it throws.
 */
function calendarRule(schedule: CalendarSchedule, timeZone: string): RRuleTemporal<Temporal.ZonedDateTime> {
  const rule = parseRule(schedule.rrule);
  if (typeof rule === "string") throw new RangeError(rule);
  return compile(rule, plainDate(schedule.start), timeZone);
}

/**
 * Occurrence dates in [from, until], at most `limit` of them. Searched in windows that
 * double in size: rrule-temporal stops at a window's end even for a rule that never
 * occurs, so the work is bounded by `until` and a near date is found cheaply.
 */
function occurrences(
  rule: RRuleTemporal<Temporal.ZonedDateTime>,
  timeZone: string,
  from: Temporal.PlainDate,
  until: Temporal.PlainDate,
  limit: number,
): string[] {
  const dates: string[] = [];
  let low = from;
  let days = FIRST_WINDOW_DAYS;
  while (dates.length < limit && Temporal.PlainDate.compare(low, until) <= 0) {
    const high = earlier(low.add({ days: days - 1 }), until);
    for (const occurrence of rule.between(dueZoned(low, timeZone), dueZoned(high, timeZone), true)) {
      if (dates.length === limit) break;
      dates.push(occurrence.toPlainDate().toString());
    }
    low = high.add({ days: 1 });
    days *= 2;
  }
  return dates;
}

/** The first occurrence on or after `from`, searching SEARCH_YEARS ahead. */
function firstOccurrence(
  rule: RRuleTemporal<Temporal.ZonedDateTime>,
  timeZone: string,
  from: Temporal.PlainDate,
): string | null {
  const until = earlier(from.add({ years: SEARCH_YEARS }), plainDate(LAST_DATE));
  return occurrences(rule, timeZone, from, until, 1)[0] ?? null;
}

/** Null when the schedule can be used in `timeZone`, else a message for the person who wrote it. */
export function scheduleError(schedule: Schedule, timeZone: string): string | null {
  if (!isTimeZone(timeZone)) return `Unknown time zone "${timeZone}"`;
  const parsed = scheduleSchema.safeParse(schedule);
  if (!parsed.success) return parsed.error.issues[0]?.message ?? "Not a valid schedule";
  if (schedule.type !== "calendar") return null;
  const rule = parseRule(schedule.rrule);
  if (typeof rule === "string") return rule;
  if (rule.parts.get("COUNT") === "0") return "With COUNT=0 the rule never falls due";
  const start = plainDate(schedule.start);
  let first: string | null;
  try {
    first = firstOccurrence(compile(rule, start, timeZone), timeZone, start);
  } catch (error) {
    return `The rule can't be read: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (first !== null) return null;
  return rule.parts.has("UNTIL")
    ? "The rule ends (UNTIL) before it first falls due on or after its start date"
    : `The rule never falls due: it has no date in the ${SEARCH_YEARS} years from its start`;
}

/** The first due date, on or after the start; null when a calendar rule never falls due. */
export function firstDue(schedule: Schedule, timeZone: string): string | null {
  switch (schedule.type) {
    case "calendar":
      return firstOccurrence(calendarRule(schedule, timeZone), timeZone, plainDate(schedule.start));
    case "after_completion":
      return schedule.start;
    case "once":
      return schedule.date;
  }
}

function addUnits(date: Temporal.PlainDate, every: number, unit: Unit): Temporal.PlainDate {
  switch (unit) {
    case "day":
      return date.add({ days: every });
    case "week":
      return date.add({ weeks: every });
    case "month":
      return date.add({ months: every });
    case "year":
      return date.add({ years: every });
  }
}

/**
 * The due date that follows the occurrence due on `after`, once it was done on
 * `completedOn` or skipped (no `completedOn`). Null when there is none: a once task, a
 * calendar rule that has ended (or has no date in the next SEARCH_YEARS), or a date past
 * the supported years.
 */
export function nextDue(
  schedule: Schedule,
  timeZone: string,
  from: { completedOn?: string; after: string },
): string | null {
  const last = plainDate(LAST_DATE);
  switch (schedule.type) {
    case "calendar":
      return firstOccurrence(calendarRule(schedule, timeZone), timeZone, plainDate(from.after).add({ days: 1 }));
    case "after_completion": {
      // Temporal constrains month arithmetic: Jan 31 + 1 month is Feb 28 (29 in a leap year).
      const next = addUnits(plainDate(from.completedOn ?? from.after), schedule.every, schedule.unit);
      return Temporal.PlainDate.compare(next, last) <= 0 ? next.toString() : null;
    }
    case "once":
      return null;
  }
}

/**
 * A calendar rule's due dates in [from, until], at most `limit`, for a calendar feed. A
 * once task gives its date when it is in range; an after-completion task gives none, as
 * its dates depend on when it is done (the caller knows the current one).
 */
export function upcomingDates(
  schedule: Schedule,
  timeZone: string,
  from: string,
  until: string,
  limit: number,
): string[] {
  if (limit <= 0) return [];
  const low = plainDate(from);
  const high = earlier(plainDate(until), plainDate(LAST_DATE));
  switch (schedule.type) {
    case "calendar":
      return occurrences(calendarRule(schedule, timeZone), timeZone, low, high, limit);
    case "after_completion":
      return [];
    case "once": {
      const date = plainDate(schedule.date);
      return Temporal.PlainDate.compare(low, date) <= 0 && Temporal.PlainDate.compare(date, high) <= 0
        ? [schedule.date]
        : [];
    }
  }
}

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const DAY_NAMES: Record<Weekday, string> = {
  MO: "Monday",
  TU: "Tuesday",
  WE: "Wednesday",
  TH: "Thursday",
  FR: "Friday",
  SA: "Saturday",
  SU: "Sunday",
};
const ORDINAL_WORDS = ["", "first", "second", "third", "fourth", "fifth"];

function monthName(month: number): string {
  return MONTHS[month - 1] ?? `month ${month}`;
}

function formatDate(date: Temporal.PlainDate): string {
  return dayWords(date.toString());
}

/** 1 → "1st", 22 → "22nd", 13 → "13th". */
function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = (tens < 11 || tens > 13) && ["st", "nd", "rd"][(n % 10) - 1];
  return `${n}${suffix || "th"}`;
}

/** "a, b and c". */
function listWords(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

/** "Every month", "Every other month", "Every 3 months". */
function every(interval: number, unit: string): string {
  if (interval === 1) return `Every ${unit}`;
  if (interval === 2) return `Every other ${unit}`;
  return `Every ${interval} ${unit}s`;
}

/** 1 → "the 1st", -1 → "the last day", -2 → "the 2nd-to-last day". */
function monthDayWords(day: number): string {
  if (day > 0) return `the ${ordinal(day)}`;
  return day === -1 ? "the last day" : `the ${ordinal(-day)}-to-last day`;
}

/** "1MO" → "first Monday", "-1FR" → "last Friday"; null for a plain or far ordinal. */
function nthWeekdayWords(token: string): string | null {
  const match = BYDAY.exec(token);
  const day = match?.[2];
  if (!match?.[1] || !day || !isWeekday(day)) return null;
  const n = Number(match[1]);
  const word = n === -1 ? "last" : n === -2 ? "second-to-last" : ORDINAL_WORDS[n];
  return word ? `${word} ${DAY_NAMES[day]}` : null;
}

/** Plain English for the common rule shapes, or null to fall back to rrule-temporal's text. */
function describeRule(rule: Rule, start: Temporal.PlainDate): string | null {
  const shape = [...rule.parts.keys()]
    .filter((name) => !["FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST"].includes(name))
    .sort()
    .join(";");
  const byDay = rule.parts.get("BYDAY")?.split(",") ?? [];
  const monthDays = rule.parts.get("BYMONTHDAY")?.split(",").map(Number) ?? [];
  const months = rule.parts.get("BYMONTH")?.split(",").map(Number) ?? [];
  let words: string | null = null;
  switch (rule.freq) {
    case "DAILY":
      if (shape === "") words = every(rule.interval, "day");
      break;
    case "WEEKLY": {
      const days = shape === "" ? [WEEKDAYS[start.dayOfWeek - 1] ?? "MO"] : shape === "BYDAY" ? byDay : [];
      if (days.length === 0 || !days.every(isWeekday)) break;
      const names = WEEKDAYS.filter((day) => days.includes(day)).map((day) => DAY_NAMES[day]);
      if (rule.interval === 1 && names.length === 5 && !days.includes("SA") && !days.includes("SU"))
        words = "Every weekday";
      else if (rule.interval === 1) words = `Every ${listWords(names)}`;
      else if (rule.interval === 2) words = `Every other ${listWords(names)}`;
      else words = `${every(rule.interval, "week")} on ${listWords(names)}`;
      break;
    }
    case "MONTHLY": {
      let on: string | null = null;
      if (shape === "") on = monthDayWords(start.day);
      else if (shape === "BYMONTHDAY")
        on = listWords(monthDays.map(monthDayWords).map((text, i) => (i === 0 ? text : text.replace(/^the /, ""))));
      else if (shape === "BYDAY" && byDay.length === 1 && byDay[0] !== undefined) {
        const nth = nthWeekdayWords(byDay[0]);
        on = nth && `the ${nth}`;
      }
      if (on) words = `${every(rule.interval, "month")} on ${on}`;
      break;
    }
    case "YEARLY": {
      const month = months.length === 1 ? months[0] : undefined;
      const day = monthDays.length === 1 ? monthDays[0] : undefined;
      const nth = byDay.length === 1 && byDay[0] !== undefined ? nthWeekdayWords(byDay[0]) : null;
      let on: string | null = null;
      if (shape === "") on = `${monthName(start.month)} ${start.day}`;
      else if (shape === "BYMONTH" && month) on = `${monthName(month)} ${start.day}`;
      else if (shape === "BYMONTH;BYMONTHDAY" && month && day)
        on = day > 0 ? `${monthName(month)} ${day}` : `${monthDayWords(day)} of ${monthName(month)}`;
      else if (shape === "BYDAY;BYMONTH" && month && nth) on = `the ${nth} of ${monthName(month)}`;
      if (on) words = `${every(rule.interval, "year")} on ${on}`;
      break;
    }
  }
  if (words === null) return null;
  const count = rule.parts.get("COUNT");
  const until = rule.parts.get("UNTIL");
  if (count !== undefined) return `${words}, ${count === "1" ? "once" : `${count} times`}`;
  if (until !== undefined) {
    const date = readDate(`${until.slice(0, 4)}-${until.slice(4, 6)}-${until.slice(6, 8)}`);
    return date ? `${words}, until ${formatDate(date)}` : words;
  }
  return words;
}

/**
 * rrule-temporal's English for shapes describeRule does not cover, with a midnight UTC
 * start so it names no time of day.
 */
function libraryText(rule: Rule, start: Temporal.PlainDate): string {
  const text = toText(new RRuleTemporal({ rruleString: rule.text, dtstart: start.toZonedDateTime("UTC") }), "en");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The schedule in words, e.g. "Every 3 months on the 1st" or "30 days after it was last done". */
export function describeSchedule(schedule: Schedule): string {
  switch (schedule.type) {
    case "once": {
      const date = readDate(schedule.date);
      return date ? `Once, on ${formatDate(date)}` : `Once, on ${schedule.date}`;
    }
    case "after_completion":
      return (
        `${schedule.every === 1 ? "A" : schedule.every} ${schedule.unit}${schedule.every === 1 ? "" : "s"} ` +
        "after it was last done"
      );
    case "calendar": {
      const rule = parseRule(schedule.rrule);
      const start = readDate(schedule.start);
      if (typeof rule === "string" || !start) return `Repeats by the rule ${schedule.rrule}`;
      try {
        return describeRule(rule, start) ?? libraryText(rule, start);
      } catch {
        return `Repeats by the rule ${schedule.rrule}`;
      }
    }
  }
}
