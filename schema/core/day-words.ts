/** Dates as Haven writes them for people, everywhere (the app, notices, emails): "Mon 30 Nov". */

const DAY_FORMAT = new Intl.DateTimeFormat("en-GB", {
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});

/**
 * A YYYY-MM-DD calendar date as "Mon 30 Nov", read as that day wherever it is read; with its year
 * ("Fri 1 Jan 2027") when `today` is of another year or not given. Anything else comes back as it is.
 */
export function dayWords(date: string, today?: string): string {
  const at = new Date(`${date}T12:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(at.getTime())) return date;
  const parts = DAY_FORMAT.formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  const day = `${part("weekday")} ${part("day")} ${part("month")}`;
  return today !== undefined && today.slice(0, 4) === date.slice(0, 4) ? day : `${day} ${part("year")}`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date ("YYYY-MM-DD") an instant falls on in `timeZone`. */
export function localDate(epochMs: number, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(epochMs).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}
