/**
 * The demo deal `npm start` seeds (scripts/demo-deal.ts): its plan tells the same story on any day (some tasks
 * done in dependency order, one started, one blocked, one overdue), and run against a real dev server it sets
 * the deal up half-way with its team, as read back from a team member's socket and the API; run again, it
 * changes nothing. A deal the demo did not make is left alone.
 */
import { Temporal } from "temporal-polyfill";
import { beforeAll, describe, expect, it } from "vitest";
import type { Member, Room } from "../../schema/core/api";
import { resolveDue } from "../../schema/deal/dates";
import type { Deal, DealDocument, DealTask, Milestone } from "../../schema/deal/records";
import { DEAL_TEAM, type DealSeedSummary, seedDeal } from "../../scripts/demo-deal";
import {
  BLOCKED,
  COMPLETED,
  DEMO_DEAL_TEMPLATE,
  DOCUMENT_TASK,
  dayIn,
  demoDealPlan,
  demoKeyDates,
  OVERDUE,
  STARTED,
  TEMPLATE_TASKS,
  templateTask,
} from "../../scripts/demo-deal-plan";
import { textPdf } from "../../scripts/demo-pdf";
import { connect, createRoom, type Session, signup, useDevServer, whenSynced } from "./clients";

const PASSWORD = "demo-deal-test-password";
const DAY_MS = 86_400_000;
const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

describe("the demo deal's plan", () => {
  it("on every day of the next four years: accepted 10 to 15 days ago, closing in 18, the story's dates hold", () => {
    let today = dayIn(Date.now(), timeZone);
    for (let i = 0; i < 4 * 366; i++, today = today.add({ days: 1 })) {
      const keyDates = demoKeyDates(today);
      const accepted = Temporal.PlainDate.from(keyDates.acceptance).until(today).days;
      expect(accepted).toBeGreaterThanOrEqual(10);
      expect(accepted).toBeLessThanOrEqual(15);
      expect(keyDates.closing).toBe(today.add({ days: 18 }).toString());
      const due = (key: string) => resolveDue(templateTask(key).due, keyDates);
      // Compared as YYYY-MM-DD, which sorts as the days do; a blocked or started task past due would show OVERDUE.
      expect(due(OVERDUE) < today.toString(), `${OVERDUE} past due on ${today}`).toBe(true);
      expect(due(STARTED) > today.toString(), `${STARTED} not due yet on ${today}`).toBe(true);
      expect(due(BLOCKED) > today.toString(), `${BLOCKED} not due yet on ${today}`).toBe(true);
    }
  });

  it("completes each task after everything it waits for, as its assignee's role; starts one whose work is done", () => {
    const { steps, create } = demoDealPlan(Date.now(), timeZone);
    expect(create.templateId).toBe("financed_purchase");
    const done = new Set<string>();
    for (const step of steps) {
      const task = templateTask(step.task);
      expect(
        task.dependsOn.filter((key) => !done.has(key)),
        step.label,
      ).toEqual([]);
      expect(step.as).toBe(task.assigneeRole);
      if (step.name === "deal.task.complete") done.add(step.task);
    }
    expect(steps.map((s) => s.label)).toEqual([...new Set(steps.map((s) => s.label))]);
    expect([...done]).toEqual([...COMPLETED]);
    // The first two milestones are reached; the blocked task waits for one not done; the overdue one is not done.
    for (const milestone of DEMO_DEAL_TEMPLATE.milestones.slice(0, 2))
      for (const task of milestone.tasks) expect(done.has(task.key), task.key).toBe(true);
    expect(templateTask(BLOCKED).dependsOn.some((key) => !done.has(key))).toBe(true);
    expect(done.has(OVERDUE) || done.has(STARTED) || done.has(BLOCKED)).toBe(false);
  });

  it("writes a PDF whose cross-reference table points at each of its objects", () => {
    const bytes = textPdf(["A heading (with parentheses)", "A line with a \\ backslash", "Café au lait"]);
    const text = new TextDecoder().decode(bytes);
    expect(text.startsWith("%PDF-1.4\n")).toBe(true);
    expect(text.endsWith("%%EOF\n")).toBe(true);
    const startXref = Number(/startxref\n(\d+)\n/.exec(text)?.[1]);
    expect(text.slice(startXref).startsWith("xref\n0 6\n")).toBe(true);
    const offsets = [...text.slice(startXref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    expect(offsets).toHaveLength(5);
    expect(offsets.map((offset) => text.slice(offset, text.indexOf("\n", offset)))).toEqual(
      [1, 2, 3, 4, 5].map((n) => `${n} 0 obj`),
    );
    expect(text).toContain("(A heading \\(with parentheses\\)) Tj");
    expect(text).toContain("(Caf au lait) '");
    expect(textPdf(["same"])).toEqual(textPdf(["same"]));
  });
});

const dev = useDevServer("demo-deal");
let url = "";
let owner: Session;

async function login(email: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(res.status, email).toBe(200);
  return (res.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
}

interface DealState {
  deal: Deal | undefined;
  tasks: DealTask[];
  milestones: Milestone[];
  documents: DealDocument[];
}

/** The deal as `cookie`'s socket receives it now: the coordinator's unless said otherwise. */
async function dealAs(room: Room, cookie?: string): Promise<DealState> {
  const session = { user: owner.user, cookie: cookie ?? (await login(DEAL_TEAM.transaction_coordinator.email)) };
  const provider = connect(url, session, "deal", room.id);
  try {
    await whenSynced(provider);
    const doc = provider.doc;
    return {
      deal: doc.getMap<Deal>("deal").get("info"),
      tasks: [...doc.getMap<DealTask>("tasks").values()],
      milestones: [...doc.getMap<Milestone>("milestones").values()],
      documents: [...doc.getMap<DealDocument>("documents").values()],
    };
  } finally {
    provider.destroy();
  }
}

const byKey = (state: DealState, key: string) => state.tasks.find((t) => t.title === templateTask(key).title);

/** Whether this server has the document upload route: an empty upload is refused by it, or unrouted without it. */
async function hasUploadRoute(room: Room, taskId: string): Promise<boolean> {
  const res = await fetch(`${url}/api/rooms/${room.id}/tasks/${taskId}/documents?name=empty.pdf`, {
    method: "POST",
    headers: { Cookie: owner.cookie, "Content-Type": "application/pdf" },
    body: new Uint8Array(0),
  });
  return !(res.status === 404 && (await res.text()).includes("No such route."));
}

describe("seeding the demo deal on a dev server", () => {
  let room: Room;
  let first: DealSeedSummary;
  let seeded: DealState;

  beforeAll(async () => {
    url = (await dev.start()).url;
    owner = await signup(url, "Owner");
    room = await createRoom(url, owner, "deal", "12 Elm St purchase");
  });

  it("sets the deal up from the Financed purchase template with its record and dates relative to today", async () => {
    first = await seedDeal(url, owner.cookie, room.id, PASSWORD, { timeZone });
    expect(first).toMatchObject({ created: true, seeded: true, refused: [] });
    seeded = await dealAs(room);
    const { create } = demoDealPlan(Date.now(), timeZone);
    expect(seeded.deal).toMatchObject({
      title: "12 Elm St purchase",
      address: "12 Elm St, Springfield",
      templateId: "financed_purchase",
      keyDates: create.keyDates,
      timeZone,
      purchasePrice: 485_000,
      financing: { type: "conventional", lender: "First Springfield Bank", loanAmount: 388_000 },
      commission: { percent: 2.5 },
    });
    expect(seeded.tasks).toHaveLength(TEMPLATE_TASKS.size);
    const acceptedDaysAgo = (Date.now() - Date.parse(create.keyDates.acceptance)) / DAY_MS;
    expect(acceptedDaysAgo).toBeGreaterThan(9);
    expect(acceptedDaysAgo).toBeLessThan(17);
  });

  it("is half-way: the first milestones done, one task in progress, one blocked, one overdue", () => {
    for (const key of COMPLETED) expect(byKey(seeded, key)?.state, key).toBe("COMPLETED");
    expect(byKey(seeded, STARTED)?.state).toBe("IN_PROGRESS");
    expect(byKey(seeded, BLOCKED)?.state).toBe("BLOCKED");
    expect(byKey(seeded, OVERDUE)?.state).toBe("OVERDUE");
    const reached = seeded.milestones.filter((m) => m.status === "reached").map((m) => m.name);
    expect(reached).toEqual(expect.arrayContaining(["Offer accepted", "Earnest money"]));
    expect(first.states.COMPLETED).toBe(COMPLETED.length);
    expect(first.states.IN_PROGRESS).toBe(1);
    // Each task was done by someone holding its role, not by the owner.
    const done = seeded.tasks.filter((t) => t.state === "COMPLETED").map((t) => t.completedBy);
    expect(done).not.toContain(owner.user.id);
  });

  it("gives the deal its team: each demo account signs in and holds its role", async () => {
    const members = (await (
      await fetch(`${url}/api/rooms/${room.id}/members`, { headers: { Cookie: owner.cookie } })
    ).json()) as { members: Member[] };
    expect(members.members.map((m) => [m.email, m.role]).sort()).toEqual(
      [
        [owner.user.email, "owner"],
        ...Object.entries(DEAL_TEAM).map(([role, account]) => [account.email, role]),
      ].sort(),
    );
  });

  it("leaves the inspection report waiting for review, where the upload route exists", async () => {
    const reportTask = byKey(seeded, DOCUMENT_TASK);
    if (!reportTask) throw new Error("no inspection report task");
    if (!(await hasUploadRoute(room, reportTask.id))) {
      expect(first.document).toBe("no_route");
      return;
    }
    expect(first.document).toBe("submitted");
    const onTask = seeded.documents.filter((d) => d.taskId === reportTask.id);
    expect(onTask).toHaveLength(1);
    expect(onTask[0]).toMatchObject({ status: "submitted", type: "application/pdf" });
    expect(onTask[0]?.versions).toHaveLength(1);
  });

  it("changes nothing when run again: no second deal, task, member, step or document version", async () => {
    const again = await seedDeal(url, owner.cookie, room.id, PASSWORD, { timeZone });
    expect(again).toMatchObject({ created: false, seeded: true, refused: [], document: first.document });
    const after = await dealAs(room);
    const progress = (s: DealState) => s.tasks.map((t) => [t.id, t.state, t.completedAt, t.startedAt]).sort();
    expect(progress(after)).toEqual(progress(seeded));
    expect(after.documents.map((d) => [d.id, d.versions.length])).toEqual(
      seeded.documents.map((d) => [d.id, d.versions.length]),
    );
    const { members } = (await (
      await fetch(`${url}/api/rooms/${room.id}/members`, { headers: { Cookie: owner.cookie } })
    ).json()) as { members: Member[] };
    expect(members).toHaveLength(4);
  });

  it("leaves a deal set up by hand as it is", async () => {
    const other = await createRoom(url, owner, "deal", "Someone else's deal");
    const today = dayIn(Date.now(), timeZone);
    const created = await fetch(`${url}/api/rooms/${other.id}/commands`, {
      method: "POST",
      headers: { Cookie: owner.cookie, "Content-Type": "application/json" },
      body: JSON.stringify({
        name: "deal.create",
        key: crypto.randomUUID(),
        args: {
          templateId: "cash_purchase",
          title: "4 Oak Ave purchase",
          address: "4 Oak Ave, Springfield",
          keyDates: { acceptance: today.toString(), closing: today.add({ days: 21 }).toString() },
        },
      }),
    });
    expect(created.status).toBe(200);
    const before = await dealAs(other, owner.cookie);
    const summary = await seedDeal(url, owner.cookie, other.id, PASSWORD, { timeZone });
    expect(summary).toMatchObject({ created: false, seeded: false, document: "skipped" });
    const after = await dealAs(other, owner.cookie);
    expect(after.deal?.title).toBe("4 Oak Ave purchase");
    expect(after.tasks.map((t) => [t.id, t.state])).toEqual(before.tasks.map((t) => [t.id, t.state]));
    expect(after.documents).toEqual([]);
  });
});
