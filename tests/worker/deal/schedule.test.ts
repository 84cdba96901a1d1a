/**
 * A deal's schedule and notifications: OVERDUE and "due tomorrow" come from the room's alarm, not a client's clock;
 * each notice is delivered once (the room's outbox, then D1's notifications) however often the alarm runs, and a
 * notice about a task not shared with the buyer never reaches them. Deals here stand in UTC, so `dayFromToday` is
 * the deal's own calendar.
 */
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { dueSoonAt } from "../../../rooms/deal/due-jobs";
import { overdueAt } from "../../../rooms/deal/task-state";
import type { Room } from "../../../schema/core/api";
import type { DealTask } from "../../../schema/deal/records";
import { type Account, api, RoomClient, waitFor } from "../helpers";
import { type DealTeam, dayFromToday, dealStub, dealTeam, run, setUpDeal } from "./deal-helpers";

async function utcDeal(): Promise<DealTeam> {
  const team = await dealTeam();
  await setUpDeal(team, null, { timeZone: "UTC" });
  return team;
}

async function create(team: DealTeam, args: Record<string, unknown>): Promise<string> {
  const made = await run(team.coordinator, team.room, "deal.task.create", args);
  expect(made.status, JSON.stringify(made.body)).toBe(200);
  return made.body.result?.id as string;
}

type JobRow = {
  id: string;
  kind: string;
  due_at: number;
  payload: string;
};

function jobsOf(room: Room, taskId: string): Promise<JobRow[]> {
  return runInDurableObject(dealStub(room), (_instance, state) =>
    state.storage.sql
      .exec<JobRow>("SELECT id, kind, due_at, payload FROM scheduled_jobs WHERE id LIKE '%:' || ? ORDER BY id", taskId)
      .toArray(),
  );
}

/** Makes the named jobs due now (as if their moment had come), optionally stored again first, and runs the alarm. */
async function runJobs(room: Room, jobs: JobRow[]): Promise<void> {
  await runInDurableObject(dealStub(room), async (_instance, state) => {
    for (const job of jobs)
      state.storage.sql.exec(
        "INSERT INTO scheduled_jobs (id, kind, due_at, payload) VALUES (?, ?, ?, ?) " +
          "ON CONFLICT (id) DO UPDATE SET due_at = excluded.due_at, payload = excluded.payload",
        job.id,
        job.kind,
        Date.now() - 1,
        job.payload,
      );
    await state.storage.setAlarm(Date.now() + 3_600_000);
  });
  await runDurableObjectAlarm(dealStub(room));
}

interface Delivered {
  userId: string;
  key: string;
  title: string;
  body: string;
  url: string;
}

/** The in-app notifications the deal's notices became, one row a person. */
async function delivered(room: Room): Promise<Delivered[]> {
  const rows = await env.DB.prepare(
    "SELECT user_id AS userId, key, title, body, url FROM notifications WHERE room_id = ?1 ORDER BY key, user_id",
  )
    .bind(room.id)
    .all<Delivered>();
  return rows.results;
}

/** Waits until `check` holds of what was delivered, then a moment more, so a duplicate would have arrived too. */
async function deliveredOnce(room: Room, check: (rows: Delivered[]) => boolean, what: string): Promise<Delivered[]> {
  let rows: Delivered[] = [];
  for (let i = 0; i < 100 && !check(rows); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    rows = await delivered(room);
  }
  if (!check(rows)) throw new Error(`never delivered: ${what}; got ${JSON.stringify(rows.map((r) => r.title))}`);
  await new Promise((resolve) => setTimeout(resolve, 500));
  return delivered(room);
}

const titled = (rows: Delivered[], title: string) => rows.filter((row) => row.title === title);
const to = (rows: Delivered[], who: Account) => rows.filter((row) => row.userId === who.user.id);

describe("a deal's schedule", () => {
  it("shows a task due yesterday as OVERDUE at once, and tells its assignee once", async () => {
    const team = await utcDeal();
    const id = await create(team, {
      title: "Deliver earnest money",
      due: { date: dayFromToday(-1) },
      sharedWithBuyer: true,
      assignee: { kind: "user", userId: team.buyer.user.id },
    });
    const screen = await RoomClient.connect("deal", team.room.id, team.buyer.cookie);
    expect(screen.doc.getMap<DealTask>("tasks").get(id)?.state).toBe("OVERDUE");
    screen.close();
    // Its overdue job was due already: the room's own alarm runs it; this runs it (again) now.
    await runDurableObjectAlarm(dealStub(team.room));
    const rows = await deliveredOnce(
      team.room,
      (r) => titled(r, "Overdue: Deliver earnest money").length > 0,
      "the overdue notice",
    );
    expect(titled(rows, "Overdue: Deliver earnest money").map((r) => r.userId)).toEqual([team.buyer.user.id]);
  });

  it("turns a task due today OVERDUE on open screens when its alarm runs after the day, telling once", async () => {
    const team = await utcDeal();
    const id = await create(team, {
      title: "Lock the rate",
      due: { date: dayFromToday(0) },
      assignee: { kind: "user", userId: team.agent.user.id },
    });
    const screen = await RoomClient.connect("deal", team.room.id, team.agent.cookie);
    const tasks = screen.doc.getMap<DealTask>("tasks");
    expect(tasks.get(id)?.state).toBe("PENDING");
    const [overdue, ...others] = await jobsOf(team.room, id);
    expect(others).toEqual([]);
    expect(overdue).toMatchObject({ kind: "deal.overdue", due_at: overdueAt(dayFromToday(0), "UTC") });
    // The day ends: the task's day is yesterday now. Stored behind the room's back, so no screen changes by itself.
    const yesterday = dayFromToday(-1);
    const ended = { ...(overdue as JobRow), payload: JSON.stringify({ taskId: id, dueDate: yesterday }) };
    await runInDurableObject(dealStub(team.room), (_instance, state) => {
      state.storage.sql.exec("UPDATE deal_tasks SET due_date = ? WHERE id = ?", yesterday, id);
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(tasks.get(id)?.state).toBe("PENDING");
    await runJobs(team.room, [ended]);
    await waitFor(() => tasks.get(id)?.state === "OVERDUE", "OVERDUE on the open screen");
    const title = "Overdue: Lock the rate";
    const once = await deliveredOnce(team.room, (r) => titled(r, title).length > 0, "the overdue notice");
    expect(titled(once, title).map((r) => r.userId)).toEqual([team.agent.user.id]);
    // At least once: the same job delivered again tells no one twice.
    await runJobs(team.room, [ended]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(titled(await delivered(team.room), title)).toHaveLength(1);
    screen.close();
  });

  it("says 'due tomorrow' the morning before, once, changing no state", async () => {
    const team = await utcDeal();
    const due = dayFromToday(2);
    const id = await create(team, {
      title: "Send the appraisal fee",
      due: { date: due },
      assignee: { kind: "role", role: "buyer_agent" },
    });
    const jobs = await jobsOf(team.room, id);
    expect(jobs.map((j) => [j.kind, j.due_at])).toEqual([
      ["deal.due_soon", dueSoonAt(due, "UTC")],
      ["deal.overdue", overdueAt(due, "UTC")],
    ]);
    const soon = jobs.filter((job) => job.kind === "deal.due_soon");
    await runJobs(team.room, soon);
    const title = "Due tomorrow: Send the appraisal fee";
    const rows = await deliveredOnce(team.room, (r) => titled(r, title).length > 0, "due tomorrow");
    expect(titled(rows, title).map((r) => r.userId)).toEqual([team.agent.user.id]);
    await runJobs(team.room, soon);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(titled(await delivered(team.room), title)).toHaveLength(1);
    expect((await jobsOf(team.room, id)).map((j) => j.kind)).toEqual(["deal.overdue"]);
  });

  it("cancels a task's jobs when it is completed or deleted, and plans them again when it is reopened", async () => {
    const team = await utcDeal();
    const id = await create(team, { title: "Order title search", due: { date: dayFromToday(5) } });
    expect(await jobsOf(team.room, id)).toHaveLength(2);
    await run(team.coordinator, team.room, "deal.task.complete", { id });
    expect(await jobsOf(team.room, id)).toEqual([]);
    await run(team.coordinator, team.room, "deal.task.reopen", { id });
    expect((await jobsOf(team.room, id)).map((j) => j.kind)).toEqual(["deal.due_soon", "deal.overdue"]);
    await run(team.coordinator, team.room, "deal.task.delete", { id });
    expect(await jobsOf(team.room, id)).toEqual([]);
  });

  it("re-plans a relative task's jobs when its key date moves, and tells every member once", async () => {
    const team = await utcDeal();
    const id = await create(team, {
      title: "Final loan approval",
      due: { relative: { anchor: "closing", offset: -5, unit: "days" } },
    });
    const before = await jobsOf(team.room, id);
    expect(JSON.parse(before[1]?.payload ?? "{}").dueDate).toBe(dayFromToday(15));
    const moved = await run(team.coordinator, team.room, "deal.key_dates", { closing: dayFromToday(27) });
    expect(moved.body.result).toEqual({ movedTasks: 1 });
    const after = await jobsOf(team.room, id);
    expect(after.map((j) => [j.kind, j.due_at, JSON.parse(j.payload).dueDate])).toEqual([
      ["deal.due_soon", dueSoonAt(dayFromToday(22), "UTC"), dayFromToday(22)],
      ["deal.overdue", overdueAt(dayFromToday(22), "UTC"), dayFromToday(22)],
    ]);
    const everyone = [team.owner, team.admin, team.coordinator, team.agent, team.buyer, team.viewer];
    const isMove = (row: Delivered) => row.key.includes(":key_date_moved:");
    const rows = await deliveredOnce(team.room, (r) => r.filter(isMove).length >= everyone.length, "key date moved");
    expect(
      rows
        .filter(isMove)
        .map((r) => r.userId)
        .sort(),
    ).toEqual(everyone.map((a) => a.user.id).sort());
  });
});

describe("a deal's notifications", () => {
  it("tells assigned, unblocked and milestone reached once each; the buyer nothing of unshared tasks", async () => {
    const team = await utcDeal();
    const milestone = await run(team.coordinator, team.room, "deal.milestone.create", { name: "Inspection" });
    const milestoneId = milestone.body.result?.id as string;
    const agentRole = { kind: "role", role: "buyer_agent" };
    const inspect = await create(team, { title: "Hire inspector (internal)", milestoneId, assignee: agentRole });
    const review = await create(team, {
      title: "Read the inspection report",
      milestoneId,
      sharedWithBuyer: true,
      assignee: { kind: "user", userId: team.buyer.user.id },
      dependsOn: [inspect],
    });
    const repairs = await create(team, {
      title: "Price repairs (internal)",
      milestoneId,
      assignee: agentRole,
      dependsOn: [inspect],
    });
    await run(team.coordinator, team.room, "deal.task.complete", { id: inspect });
    await run(team.coordinator, team.room, "deal.task.complete", { id: repairs });
    await run(team.buyer, team.room, "deal.task.complete", { id: review });
    const expected = {
      "Assigned to you: Hire inspector (internal)": [team.agent],
      "Assigned to you: Read the inspection report": [team.buyer],
      "Assigned to you: Price repairs (internal)": [team.agent],
      "Ready to start: Read the inspection report": [team.buyer],
      "Ready to start: Price repairs (internal)": [team.agent],
      "Milestone reached: Inspection": [team.owner, team.admin, team.coordinator, team.agent, team.buyer, team.viewer],
    };
    const count = Object.values(expected).reduce((n, who) => n + who.length, 0);
    const rows = await deliveredOnce(team.room, (r) => r.length >= count, "every notice");
    const got = Object.fromEntries(
      Object.keys(expected).map((title) => [
        title,
        titled(rows, title)
          .map((r) => r.userId)
          .sort(),
      ]),
    );
    const want = Object.fromEntries(
      Object.entries(expected).map(([title, who]) => [title, who.map((a) => a.user.id).sort()]),
    );
    expect(got).toEqual(want);
    expect(rows).toHaveLength(count);
    expect(to(rows, team.buyer).some((r) => r.title.includes("internal"))).toBe(false);
  });

  it("tells each person once of all their tasks one completion unblocks, with the board as the link", async () => {
    const team = await utcDeal();
    const agentRole = { kind: "role", role: "buyer_agent" };
    const hub = await create(team, { title: "Get the appraisal" });
    const titles = ["Order the survey", "Book the movers", "Quote insurance"];
    for (const title of titles) await create(team, { title, assignee: agentRole, dependsOn: [hub] });
    await create(team, {
      title: "Sign the loan estimate",
      sharedWithBuyer: true,
      assignee: { kind: "user", userId: team.buyer.user.id },
      dependsOn: [hub],
    });
    await run(team.coordinator, team.room, "deal.task.complete", { id: hub });
    const rows = await deliveredOnce(
      team.room,
      (r) =>
        titled(r, "3 tasks can start now").length + titled(r, "Ready to start: Sign the loan estimate").length >= 2,
      "the unblocked notices",
    );
    const ready = rows.filter((r) => r.title.includes("can start") || r.title.startsWith("Ready to start"));
    expect(ready.map((r) => [r.title, r.userId]).sort()).toEqual(
      [
        ["3 tasks can start now", team.agent.user.id],
        ["Ready to start: Sign the loan estimate", team.buyer.user.id],
      ].sort(),
    );
    const grouped = titled(rows, "3 tasks can start now")[0];
    for (const title of titles) expect(grouped?.body).toContain(`"${title}"`);
    expect(grouped?.url).toBe(`/rooms/${team.room.id}`);
  });

  it("sends an unshared, unassigned task's overdue notice to those who manage tasks, never the buyer", async () => {
    const team = await utcDeal();
    await create(team, { title: "Split the commission", due: { date: dayFromToday(-1) } });
    await runDurableObjectAlarm(dealStub(team.room));
    const title = "Overdue: Split the commission";
    const rows = await deliveredOnce(team.room, (r) => titled(r, title).length >= 3, "the overdue notice");
    expect(
      titled(rows, title)
        .map((r) => r.userId)
        .sort(),
    ).toEqual([team.owner, team.admin, team.coordinator].map((a) => a.user.id).sort());
    expect(to(rows, team.buyer)).toEqual([]);
  });

  it("stops telling a member about an unshared task once their role can no longer see it", async () => {
    const team = await utcDeal();
    const due = dayFromToday(2);
    const hidden = await create(team, {
      title: "Negotiate the commission (internal)",
      due: { date: due },
      assignee: { kind: "user", userId: team.agent.user.id },
    });
    const shared = await create(team, {
      title: "Schedule the walk-through",
      due: { date: due },
      sharedWithBuyer: true,
      assignee: { kind: "user", userId: team.agent.user.id },
    });
    const demoted = await api(`/api/rooms/${team.room.id}/members/${team.agent.user.id}`, {
      method: "PATCH",
      cookie: team.owner.cookie,
      body: { role: "buyer" },
    });
    expect(demoted.status).toBe(200);
    const soon = [...(await jobsOf(team.room, hidden)), ...(await jobsOf(team.room, shared))].filter(
      (job) => job.kind === "deal.due_soon",
    );
    await runJobs(team.room, soon);
    const internal = "Due tomorrow: Negotiate the commission (internal)";
    const rows = await deliveredOnce(
      team.room,
      (r) => titled(r, internal).length >= 3 && titled(r, "Due tomorrow: Schedule the walk-through").length > 0,
      "both due-tomorrow notices",
    );
    // The internal task went back to those who manage tasks; the shared one stays the (now) buyer's.
    expect(to(rows, team.agent).map((r) => r.title)).not.toContain(internal);
    expect(
      titled(rows, internal)
        .map((r) => r.userId)
        .sort(),
    ).toEqual([team.owner, team.admin, team.coordinator].map((a) => a.user.id).sort());
    expect(titled(rows, "Due tomorrow: Schedule the walk-through").map((r) => r.userId)).toEqual([team.agent.user.id]);
    const tasks = await runInDurableObject(dealStub(team.room), (_instance, state) =>
      state.storage.sql
        .exec("SELECT id, assignee, assignee_outsider AS outsider FROM deal_tasks ORDER BY id")
        .toArray(),
    );
    expect(tasks.find((t) => t.id === hidden)).toMatchObject({ assignee: null, outsider: 0 });
    expect(tasks.find((t) => t.id === shared)).toMatchObject({ outsider: 1 });
    // Still theirs and shared: it cannot be un-shared while a buyer holds it.
    const unshare = await run(team.coordinator, team.room, "deal.task.update", { id: shared, sharedWithBuyer: false });
    expect(unshare.status).toBe(409);
  });
});
