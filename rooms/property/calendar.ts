/**
 * A home's calendar feed (RFC 5545): one all-day event per upcoming due date, which
 * Google Calendar and Apple Calendar subscribe to by URL. A task's current due date is
 * always listed (even when overdue or snoozed); calendar schedules add their next dates.
 */
import ical, { ICalCalendarMethod } from "ical-generator";
import type { Task } from "../../schema/property/records";
import { addDays, describeSchedule, localDate, upcomingDates } from "../../schema/property/recurrence";

/** How far ahead the feed lists a recurring task's dates, and how many per task. */
export const FEED_DAYS_AHEAD = 365;
export const FEED_DATES_PER_TASK = 12;

export interface FeedInput {
  homeName: string;
  timeZone: string;
  tasks: Task[];
  /** Absolute URL of a task's page, for the event's link. */
  taskUrl: (taskId: string) => string;
  now: number;
}

/**
 * A TEXT value (RFC 5545 §3.3.11) for a line ical-generator writes unescaped (the calendar's NAME and
 * X-WR-CALNAME): backslash, semicolon and comma escaped, a line break written as `\n`, and every other
 * control character dropped, so a home's name can never end the line and start a property of its own.
 */
export function icalText(text: string): string {
  return text
    .replace(/[\\;,]/g, (ch) => `\\${ch}`)
    .replace(/\r\n|\r|\n/g, "\\n")
    .replace(/\p{Cc}/gu, "");
}

export function renderCalendar(input: FeedInput): string {
  const calendar = ical({
    name: icalText(`${input.homeName}: maintenance`),
    prodId: { company: "Haven", product: "Home maintenance", language: "EN" },
    // No calendar `timezone`: ical-generator would then write DTSTAMP as a floating local time, where
    // RFC 5545 §3.8.7.2 requires UTC. Events are all-day dates, so only calendar apps read the zone.
    x: [["X-WR-TIMEZONE", input.timeZone]],
    method: ICalCalendarMethod.PUBLISH,
    ttl: 60 * 60,
  });
  const today = localDate(input.now, input.timeZone);
  for (const task of input.tasks) {
    if (task.archived || task.nextDue === null) continue;
    const dates = new Set([task.nextDue]);
    if (task.schedule.type === "calendar") {
      const from = task.occurrence && task.occurrence > today ? task.occurrence : today;
      for (const date of upcomingDates(
        task.schedule,
        input.timeZone,
        addDays(from, 1),
        addDays(today, FEED_DAYS_AHEAD),
        FEED_DATES_PER_TASK,
      ))
        dates.add(date);
    }
    for (const date of dates) {
      calendar.createEvent({
        id: `${task.id}-${date}@haven`,
        start: new Date(`${date}T00:00:00Z`),
        allDay: true,
        summary: task.title,
        description: [describeSchedule(task.schedule), task.notes].filter(Boolean).join("\n\n"),
        url: input.taskUrl(task.id),
        stamp: new Date(task.updatedAt),
      });
    }
  }
  return calendar.toString();
}
