/**
 * A home's task changes that several commands share: finding a task in a state that may change, saving it with its
 * next reminder planned, closing an occurrence (done or skipped) with what it changed kept for an undo, taking a
 * completion back, and telling the occurrence's reminders it is over.
 */
import { and, desc, eq } from "drizzle-orm";
import { TASK_UNDO_WINDOW_MS } from "../../config";
import { can } from "../../schema/core/roles";
import { REMINDER_JOB } from "../../schema/property/jobs";
import type { Task } from "../../schema/property/records";
import { nextDue } from "../../schema/property/recurrence";
import { type CommandContext, CommandError, type RoomEffects } from "../core/commands";
import { schedulePhotoExpiry } from "../core/photos";
import { withdrawPendingProof } from "./proof-withdraw";
import { currencyOf, getTask, timeZoneOf } from "./records";
import { planReminder, type ReminderPlan, taskNoticeSubject } from "./reminders";
import { completions, tasks } from "./tables";
import { undoRefusal } from "./undo";

/** The schedule job of a task's reminders. */
export { REMINDER_JOB };
export const reminderJobId = (taskId: string) => `${REMINDER_JOB}:${taskId}`;

export function requireTask(ctx: CommandContext, id: string): Task {
  const task = getTask(ctx.db, id);
  if (!task)
    throw new CommandError("not_found", "No such task in this home.", {
      fields: [{ path: "id", message: "is not a task of this home" }],
    });
  return task;
}

export function requireOpenTask(ctx: CommandContext, id: string, seen: string | null): Task {
  const task = requireTask(ctx, id);
  if (task.archived) throw new CommandError("conflict", "This task is archived; bring it back first.");
  if (seen !== task.occurrence) {
    throw new CommandError(
      "conflict",
      "Someone else already dealt with this occurrence of the task; it has moved on.",
      { occurrence: task.occurrence, nextDue: task.nextDue },
    );
  }
  if (task.nextDue === null)
    throw new CommandError(
      "conflict",
      "This task has nothing due: it was a one-off that is done, or its schedule has ended.",
    );
  return task;
}

/** Who may complete, skip or snooze this task: anyone with tasks.complete, or its assignee with tasks.complete_own. */
export function requireMayComplete(ctx: CommandContext, task: Task): void {
  if (can(ctx.kind, ctx.actor.role, "tasks.complete")) return;
  if (task.assignee === ctx.actor.userId && can(ctx.kind, ctx.actor.role, "tasks.complete_own")) return;
  throw new CommandError("forbidden", "You may only complete tasks assigned to you.");
}

/** Schedules (or clears) the next reminder of a task as it now stands. */
export function planTaskReminder(effects: RoomEffects, task: Task, timeZone: string): void {
  if (task.archived || task.nextDue === null) {
    effects.unschedule(reminderJobId(task.id));
    return;
  }
  const plan = planReminder(task.nextDue, task.leadDays, timeZone, effects.now);
  effects.schedule({
    id: reminderJobId(task.id),
    kind: REMINDER_JOB,
    dueAt: plan.at,
    payload: plan satisfies ReminderPlan,
  });
}

export function saveTask(ctx: CommandContext, task: Task): void {
  const { scheduleText: _words, review: _review, ...fields } = task;
  const row = { ...fields, schedule: JSON.stringify(task.schedule) };
  ctx.db.insert(tasks).values(row).onConflictDoUpdate({ target: tasks.id, set: row }).run();
  ctx.touch("tasks", task.id);
  planTaskReminder(ctx, task, timeZoneOf(ctx.db));
}

/** What a completion changes on its task, kept with it so that undoing it puts back exactly this. */
type TaskBefore = Pick<Task, "occurrence" | "nextDue" | "lastCompletedOn" | "lastCompletedBy" | "completions">;

/** Records a completion or skip and moves the task to its next occurrence; answers the new entry's id too. */
export function closeOccurrence(
  ctx: CommandContext,
  task: Task,
  entry: {
    kind: "done" | "skipped";
    on: string;
    note: string;
    photoId: string | null;
    costCents: number | null;
    /** An approved proof: its submitter completed the task, and its reviewer is named. */
    proof?: { by: { userId: string; name: string }; captureId: string; reviewedByName: string };
  },
): Task & { entryId: string } {
  // Skipped, or done by an approval (which settled its own proof first): no proof waits for this occurrence.
  withdrawPendingProof(ctx, task.id);
  const by = entry.proof?.by ?? { userId: ctx.actor.userId, name: ctx.actor.name };
  const timeZone = timeZoneOf(ctx.db);
  const occurrence = task.occurrence ?? task.nextDue ?? entry.on;
  const following = nextDue(
    task.schedule,
    timeZone,
    entry.kind === "done" ? { completedOn: entry.on, after: occurrence } : { after: occurrence },
  );
  const entryId = crypto.randomUUID();
  const before: TaskBefore = {
    occurrence: task.occurrence,
    nextDue: task.nextDue,
    lastCompletedOn: task.lastCompletedOn,
    lastCompletedBy: task.lastCompletedBy,
    completions: task.completions,
  };
  ctx.db
    .insert(completions)
    .values({
      id: entryId,
      taskId: task.id,
      kind: entry.kind,
      occurrence,
      on: entry.on,
      at: ctx.now,
      by: by.userId,
      byName: by.name,
      note: entry.note,
      photoId: entry.photoId,
      costCents: entry.costCents,
      currency: entry.costCents === null ? null : currencyOf(ctx.db),
      before: JSON.stringify(before),
      captureId: entry.proof?.captureId ?? null,
      reviewedByName: entry.proof?.reviewedByName ?? null,
    })
    .run();
  const done = entry.kind === "done";
  const updated: Task = {
    ...task,
    occurrence: following,
    nextDue: following,
    lastCompletedOn: done ? entry.on : task.lastCompletedOn,
    lastCompletedBy: done ? by.userId : task.lastCompletedBy,
    completions: task.completions + (done ? 1 : 0),
    updatedAt: ctx.now,
  };
  saveTask(ctx, updated);
  if (done) ctx.touch("home", "info");
  resolveReminders(ctx, task, entry.kind);
  return { ...updated, entryId };
}

/**
 * Takes back a completion just made: only its completer, only within TASK_UNDO_WINDOW_MS, and only while
 * nothing has happened to the task since (a later completion, skip, snooze or edit would be lost).
 */
export function undoCompletion(ctx: CommandContext, taskId: string, completionId: string): Task {
  const task = requireTask(ctx, taskId);
  const entry = ctx.db
    .select()
    .from(completions)
    .where(and(eq(completions.id, completionId), eq(completions.taskId, taskId)))
    .get();
  if (entry?.kind !== "done")
    throw new CommandError("not_found", "No such completion of this task (it may have been undone already).", {
      fields: [{ path: "completionId", message: "is not a completion of this task" }],
    });
  if (entry.captureId !== null)
    throw new CommandError("conflict", "A reviewed proof stands: it completed the task once it was approved.");
  const latest = ctx.db
    .select({ id: completions.id })
    .from(completions)
    .where(eq(completions.taskId, taskId))
    .orderBy(desc(completions.at))
    .limit(1)
    .get();
  const refusal = undoRefusal(entry, {
    latestEntryId: latest?.id ?? null,
    taskUpdatedAt: task.updatedAt,
    actorId: ctx.actor.userId,
    now: ctx.now,
    windowMs: TASK_UNDO_WINDOW_MS,
  });
  if (refusal) throw new CommandError(refusal.code, refusal.message);
  const before = JSON.parse(entry.before ?? "{}") as TaskBefore;
  if (entry.photoId) schedulePhotoExpiry(ctx, entry.photoId);
  ctx.db.delete(completions).where(eq(completions.id, entry.id)).run();
  const restored: Task = { ...task, ...before, updatedAt: ctx.now };
  saveTask(ctx, restored);
  ctx.touch("home", "info");
  return restored;
}

/** The reminders of the occurrence just closed (sent for its due date, snoozed or not) say so and stop counting. */
function resolveReminders(ctx: CommandContext, task: Task, resolution: "done" | "skipped"): void {
  const dates = new Set([task.nextDue, task.occurrence].filter((d): d is string => d !== null));
  for (const dueDate of dates) {
    const subject = taskNoticeSubject(task.id, dueDate);
    ctx.enqueue({ type: "resolve", key: `resolve:${ctx.roomId}:${subject}`, roomId: ctx.roomId, subject, resolution });
  }
}
