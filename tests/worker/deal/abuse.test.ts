/**
 * A deal room under abuse: forged roles, oversized and malformed arguments, repeated keys, a flood, dependencies past
 * the limits or into another deal, a deal full of tasks, and a socket writing task state into the document itself.
 * Each is a clear typed error and changes nothing.
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { COMMAND_BURST_PER_USER, MAX_DEPENDENCIES_PER_TASK, MAX_TASKS_PER_DEAL } from "../../../config";
import type { Room } from "../../../schema/core/api";
import { NOTICE_PREFIX } from "../../../schema/core/messages";
import { MAX_DEAL_TEXT_CHARS } from "../../../schema/deal/commands";
import type { DealTask } from "../../../schema/deal/records";
import { api, RoomClient, waitFor } from "../helpers";
import { dealCounts, dealStub, dealTeam, newKey, run, setUpDeal, tasksOf } from "./deal-helpers";

async function readyDeal() {
  const team = await dealTeam();
  await setUpDeal(team, null);
  return team;
}

/** Tasks written straight into the deal's SQLite (`t0`…), as many as a test needs without a command each. */
function insertTasks(room: Room, n: number, prefix = "t") {
  return runInDurableObject(dealStub(room), (_instance, state) => {
    const now = Date.now();
    for (let i = 0; i < n; i++)
      state.storage.sql.exec(
        "INSERT INTO deal_tasks (id, ord, title, description, notes, shared_with_buyer, document_requested, " +
          "created_at, updated_at) VALUES (?, ?, ?, '', '', 0, 0, ?, ?)",
        `${prefix}${i}`,
        1000 + i,
        `Bulk ${i}`,
        now,
        now,
      );
  });
}

describe("deal commands under abuse", () => {
  it("refuses a role forged into a command's arguments, and ignores one forged into its envelope", async () => {
    const team = await readyDeal();
    const task = await run(team.coordinator, team.room, "deal.task.create", { title: "Order appraisal" });
    const id = task.body.result?.id as string;
    const before = await dealCounts(team.room);
    const forged = await run(team.agent, team.room, "deal.task.create", { title: "Mine now", role: "admin" });
    expect(forged.status).toBe(400);
    expect(forged.body.error?.code).toBe("validation_failed");
    const asCoordinator = await run(team.buyer, team.room, "deal.task.reopen", {
      id,
      actor: { role: "transaction_coordinator" },
    });
    expect(asCoordinator.status).toBe(403);
    // The envelope's extra fields are not read: the role is the one the Worker verified.
    const res = await api(`/api/rooms/${team.room.id}/commands`, {
      cookie: team.buyer.cookie,
      body: { name: "deal.task.delete", args: { id }, key: newKey(), role: "owner", actor: team.owner.user.id },
    });
    expect(res.status).toBe(403);
    expect(await dealCounts(team.room)).toEqual(before);
  });

  it("refuses an oversized title or notes and malformed ids, changing nothing", async () => {
    const team = await readyDeal();
    const before = await dealCounts(team.room);
    const bad = [
      { title: "x".repeat(121) },
      { title: "Two\nlines" },
      { title: "Notes", notes: "n".repeat(MAX_DEAL_TEXT_CHARS + 1) },
      { title: "Id", id: "../../etc/passwd" },
      { title: "Id", id: "x".repeat(65) },
      { title: "Milestone", milestoneId: "has space" },
      { title: "Deps", dependsOn: ["ok", "not ok"] },
      { title: 42 },
    ];
    for (const args of bad) {
      const answer = await run(team.coordinator, team.room, "deal.task.create", args);
      expect(answer.status, JSON.stringify(args).slice(0, 80)).toBe(400);
      expect(answer.body.error?.code).toBe("validation_failed");
      expect(answer.body.error?.details).toHaveProperty("fields");
    }
    for (const id of ["", "a/b", "x".repeat(65), 7, null]) {
      const answer = await run(team.coordinator, team.room, "deal.task.complete", { id });
      expect(answer.status, String(id)).toBe(400);
    }
    expect(await dealCounts(team.room)).toEqual(before);
  });

  it("runs a repeated key once, and refuses the key with other arguments as key_reused", async () => {
    const team = await readyDeal();
    const key = newKey();
    const first = await run(team.coordinator, team.room, "deal.task.create", { title: "Book movers" }, key);
    const again = await run(team.coordinator, team.room, "deal.task.create", { title: "Book movers" }, key);
    expect(first.body.replayed).toBe(false);
    expect(again.body).toEqual({ result: first.body.result, replayed: true });
    const other = await run(team.coordinator, team.room, "deal.task.create", { title: "Book a van" }, key);
    expect(other.status).toBe(409);
    expect(other.body.error?.code).toBe("key_reused");
    // Another person's command under the same key is not theirs to replay either.
    const theirs = await run(team.agent, team.room, "deal.task.create", { title: "Book movers" }, key);
    expect(theirs.body.error?.code).toBe("key_reused");
    expect((await tasksOf(team)).map((t) => t.title)).toEqual(["Book movers"]);
  });

  it("answers a flood past a person's allowance with rate_limited, over the socket and HTTP", async () => {
    const team = await readyDeal();
    const client = await RoomClient.connect("deal", team.room.id, team.buyer.cookie);
    // Well past the burst even while it refills on a slow machine.
    const total = 2 * COMMAND_BURST_PER_USER + 500;
    // Commands refused before any storage is read (a buyer deleting): the allowance is charged before anything else.
    const frame = (id: number) =>
      JSON.stringify({ type: "command", id, name: "deal.task.delete", args: { id: "gone" }, key: newKey() });
    for (let i = 0; i < total; i++) client.send(`${NOTICE_PREFIX}${frame(i)}`);
    const answers = () =>
      client.texts
        .filter((text) => text.includes('"command_result"'))
        .map((text) => JSON.parse(text.slice(NOTICE_PREFIX.length)) as { error?: { code: string } });
    await waitFor(() => answers().length === total, "every command answered", 100_000);
    const limited = answers().filter((a) => a.error?.code === "rate_limited").length;
    expect(limited).toBeGreaterThan(0);
    expect(answers().filter((a) => a.error?.code !== "rate_limited" && a.error?.code !== "forbidden")).toEqual([]);
    expect(client.closed).toBeNull();
    const res = await api(`/api/rooms/${team.room.id}/commands`, {
      cookie: team.buyer.cookie,
      body: { name: "deal.task.delete", args: { id: "gone" }, key: newKey() },
    });
    // The socket and HTTP share one allowance; it refills at its rate, so by now it may have room again.
    expect([429, 403]).toContain(res.status);
    if (res.status === 429) expect(res.headers.get("Retry-After")).toBe("1");
    client.close();
  }, 150_000);

  it("refuses a dependency on a task of another deal, when adding one and when creating a task", async () => {
    const team = await readyDeal();
    const other = await readyDeal();
    const foreign = await run(other.coordinator, other.room, "deal.task.create", { title: "Elsewhere" });
    const foreignId = foreign.body.result?.id as string;
    const mine = await run(team.coordinator, team.room, "deal.task.create", { title: "Here" });
    const before = await dealCounts(team.room);
    const add = await run(team.coordinator, team.room, "deal.dependency.add", {
      taskId: mine.body.result?.id,
      dependsOn: foreignId,
    });
    expect(add.status).toBe(404);
    expect(add.body.error?.code).toBe("not_found");
    const create = await run(team.coordinator, team.room, "deal.task.create", {
      title: "Waits elsewhere",
      dependsOn: [foreignId],
    });
    expect(create.status).toBe(404);
    expect(await dealCounts(team.room)).toEqual(before);
  });

  it(`refuses a task's dependency number ${MAX_DEPENDENCIES_PER_TASK + 1}`, async () => {
    const team = await readyDeal();
    const made = await run(team.coordinator, team.room, "deal.task.create", { title: "Close" });
    const id = made.body.result?.id as string;
    await insertTasks(team.room, MAX_DEPENDENCIES_PER_TASK + 1);
    await runInDurableObject(dealStub(team.room), (_instance, state) => {
      for (let i = 0; i < MAX_DEPENDENCIES_PER_TASK; i++)
        state.storage.sql.exec("INSERT INTO deal_dependencies (task_id, depends_on) VALUES (?, ?)", id, `t${i}`);
    });
    const before = await dealCounts(team.room);
    const extra = await run(team.coordinator, team.room, "deal.dependency.add", {
      taskId: id,
      dependsOn: `t${MAX_DEPENDENCIES_PER_TASK}`,
    });
    expect(extra.status).toBe(413);
    expect(extra.body.error?.code).toBe("quota_exceeded");
    expect(extra.body.error?.message).toContain(String(MAX_DEPENDENCIES_PER_TASK));
    const ids = Array.from({ length: MAX_DEPENDENCIES_PER_TASK + 1 }, (_, i) => `t${i}`);
    const atCreate = await run(team.coordinator, team.room, "deal.task.create", { title: "Many", dependsOn: ids });
    expect(atCreate.status).toBe(400);
    expect(await dealCounts(team.room)).toEqual(before);
  });

  it(`refuses task number ${MAX_TASKS_PER_DEAL + 1} of a deal`, async () => {
    const team = await readyDeal();
    await insertTasks(team.room, MAX_TASKS_PER_DEAL - 1);
    const last = await run(team.coordinator, team.room, "deal.task.create", { title: "The last one" });
    expect(last.status).toBe(200);
    const before = await dealCounts(team.room);
    expect(before.tasks).toBe(MAX_TASKS_PER_DEAL);
    const over = await run(team.coordinator, team.room, "deal.task.create", { title: "One too many" });
    expect(over.status).toBe(413);
    expect(over.body.error?.code).toBe("quota_exceeded");
    expect(over.body.error?.message).toContain(String(MAX_TASKS_PER_DEAL));
    expect(await dealCounts(team.room)).toEqual(before);
  });

  it("removes a dependency once: a second removal answers that there was none", async () => {
    const team = await readyDeal();
    const a = await run(team.coordinator, team.room, "deal.task.create", { title: "A" });
    const b = await run(team.coordinator, team.room, "deal.task.create", {
      title: "B",
      dependsOn: [a.body.result?.id],
    });
    const edge = { taskId: b.body.result?.id, dependsOn: a.body.result?.id };
    expect((await run(team.coordinator, team.room, "deal.dependency.remove", edge)).body.result).toEqual({
      removed: true,
    });
    expect((await run(team.coordinator, team.room, "deal.dependency.remove", edge)).body.result).toEqual({
      removed: false,
    });
    expect((await dealCounts(team.room)).dependencies).toBe(0);
  });

  it("refuses an agent's socket writing the tasks root directly, whole, and tells it server_owned", async () => {
    const team = await readyDeal();
    const made = await run(team.coordinator, team.room, "deal.task.create", { title: "Inspect the roof" });
    const id = made.body.result?.id as string;
    const client = await RoomClient.connect("deal", team.room.id, team.agent.cookie);
    const tasks = client.doc.getMap<DealTask>("tasks");
    await waitFor(() => tasks.has(id), "the task mirrored");
    const before = await dealCounts(team.room);
    // One update that marks the task complete, adds a forged one, and writes a checklist (which alone would pass).
    client.doc.transact(() => {
      tasks.set(id, { ...(tasks.get(id) as DealTask), state: "COMPLETED", completedAt: Date.now() });
      tasks.set("forged", { ...(tasks.get(id) as DealTask), id: "forged" });
      client.doc.getMap("checklists").set("sneaky", new Y.Map());
    });
    await waitFor(
      () => client.notices.some((n) => n.type === "rejected" && n.reason === "server_owned"),
      "the refusal",
    );
    client.close();
    const fresh = await RoomClient.connect("deal", team.room.id, team.coordinator.cookie);
    expect(fresh.doc.getMap<DealTask>("tasks").get(id)?.state).toBe("PENDING");
    expect(fresh.doc.getMap<DealTask>("tasks").has("forged")).toBe(false);
    expect(fresh.doc.getMap("checklists").has("sneaky")).toBe(false);
    fresh.close();
    expect(await dealCounts(team.room)).toEqual(before);
  });
});
