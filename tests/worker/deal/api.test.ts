/**
 * The deal's read API for integrations: the summary, the buyer timeline and a task page, each as the caller's role
 * may see it. A buyer's answers are read as raw text: no internal value may appear in them anywhere.
 */
import { describe, expect, it } from "vitest";
import type { Room } from "../../../schema/core/api";
import type { DealSummary, DealTaskPage, DealTimeline } from "../../../schema/deal/api";
import { type Account, api, createRoom, json, signup } from "../helpers";
import { type DealTeam, dayFromToday, dealTeam, run, setUpDeal } from "./deal-helpers";

const COMMISSION = 2.5;
const SECRET_TITLE = "Negotiate the referral fee SECRETTITLE";
const SECRET_NOTE = "Seller is desperate SECRETNOTE";

/** A caller's answer at `path` under the deal room: status and raw body text. */
async function read(who: Account, room: Room, path = "") {
  const res = await api(`/api/rooms/${room.id}/deal${path}`, { cookie: who.cookie });
  return { status: res.status, text: await res.text() };
}

async function readJson<T>(who: Account, room: Room, path = ""): Promise<T> {
  const res = await api(`/api/rooms/${room.id}/deal${path}`, { cookie: who.cookie });
  expect(res.status, path).toBe(200);
  return json<T>(res);
}

const idOf = (answer: { body: { result: Record<string, unknown> | null } }) => answer.body.result?.id as string;

/** A deal from the financed template (in UTC, so "today" is the suite's), with an internal task and internal notes. */
async function dealWithSecrets(team: DealTeam) {
  await setUpDeal(team, "financed_purchase", { timeZone: "UTC" });
  const secret = idOf(await run(team.coordinator, team.room, "deal.task.create", { title: SECRET_TITLE }));
  const shared = idOf(
    await run(team.coordinator, team.room, "deal.task.create", {
      title: "Bring a photo ID to the signing",
      sharedWithBuyer: true,
      notes: SECRET_NOTE,
      assignee: { kind: "role", role: "buyer" },
      dependsOn: [secret],
    }),
  );
  return { secret, shared };
}

function expectNoInternal(text: string, secretTaskId: string): void {
  for (const value of [SECRET_TITLE, SECRET_NOTE, secretTaskId, "commission", "percent", "templateId", "notes"])
    expect(text, `found ${value}`).not.toContain(value);
  expect(text).not.toContain(String(COMMISSION));
  expect(text).not.toContain("dependsOn");
  expect(text).not.toContain("dependencies");
}

describe("the deal summary", () => {
  it("gives a coordinator the record, milestones with progress, counts, days to closing, who owes what", async () => {
    const team = await dealTeam();
    const { secret } = await dealWithSecrets(team);
    const summary = await readJson<DealSummary>(team.coordinator, team.room);
    expect(summary.deal).toMatchObject({ title: "12 Elm St purchase", commission: { percent: COMMISSION } });
    expect(summary.deal.purchasePrice).toBe(485_000);
    expect(summary.daysToClosing).toBe(20);
    expect(summary.milestones).toHaveLength(8);
    for (const milestone of summary.milestones) expect(milestone.progress.total).toBe(milestone.total);
    expect(summary.counts).toMatchObject({ open: 43, completed: 0 });
    expect(summary.counts.overdue).toBeGreaterThan(0);
    expect(summary.counts.blocked).toBeGreaterThan(0);
    expect(summary.owes.flatMap((group) => group.tasks)).toHaveLength(43);
    const buyerGroup = summary.owes.find((group) => group.assignee?.kind === "role" && group.assignee.role === "buyer");
    expect(buyerGroup?.tasks.map((task) => task.title)).toContain("Bring a photo ID to the signing");

    expect((await run(team.coordinator, team.room, "deal.task.complete", { id: secret })).status).toBe(200);
    const after = await readJson<DealSummary>(team.coordinator, team.room);
    expect(after.counts).toMatchObject({ open: 42, completed: 1 });
  });

  it("gives a buyer no internal field, record or count, and a viewer public data only", async () => {
    const team = await dealTeam();
    const { secret } = await dealWithSecrets(team);
    const raw = await read(team.buyer, team.room);
    expect(raw.status).toBe(200);
    expectNoInternal(raw.text, secret);
    const summary = JSON.parse(raw.text) as DealSummary;
    expect(summary.deal.purchasePrice).toBe(485_000);
    const all = await readJson<DealSummary>(team.coordinator, team.room);
    const visible = summary.counts.open + summary.counts.completed;
    expect(visible).toBeGreaterThan(0);
    expect(visible).toBeLessThan(all.counts.open + all.counts.completed);
    for (const milestone of summary.milestones) {
      expect(milestone).not.toHaveProperty("total");
      expect(milestone).not.toHaveProperty("completed");
    }

    const viewer = await readJson<DealSummary>(team.viewer, team.room);
    expect(viewer.deal).not.toHaveProperty("purchasePrice");
    expect(viewer.deal).not.toHaveProperty("financing");
    expectNoInternal(JSON.stringify(viewer), secret);
  });

  it("drops a task from a buyer's answers when un-shared, and shows it again, without notes, re-shared", async () => {
    const team = await dealTeam();
    const { secret, shared } = await dealWithSecrets(team);
    const title = "Bring a photo ID to the signing";
    const reassign = await run(team.coordinator, team.room, "deal.task.assign", {
      id: shared,
      assignee: { kind: "role", role: "buyer_agent" },
    });
    expect(reassign.status).toBe(200);
    const unshare = await run(team.coordinator, team.room, "deal.task.update", { id: shared, sharedWithBuyer: false });
    expect(unshare.status).toBe(200);
    for (const path of ["", "/timeline"]) {
      const answer = await read(team.buyer, team.room, path);
      expect(answer.text).not.toContain(title);
      expect(answer.text).not.toContain(shared);
      expectNoInternal(answer.text, secret);
    }
    const hidden = await read(team.buyer, team.room, `/tasks/${shared}`);
    const missing = await read(team.buyer, team.room, "/tasks/no-such-task");
    expect(hidden).toEqual(missing);
    expect(hidden.status).toBe(404);

    await run(team.coordinator, team.room, "deal.task.update", { id: shared, sharedWithBuyer: true });
    const again = await read(team.buyer, team.room);
    expect(again.text).toContain(title);
    expectNoInternal(again.text, secret);
    const page = await read(team.buyer, team.room, `/tasks/${shared}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(title);
    expectNoInternal(page.text, secret);
  });
});

describe("the buyer timeline", () => {
  it("shows milestones as reached, current and upcoming steps, and the caller's next tasks by due date", async () => {
    const team = await dealTeam();
    await setUpDeal(team, null, { timeZone: "UTC" });
    const milestone = async (name: string) =>
      idOf(await run(team.coordinator, team.room, "deal.milestone.create", { name }));
    const [offer, inspection, closing] = [
      await milestone("Offer"),
      await milestone("Inspection"),
      await milestone("Closing"),
    ];
    const task = async (title: string, extra: Record<string, unknown>) =>
      idOf(await run(team.coordinator, team.room, "deal.task.create", { title, ...extra }));
    const forBuyer = { sharedWithBuyer: true, assignee: { kind: "role", role: "buyer" } };
    const signed = await task("Sign the offer", { ...forBuyer, milestoneId: offer });
    await task("Pay for the inspection", { ...forBuyer, milestoneId: inspection, due: { date: dayFromToday(5) } });
    await task("Read the report", {
      sharedWithBuyer: true,
      assignee: { kind: "user", userId: team.buyer.user.id },
      milestoneId: inspection,
      due: { date: dayFromToday(2) },
    });
    await task("Order the inspection", {
      sharedWithBuyer: true,
      assignee: { kind: "role", role: "buyer_agent" },
      milestoneId: inspection,
    });
    await task("Wire the funds", { ...forBuyer, milestoneId: closing });
    await run(team.buyer, team.room, "deal.task.complete", { id: signed });

    const timeline = await readJson<DealTimeline>(team.buyer, team.room, "/timeline");
    expect(timeline.steps.map((step) => [step.name, step.status])).toEqual([
      ["Offer", "reached"],
      ["Inspection", "current"],
      ["Closing", "upcoming"],
    ]);
    expect(timeline.steps[0]?.reachedAt).toBeTypeOf("number");
    expect(timeline.steps[1]?.dueDate).toBe(dayFromToday(5));
    expect(timeline.next.map((next) => next.title)).toEqual([
      "Read the report",
      "Pay for the inspection",
      "Wire the funds",
    ]);
    expect(timeline.daysToClosing).toBe(20);
    expect(timeline.keyDates.closing).toBe(dayFromToday(20));
    const agent = await readJson<DealTimeline>(team.agent, team.room, "/timeline");
    expect(agent.next.map((next) => next.title)).toEqual(["Order the inspection"]);
  });
});

describe("a task page", () => {
  it("lists what a task waits for and what waits for it, directly and not, with titles and states", async () => {
    const team = await dealTeam();
    await setUpDeal(team, null, { timeZone: "UTC" });
    const ids: string[] = [];
    for (const title of ["Order", "Inspect", "Report", "Negotiate"]) {
      const made = await run(team.coordinator, team.room, "deal.task.create", {
        title,
        sharedWithBuyer: true,
        dependsOn: ids.slice(-1),
      });
      ids.push(idOf(made));
    }
    const [order, inspect, report, negotiate] = ids;
    await run(team.coordinator, team.room, "deal.task.complete", { id: order });
    const page = await readJson<DealTaskPage>(team.agent, team.room, `/tasks/${report}`);
    expect(page.task).toMatchObject({ id: report, title: "Report", state: "BLOCKED", dependsOn: [inspect] });
    const refs = (list: { id: string; title: string; state: string }[]) => list.map((t) => [t.title, t.state]);
    expect(refs(page.dependencies?.waitsFor.direct ?? [])).toEqual([["Inspect", "PENDING"]]);
    expect(refs(page.dependencies?.waitsFor.indirect ?? [])).toEqual([["Order", "COMPLETED"]]);
    expect(refs(page.dependencies?.neededBy.direct ?? [])).toEqual([["Negotiate", "BLOCKED"]]);
    expect(page.dependencies?.neededBy.indirect).toEqual([]);

    const buyer = await read(team.buyer, team.room, `/tasks/${report}`);
    expect(buyer.status).toBe(200);
    expect(buyer.text).not.toContain("dependencies");
    expect(buyer.text).not.toContain("dependsOn");
    expect(buyer.text).not.toContain(inspect);
    expect(buyer.text).not.toContain(negotiate);
  });
});

describe("the deal routes' opening", () => {
  it("answers 401 without a session, 404 to a non-member, for another kind and before setup", async () => {
    const team = await dealTeam();
    for (const path of ["", "/timeline", "/tasks/x"]) {
      expect((await api(`/api/rooms/${team.room.id}/deal${path}`)).status).toBe(401);
      const stranger = await signup("Sam Stranger");
      const outside = await read(stranger, team.room, path);
      expect(outside.status).toBe(404);
      expect(outside.text).toContain("room_not_found");
      const home = await createRoom(team.owner, "property", "A home");
      const wrongKind = await read(team.owner, home, path);
      expect(wrongKind.status).toBe(404);
      expect(wrongKind.text).toContain("room_not_found");
      const early = await read(team.owner, team.room, path);
      expect(early.status).toBe(404);
      expect(early.text).toContain('"not_found"');
    }
  });
});
