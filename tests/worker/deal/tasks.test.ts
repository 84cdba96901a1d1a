import { describe, expect, it } from "vitest";
import { resolveDue } from "../../../schema/deal/dates";
import type { Deal, DealTask, Milestone } from "../../../schema/deal/records";
import { RoomClient, waitFor } from "../helpers";
import { dayFromToday, dealCounts, dealTeam, run, setUpDeal, tasksOf, taskTitled } from "./deal-helpers";

const fail = (): never => {
  throw new Error("missing");
};

const byTitle = (tasks: DealTask[], title: string) => {
  const task = tasks.find((t) => t.title === title);
  if (!task) throw new Error(`no task ${title}`);
  return task;
};

describe("deal setup", () => {
  it("lays out the Financed purchase template with due dates from the key dates", async () => {
    const team = await dealTeam();
    const answer = await setUpDeal(team);
    expect(answer.body.result).toEqual({ tasks: 41 });
    const client = await RoomClient.connect("deal", team.room.id, team.coordinator.cookie);
    const deal = client.doc.getMap<Deal>("deal").get("info");
    expect(deal).toMatchObject({ title: "12 Elm St purchase", status: "open", purchasePrice: 485_000 });
    expect(deal?.stage).toBe("Offer accepted");
    const milestones = [...client.doc.getMap<Milestone>("milestones").values()].sort((a, b) => a.order - b.order);
    expect(milestones.map((m) => m.name)).toContain("Inspection");
    expect(milestones).toHaveLength(8);
    const tasks = [...client.doc.getMap<DealTask>("tasks").values()];
    expect(tasks).toHaveLength(41);
    const openEscrow = byTitle(tasks, "Open escrow with the title company");
    const intro = byTitle(tasks, "Introduce buyer, lender, escrow and agents");
    expect(intro.dependsOn).toEqual([openEscrow.id]);
    expect(intro.state).toBe("OVERDUE");
    expect(intro.blocked).toBe(true);
    const walk = byTitle(tasks, "Do the final walk-through");
    expect(walk.due).toEqual({ anchor: "closing", offset: -1, unit: "business_days" });
    expect(walk.dueDate).toBe(resolveDue(walk.due ?? fail(), deal?.keyDates ?? fail()));
    client.socket.close();
  });

  it("creates an empty deal; refuses a second setup, an unknown template, closing before acceptance", async () => {
    const team = await dealTeam();
    expect((await setUpDeal(team, null)).body.result).toEqual({ tasks: 0 });
    const again = await setUpDeal(team).catch((err: Error) => err.message);
    expect(again).toContain("conflict");
    const other = await dealTeam();
    const unknown = await run(other.coordinator, other.room, "deal.create", {
      templateId: "no_such",
      title: "X",
      address: "1 A St",
      keyDates: { acceptance: dayFromToday(0), closing: dayFromToday(30) },
    });
    expect(unknown.body.error?.code).toBe("validation_failed");
    const backwards = await run(other.coordinator, other.room, "deal.create", {
      templateId: null,
      title: "X",
      address: "1 A St",
      keyDates: { acceptance: dayFromToday(30), closing: dayFromToday(0) },
    });
    expect(backwards.status).toBe(400);
    expect(JSON.stringify(backwards.body.error)).toContain("before the offer was accepted");
    expect(await dealCounts(other.room)).toMatchObject({ tasks: 0, milestones: 0 });
  });

  it("moves every relative due date when a key date moves, on every open screen", async () => {
    const team = await dealTeam();
    await setUpDeal(team);
    const agentScreen = await RoomClient.connect("deal", team.room.id, team.agent.cookie);
    const walk = await taskTitled(team, "Do the final walk-through");
    const closing = dayFromToday(27);
    const moved = await run(team.coordinator, team.room, "deal.key_dates", { closing });
    expect(moved.status).toBe(200);
    expect(moved.body.result?.movedTasks).toBeGreaterThan(5);
    const expected = resolveDue(walk.due ?? fail(), { acceptance: dayFromToday(-10), closing });
    await waitFor(
      () => agentScreen.doc.getMap<DealTask>("tasks").get(walk.id)?.dueDate === expected,
      "the walk-through's due date to move on the agent's screen",
    );
    expect(agentScreen.doc.getMap<Deal>("deal").get("info")?.keyDates.closing).toBe(closing);
    const refused = await run(team.coordinator, team.room, "deal.key_dates", { closing: dayFromToday(-30) });
    expect(refused.body.error?.code).toBe("validation_failed");
    expect((await taskTitled(team, "Do the final walk-through")).dueDate).toBe(expected);
    agentScreen.socket.close();
  });
});

describe("deal tasks", () => {
  it("refuses to complete a blocked task, and completing its dependency unblocks it at once", async () => {
    const team = await dealTeam();
    await setUpDeal(team, null);
    const a = await run(team.coordinator, team.room, "deal.task.create", { title: "Order inspection" });
    const aId = a.body.result?.id as string;
    const b = await run(team.coordinator, team.room, "deal.task.create", { title: "Review report", dependsOn: [aId] });
    const bId = b.body.result?.id as string;
    const screen = await RoomClient.connect("deal", team.room.id, team.agent.cookie);
    expect(screen.doc.getMap<DealTask>("tasks").get(bId)?.state).toBe("BLOCKED");
    const early = await run(team.coordinator, team.room, "deal.task.complete", { id: bId });
    expect(early.status).toBe(409);
    expect(early.body.error?.message).toContain('"Order inspection"');
    expect((await taskTitled(team, "Review report")).completedAt).toBeNull();

    const done = await run(team.coordinator, team.room, "deal.task.complete", { id: aId });
    expect(done.body.result).toEqual({ id: aId, state: "COMPLETED" });
    await waitFor(() => screen.doc.getMap<DealTask>("tasks").get(bId)?.state === "PENDING", "B unblocked");

    const reopened = await run(team.coordinator, team.room, "deal.task.reopen", { id: aId });
    expect(reopened.body.result?.state).toBe("PENDING");
    await waitFor(() => screen.doc.getMap<DealTask>("tasks").get(bId)?.state === "BLOCKED", "B re-blocked");
    screen.socket.close();
  });

  it("refuses a dependency that closes a cycle, naming it, and one on a task of another deal", async () => {
    const team = await dealTeam();
    await setUpDeal(team, null);
    const ids: string[] = [];
    for (const title of ["One", "Two", "Three"]) {
      const made = await run(team.coordinator, team.room, "deal.task.create", {
        title,
        dependsOn: ids.slice(-1),
      });
      ids.push(made.body.result?.id as string);
    }
    const before = await dealCounts(team.room);
    const cycle = await run(team.coordinator, team.room, "deal.dependency.add", {
      taskId: ids[0],
      dependsOn: ids[2],
    });
    expect(cycle.status).toBe(409);
    expect(cycle.body.error?.message).toMatch(/"One".*"Three".*"Two".*"One"|cycle/);
    const self = await run(team.coordinator, team.room, "deal.dependency.add", { taskId: ids[0], dependsOn: ids[0] });
    expect(self.status).toBe(409);
    const other = await dealTeam();
    await setUpDeal(other, null);
    const foreign = await run(other.coordinator, other.room, "deal.task.create", { title: "Elsewhere" });
    const cross = await run(team.coordinator, team.room, "deal.dependency.add", {
      taskId: ids[0],
      dependsOn: foreign.body.result?.id,
    });
    expect(cross.status).toBe(404);
    expect((await dealCounts(team.room)).dependencies).toBe(before.dependencies);
  });

  it("reaches a milestone when its tasks are complete", async () => {
    const team = await dealTeam();
    await setUpDeal(team, null);
    const milestone = await run(team.coordinator, team.room, "deal.milestone.create", { name: "Inspection" });
    const milestoneId = milestone.body.result?.id as string;
    const task = await run(team.coordinator, team.room, "deal.task.create", { title: "Inspect", milestoneId });
    const screen = await RoomClient.connect("deal", team.room.id, team.buyer.cookie);
    expect(screen.doc.getMap<Milestone>("milestones").get(milestoneId)?.status).toBe("pending");
    await run(team.coordinator, team.room, "deal.task.complete", { id: task.body.result?.id });
    await waitFor(
      () => screen.doc.getMap<Milestone>("milestones").get(milestoneId)?.status === "reached",
      "the milestone reached on the buyer's screen",
    );
    expect(screen.doc.getMap<Deal>("deal").get("info")?.stage).toBe("Inspection");
    screen.socket.close();
  });

  it("lets a buyer complete only the tasks assigned to them, and hides unshared tasks as if missing", async () => {
    const team = await dealTeam();
    await setUpDeal(team, null);
    const mine = await run(team.coordinator, team.room, "deal.task.create", {
      title: "Sign disclosures",
      sharedWithBuyer: true,
      assignee: { kind: "role", role: "buyer" },
    });
    const theirs = await run(team.coordinator, team.room, "deal.task.create", {
      title: "Shared, agent's",
      sharedWithBuyer: true,
      assignee: { kind: "role", role: "buyer_agent" },
    });
    const hidden = await run(team.coordinator, team.room, "deal.task.create", { title: "Commission split" });
    const notMine = await run(team.buyer, team.room, "deal.task.complete", { id: theirs.body.result?.id });
    expect(notMine.status).toBe(403);
    const unseen = await run(team.buyer, team.room, "deal.task.complete", { id: hidden.body.result?.id });
    const missing = await run(team.buyer, team.room, "deal.task.complete", { id: "no-such-task" });
    expect(unseen.status).toBe(404);
    expect(unseen.body).toEqual(missing.body);
    const ok = await run(team.buyer, team.room, "deal.task.complete", { id: mine.body.result?.id });
    expect(ok.body.result?.state).toBe("COMPLETED");
    const create = await run(team.buyer, team.room, "deal.task.create", { title: "Sneaky" });
    expect(create.status).toBe(403);
  });

  it("refuses to assign an unshared task to the buyer, or to someone who is not a member", async () => {
    const team = await dealTeam();
    await setUpDeal(team, null);
    const task = await run(team.agent, team.room, "deal.task.create", { title: "Internal" });
    const id = task.body.result?.id as string;
    const toBuyer = await run(team.agent, team.room, "deal.task.assign", {
      id,
      assignee: { kind: "user", userId: team.buyer.user.id },
    });
    expect(toBuyer.status).toBe(400);
    expect(toBuyer.body.error?.message).toContain("Share the task");
    const stranger = await run(team.agent, team.room, "deal.task.assign", {
      id,
      assignee: { kind: "user", userId: "u-stranger" },
    });
    expect(stranger.status).toBe(400);
    const toCoordinator = await run(team.agent, team.room, "deal.task.assign", {
      id,
      assignee: { kind: "user", userId: team.coordinator.user.id },
    });
    expect(toCoordinator.status).toBe(200);
    const tasks = await tasksOf(team);
    expect(tasks[0]?.assignee).toEqual({ kind: "user", userId: team.coordinator.user.id, name: "Tess Coordinator" });
  });
});
