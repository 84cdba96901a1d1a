/**
 * The deal's own commands in its audit chain: one entry per command run over HTTP or the socket, with the caller's
 * role and address and each changed field before and after (unblocked dependents too); refused commands leave
 * none; the activity feed reaches the team's document and never a buyer's.
 */
import { describe, expect, it } from "vitest";
import { NOTICE_PREFIX } from "../../../schema/core/messages";
import type { DealTask } from "../../../schema/deal/records";
import { api, RoomClient, upgrade, waitFor } from "../helpers";
import { auditRows, bodyText, checkAlone, exportText, head, verify } from "./audit-helpers";
import { type DealTeam, dealTeam, newKey, run, setUpDeal, tasksOf } from "./deal-helpers";

type Change = { subject: string; field: string; before: unknown; after: unknown };
const changesOf = (row: Record<string, unknown> | undefined): Change[] => JSON.parse(String(row?.changes)) as Change[];

/** An empty deal with a task and one that waits for it. */
async function pair(team: DealTeam): Promise<{ first: DealTask; dependent: DealTask }> {
  await setUpDeal(team, null);
  const a = await run(team.coordinator, team.room, "deal.task.create", { title: "Order inspection" });
  const aId = a.body.result?.id as string;
  await run(team.coordinator, team.room, "deal.task.create", { title: "Review report", dependsOn: [aId] });
  const tasks = await tasksOf(team);
  const first = tasks.find((task) => task.id === aId);
  const dependent = tasks.find((task) => task.dependsOn.includes(aId));
  if (!first || !dependent) throw new Error("the two tasks were not created");
  return { first, dependent };
}

describe("deal commands in the audit chain", () => {
  it("records each with who, role, address and the fields before and after, unblocked dependents too", async () => {
    const team = await dealTeam();
    const { first, dependent } = await pair(team);
    expect(dependent.state).toBe("BLOCKED");
    const complete = await api(`/api/rooms/${team.room.id}/commands`, {
      cookie: team.coordinator.cookie,
      body: { name: "deal.task.complete", args: { id: first.id }, key: newKey() },
      ip: "198.51.100.9",
    });
    expect(complete.status).toBe(200);

    const rows = await auditRows(team.room);
    expect(rows.map((row) => row.command)).toEqual([
      "deal.create",
      "deal.task.create",
      "deal.task.create",
      "deal.task.complete",
    ]);
    const [created, , , completed] = rows;
    expect(created).toMatchObject({ role: "transaction_coordinator", actor: team.coordinator.user.id });
    expect(created?.ip).toMatch(/^10\./);
    expect(changesOf(created)).toContainEqual({
      subject: "deal",
      field: "address",
      before: null,
      after: "12 Elm St, Springfield",
    });
    expect(changesOf(rows[1])).toContainEqual({
      subject: `task:${first.id}`,
      field: "title",
      before: null,
      after: "Order inspection",
    });
    expect(rows[1]?.summary).toBe("Order inspection");
    expect(completed).toMatchObject({ ip: "198.51.100.9", subject: `task:${first.id}`, summary: first.title });
    const changes = changesOf(completed);
    expect(changes).toContainEqual({
      subject: `task:${first.id}`,
      field: "state",
      before: "PENDING",
      after: "COMPLETED",
    });
    expect(changes).toContainEqual({
      subject: `task:${dependent.id}`,
      field: "state",
      before: "BLOCKED",
      after: "PENDING",
    });
    // Only what changed: the completed task's title is not in it.
    expect(changes.some((c) => c.subject === `task:${first.id}` && c.field === "title")).toBe(false);

    expect(await verify(team.room, team.admin)).toMatchObject({ ok: true, count: 4 });
    const exported = await bodyText(await exportText(team.room, team.owner, "jsonl"));
    expect(checkAlone(exported, (await head(team.room, team.owner)).hash)).toMatchObject({ ok: true, count: 4 });
  });

  it("leaves no entry for a refused command, and one entry for a command retried with its key", async () => {
    const team = await dealTeam();
    await setUpDeal(team);
    const refused = await run(team.buyer, team.room, "deal.task.create", { title: "Sneaky" });
    expect(refused.status).toBe(403);
    const badDate = await run(team.coordinator, team.room, "deal.key_dates", { closing: "2000-01-01" });
    expect(badDate.status).toBeGreaterThanOrEqual(400);
    const key = newKey();
    expect((await run(team.agent, team.room, "deal.task.create", { title: "Order survey" }, key)).status).toBe(200);
    expect((await run(team.agent, team.room, "deal.task.create", { title: "Order survey" }, key)).body.replayed).toBe(
      true,
    );
    const rows = await auditRows(team.room);
    expect(rows.map((row) => `${row.command} ${row.role}`)).toEqual([
      "deal.create transaction_coordinator",
      "deal.task.create buyer_agent",
    ]);
    expect(rows[1]?.summary).toBe("Order survey");
  });

  it("records a command sent over the socket with the socket's address", async () => {
    const team = await dealTeam();
    const { first } = await pair(team);
    const res = await upgrade(`/parties/deal/${team.room.id}?notices=1`, {
      cookie: team.coordinator.cookie,
      headers: { "CF-Connecting-IP": "2001:db8::42" },
    });
    const socket = res.webSocket;
    if (!socket) throw new Error(`no socket: ${res.status}`);
    socket.accept();
    const texts: string[] = [];
    socket.addEventListener("message", (event) => {
      if (typeof event.data === "string") texts.push(event.data);
    });
    const frame = { type: "command", id: 1, name: "deal.task.start", args: { id: first.id }, key: newKey() };
    socket.send(`${NOTICE_PREFIX}${JSON.stringify(frame)}`);
    await waitFor(() => texts.some((text) => text.includes('"command_result"')), "the command's answer");
    socket.close();
    const rows = await auditRows(team.room);
    expect(rows.at(-1)).toMatchObject({
      command: "deal.task.start",
      ip: "2001:db8::42",
      role: "transaction_coordinator",
    });
  });

  it("shows the activity feed to the team and never in a buyer's document", async () => {
    const team = await dealTeam();
    const coordinator = await RoomClient.connect("deal", team.room.id, team.coordinator.cookie);
    const buyer = await RoomClient.connect("deal", team.room.id, team.buyer.cookie);
    await setUpDeal(team);
    await run(team.agent, team.room, "deal.task.create", { title: "Order survey", sharedWithBuyer: true });
    const activity = coordinator.doc.getMap("activity");
    await waitFor(() => activity.size === 2, "two activity entries for the team");
    await waitFor(() => buyer.doc.getMap("tasks").size > 0, "the buyer's projection");
    expect(buyer.doc.getMap("activity").size).toBe(0);
    expect(buyer.texts.join("")).not.toContain("deal.task.create");
    coordinator.close();
    buyer.close();
  });
});
