/**
 * Undo of "Done": its completer takes a completion back, and the task is exactly as before (due again, its
 * history without the entry); anyone else, a repeat, a task that moved on and bad arguments are refused,
 * changing nothing. The time window is unit-tested with the clock passed in (rooms/property/undo.test.ts).
 */
import { describe, expect, it } from "vitest";
import type { Completion } from "../../../schema/property/records";
import { addDays, localDate } from "../../../schema/property/recurrence";
import { type Account, addMember, api, createRoom, type ErrorJson, json, signup } from "../helpers";

const today = () => localDate(Date.now(), "UTC");

function commander(roomId: string, who: Account) {
  return async (name: string, args: unknown) =>
    api(`/api/rooms/${roomId}/commands`, { cookie: who.cookie, body: { name, args, key: crypto.randomUUID() } });
}

async function doneTask() {
  const alice = await signup("Alice");
  const room = await createRoom(alice, "property", "Maple Street");
  const run = commander(room.id, alice);
  const created = await run("task.create", {
    title: "Test the smoke alarms",
    schedule: { type: "calendar", rrule: "FREQ=MONTHLY", start: today() },
  });
  const id = (await json<{ result: { id: string } }>(created)).result.id;
  const done = await run("task.complete", { id, occurrence: today(), note: "all beep" });
  expect(done.status).toBe(200);
  const answer = (await json<{ result: { completionId: string; nextDue: string } }>(done)).result;
  expect(answer.nextDue > today()).toBe(true);
  const history = async () =>
    (
      await json<{ entries: Completion[] }>(
        await api(`/api/rooms/${room.id}/tasks/${id}/history`, { cookie: alice.cookie }),
      )
    ).entries;
  return { alice, room, run, id, completionId: answer.completionId, nextDue: answer.nextDue, history };
}

describe("undo of a completion", () => {
  it("puts the task back as it was, due again, with the entry gone from its history", async () => {
    const { run, id, completionId, history } = await doneTask();
    expect(await history()).toHaveLength(1);
    const undone = await run("task.undo_complete", { id, completionId });
    expect(undone.status).toBe(200);
    expect((await json<{ result: { nextDue: string } }>(undone)).result.nextDue).toBe(today());
    expect(await history()).toHaveLength(0);
    expect((await run("task.undo_complete", { id, completionId })).status).toBe(404);
    // Due today again: the same occurrence can be marked done once more.
    expect((await run("task.complete", { id, occurrence: today() })).status).toBe(200);
  });

  it("refuses anyone but the completer, a task that moved on and bad arguments, changing nothing", async () => {
    const { alice, room, run, id, completionId, nextDue, history } = await doneTask();
    const editor = await addMember(alice, room, "editor", "Eve");
    const viewer = await addMember(alice, room, "viewer", "Vic");
    const asEditor = await commander(room.id, editor)("task.undo_complete", { id, completionId });
    expect(asEditor.status).toBe(403);
    expect((await json<ErrorJson>(asEditor)).error.message).toMatch(/person who marked it done/);
    expect((await commander(room.id, viewer)("task.undo_complete", { id, completionId })).status).toBe(403);
    for (const args of [
      {},
      { id },
      { id, completionId: "not a uuid" },
      { id, completionId, extra: 1 },
      { id, completionId: "x".repeat(10_000) },
    ])
      expect((await run("task.undo_complete", args)).status).toBe(400);
    expect((await run("task.undo_complete", { id, completionId: crypto.randomUUID() })).status).toBe(404);
    expect(await history()).toHaveLength(1);

    // Snoozed since: undoing would lose the snooze, so it is refused.
    const snoozed = await run("task.snooze", { id, occurrence: nextDue, until: addDays(nextDue, 3) });
    expect(snoozed.status).toBe(200);
    const late = await run("task.undo_complete", { id, completionId });
    expect(late.status).toBe(409);
    expect((await json<ErrorJson>(late)).error.message).toMatch(/changed since/);
    expect(await history()).toHaveLength(1);
  });
});
