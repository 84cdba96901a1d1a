/** Strict "YYYY-MM-DD" calendar dates as Temporal.PlainDate, for every kind that counts days. */
import { Temporal } from "temporal-polyfill";

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A strict "YYYY-MM-DD" naming a real calendar date, or null (Temporal alone also takes other ISO forms). */
export function readDate(value: string): Temporal.PlainDate | null {
  const match = ISO_DATE.exec(value);
  if (!match) return null;
  try {
    return Temporal.PlainDate.from(
      { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) },
      { overflow: "reject" },
    );
  } catch {
    return null;
  }
}

/** Parses a date the caller has validated already; a malformed one is a bug, so it throws. */
export function plainDate(value: string): Temporal.PlainDate {
  const date = readDate(value);
  if (!date) throw new RangeError(`Not a YYYY-MM-DD date: ${JSON.stringify(value)}`);
  return date;
}
