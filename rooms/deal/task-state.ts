/**
 * A deal task's state machine, as a pure rule. The room stores a task's progress (started, completed, its
 * due date) and derives its state from that, its dependencies and the room's clock after every change and
 * when the schedule's overdue job runs; a client's clock never decides. See docs/deals.md.
 *
 * One state for the board, plus flags, so nothing is hidden: precedence COMPLETED > OVERDUE > BLOCKED >
 * IN_PROGRESS > PENDING. A blocked task past due shows OVERDUE (the missed date is what the deal must act on)
 * with `blocked` set (why it is late); an overdue or blocked task that was started keeps `started`.
 */
import { Temporal } from "temporal-polyfill";
import { DEAL_OVERDUE_MEMO_ENTRIES } from "../../config";
import type { CommandFailure } from "../../schema/core/commands";
import type { TaskId, TaskLabel } from "./graph";

export const TASK_STATES = ["PENDING", "BLOCKED", "IN_PROGRESS", "COMPLETED", "OVERDUE"] as const;
export type TaskState = (typeof TASK_STATES)[number];

/** What the room stores of a task's progress; its state is derived from it, never stored on its own. */
export interface TaskProgress {
  /** The due date, "YYYY-MM-DD" in the deal's time zone; null: none. Past at the end of that day there. */
  due: string | null;
  /** Epoch ms; kept when the task is completed, reopened, blocked or overdue. */
  startedAt: number | null;
  startedBy: string | null;
  completedAt: number | null;
  completedBy: string | null;
}

export interface TaskStatus {
  state: TaskState;
  /** Someone started it. */
  started: boolean;
  /** A dependency is unfinished. On a completed task: a dependency was reopened after it was completed. */
  blocked: boolean;
  /** Past due and not completed. */
  overdue: boolean;
}

/** What a transition needs besides the task: the room's records and clock, never the client's. */
export interface TransitionContext {
  /** The task's dependencies that are not completed (TaskGraph.unfinishedDependencies); empty: none. */
  unfinished: readonly TaskId[];
  actor: string;
  now: number;
  timeZone: string;
  label?: TaskLabel;
}

export type Transition = { ok: true; task: TaskProgress; status: TaskStatus } | { ok: false; error: CommandFailure };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A strict "YYYY-MM-DD" of a real date; a malformed one is a caller's bug (zod checks input), so it throws. */
function plainDate(value: string): Temporal.PlainDate {
  const match = ISO_DATE.exec(value);
  if (!match) throw new RangeError(`Not a YYYY-MM-DD date: ${JSON.stringify(value)}`);
  return Temporal.PlainDate.from(
    { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) },
    { overflow: "reject" },
  );
}

/**
 * When a task due on `due` becomes overdue (epoch ms): the start of the next day in `timeZone`, the end of
 * the due day there (the first instant of that day where midnight is skipped by a clock change). The
 * schedule's overdue job is set for this instant.
 */
export function overdueAt(due: string, timeZone: string): number {
  const key = `${due} ${timeZone}`;
  let at = overdueMemo.get(key);
  if (at === undefined) {
    at = plainDate(due).add({ days: 1 }).toZonedDateTime(timeZone).epochMilliseconds;
    // Forgetting everything at the bound keeps this simple; a deal's dates fill it again in one read.
    if (overdueMemo.size >= DEAL_OVERDUE_MEMO_ENTRIES) overdueMemo.clear();
    overdueMemo.set(key, at);
  }
  return at;
}

/** overdueAt's answers: a pure function of its arguments, and every task's state derivation asks it. */
const overdueMemo = new Map<string, number>();

/** The task's state and flags as of `now`, given whether all its dependencies are completed. */
export function deriveState(task: TaskProgress, depsDone: boolean, now: number, timeZone: string): TaskStatus {
  const started = task.startedAt !== null;
  const blocked = !depsDone;
  if (task.completedAt !== null) return { state: "COMPLETED", started, blocked, overdue: false };
  const overdue = task.due !== null && now >= overdueAt(task.due, timeZone);
  const state: TaskState = overdue ? "OVERDUE" : blocked ? "BLOCKED" : started ? "IN_PROGRESS" : "PENDING";
  return { state, started, blocked, overdue };
}

function refuse(message: string, details?: unknown): Transition {
  return { ok: false, error: { code: "conflict", message, details } };
}

function waitsFor(action: string, context: TransitionContext): Transition {
  const names = context.unfinished.map(context.label ?? ((id) => id)).join(", ");
  return refuse(`Cannot ${action} this task: it waits for ${names}`, { unfinished: [...context.unfinished] });
}

function done(task: TaskProgress, context: TransitionContext): Transition {
  const status = deriveState(task, context.unfinished.length === 0, context.now, context.timeZone);
  return { ok: true, task, status };
}

/** Someone starts the task: refused once started or completed, and while it waits for an unfinished task. */
export function startTask(task: TaskProgress, context: TransitionContext): Transition {
  if (task.completedAt !== null) return refuse("This task is completed; reopen it first");
  if (task.startedAt !== null) return refuse("This task is in progress already");
  if (context.unfinished.length > 0) return waitsFor("start", context);
  return done({ ...task, startedAt: context.now, startedBy: context.actor }, context);
}

/** Completes the task (started or not): refused once completed and while any dependency is unfinished. */
export function completeTask(task: TaskProgress, context: TransitionContext): Transition {
  if (task.completedAt !== null) return refuse("This task is completed already");
  if (context.unfinished.length > 0) return waitsFor("complete", context);
  return done({ ...task, completedAt: context.now, completedBy: context.actor }, context);
}

/**
 * Reopens a completed task: back to IN_PROGRESS if it had been started, else PENDING (or BLOCKED, OVERDUE
 * as derived). Its dependents are re-blocked by the room (TaskGraph.reblockedBy).
 */
export function reopenTask(task: TaskProgress, context: TransitionContext): Transition {
  if (task.completedAt === null) return refuse("Only a completed task can be reopened");
  return done({ ...task, completedAt: null, completedBy: null }, context);
}

export const TASK_ACTIONS = { start: startTask, complete: completeTask, reopen: reopenTask } as const;
export type TaskAction = keyof typeof TASK_ACTIONS;

export interface MilestoneProgress {
  completed: number;
  total: number;
  reached: boolean;
}

/** How far a milestone is: it is reached when all its tasks are completed, and it has at least one. */
export function milestoneProgress(tasks: readonly Pick<TaskProgress, "completedAt">[]): MilestoneProgress {
  const completed = tasks.filter((task) => task.completedAt !== null).length;
  // An empty milestone is not reached: nothing shows it happened, and it would announce itself on creation.
  return { completed, total: tasks.length, reached: tasks.length > 0 && completed === tasks.length };
}

/** Whether a milestone is reached: all its tasks completed (and it has one). */
export function milestoneReached(tasks: readonly Pick<TaskProgress, "completedAt">[]): boolean {
  return milestoneProgress(tasks).reached;
}
