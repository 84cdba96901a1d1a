/**
 * A deal's dates: its key dates (offer accepted, closing) and due dates relative to them ("acceptance + 3 business
 * days", "closing − 5 days"). Every date is a plain calendar date ("YYYY-MM-DD", Temporal.PlainDate): a contract
 * deadline is a day, not an instant, so no time zone can move it. Pure: the room, the HTTP API and the client all
 * import it.
 *
 * Counting, as purchase contracts count:
 * - `business_days`: the anchor day itself is day 0; day 1 is the first business day after it (before it, for a
 *   negative offset). "Acceptance + 3 business days" from a Friday is the next Wednesday. An offset of 0 on a
 *   non-business anchor is the next business day.
 * - `days`: calendar days, the anchor being day 0. With `rollForward`, a result on a weekend or holiday moves to
 *   the next business day (the usual contract clause for "the last day for performance").
 * Business days skip Saturdays, Sundays and US federal holidays on their observed days (./holidays.ts).
 */

import type { Temporal } from "temporal-polyfill";
import { z } from "zod";
import { DEAL_MAX_DUE_OFFSET_DAYS, DEAL_MAX_SPAN_DAYS } from "../../config";
import type { CommandFailure } from "../core/commands";
import { plainDate, readDate } from "../core/plain-date";
import { type BusinessCalendar, US_FEDERAL_CALENDAR } from "./holidays";

export { type BusinessCalendar, US_FEDERAL_CALENDAR, usFederalHolidays } from "./holidays";

/** Key dates are taken in these years only, so every date derived from them stays a four-digit year. */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2200;

/**
 * The dates a deal's due dates hang on. Contingency deadlines are tasks relative to acceptance, not key dates of
 * their own: a deal is created with two dates, and an extension moves that one task's due date.
 */
export const KEY_DATES = ["acceptance", "closing"] as const;
export type KeyDate = (typeof KEY_DATES)[number];
export type KeyDates = Record<KeyDate, string>;

export const DUE_UNITS = ["days", "business_days"] as const;
export type DueUnit = (typeof DUE_UNITS)[number];

/** A key date's value: a real date written YYYY-MM-DD, in FIRST_YEAR to LAST_YEAR. */
export const dealDate = z
  .string()
  .refine(
    (value) => {
      const date = readDate(value);
      return date !== null && date.year >= FIRST_YEAR && date.year <= LAST_YEAR;
    },
    { message: `Use a real date written YYYY-MM-DD, between ${FIRST_YEAR} and ${LAST_YEAR}` },
  )
  .meta({ description: "A calendar date, YYYY-MM-DD.", example: "2027-06-01" });

export const keyDateSchema = z
  .enum(KEY_DATES, { message: `must be one of ${KEY_DATES.join(", ")}` })
  .meta({ description: "A key date of the deal: `acceptance` (the offer was accepted) or `closing`." });

/** A due date relative to a key date. */
export const relativeDueSchema = z
  .strictObject({
    anchor: keyDateSchema,
    offset: z
      .number()
      .int("must be a whole number")
      .min(-DEAL_MAX_DUE_OFFSET_DAYS, `may be at most ${DEAL_MAX_DUE_OFFSET_DAYS} before its key date`)
      .max(DEAL_MAX_DUE_OFFSET_DAYS, `may be at most ${DEAL_MAX_DUE_OFFSET_DAYS} after its key date`)
      .meta({ description: "Days (or business days) after the anchor; negative for before it." }),
    unit: z.enum(DUE_UNITS, { message: "must be days or business_days" }),
    rollForward: z
      .boolean()
      .optional()
      .meta({ description: "For `days` only: a due date on a weekend or holiday moves to the next business day." }),
  })
  .refine((due) => !(due.rollForward && due.unit === "business_days"), {
    path: ["rollForward"],
    message: "applies to calendar days only: business days always land on a business day",
  })
  .meta({ id: "RelativeDue", description: "A due date counted from one of the deal's key dates." });
export type RelativeDue = z.infer<typeof relativeDueSchema>;

export const DEAL_ERROR_REASONS = ["closing_before_acceptance", "deal_too_long"] as const;
export type DealDateReason = (typeof DEAL_ERROR_REASONS)[number];

/**
 * Why a set of key dates is refused, as a command failure: `details.reason` names the rule, `details.dates` the
 * dates it is about, `details.fields` the field to fix (as every `validation_failed` lists them).
 */
export interface KeyDateProblem extends CommandFailure {
  code: "validation_failed";
  details: {
    reason: DealDateReason;
    dates: Partial<KeyDates>;
    fields: { path: string; message: string }[];
  };
}

function problem(reason: DealDateReason, message: string, dates: Partial<KeyDates>, path: KeyDate): KeyDateProblem {
  return { code: "validation_failed", message, details: { reason, dates, fields: [{ path, message }] } };
}

/** The problem with key dates that are each valid alone, or null when they fit together. */
export function keyDatesProblem(keyDates: KeyDates): KeyDateProblem | null {
  const acceptance = plainDate(keyDates.acceptance);
  const closing = plainDate(keyDates.closing);
  const span = acceptance.until(closing, { largestUnit: "days" }).days;
  if (span < 0) {
    return problem(
      "closing_before_acceptance",
      `Closing (${keyDates.closing}) is before the offer was accepted (${keyDates.acceptance}).`,
      { acceptance: keyDates.acceptance, closing: keyDates.closing },
      "closing",
    );
  }
  if (span > DEAL_MAX_SPAN_DAYS) {
    return problem(
      "deal_too_long",
      `Closing (${keyDates.closing}) is more than ${DEAL_MAX_SPAN_DAYS} days after acceptance ` +
        `(${keyDates.acceptance}).`,
      { acceptance: keyDates.acceptance, closing: keyDates.closing },
      "closing",
    );
  }
  return null;
}

/** A deal's key dates, each a real date, closing on or after acceptance. */
export const keyDatesSchema = z
  .strictObject({
    acceptance: dealDate.meta({ description: "The day the offer was accepted (the contract's day 0)." }),
    closing: dealDate.meta({ description: "The day the deal closes." }),
  })
  .superRefine((dates, ctx) => {
    // zod still runs this when a date failed its own check; that date's issue is reported already.
    if (!readDate(dates.acceptance) || !readDate(dates.closing)) return;
    const found = keyDatesProblem(dates);
    if (found) ctx.addIssue({ code: "custom", path: ["closing"], message: found.message });
  })
  .meta({ id: "KeyDates", description: "The dates a deal's relative due dates are counted from." });

/**
 * Key dates after a change of some of them, or the problem that refuses the change (nothing changes then). The
 * change itself must already have passed `dealDate` for each value it carries.
 */
export function changeKeyDates(
  current: KeyDates,
  change: Partial<KeyDates>,
): { ok: true; keyDates: KeyDates } | { ok: false; error: KeyDateProblem } {
  const next: KeyDates = { ...current, ...change };
  const found = keyDatesProblem(next);
  return found ? { ok: false, error: found } : { ok: true, keyDates: next };
}

/** The first business day on or after `date`. */
function onOrAfterBusinessDay(date: Temporal.PlainDate, calendar: BusinessCalendar): Temporal.PlainDate {
  let day = date;
  while (!calendar.isBusinessDay(day)) day = day.add({ days: 1 });
  return day;
}

/** `count` business days after `date` (before it when negative), `date` itself being day 0. */
export function addBusinessDays(
  date: Temporal.PlainDate,
  count: number,
  calendar: BusinessCalendar = US_FEDERAL_CALENDAR,
): Temporal.PlainDate {
  if (count === 0) return onOrAfterBusinessDay(date, calendar);
  const step = count > 0 ? 1 : -1;
  let day = date;
  for (let left = Math.abs(count); left > 0; ) {
    day = day.add({ days: step });
    if (calendar.isBusinessDay(day)) left -= 1;
  }
  return day;
}

/** The date ("YYYY-MM-DD") a relative due date falls on, for these key dates. */
export function resolveDue(
  due: RelativeDue,
  keyDates: KeyDates,
  calendar: BusinessCalendar = US_FEDERAL_CALENDAR,
): string {
  const anchor = plainDate(keyDates[due.anchor]);
  if (due.unit === "business_days") return addBusinessDays(anchor, due.offset, calendar).toString();
  const day = anchor.add({ days: due.offset });
  return (due.rollForward ? onOrAfterBusinessDay(day, calendar) : day).toString();
}

/** Whether `date` ("YYYY-MM-DD") is a business day in `calendar`. */
export function isBusinessDay(date: string, calendar: BusinessCalendar = US_FEDERAL_CALENDAR): boolean {
  return calendar.isBusinessDay(plainDate(date));
}
