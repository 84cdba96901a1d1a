/**
 * The house health dashboard's numbers, as a pure rule both the client and tests use. The
 * score is deliberately one ratio a family can check by hand: the share of active tasks
 * that are not overdue. See "House health" in docs/rooms.md.
 */

import { addDays } from "./dates";
import type { Asset, HomeInfo, Task } from "./records";

/** "Due soon" on the dashboard: due today or within this many days. */
export const DUE_SOON_DAYS = 14;
/** A warranty "ending soon" ends today or within this many days. */
export const WARRANTY_SOON_DAYS = 60;

export type HealthLabel = "Great" | "Good" | "Needs attention" | "At risk";

export interface HouseHealth {
  /** 0 to 100. */
  score: number;
  label: HealthLabel;
  /** Tasks not archived that still have something due. */
  active: number;
  overdue: number;
}

type TaskDue = Pick<Task, "archived" | "nextDue">;

/** Not archived and with something due (a finished one-off or an ended rule is not active). */
export function isActive(task: TaskDue): boolean {
  return !task.archived && task.nextDue !== null;
}

/** Active and due before `today` (YYYY-MM-DD in the home's time zone). */
export function isOverdue(task: TaskDue, today: string): boolean {
  return isActive(task) && task.nextDue !== null && task.nextDue < today;
}

/** ≥90 Great, ≥70 Good, ≥50 Needs attention, else At risk. */
export function healthLabel(score: number): HealthLabel {
  if (score >= 90) return "Great";
  if (score >= 70) return "Good";
  if (score >= 50) return "Needs attention";
  return "At risk";
}

/** round(100 × active tasks not overdue / active tasks); 100 when nothing is active. */
export function houseHealth(tasks: readonly TaskDue[], today: string): HouseHealth {
  const active = tasks.filter(isActive).length;
  const overdue = tasks.filter((t) => isOverdue(t, today)).length;
  const score = active === 0 ? 100 : Math.round((100 * (active - overdue)) / active);
  return { score, label: healthLabel(score), active, overdue };
}

/** Active tasks due from today through `days` days ahead, soonest first. */
export function dueWithin<T extends TaskDue>(tasks: readonly T[], today: string, days: number): T[] {
  const last = addDays(today, days);
  return tasks.filter((t) => isActive(t) && t.nextDue !== null && t.nextDue >= today && t.nextDue <= last).sort(byDue);
}

/** Overdue tasks, longest overdue first. */
export function overdueTasks<T extends TaskDue>(tasks: readonly T[], today: string): T[] {
  return tasks.filter((t) => isOverdue(t, today)).sort(byDue);
}

/** Orders by due date, tasks with nothing due last. */
export function byDue(a: TaskDue, b: TaskDue): number {
  if (a.nextDue === b.nextDue) return 0;
  if (a.nextDue === null) return 1;
  if (b.nextDue === null) return -1;
  return a.nextDue < b.nextDue ? -1 : 1;
}

/** Assets in use whose warranty ends from today through `days` days ahead, soonest first. */
export function warrantiesEnding<A extends Pick<Asset, "archived" | "warrantyEnd">>(
  assets: readonly A[],
  today: string,
  days: number,
): A[] {
  const last = addDays(today, days);
  return assets
    .filter((a) => !a.archived && a.warrantyEnd !== null && a.warrantyEnd >= today && a.warrantyEnd <= last)
    .sort((a, b) => ((a.warrantyEnd ?? "") < (b.warrantyEnd ?? "") ? -1 : 1));
}

/**
 * The home's completions this month; the mirrored count is as of the last completion, so a count
 * from an earlier month is 0 now.
 */
export function completedThisMonth(info: HomeInfo | null, today: string): number {
  if (!info) return 0;
  return info.completedThisMonth.month === today.slice(0, 7) ? info.completedThisMonth.count : 0;
}
