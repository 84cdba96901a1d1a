import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Room } from "../../../schema/core/api";
import { NOTICE_PREFIX } from "../../../schema/core/messages";
import { addDays, localDate } from "../../../schema/property/recurrence";
import {
  type Account,
  addMember,
  api,
  createRoom,
  type ErrorJson,
  json,
  RoomClient,
  signup,
  waitFor,
} from "../helpers";

const today = () => localDate(Date.now(), "UTC");
const newKey = () => `k-${crypto.randomUUID()}`;

async function run(account: Account, room: Room, name: string, args: unknown) {
  const res = await api(`/api/rooms/${room.id}/commands`, {
    cookie: account.cookie,
    body: { name, args, key: newKey() },
  });
  return { status: res.status, body: await json<{ result: Record<string, unknown> } & Partial<ErrorJson>>(res) };
}

async function completions(room: Room): Promise<number> {
  return runInDurableObject(
    env.property.get(env.property.idFromName(room.id)),
    (_i, state) => state.storage.sql.exec("SELECT count(*) AS n FROM completions").one().n as number,
  );
}

const weekly = () => ({ type: "calendar", rrule: "FREQ=WEEKLY", start: addDays(today(), -3) });

describe("task rules a hostile member tried", () => {
  it("closes an occurrence once when two people complete it at once: occurrence is required", async () => {
    const alice = await signup("Alice");
    const room = await createRoom(alice, "property", "Twice");
    const bob = await addMember(alice, room, "editor", "Bob");
    const created = await run(alice, room, "task.create", { title: "Water plants", schedule: weekly() });
    const id = created.body.result.id as string;

    const bare = await run(alice, room, "task.complete", { id });
    expect([bare.status, bare.body.error?.code]).toEqual([400, "validation_failed"]);
    expect(JSON.stringify(bare.body.error?.details)).toContain("occurrence");
    expect((await run(alice, room, "task.skip", { id, reason: "rain" })).status).toBe(400);
    expect((await run(alice, room, "task.snooze", { id, until: addDays(today(), 30) })).status).toBe(400);

    const occurrence = addDays(today(), -3);
    const both = await Promise.all([
      run(alice, room, "task.complete", { id, occurrence }),
      run(bob, room, "task.complete", { id, occurrence }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await completions(room)).toBe(1);
  });

  it("refuses a snooze that would bring the due date forward, and changes nothing", async () => {
    const alice = await signup("Alice");
    const room = await createRoom(alice, "property", "Snooze");
    const due = addDays(today(), 10);
    const created = await run(alice, room, "task.create", {
      title: "Service boiler",
      schedule: { type: "once", date: due },
    });
    const id = created.body.result.id as string;
    for (const until of [addDays(today(), 3), due]) {
      const earlier = await run(alice, room, "task.snooze", { id, occurrence: due, until });
      expect([earlier.status, earlier.body.error?.code]).toEqual([400, "validation_failed"]);
      expect(earlier.body.error?.details).toMatchObject({ nextDue: due });
    }
    const later = await run(alice, room, "task.snooze", { id, occurrence: due, until: addDays(due, 5) });
    expect(later.body.result).toMatchObject({ nextDue: addDays(due, 5) });
  });

  it("assigns a task only to a member of the home, over HTTP and the socket alike", async () => {
    const alice = await signup("Alice");
    const room = await createRoom(alice, "property", "Assign");
    const bob = await addMember(alice, room, "editor", "Bob");
    const stranger = await signup("Stranger");
    const schedule = { type: "once", date: addDays(today(), 5) };
    for (const assignee of [stranger.user.id, "made-up-user"]) {
      const refused = await run(alice, room, "task.create", { title: "Mow", assignee, schedule });
      expect([refused.status, refused.body.error?.code]).toEqual([400, "validation_failed"]);
      expect(JSON.stringify(refused.body.error?.details)).toContain("assignee");
    }
    const ok = await run(alice, room, "task.create", { title: "Mow", assignee: bob.user.id, schedule });
    expect(ok.status).toBe(200);
    const id = ok.body.result.id as string;
    expect((await run(alice, room, "task.update", { id, assignee: stranger.user.id })).status).toBe(400);
    expect((await run(alice, room, "task.update", { id, assignee: alice.user.id })).status).toBe(200);
    expect((await run(alice, room, "task.update", { id, assignee: null })).status).toBe(200);

    const client = await RoomClient.connect("property", room.id, alice.cookie);
    client.send(
      `${NOTICE_PREFIX}${JSON.stringify({
        type: "command",
        id: 1,
        name: "task.create",
        args: { title: "Rake", assignee: stranger.user.id, schedule },
        key: newKey(),
      })}`,
    );
    await waitFor(() => client.texts.some((t) => t.includes('"command_result"')), "the answer");
    const answer = JSON.parse(
      (client.texts.find((t) => t.includes('"command_result"')) ?? "").slice(NOTICE_PREFIX.length),
    );
    expect(answer).toMatchObject({ ok: false, error: { code: "validation_failed" } });
    client.close();
  });
});
