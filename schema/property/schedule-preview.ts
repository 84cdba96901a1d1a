/** A schedule as the form previews it: when it first falls due, then how it repeats. */
import { dayWords } from "../core/day-words";
import { describeSchedule, firstDue, type Schedule, scheduleError } from "./recurrence";

/** A YYYY-MM-DD date as "Fri 1 Jan 2027": the weekday as well, so the person sees the day a rule lands on. */
export function previewDate(date: string): string {
  return dayWords(date);
}

/**
 * The schedule in words with its first due date, e.g. "First due Fri 1 Jan 2027, then every 3
 * months on the 1st"; a once task reads as its one date. Null when the schedule can't be used
 * in `timeZone` (scheduleError says why).
 */
export function schedulePreview(schedule: Schedule, timeZone: string): string | null {
  if (scheduleError(schedule, timeZone) !== null) return null;
  const words = describeSchedule(schedule);
  const first = firstDue(schedule, timeZone);
  if (schedule.type === "once" || first === null) return words;
  return `First due ${previewDate(first)}, then ${words.charAt(0).toLowerCase()}${words.slice(1)}`;
}
