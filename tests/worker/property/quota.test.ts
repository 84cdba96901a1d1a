import { abortAllDurableObjects, env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { MAX_TASK_MIRROR_BYTES_PER_HOME, ROOM_DOC_QUOTA_BYTES, WEBSOCKET_MESSAGE_MAX_BYTES } from "../../../config";
import { MirrorBudget } from "../../../rooms/core/mirror-budget";
import type { PropertyRoom } from "../../../rooms/property/PropertyRoom";
import type { Room } from "../../../schema/core/api";
import { addChecklist, addItem, MAX_ITEM_TEXT_LENGTH } from "../../../schema/core/checklists";
import { NOTICE_PREFIX } from "../../../schema/core/messages";
import { MAX_NOTE_CHARS } from "../../../schema/property/commands";
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

const newKey = () => `k-${crypto.randomUUID()}`;
const stub = (room: Room) => env.property.get(env.property.idFromName(room.id));
const schedule = { type: "once", date: "2030-01-01" };
const note = "n".repeat(MAX_NOTE_CHARS);

async function run(account: Account, room: Room, name: string, args: unknown) {
  const res = await api(`/api/rooms/${room.id}/commands`, {
    cookie: account.cookie,
    body: { name, args, key: newKey() },
  });
  return { status: res.status, body: await json<{ result: Record<string, unknown> } & Partial<ErrorJson>>(res) };
}

interface Answer {
  id: number;
  ok: boolean;
  error?: { code: string };
}
const answers = (client: RoomClient): Answer[] =>
  client.texts
    .filter((t) => t.includes('"command_result"'))
    .map((t) => JSON.parse(t.slice(NOTICE_PREFIX.length)) as Answer);

/** Inserts tasks straight into the room's table, as if created; the room mirrors them when it next starts. */
async function seedTasks(room: Room, ids: string[]): Promise<void> {
  await runInDurableObject(stub(room), async (instance, state) => {
    await (instance as PropertyRoom).onStart();
    const now = Date.now();
    state.storage.transactionSync(() => {
      for (const id of ids)
        state.storage.sql.exec(
          "INSERT INTO tasks (id, title, notes, schedule, lead_days, archived, completions, created_at, updated_at) " +
            "VALUES (?, 'x', ?, ?, 1, 0, 0, ?, ?)",
          id,
          note,
          JSON.stringify(schedule),
          now,
          now,
        );
    });
  });
}

describe("the room's quota counts its records", () => {
  it("refuses a record whose mirror would pass the document quota: a fresh sync fits one message", async () => {
    expect(ROOM_DOC_QUOTA_BYTES * 2).toBeLessThanOrEqual(WEBSOCKET_MESSAGE_MAX_BYTES);
    const alice = await signup("Alice");
    const room = await createRoom(alice, "property", "Full of notes");
    const editors = [alice, await addMember(alice, room, "editor", "Bo")];
    const client = await RoomClient.connect("property", room.id, alice.cookie);
    // Checklists take most of the quota: one update of about 14.7 MB.
    const text = "0123456789".repeat(MAX_ITEM_TEXT_LENGTH / 10);
    client.doc.transact(() => {
      for (let list = 0; list < 16; list++) {
        const id = addChecklist(client.doc, `List ${list}`);
        for (let i = 0; i < 450; i++) addItem(client.doc, id, text);
      }
    });
    const probe = await RoomClient.connect("property", room.id, alice.cookie);
    await waitFor(() => probe.doc.getMap("checklists").size === 16, "the checklists stored", 30_000);
    probe.close();

    // Tasks with full notes, over the socket, until the room says it is full.
    let sent = 0;
    while (sent < 1_000 && !answers(client).some((a) => a.error?.code === "quota_exceeded")) {
      for (let i = 0; i < 50; i++, sent++)
        client.send(
          `${NOTICE_PREFIX}${JSON.stringify({
            type: "command",
            id: sent,
            name: "task.create",
            args: { title: `Task ${sent}`, notes: note, schedule },
            key: newKey(),
          })}`,
        );
      await waitFor(() => answers(client).length === sent, "the batch answered", 30_000);
    }
    expect(answers(client).some((a) => a.error?.code === "quota_exceeded")).toBe(true);
    const over = await run(editors[1] as Account, room, "task.create", { title: "One more", notes: note, schedule });
    expect([over.status, over.body.error?.code]).toEqual([413, "quota_exceeded"]);

    const fresh = await RoomClient.connect("property", room.id, alice.cookie);
    const whole = Y.encodeStateAsUpdate(fresh.doc).byteLength;
    expect(whole).toBeLessThanOrEqual(ROOM_DOC_QUOTA_BYTES);
    expect(fresh.doc.getMap("tasks").size).toBe(answers(client).filter((a) => a.ok).length);
    for (const c of [client, fresh]) c.close();
  }, 120_000);

  it("caps each kind of record in bytes, and deleting records frees their space at once", async () => {
    const alice = await signup("Alice");
    const room = await createRoom(alice, "property", "Many tasks");
    await seedTasks(room, ["seed-00000"]);
    await abortAllDurableObjects();
    const watcher = await RoomClient.connect("property", room.id, alice.cookie);
    await waitFor(() => watcher.doc.getMap("tasks").has("seed-00000"), "the probe mirrored");
    const size = MirrorBudget.sizeOf(watcher.doc.getMap("tasks").get("seed-00000"));
    watcher.close();
    const fits = Math.floor(MAX_TASK_MIRROR_BYTES_PER_HOME / size);
    await seedTasks(
      room,
      Array.from({ length: fits - 1 }, (_, i) => `seed-${String(i + 1).padStart(5, "0")}`),
    );
    await abortAllDurableObjects();

    // A longer title than the seeded ones: one more does not fit the tasks' budget.
    const args = { title: "One task more than the budget", notes: note, schedule };
    const refused = await run(alice, room, "task.create", args);
    expect([refused.status, refused.body.error?.code]).toEqual([413, "quota_exceeded"]);
    expect(refused.body.error?.details).toMatchObject({ root: "tasks", quotaBytes: MAX_TASK_MIRROR_BYTES_PER_HOME });
    // Checklists are not crowded out: the document itself has room.
    const client = await RoomClient.connect("property", room.id, alice.cookie);
    const list = addChecklist(client.doc, "Groceries");
    const other = await RoomClient.connect("property", room.id, alice.cookie);
    await waitFor(() => other.doc.getMap("checklists").has(list), "the checklist stored", 30_000);
    expect(client.notices.some((n) => n.type === "rejected")).toBe(false);

    for (const id of ["seed-00001", "seed-00002"])
      expect((await run(alice, room, "task.delete", { id })).status).toBe(200);
    await waitFor(() => !other.doc.getMap("tasks").has("seed-00002"), "the deletion mirrored", 30_000);
    expect((await run(alice, room, "task.create", args)).status).toBe(200);
    for (const c of [client, other]) c.close();
  }, 120_000);
});

describe("deleting records", () => {
  it("deletes a task with its history and reminder, and an asset once no task is on it, each audited", async () => {
    const alice = await signup("Alice");
    const room = await createRoom(alice, "property", "Deletes");
    const viewer = await addMember(alice, room, "viewer", "Vic");
    const watcher = await RoomClient.connect("property", room.id, alice.cookie);
    const asset = (await run(alice, room, "asset.create", { name: "Boiler", category: "other" })).body.result
      .id as string;
    const task = (await run(alice, room, "task.create", { title: "Service", assetId: asset, schedule })).body.result
      .id as string;
    await waitFor(() => watcher.doc.getMap("tasks").has(task), "the task mirrored");

    const blocked = await run(alice, room, "asset.delete", { id: asset });
    expect([blocked.status, blocked.body.error?.code]).toEqual([409, "conflict"]);
    expect(blocked.body.error?.details).toEqual({ tasks: 1 });
    expect((await run(viewer, room, "task.delete", { id: task })).status).toBe(403);
    expect((await run(alice, room, "task.delete", { id: "no-such-task" })).status).toBe(404);

    expect((await run(alice, room, "task.delete", { id: task })).body.result).toEqual({ id: task, title: "Service" });
    expect((await run(alice, room, "task.delete", { id: task })).status).toBe(404);
    expect((await run(alice, room, "asset.delete", { id: asset })).status).toBe(200);
    await waitFor(
      () => !watcher.doc.getMap("tasks").has(task) && !watcher.doc.getMap("assets").has(asset),
      "both gone from the mirror",
    );
    const left = await runInDurableObject(stub(room), (_i, state) => ({
      rows: state.storage.sql.exec("SELECT (SELECT count(*) FROM tasks) + (SELECT count(*) FROM assets) AS n").one().n,
      jobs: state.storage.sql.exec("SELECT count(*) AS n FROM scheduled_jobs WHERE kind = 'reminder'").one().n,
      audit: state.storage.sql
        .exec("SELECT command, subject FROM audit_log WHERE command LIKE '%.delete' ORDER BY seq")
        .toArray(),
    }));
    expect(left).toEqual({
      rows: 0,
      jobs: 0,
      audit: [
        { command: "task.delete", subject: `task:${task}` },
        { command: "asset.delete", subject: `asset:${asset}` },
      ],
    });
    watcher.close();
  });
});
