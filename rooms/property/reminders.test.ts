import { describe, expect, it } from "vitest";
import { followingReminder, planReminder, reminderKey } from "./reminders";

const at = (iso: string) => Date.parse(iso);

describe("task reminders", () => {
  it("goes out the chosen number of days ahead, at nine in the home's morning", () => {
    const plan = planReminder("2027-03-10", 2, "America/New_York", at("2027-03-01T12:00:00Z"));
    // 8 March 2027 is before the US change to summer time: 09:00 EST is 14:00 UTC.
    expect(plan).toEqual({ stage: "lead", dueDate: "2027-03-10", day: "2027-03-08", at: at("2027-03-08T14:00:00Z") });
  });

  it("keeps nine local across the change to summer time", () => {
    const plan = planReminder("2027-03-15", 1, "America/New_York", at("2027-03-01T12:00:00Z"));
    expect(plan.at).toBe(at("2027-03-14T13:00:00Z"));
  });

  it("sends the lead reminder at once when a task is added inside its lead time", () => {
    const now = at("2027-03-09T20:00:00Z");
    expect(planReminder("2027-03-10", 1, "UTC", now)).toEqual({
      stage: "lead",
      dueDate: "2027-03-10",
      day: "2027-03-09",
      at: now,
    });
  });

  it("turns overdue the morning after the due date, then reminds daily", () => {
    expect(planReminder("2027-03-10", 1, "Europe/London", at("2027-03-10T23:30:00Z"))).toMatchObject({
      stage: "lead",
      day: "2027-03-09",
    });
    const first = planReminder("2027-03-10", 1, "Europe/London", at("2027-03-11T00:30:00Z"));
    expect(first).toEqual({
      stage: "overdue",
      dueDate: "2027-03-10",
      day: "2027-03-11",
      at: at("2027-03-11T09:00:00Z"),
    });
    const second = followingReminder(first, "Europe/London", first.at);
    expect(second).toEqual({
      stage: "overdue",
      dueDate: "2027-03-10",
      day: "2027-03-12",
      at: at("2027-03-12T09:00:00Z"),
    });
    const afterLead = followingReminder(
      { stage: "lead", dueDate: "2027-03-10", day: "2027-03-09", at: 0 },
      "Europe/London",
      at("2027-03-09T09:00:00Z"),
    );
    expect(afterLead).toMatchObject({ stage: "overdue", day: "2027-03-11" });
  });

  it("sends one reminder, not one per missed morning, after the room slept for days", () => {
    const sent = {
      stage: "overdue" as const,
      dueDate: "2027-03-10",
      day: "2027-03-11",
      at: at("2027-03-11T09:00:00Z"),
    };
    const now = at("2027-03-15T10:00:00Z");
    expect(followingReminder(sent, "UTC", now)).toEqual({
      stage: "overdue",
      dueDate: "2027-03-10",
      day: "2027-03-15",
      at: now,
    });
  });

  it("names each reminder by task, due date, stage and day", () => {
    const plan = { stage: "overdue" as const, dueDate: "2027-03-10", day: "2027-03-12", at: 0 };
    expect(reminderKey("room1", "task1", plan)).toBe("reminder:room1:task1:2027-03-10:overdue:2027-03-12");
  });
});
