import { abortAllDurableObjects, env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { MAX_JOB_FAILURES, MAX_TASKS_PER_HOME } from "../../../config";
import type { PropertyRoom } from "../../../rooms/property/PropertyRoom";
import type { Room } from "../../../schema/core/api";
import { MAX_COMMAND_BYTES } from "../../../schema/core/commands";
import { NOTICE_PREFIX } from "../../../schema/core/messages";
import type { Asset, HomeInfo, Task } from "../../../schema/property/records";
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

let keySeq = 0;
const newKey = () => `k-${crypto.randomUUID()}-${keySeq++}`;

async function run(account: Account, room: Room, name: string, args: unknown, key = newKey()) {
  const res = await api(`/api/rooms/${room.id}/commands`, { cookie: account.cookie, body: { name, args, key } });
  return {
    status: res.status,
    body: await json<{ result: Record<string, unknown>; replayed: boolean } & Partial<ErrorJson>>(res),
  };
}

const today = () => localDate(Date.now(), "UTC");
const stub = (room: Room) => env.property.get(env.property.idFromName(room.id)) as DurableObjectStub<PropertyRoom>;

/** The occurrence a task stands at now, which completions, skips and snoozes must name. */
async function occurrenceOf(room: Room, id: string): Promise<string | null> {
  return runInDurableObject(stub(room), (_i, state) => {
    const rows = state.storage.sql.exec("SELECT occurrence FROM tasks WHERE id = ?", id).toArray();
    return (rows[0]?.occurrence as string | null | undefined) ?? null;
  });
}

/** What the room's SQLite holds: rows per table, for "changed nothing" checks. */
async function counts(room: Room) {
  return runInDurableObject(stub(room), (_instance, state) => {
    const n = (table: string) => state.storage.sql.exec(`SELECT count(*) AS n FROM ${table}`).one().n as number;
    return {
      assets: n("assets"),
      tasks: n("tasks"),
      completions: n("completions"),
      audit: n("audit_log"),
      commands: n("command_log"),
    };
  });
}

async function home() {
  const alice = await signup("Alice");
  const room = await createRoom(alice, "property", "Maple Street");
  return { alice, room };
}

/** Next year, for dates that must lie ahead of today whatever day the suite runs. */
const NEXT_YEAR = new Date().getUTCFullYear() + 1;
const monthly = { type: "calendar", rrule: "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1", start: `${NEXT_YEAR}-01-01` };

describe("property commands", () => {
  it("adds an asset and a task that every open socket sees at once through the mirror", async () => {
    const { alice, room } = await home();
    const bob = await addMember(alice, room, "editor", "Bob");
    const watcher = await RoomClient.connect("property", room.id, bob.cookie);

    const asset = await run(alice, room, "asset.create", {
      name: "Furnace",
      category: "hvac",
      location: "Basement",
      warrantyEnd: `${NEXT_YEAR + 1}-05-01`,
    });
    expect(asset.status).toBe(200);
    const assetId = asset.body.result.id as string;
    const task = await run(alice, room, "task.create", { title: "Replace furnace filter", assetId, schedule: monthly });
    expect(task.status).toBe(200);
    expect(task.body.result).toMatchObject({ nextDue: `${NEXT_YEAR}-01-01`, schedule: "Every 3 months on the 1st" });

    const tasks = watcher.doc.getMap<Task>("tasks");
    await waitFor(() => tasks.size === 1, "the task mirrored to the open socket");
    expect(watcher.doc.getMap<Asset>("assets").get(assetId)).toMatchObject({
      name: "Furnace",
      category: "hvac",
      location: "Basement",
      warrantyEnd: `${NEXT_YEAR + 1}-05-01`,
      archived: false,
    });
    expect([...tasks.values()][0]).toMatchObject({
      title: "Replace furnace filter",
      assetId,
      nextDue: `${NEXT_YEAR}-01-01`,
      leadDays: 1,
      completions: 0,
    });
    watcher.close();
  });

  it("changes and archives assets and tasks, and an archived task cannot be completed until it is back", async () => {
    const { alice, room } = await home();
    const watcher = await RoomClient.connect("property", room.id, alice.cookie);
    const asset = await run(alice, room, "asset.create", { name: "Dryer", category: "appliance" });
    const assetId = asset.body.result.id as string;
    expect(
      (
        await run(alice, room, "asset.update", {
          id: assetId,
          location: "Laundry",
          warrantyEnd: `${NEXT_YEAR + 1}-01-31`,
        })
      ).status,
    ).toBe(200);
    expect((await run(alice, room, "asset.archive", { id: assetId, archived: true })).body.result).toEqual({
      id: assetId,
      archived: true,
    });
    expect((await run(alice, room, "asset.update", { id: "no-such-asset", name: "x" })).status).toBe(404);
    await waitFor(
      () => watcher.doc.getMap<Asset>("assets").get(assetId)?.archived === true,
      "the archived asset mirrored",
    );
    expect(watcher.doc.getMap<Asset>("assets").get(assetId)).toMatchObject({
      name: "Dryer",
      location: "Laundry",
      warrantyEnd: `${NEXT_YEAR + 1}-01-31`,
    });

    const task = await run(alice, room, "task.create", {
      title: "Clean lint trap",
      assetId,
      schedule: { type: "once", date: today() },
    });
    const taskId = task.body.result.id as string;
    expect((await run(alice, room, "task.archive", { id: taskId, archived: true })).status).toBe(200);
    const refused = await run(alice, room, "task.complete", { id: taskId, occurrence: today() });
    expect([refused.status, refused.body.error?.code]).toEqual([409, "conflict"]);
    expect((await run(alice, room, "task.archive", { id: taskId, archived: false })).status).toBe(200);
    expect((await run(alice, room, "task.complete", { id: taskId, occurrence: today() })).status).toBe(200);
    watcher.close();
  });

  it(
    "runs a command once per key: a retry returns the first " + "answer, another command under the same key is refused",
    async () => {
      const { alice, room } = await home();
      const key = newKey();
      const first = await run(alice, room, "asset.create", { name: "Water heater", category: "plumbing" }, key);
      const again = await run(alice, room, "asset.create", { name: "Water heater", category: "plumbing" }, key);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ result: first.body.result, replayed: true });
      const other = await run(alice, room, "asset.create", { name: "Dryer", category: "appliance" }, key);
      expect(other.status).toBe(409);
      expect(other.body.error?.code).toBe("key_reused");
      expect(await counts(room)).toMatchObject({ assets: 1, audit: 1, commands: 1 });
    },
  );

  it("answers each kind of bad command with its typed error and changes nothing", async () => {
    const { alice, room } = await home();
    const viewer = await addMember(alice, room, "viewer", "Vic");
    const { body } = await run(alice, room, "task.create", {
      title: "Test smoke alarms",
      schedule: { type: "calendar", rrule: "FREQ=MONTHLY", start: `${NEXT_YEAR}-01-05` },
    });
    const taskId = body.result.id as string;
    const seen = await occurrenceOf(room, taskId);
    const before = await counts(room);

    const cases: [Account, string, unknown, number, string][] = [
      [
        alice,
        "task.create",
        { title: "Too often", schedule: { type: "calendar", rrule: "FREQ=MINUTELY", start: "2027-01-01" } },
        400,
        "validation_failed",
      ],
      [
        alice,
        "task.create",
        { title: "Hourly", schedule: { type: "calendar", rrule: "FREQ=HOURLY", start: "2027-01-01" } },
        400,
        "validation_failed",
      ],
      [
        alice,
        "task.create",
        {
          title: "Never",
          schedule: { type: "calendar", rrule: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", start: "2027-01-01" },
        },
        400,
        "validation_failed",
      ],
      [
        alice,
        "task.create",
        { title: "Garbage", schedule: { type: "calendar", rrule: "EVERY SO OFTEN", start: "2027-01-01" } },
        400,
        "validation_failed",
      ],
      [
        alice,
        "task.create",
        { title: "Bad date", schedule: { type: "once", date: "2027-02-30" } },
        400,
        "validation_failed",
      ],
      [
        alice,
        "task.create",
        { title: "Far past", schedule: { type: "once", date: "1850-01-01" } },
        400,
        "validation_failed",
      ],
      [
        alice,
        "task.create",
        { title: "Unknown asset", assetId: "nope", schedule: { type: "once", date: "2027-01-01" } },
        404,
        "not_found",
      ],
      [
        alice,
        "task.create",
        { title: "Long notes", notes: "x".repeat(4001), schedule: { type: "once", date: "2027-01-01" } },
        400,
        "validation_failed",
      ],
      [
        alice,
        "task.create",
        { title: "Extra field", schedule: { type: "once", date: "2027-01-01" }, owner: "me" },
        400,
        "validation_failed",
      ],
      [alice, "task.complete", { id: "no-such-task", occurrence: null }, 404, "not_found"],
      [alice, "task.complete", { id: taskId }, 400, "validation_failed"],
      [alice, "task.complete", { id: taskId, occurrence: seen, on: addDays(today(), 3) }, 400, "validation_failed"],
      [alice, "task.complete", { id: taskId, occurrence: seen, photoId: "not-uploaded" }, 404, "not_found"],
      [alice, "room.destroy", {}, 400, "unknown_command"],
      [alice, "__proto__", {}, 400, "unknown_command"],
      [alice, "constructor", {}, 400, "unknown_command"],
      [viewer, "task.complete", { id: taskId }, 403, "forbidden"],
      [viewer, "asset.create", { name: "Mine", category: "other" }, 403, "forbidden"],
      [alice, "home.settings", { timeZone: "Mars/Olympus_Mons" }, 400, "validation_failed"],
    ];
    for (const [who, name, args, status, code] of cases) {
      const res = await run(who, room, name, args);
      expect([name, res.status, res.body.error?.code]).toEqual([name, status, code]);
      expect(res.body.error?.message).toBeTruthy();
    }
    const malformed = await api(`/api/rooms/${room.id}/commands`, {
      cookie: alice.cookie,
      body: { name: "task.complete", args: { id: taskId } },
    });
    expect(malformed.status).toBe(400);
    const oversized = await api(`/api/rooms/${room.id}/commands`, {
      cookie: alice.cookie,
      body: {
        name: "asset.create",
        args: { name: "A", category: "other", notes: "n".repeat(MAX_COMMAND_BYTES) },
        key: newKey(),
      },
    });
    expect(oversized.status).toBe(413);
    const stranger = await signup("Mallory");
    expect(
      (
        await api(`/api/rooms/${room.id}/commands`, {
          cookie: stranger.cookie,
          body: { name: "task.complete", args: { id: taskId }, key: newKey() },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await api(`/api/rooms/${room.id}/commands`, {
          body: { name: "task.complete", args: { id: taskId }, key: newKey() },
        })
      ).status,
    ).toBe(401);
    expect(await counts(room)).toEqual(before);
  });

  it("lets a member complete only the tasks assigned to them", async () => {
    const { alice, room } = await home();
    const kid = await addMember(alice, room, "member", "Kid");
    const mine = await run(alice, room, "task.create", {
      title: "Feed the cat",
      assignee: kid.user.id,
      schedule: { type: "after_completion", every: 1, unit: "day", start: today() },
    });
    const theirs = await run(alice, room, "task.create", {
      title: "Clean gutters",
      schedule: { type: "once", date: today() },
    });
    expect(
      (await run(kid, room, "task.complete", { id: theirs.body.result.id, occurrence: today() })).body.error?.code,
    ).toBe("forbidden");
    expect(
      (await run(kid, room, "task.create", { title: "Eat cake", schedule: { type: "once", date: today() } })).status,
    ).toBe(403);
    const done = await run(kid, room, "task.complete", { id: mine.body.result.id, occurrence: today(), note: "Fed" });
    expect(done.status).toBe(200);
    expect(done.body.result).toMatchObject({ completedOn: today(), nextDue: addDays(today(), 1) });
  });

  it(
    "moves an after-completion task from the day it was done, " + "keeps its history, and counts it this month",
    async () => {
      const { alice, room } = await home();
      const watcher = await RoomClient.connect("property", room.id, alice.cookie);
      const created = await run(alice, room, "task.create", {
        title: "Flush water heater",
        schedule: { type: "after_completion", every: 2, unit: "week", start: addDays(today(), -10) },
      });
      const id = created.body.result.id as string;
      const yesterday = addDays(today(), -1);
      const done = await run(alice, room, "task.complete", {
        id,
        occurrence: await occurrenceOf(room, id),
        on: yesterday,
        note: "Sediment was light",
      });
      expect(done.body.result).toMatchObject({ nextDue: addDays(yesterday, 14) });
      const skipped = await run(alice, room, "task.skip", {
        id,
        occurrence: await occurrenceOf(room, id),
        reason: "Away on holiday",
      });
      // A skip closes the occurrence as if on its date: the next falls one interval after it.
      expect(skipped.body.result).toMatchObject({ nextDue: addDays(yesterday, 28) });
      const snoozed = await run(alice, room, "task.snooze", {
        id,
        occurrence: await occurrenceOf(room, id),
        until: addDays(yesterday, 28 + 20),
      });
      expect(snoozed.body.result).toMatchObject({ nextDue: addDays(yesterday, 48) });

      const history = await json<{ entries: { kind: string; note: string; on: string; byName: string }[] }>(
        await api(`/api/rooms/${room.id}/tasks/${id}/history`, { cookie: alice.cookie }),
      );
      expect(history.entries.map((e) => [e.kind, e.note, e.byName])).toEqual([
        ["skipped", "Away on holiday", "Alice"],
        ["done", "Sediment was light", "Alice"],
      ]);
      const info = watcher.doc.getMap<HomeInfo>("home");
      await waitFor(
        () =>
          info.get("info")?.completedThisMonth.count === (yesterday.slice(0, 7) === today().slice(0, 7) ? 1 : 0) &&
          watcher.doc.getMap<Task>("tasks").get(id)?.nextDue === addDays(yesterday, 48),
        "dashboard numbers mirrored",
      );
      expect(watcher.doc.getMap<Task>("tasks").get(id)).toMatchObject({ completions: 1, lastCompletedOn: yesterday });
      watcher.close();
    },
  );

  it(
    "keeps a task's place when an edit sends its schedule back " + "unchanged, and starts afresh on a new schedule",
    async () => {
      const { alice, room } = await home();
      const schedule = { type: "after_completion", every: 1, unit: "month", start: "2024-01-01" };
      const created = await run(alice, room, "task.create", { title: "Clean filter", schedule });
      const id = created.body.result.id as string;
      await run(alice, room, "task.complete", {
        id,
        occurrence: await occurrenceOf(room, id),
        on: addDays(today(), -2),
      });
      const placed = await run(alice, room, "task.snooze", {
        id,
        occurrence: await occurrenceOf(room, id),
        until: addDays(today(), 40),
      });
      expect(placed.body.result).toMatchObject({ nextDue: addDays(today(), 40) });
      const edited = await run(alice, room, "task.update", { id, title: "Clean the filter", schedule });
      expect(edited.body.result).toMatchObject({ nextDue: addDays(today(), 40) });
      const moved = await run(alice, room, "task.update", {
        id,
        schedule: { type: "once", date: `${NEXT_YEAR}-06-01` },
      });
      expect(moved.body.result).toMatchObject({ nextDue: `${NEXT_YEAR}-06-01` });
    },
  );

  it("refuses a completion of an occurrence someone else already closed, so a double tap closes one", async () => {
    const { alice, room } = await home();
    const bob = await addMember(alice, room, "editor", "Bob");
    const created = await run(alice, room, "task.create", {
      title: "Water plants",
      schedule: { type: "calendar", rrule: "FREQ=WEEKLY", start: addDays(today(), -3) },
    });
    const id = created.body.result.id as string;
    const seen = addDays(today(), -3);
    const first = await run(alice, room, "task.complete", { id, occurrence: seen });
    expect(first.status).toBe(200);
    const second = await run(bob, room, "task.complete", { id, occurrence: seen });
    expect(second.status).toBe(409);
    expect(second.body.error?.code).toBe("conflict");
    expect((await run(bob, room, "task.skip", { id, occurrence: seen, reason: "rain" })).status).toBe(409);
    expect(await counts(room)).toMatchObject({ completions: 1 });
  });

  it("caps the records a home holds, so its mirror stays inside the document quota", async () => {
    const { alice, room } = await home();
    await runInDurableObject(stub(room), async (instance, state) => {
      await (instance as PropertyRoom).onStart();
      const now = Date.now();
      state.storage.transactionSync(() => {
        for (let i = 0; i < MAX_TASKS_PER_HOME; i++) {
          state.storage.sql.exec(
            "INSERT INTO tasks (id, title, notes, schedule, lead_days, archived, completions, created_at, " +
              'updated_at) VALUES (?, \'x\', \'\', \'{"type":"once","date":"2030-01-01"}\', 1, 1, 0, ?, ?)',
            `cap-${i}`,
            now,
            now,
          );
        }
      });
    });
    const refused = await run(alice, room, "task.create", {
      title: "One too many",
      schedule: { type: "once", date: "2030-01-01" },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error?.message).toContain(String(MAX_TASKS_PER_HOME));
  });

  it("runs commands sent over the room socket with the same answers", async () => {
    const { alice, room } = await home();
    const client = await RoomClient.connect("property", room.id, alice.cookie);
    const key = newKey();
    const frame = (id: number, name: string, args: unknown, k = newKey()) =>
      `${NOTICE_PREFIX}${JSON.stringify({ type: "command", id, name, args, key: k })}`;
    client.send(frame(1, "asset.create", { name: "Lawn mower", category: "garden" }, key));
    client.send(frame(2, "asset.create", { name: "Lawn mower", category: "garden" }, key));
    client.send(frame(3, "asset.create", { name: "", category: "garden" }));
    const results = () =>
      client.texts
        .filter((t) => t.includes('"command_result"'))
        .map(
          (t) =>
            JSON.parse(t.slice(NOTICE_PREFIX.length)) as {
              id: number;
              ok: boolean;
              replayed?: boolean;
              error?: { code: string };
            },
        );
    await waitFor(() => results().length === 3, "three answers");
    const byId = new Map(results().map((r) => [r.id, r]));
    // The two sent with one key run concurrently: whichever the room reaches first runs, the other replays it.
    expect([byId.get(1), byId.get(2)].map((r) => [r?.ok, r?.replayed]).sort()).toEqual([
      [true, false],
      [true, true],
    ]);
    expect(byId.get(3)).toMatchObject({ ok: false, error: { code: "validation_failed" } });
    client.send(`${NOTICE_PREFIX}{not json`);
    expect((await client.waitClosed()).code).toBe(4400);
  });

  it("refuses a client update that writes a server-owned root, whole, and reports it", async () => {
    const { alice, room } = await home();
    await run(alice, room, "task.create", {
      title: "Test sump pump",
      schedule: { type: "once", date: `${NEXT_YEAR}-03-01` },
    });
    const client = await RoomClient.connect("property", room.id, alice.cookie);
    const tasks = client.doc.getMap<Task>("tasks");
    await waitFor(() => tasks.size === 1, "mirror");
    const id = [...tasks.keys()][0] as string;
    client.doc.transact(() => {
      tasks.set(id, { ...(tasks.get(id) as Task), nextDue: "2099-01-01" });
      client.doc.getMap("checklists").set("sneaky", new Y.Map());
    });
    await waitFor(
      () => client.notices.some((n) => n.type === "rejected" && n.reason === "server_owned"),
      "the refusal",
    );
    client.close();
    const fresh = await RoomClient.connect("property", room.id, alice.cookie);
    expect(fresh.doc.getMap<Task>("tasks").get(id)?.nextDue).toBe(`${NEXT_YEAR}-03-01`);
    expect(fresh.doc.getMap("checklists").has("sneaky")).toBe(false);
    fresh.close();
  });
});

describe("the schedule", () => {
  /**
   * A home where it is now between 10:00 and 22:00 local time, so this morning's 9:00 reminder is
   * already due and midnight is hours away whatever hour the suite runs; `day(n)` is its local date
   * n days from today. The zones' offsets lie at most 5.5 hours apart around the clock.
   */
  async function daytimeHome() {
    const { alice, room } = await home();
    const zones = ["UTC", "Asia/Kolkata", "Asia/Tokyo", "Pacific/Kiritimati", "America/New_York"];
    const hourIn = (timeZone: string) =>
      Number(new Intl.DateTimeFormat("en-GB", { timeZone, hour: "numeric", hourCycle: "h23" }).format(new Date()));
    const timeZone = zones.find((zone) => hourIn(zone) >= 10 && hourIn(zone) < 22) ?? "UTC";
    expect((await run(alice, room, "home.settings", { timeZone })).status).toBe(200);
    return { alice, room, day: (offset = 0) => addDays(localDate(Date.now(), timeZone), offset) };
  }

  async function outboxKeys(room: Room): Promise<string[]> {
    return runInDurableObject(stub(room), (_i, state) =>
      state.storage.sql
        .exec("SELECT key FROM outbox ORDER BY key")
        .toArray()
        .map((r) => r.key as string),
    );
  }

  it("reminds once per due date and stage, whether the alarm runs twice or is lost mid-flight", async () => {
    const { alice, room, day } = await daytimeHome();
    const created = await run(alice, room, "task.create", {
      title: "Clean gutters",
      schedule: { type: "once", date: day(-2) },
    });
    const taskId = created.body.result.id as string;
    const todayKey = `reminder:${room.id}:${taskId}:${day(-2)}:overdue:${day()}`;
    // It became overdue before it was added: this morning's reminder is due now, and the room's own alarm sends it.
    let afterFirst: string[] = [];
    for (let i = 0; i < 50 && afterFirst.length === 0; i++) {
      afterFirst = await outboxKeys(room);
      if (afterFirst.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(afterFirst).toEqual([todayKey]);

    // The same job run again (an alarm delivered twice) sends nothing new.
    await runInDurableObject(stub(room), (_i, state) => {
      state.storage.sql.exec(
        "UPDATE scheduled_jobs SET due_at = ?, payload = ?",
        Date.now() - 1,
        JSON.stringify({ stage: "overdue", dueDate: day(-2), day: day(), at: 0 }),
      );
    });
    await runInDurableObject(stub(room), (instance) => (instance as PropertyRoom).onAlarm());
    expect(await outboxKeys(room)).toEqual(afterFirst);

    // The next reminder is tomorrow morning's, still scheduled.
    const next = await runInDurableObject(stub(room), (_i, state) =>
      state.storage.sql.exec("SELECT payload FROM scheduled_jobs").toArray(),
    );
    expect(JSON.parse(next[0]?.payload as string)).toMatchObject({ stage: "overdue", day: day(1) });

    // The alarm is deleted mid-flight: the job survives in the table and the alarm is set again when the room starts.
    await runInDurableObject(stub(room), (_i, state) => state.storage.deleteAlarm());
    await abortAllDurableObjects();
    expect((await api(`/api/rooms/${room.id}/tasks/${taskId}/history`, { cookie: alice.cookie })).status).toBe(200);
    expect(await runInDurableObject(stub(room), (_i, state) => state.storage.getAlarm())).not.toBeNull();
    expect(await outboxKeys(room)).toEqual(afterFirst);
  });

  it("plans the lead reminder before the due date and drops it when the task is completed", async () => {
    const { alice, room } = await home();
    const due = addDays(today(), 10);
    const created = await run(alice, room, "task.create", {
      title: "Service AC",
      leadDays: 3,
      schedule: { type: "once", date: due },
    });
    const job = await runInDurableObject(stub(room), (_i, state) =>
      state.storage.sql.exec("SELECT due_at, payload FROM scheduled_jobs").one(),
    );
    expect(JSON.parse(job.payload as string)).toMatchObject({ stage: "lead", dueDate: due, day: addDays(due, -3) });
    expect(job.due_at).toBe(Date.parse(`${addDays(due, -3)}T09:00:00Z`));
    await run(alice, room, "task.complete", { id: created.body.result.id, occurrence: due });
    const left = await runInDurableObject(
      stub(room),
      (_i, state) => state.storage.sql.exec("SELECT count(*) AS n FROM scheduled_jobs").one().n,
    );
    expect(left).toBe(0);
  });

  it("delivers a reminder to the right people through the queue, once", async () => {
    const { alice, room, day } = await daytimeHome();
    const bob = await addMember(alice, room, "editor", "Bob");
    const viewer = await addMember(alice, room, "viewer", "Vic");
    // Overdue when added: this morning's reminder is due at once, and the room's own alarm sends it.
    const created = await run(alice, room, "task.create", {
      title: "Test smoke alarms",
      schedule: { type: "once", date: day(-1) },
    });
    const unread = async (who: Account) =>
      await json<{ unread: number; notifications: { title: string; url: string }[] }>(
        await api("/api/notifications", { cookie: who.cookie }),
      );
    for (let i = 0; i < 200 && (await unread(bob)).unread === 0; i++) await new Promise((r) => setTimeout(r, 100));
    const bobs = await unread(bob);
    expect(bobs.unread).toBe(1);
    expect(bobs.notifications[0]).toMatchObject({
      title: "Overdue: Test smoke alarms",
      url: `/rooms/${room.id}/tasks/${created.body.result.id}?complete=${day(-1)}`,
    });
    expect((await unread(alice)).unread).toBe(1);
    expect((await unread(viewer)).unread).toBe(0);
  });

  it("reminds the household when the task's assignee has left the home", async () => {
    const { alice, room, day } = await daytimeHome();
    const bob = await addMember(alice, room, "editor", "Bob");
    const created = await run(alice, room, "task.create", {
      title: "Bleed radiators",
      assignee: bob.user.id,
      schedule: { type: "once", date: day(5) },
    });
    expect(
      (await api(`/api/rooms/${room.id}/members/${bob.user.id}`, { method: "DELETE", cookie: alice.cookie })).status,
    ).toBe(204);
    await runInDurableObject(stub(room), (_i, state) => {
      state.storage.sql.exec(
        "UPDATE tasks SET next_due = ?, occurrence = ? WHERE id = ?",
        day(-1),
        day(-1),
        created.body.result.id as string,
      );
    });
    await run(alice, room, "task.update", { id: created.body.result.id, leadDays: 2 });
    for (let i = 0; i < 200; i++) {
      const mine = await json<{ unread: number }>(await api("/api/notifications", { cookie: alice.cookie }));
      if (mine.unread > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const mine = await json<{ notifications: { title: string }[] }>(
      await api("/api/notifications", { cookie: alice.cookie }),
    );
    expect(mine.notifications.map((n) => n.title)).toContain("Overdue: Bleed radiators");
  });
  it("sends what is due now when a reminder runs late, not the stale one as well", async () => {
    const { alice, room } = await home();
    await api("/api/notification-prefs", { method: "PUT", cookie: alice.cookie, body: { email: false, push: false } });
    const due = addDays(today(), -2);
    const created = await run(alice, room, "task.create", {
      title: "Descale kettle",
      schedule: { type: "once", date: addDays(today(), 30) },
    });
    const taskId = created.body.result.id as string;
    // The task was due two days ago and its lead reminder (for three days ago) never ran.
    await runInDurableObject(stub(room), async (_i, state) => {
      state.storage.sql.exec("UPDATE tasks SET occurrence = ?, next_due = ? WHERE id = ?", due, due, taskId);
      state.storage.sql.exec("DELETE FROM outbox");
      state.storage.sql.exec(
        "UPDATE scheduled_jobs SET due_at = ?, payload = ?",
        Date.now() - 1,
        JSON.stringify({ stage: "lead", dueDate: due, day: addDays(due, -1), at: 0 }),
      );
      await state.storage.setAlarm(Date.now() + 3_600_000);
    });
    await runDurableObjectAlarm(stub(room));
    await runInDurableObject(stub(room), async (_i, state) => {
      state.storage.sql.exec(
        "UPDATE scheduled_jobs SET due_at = ? WHERE payload LIKE '%\"day\":\"' || ? || '\"%'",
        Date.now() - 1,
        today(),
      );
      await state.storage.setAlarm(Date.now() + 3_600_000);
    });
    await runDurableObjectAlarm(stub(room));
    expect(await outboxKeys(room)).toEqual([`reminder:${room.id}:${taskId}:${due}:overdue:${today()}`]);
  });

  it("gives up on a job that keeps failing, and says so", async () => {
    const { room } = await home();
    await runInDurableObject(stub(room), async (instance, state) => {
      await (instance as PropertyRoom).onStart();
      const now = Date.now();
      // A task whose stored due date is not a date: planning its reminder throws every time.
      state.storage.sql.exec(
        "INSERT INTO tasks (id, title, notes, schedule, lead_days, occurrence, next_due, archived, completions, " +
          "created_at, updated_at) VALUES ('bad', 'x', '', '{}', 1, 'not-a-date', 'not-a-date', 0, 0, ?, ?)",
        now,
        now,
      );
      state.storage.sql.exec(
        "INSERT INTO scheduled_jobs (id, kind, due_at, payload, failures) VALUES ('reminder:bad', 'reminder', ?, ?, ?)",
        now - 1,
        JSON.stringify({ stage: "lead", dueDate: "not-a-date", day: "x", at: 0 }),
        MAX_JOB_FAILURES - 2,
      );
      await state.storage.setAlarm(now + 3_600_000);
    });
    await runDurableObjectAlarm(stub(room));
    const afterOne = await runInDurableObject(stub(room), (_i, state) =>
      state.storage.sql.exec("SELECT failures FROM scheduled_jobs").toArray(),
    );
    expect(afterOne).toEqual([{ failures: MAX_JOB_FAILURES - 1 }]);
    await runInDurableObject(stub(room), async (_i, state) => {
      state.storage.sql.exec("UPDATE scheduled_jobs SET due_at = ?", Date.now() - 1);
      await state.storage.setAlarm(Date.now() + 3_600_000);
    });
    await runDurableObjectAlarm(stub(room));
    expect(
      await runInDurableObject(
        stub(room),
        (_i, state) => state.storage.sql.exec("SELECT count(*) AS n FROM scheduled_jobs").one().n,
      ),
    ).toBe(0);
  });

  it("sends a backlog larger than one queue batch, all of it, once", async () => {
    const { alice, room } = await home();
    await api("/api/notification-prefs", { method: "PUT", cookie: alice.cookie, body: { email: false, push: false } });
    const dueDate = addDays(today(), -1);
    await runInDurableObject(stub(room), async (instance, state) => {
      await (instance as PropertyRoom).onStart();
      const now = Date.now();
      for (let i = 0; i < 250; i++) {
        state.storage.sql.exec(
          "INSERT INTO tasks (id, title, notes, schedule, lead_days, occurrence, next_due, archived, completions, " +
            "created_at, updated_at) VALUES (?, ?, '', ?, 1, ?, ?, 0, 0, ?, ?)",
          `t${i}`,
          `Task ${i}`,
          JSON.stringify({ type: "once", date: dueDate }),
          dueDate,
          dueDate,
          now,
          now,
        );
        state.storage.sql.exec(
          "INSERT INTO scheduled_jobs (id, kind, due_at, payload) VALUES (?, 'reminder', ?, ?)",
          `reminder:t${i}`,
          now - 1,
          JSON.stringify({ stage: "overdue", dueDate, day: today(), at: now - 1 }),
        );
      }
      await state.storage.setAlarm(now + 3_600_000);
    });
    await runDurableObjectAlarm(stub(room));
    const outbox = await runInDurableObject(stub(room), (_i, state) =>
      state.storage.sql.exec("SELECT count(*) AS n, count(sent_at) AS sent FROM outbox").one(),
    );
    expect(outbox).toEqual({ n: 250, sent: 250 });
  });
});
