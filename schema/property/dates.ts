/**
 * Calendar dates ("YYYY-MM-DD") and time zones with nothing but the platform's `Date` and
 * `Intl`: what the browser needs on every page (today in the home's zone, a day later),
 * without the Temporal polyfill and recurrence rules that only the task form and the room
 * need (./recurrence).
 */
import { z } from "zod";

export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2200;
const DAY_MS = 24 * 60 * 60 * 1000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

/** Midnight UTC of a strict "YYYY-MM-DD" that names a real calendar date, or null. */
function utcMidnight(value: string): number | null {
  const match = ISO_DATE.exec(value);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  // Date.UTC rolls 2027-02-30 over into March; a real date reads back the same.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return null;
  return ms;
}

/** A calendar date as "YYYY-MM-DD", a real date in the years 2000 to 2200. */
export const isoDate = z.string().refine(
  (value) => {
    const ms = utcMidnight(value);
    const year = Number(value.slice(0, 4));
    return ms !== null && year >= FIRST_YEAR && year <= LAST_YEAR;
  },
  { message: `Use a real date written YYYY-MM-DD, between ${FIRST_YEAR} and ${LAST_YEAR}` },
);

/** The date `days` after (or before) `date`. A malformed date is a caller's bug, so it throws. */
export function addDays(date: string, days: number): string {
  const ms = utcMidnight(date);
  if (ms === null) throw new RangeError(`Not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  return new Date(ms + days * DAY_MS).toISOString().slice(0, 10);
}

/** Shared with every kind: the calendar date an instant falls on in a time zone. */
export { localDate } from "../core/day-words";

/**
 * True for an IANA time zone name ("America/New_York", "UTC"); offsets and other strings a
 * parser might also take are refused.
 */
export function isTimeZone(timeZone: string): boolean {
  if (!ZONE_NAME.test(timeZone)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}
