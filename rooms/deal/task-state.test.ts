import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import {
  deriveState,
  milestoneProgress,
  milestoneReached,
  overdueAt,
  TASK_ACTIONS,
  type TaskAction,
  type TaskProgress,
  type TaskState,
  type TransitionContext,
} from "./task-state";

/** A fixed clock, passed in: the tests never read the real date. */
const NOW = Date.parse("2031-04-16T18:00:00Z");
const ZONE = "America/Los_Angeles";
const HOUR_MS = 60 * 60 * 1000;

/** The deal-zone calendar date `days` from the fixed clock's local date. */
function dayFromNow(days: number, zone = ZONE): string {
  return Temporal.Instant.fromEpochMilliseconds(NOW).toZonedDateTimeISO(zone).toPlainDate().add({ days }).toString();
}

const fresh: TaskProgress = {
  due: dayFromNow(3),
  startedAt: null,
  startedBy: null,
  completedAt: null,
  completedBy: null,
};
const started = { ...fresh, startedAt: NOW - HOUR_MS, startedBy: "ann" };

/** A task in each state, with the unfinished dependencies that put it there. */
const IN_STATE: Record<TaskState, { task: TaskProgress; unfinished: string[] }> = {
  PENDING: { task: fresh, unfinished: [] },
  BLOCKED: { task: fresh, unfinished: ["inspection"] },
  IN_PROGRESS: { task: started, unfinished: [] },
  COMPLETED: { task: { ...started, completedAt: NOW - 1, completedBy: "ann" }, unfinished: [] },
  OVERDUE: { task: { ...fresh, due: dayFromNow(-1) }, unfinished: [] },
};

/** What each action does in each state: the state after it, or the refusal's message. */
const TABLE: Record<TaskState, Record<TaskAction, TaskState | string>> = {
  PENDING: { start: "IN_PROGRESS", complete: "COMPLETED", reopen: "Only a completed task can be reopened" },
  BLOCKED: {
    start: "Cannot start this task: it waits for inspection",
    complete: "Cannot complete this task: it waits for inspection",
    reopen: "Only a completed task can be reopened",
  },
  IN_PROGRESS: {
    start: "This task is in progress already",
    complete: "COMPLETED",
    reopen: "Only a completed task can be reopened",
  },
  COMPLETED: {
    start: "This task is completed; reopen it first",
    complete: "This task is completed already",
    reopen: "IN_PROGRESS",
  },
  OVERDUE: { start: "OVERDUE", complete: "COMPLETED", reopen: "Only a completed task can be reopened" },
};

describe("task state machine", () => {
  const context = (unfinished: string[]): TransitionContext => ({ unfinished, actor: "bob", now: NOW, timeZone: ZONE });

  for (const [state, actions] of Object.entries(TABLE) as [TaskState, Record<TaskAction, string>][]) {
    for (const [action, expected] of Object.entries(actions) as [TaskAction, string][]) {
      it(`${action} on ${state} → ${expected}`, () => {
        const { task, unfinished } = IN_STATE[state];
        expect(deriveState(task, unfinished.length === 0, NOW, ZONE).state).toBe(state);
        const result = TASK_ACTIONS[action](task, context(unfinished));
        if (result.ok) expect(result.status.state).toBe(expected);
        else {
          expect(result.error.code).toBe("conflict");
          expect(result.error.message).toBe(expected);
        }
      });
    }
  }

  it("names every unfinished dependency by its title when refusing to complete", () => {
    const titles: Record<string, string> = { a: "Inspection", b: "Appraisal" };
    const result = TASK_ACTIONS.complete(fresh, { ...context(["a", "b"]), label: (id) => titles[id] ?? id });
    expect(result).toEqual({
      ok: false,
      error: {
        code: "conflict",
        message: "Cannot complete this task: it waits for Inspection, Appraisal",
        details: { unfinished: ["a", "b"] },
      },
    });
  });

  it("records who started and completed it, with the room's clock", () => {
    const start = TASK_ACTIONS.start(fresh, context([]));
    expect(start.ok && start.task).toMatchObject({ startedAt: NOW, startedBy: "bob", completedAt: null });
    const complete = start.ok ? TASK_ACTIONS.complete(start.task, context([])) : start;
    expect(complete.ok && complete.task).toMatchObject({ startedBy: "bob", completedAt: NOW, completedBy: "bob" });
  });

  it("reopens a task never started to PENDING, and to BLOCKED when a dependency was reopened first", () => {
    const closed = { ...fresh, completedAt: NOW - 1, completedBy: "ann" };
    const pending = TASK_ACTIONS.reopen(closed, context([]));
    expect(pending.ok && pending.status.state).toBe("PENDING");
    expect(pending.ok && pending.task.completedBy).toBeNull();
    const blocked = TASK_ACTIONS.reopen(closed, context(["a"]));
    expect(blocked.ok && blocked.status).toEqual({ state: "BLOCKED", started: false, blocked: true, overdue: false });
  });
});

describe("derived state and flags", () => {
  it("shows a blocked task past due as OVERDUE, still flagged blocked and started", () => {
    const late = { ...started, due: dayFromNow(-2) };
    expect(deriveState(late, false, NOW, ZONE)).toEqual({
      state: "OVERDUE",
      started: true,
      blocked: true,
      overdue: true,
    });
    expect(deriveState({ ...late, due: dayFromNow(2) }, false, NOW, ZONE)).toEqual({
      state: "BLOCKED",
      started: true,
      blocked: true,
      overdue: false,
    });
  });

  it("never shows a completed task overdue, and flags one whose dependency was reopened", () => {
    const closed = { ...fresh, due: dayFromNow(-5), completedAt: NOW - 1, completedBy: "ann" };
    expect(deriveState(closed, false, NOW, ZONE)).toEqual({
      state: "COMPLETED",
      started: false,
      blocked: true,
      overdue: false,
    });
  });

  it("leaves a task with no due date never overdue", () => {
    expect(deriveState({ ...fresh, due: null }, true, NOW + 1e12, ZONE).state).toBe("PENDING");
  });

  it("turns overdue at the end of the due day in the deal's zone, not in UTC", () => {
    const due = dayFromNow(0);
    const end = overdueAt(due, ZONE);
    // The end of the day in Los Angeles is 07:00 UTC (summer time) the next day: hours after UTC's midnight.
    expect(Temporal.Instant.fromEpochMilliseconds(end).toZonedDateTimeISO(ZONE).toPlainTime().toString()).toBe(
      "00:00:00",
    );
    expect(end - Date.parse(`${dayFromNow(1)}T00:00:00Z`)).toBe(7 * HOUR_MS);
    const task = { ...fresh, due };
    expect(deriveState(task, true, end - 1, ZONE).state).toBe("PENDING");
    expect(deriveState(task, true, end, ZONE).state).toBe("OVERDUE");
    // The same due date in a Tokyo deal was past hours before.
    expect(deriveState(task, true, end - 1, "Asia/Tokyo").state).toBe("OVERDUE");
    expect(overdueAt(due, "Asia/Tokyo")).toBe(end - 16 * HOUR_MS);
  });

  it("ends a day at its first instant where a clock change skips midnight", () => {
    // Chile moves its clocks forward at midnight on the first Sunday of September: that day starts at 01:00.
    const sunday = Temporal.PlainDate.from("2031-09-07");
    const saturday = sunday.subtract({ days: 1 }).toString();
    expect(new Date(overdueAt(saturday, "America/Santiago")).toISOString()).toBe("2031-09-07T04:00:00.000Z");
  });

  it("refuses a malformed due date as a bug", () => {
    expect(() => overdueAt("2031-02-30", ZONE)).toThrow(RangeError);
    expect(() => overdueAt("16/04/2031", ZONE)).toThrow(RangeError);
  });

  it("answers a remembered date with the same instant, per time zone; a bad date is refused every time", () => {
    const first = overdueAt("2031-04-16", "Asia/Tokyo");
    expect(overdueAt("2031-04-16", "Asia/Tokyo")).toBe(first);
    // Lisbon keeps summer time (UTC+1) in April, Tokyo UTC+9.
    expect(overdueAt("2031-04-16", "Europe/Lisbon")).toBe(first + 8 * HOUR_MS);
    expect(() => overdueAt("2031-02-30", ZONE)).toThrow(RangeError);
    expect(() => overdueAt("2031-02-30", ZONE)).toThrow(RangeError);
  });
});

describe("milestones", () => {
  const closed = { completedAt: NOW };
  const open = { completedAt: null };

  it("is reached when all its tasks are completed", () => {
    expect(milestoneReached([closed, closed])).toBe(true);
    expect(milestoneReached([closed, open])).toBe(false);
    expect(milestoneProgress([closed, open, closed])).toEqual({ completed: 2, total: 3, reached: false });
  });

  it("is not reached with no tasks", () => {
    expect(milestoneProgress([])).toEqual({ completed: 0, total: 0, reached: false });
  });
});
