import { describe, expect, it } from "vitest";
import {
  completedThisMonth,
  dueWithin,
  healthLabel,
  houseHealth,
  isOverdue,
  overdueTasks,
  warrantiesEnding,
} from "./health";

const today = "2026-03-10";
const task = (nextDue: string | null, archived = false) => ({ nextDue, archived });

describe("house health", () => {
  it("is 100 and Great with no active tasks", () => {
    expect(houseHealth([], today)).toEqual({ score: 100, label: "Great", active: 0, overdue: 0 });
    expect(houseHealth([task(null), task("2020-01-01", true)], today).score).toBe(100);
  });

  it("is the rounded share of active tasks not overdue", () => {
    const tasks = [task("2026-03-09"), task("2026-03-10"), task("2026-04-01")];
    expect(houseHealth(tasks, today)).toEqual({ score: 67, label: "Needs attention", active: 3, overdue: 1 });
  });

  it("counts a task due today as not overdue, and ignores archived and finished tasks", () => {
    expect(isOverdue(task("2026-03-10"), today)).toBe(false);
    expect(isOverdue(task("2026-03-09"), today)).toBe(true);
    expect(isOverdue(task("2026-03-09", true), today)).toBe(false);
    expect(houseHealth([task("2026-03-09", true), task(null), task("2026-03-11")], today).score).toBe(100);
  });

  it("labels scores at the thresholds", () => {
    expect([100, 90, 89, 70, 69, 50, 49, 0].map(healthLabel)).toEqual([
      "Great",
      "Great",
      "Good",
      "Good",
      "Needs attention",
      "Needs attention",
      "At risk",
      "At risk",
    ]);
  });

  it("is 0 and At risk when everything is overdue", () => {
    expect(houseHealth([task("2026-01-01"), task("2026-02-01")], today)).toMatchObject({ score: 0, label: "At risk" });
  });
});

describe("dashboard lists", () => {
  it("lists tasks due within 14 days from today, soonest first", () => {
    const tasks = [task("2026-03-24"), task("2026-03-25"), task("2026-03-10"), task("2026-03-09"), task(null)];
    expect(dueWithin(tasks, today, 14).map((t) => t.nextDue)).toEqual(["2026-03-10", "2026-03-24"]);
  });

  it("lists overdue tasks longest overdue first", () => {
    expect(
      overdueTasks([task("2026-03-01"), task("2025-12-01"), task("2026-03-10")], today).map((t) => t.nextDue),
    ).toEqual(["2025-12-01", "2026-03-01"]);
  });

  it("lists warranties ending within 60 days, not ended ones or archived assets", () => {
    const assets = [
      { warrantyEnd: "2026-05-09", archived: false },
      { warrantyEnd: "2026-05-10", archived: false },
      { warrantyEnd: "2026-03-09", archived: false },
      { warrantyEnd: "2026-03-20", archived: true },
      { warrantyEnd: null, archived: false },
    ];
    expect(warrantiesEnding(assets, today, 60).map((a) => a.warrantyEnd)).toEqual(["2026-05-09"]);
  });

  it("counts this month's completions only while the month is current", () => {
    const info = { timeZone: "UTC", currency: "USD", completedThisMonth: { month: "2026-03", count: 4 } };
    expect(completedThisMonth(info, today)).toBe(4);
    expect(completedThisMonth(info, "2026-04-01")).toBe(0);
    expect(completedThisMonth(null, today)).toBe(0);
  });
});
