/**
 * Quiet hours: a daily window, in the person's own time zone, in which email and push
 * wait. Pure, so the window arithmetic (midnight, time zones) is tested on its own.
 */
import { HH_MM } from "../../schema/core/notifications";

export interface QuietHours {
  /** `HH:MM`, local time. */
  start: string | null;
  end: string | null;
  /** IANA time zone name. */
  timeZone: string;
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Seconds since local midnight at `nowMs` in `timeZone`. */
function localSecondOfDay(nowMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    hourCycle: "h23",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(nowMs);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get("hour") * 3600 + get("minute") * 60 + get("second");
}

/**
 * Seconds until the quiet window ends when `nowMs` lies inside it, else 0. A window whose
 * start is after its end crosses midnight (22:00–07:00); equal start and end is no window.
 * A day on which the clocks change may end it an hour early or late: the next check
 * after that corrects it.
 */
export function secondsUntilQuietEnds(nowMs: number, quiet: QuietHours): number {
  if (!quiet.start || !quiet.end || !HH_MM.test(quiet.start) || !HH_MM.test(quiet.end)) return 0;
  const start = minutesOf(quiet.start) * 60;
  const end = minutesOf(quiet.end) * 60;
  if (start === end) return 0;
  const now = localSecondOfDay(nowMs, quiet.timeZone);
  const inside = start < end ? now >= start && now < end : now >= start || now < end;
  if (!inside) return 0;
  const day = 24 * 3600;
  return (((end - now) % day) + day) % day;
}
