/**
 * A task's two scheduled jobs: the morning before its due day ("due tomorrow") and the end of its due day, when it
 * turns OVERDUE on every screen. The room's clock decides, through its alarm; a client's never does. Each job carries
 * the due date it was planned for, so one whose task has moved since is planned afresh rather than run.
 */
import { Temporal } from "temporal-polyfill";
import { DEAL_DUE_SOON_HOUR } from "../../config";
import { readDate } from "../../schema/core/plain-date";
import { DUE_SOON_JOB, type DuePayload, OVERDUE_JOB } from "../../schema/deal/jobs";
import type { RoomEffects } from "../core/commands";
import type { TaskRow } from "./records";
import { overdueAt } from "./task-state";

export const overdueJobId = (taskId: string) => `${OVERDUE_JOB}:${taskId}`;
export const dueSoonJobId = (taskId: string) => `${DUE_SOON_JOB}:${taskId}`;

/** The morning before `due` in `zone`, at DEAL_DUE_SOON_HOUR. */
export function dueSoonAt(due: string, zone: string): number {
  const date = readDate(due);
  if (!date) throw new RangeError(`Not a YYYY-MM-DD date: ${due}`);
  return date
    .subtract({ days: 1 })
    .toZonedDateTime({ timeZone: zone, plainTime: Temporal.PlainTime.from({ hour: DEAL_DUE_SOON_HOUR }) })
    .epochMilliseconds;
}

/**
 * Plans (or clears) a task's jobs as it now stands: none for a completed task or one without a due date. A task past
 * due already runs its overdue job at once (its people are told), unless `tellIfPast` is false: a deal set up after
 * the fact from a template would otherwise send one "Overdue" notice per task it lays out.
 */
export function planDueJobs(
  effects: RoomEffects,
  row: Pick<TaskRow, "id" | "dueDate" | "completedAt">,
  zone: string,
  tellIfPast = true,
) {
  if (row.completedAt !== null || row.dueDate === null) {
    effects.unschedule(overdueJobId(row.id));
    effects.unschedule(dueSoonJobId(row.id));
    return;
  }
  const payload: DuePayload = { taskId: row.id, dueDate: row.dueDate };
  const overdue = overdueAt(row.dueDate, zone);
  if (tellIfPast || overdue > effects.now)
    effects.schedule({ id: overdueJobId(row.id), kind: OVERDUE_JOB, dueAt: overdue, payload });
  else effects.unschedule(overdueJobId(row.id));
  const soon = dueSoonAt(row.dueDate, zone);
  // Past already (a task made due today or tomorrow afternoon): no "due tomorrow" after the fact.
  if (soon > effects.now) effects.schedule({ id: dueSoonJobId(row.id), kind: DUE_SOON_JOB, dueAt: soon, payload });
  else effects.unschedule(dueSoonJobId(row.id));
}
