/**
 * When a task's reminders go out, as a pure rule: the lead reminder `leadDays` before the
 * due date, then one when it becomes overdue (the morning after the due date), then one
 * each morning while it stays overdue. Reminders go out at the due hour, local time.
 * Each reminder has a key naming its task, due date, stage and day, so it is sent once
 * however often the plan is made again.
 */
import { addDays, dueInstant, localDate } from "../../schema/property/recurrence";

export type ReminderStage = "lead" | "overdue";

export interface ReminderPlan {
  stage: ReminderStage;
  /** The due date it is about. */
  dueDate: string;
  /** The local day it is for: the lead day, or the overdue day. */
  day: string;
  /** When to send it (epoch ms); never before `now`. */
  at: number;
}

/** The next reminder of a task due on `dueDate`, as of `now`. */
export function planReminder(dueDate: string, leadDays: number, timeZone: string, now: number): ReminderPlan {
  const leadDay = addDays(dueDate, -leadDays);
  const leadAt = dueInstant(leadDay, timeZone);
  if (now < leadAt) return { stage: "lead", dueDate, day: leadDay, at: leadAt };
  const today = localDate(now, timeZone);
  // Inside the lead time (a task added or snoozed late): remind now.
  if (today <= dueDate) return { stage: "lead", dueDate, day: leadDay, at: now };
  return { stage: "overdue", dueDate, day: today, at: Math.max(now, dueInstant(today, timeZone)) };
}

/** The reminder after `sent`: overdue reminders follow daily, at the due hour. */
export function followingReminder(sent: ReminderPlan, timeZone: string, now: number): ReminderPlan {
  const day = sent.stage === "lead" ? addDays(sent.dueDate, 1) : addDays(sent.day, 1);
  let next = day;
  // A room that slept through several mornings sends one reminder now, not one per missed day.
  while (dueInstant(addDays(next, 1), timeZone) <= now) next = addDays(next, 1);
  return { stage: "overdue", dueDate: sent.dueDate, day: next, at: Math.max(now, dueInstant(next, timeZone)) };
}

/** The reminder's key: one notification per task, due date, stage and day. */
export function reminderKey(roomId: string, taskId: string, plan: ReminderPlan): string {
  return `reminder:${roomId}:${taskId}:${plan.dueDate}:${plan.stage}:${plan.day}`;
}

/** What a task's reminders for one due date are about: done or skipped, that occurrence's notices close. */
export function taskNoticeSubject(taskId: string, dueDate: string): string {
  return `task:${taskId}:${dueDate}`;
}
