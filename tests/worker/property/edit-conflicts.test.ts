/**
 * Edits from stale forms in a home: a form sends the fields its user changed and their
 * `base`; a field someone else changed meanwhile is never silently put back.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { PropertyRoom } from "../../../rooms/property/PropertyRoom";
import type { Room } from "../../../schema/core/api";
import type { EditConflictDetails } from "../../../schema/core/edit-base";
import { type Account, addMember, api, createRoom, type ErrorJson, json, signup } from "../helpers";

const newKey = () => `k-${crypto.randomUUID()}`;

async function run(account: Account, room: Room, name: string, args: unknown) {
  const res = await api(`/api/rooms/${room.id}/commands`, {
    cookie: account.cookie,
    body: { name, args, key: newKey() },
  });
  return { status: res.status, body: await json<{ result: Record<string, unknown> } & Partial<ErrorJson>>(res) };
}

const stub = (room: Room) => env.property.get(env.property.idFromName(room.id)) as DurableObjectStub<PropertyRoom>;

/** A row of the room's SQLite as stored, with the counts of audit rows and run commands. */
async function stored(room: Room, table: "tasks" | "assets", id: string) {
  return runInDurableObject(stub(room), (_instance, state) => {
    const sql = state.storage.sql;
    return {
      row: sql.exec(`SELECT * FROM ${table} WHERE id = ?`, id).one() as Record<string, unknown>,
      audit: sql.exec("SELECT count(*) AS n FROM audit_log").one().n as number,
      commands: sql.exec("SELECT count(*) AS n FROM command_log").one().n as number,
    };
  });
}

/** A home with Demo Owner, Sam (an editor) and one task both of them open in a form. */
async function homeWithTask() {
  const owner = await signup("Demo Owner");
  const room = await createRoom(owner, "property", "Maple Street");
  const sam = await addMember(owner, room, "editor", "Sam");
  const opened = { title: "Replace furnace filter", notes: "", leadDays: 1 };
  const made = await run(owner, room, "task.create", { ...opened, schedule: { type: "once", date: "2027-03-01" } });
  expect(made.status).toBe(200);
  return { owner, sam, room, taskId: made.body.result.id as string, opened };
}

describe("task.update from a stale form", () => {
  it("keeps another person's new title when a form opened before it saves only its notes", async () => {
    const { owner, sam, room, taskId, opened } = await homeWithTask();
    const renamed = await run(owner, room, "task.update", {
      id: taskId,
      title: "Replace the furnace filter (MERV 11)",
      base: { title: opened.title },
    });
    expect(renamed.status).toBe(200);
    // Sam's form still shows the old title; it sends only the notes, even with a base naming the title.
    const saved = await run(sam, room, "task.update", {
      id: taskId,
      notes: "16x25x1, in the garage",
      base: { notes: opened.notes, title: opened.title },
    });
    expect(saved.status).toBe(200);
    const { row } = await stored(room, "tasks", taskId);
    expect(row).toMatchObject({ title: "Replace the furnace filter (MERV 11)", notes: "16x25x1, in the garage" });
  });

  it(
    "refuses a title changed by both with a typed conflict " + "naming it and the value now, and changes nothing",
    async () => {
      const { owner, sam, room, taskId, opened } = await homeWithTask();
      expect(
        (await run(owner, room, "task.update", { id: taskId, title: "Owner's title", base: { title: opened.title } }))
          .status,
      ).toBe(200);
      const before = await stored(room, "tasks", taskId);

      const refused = await run(sam, room, "task.update", {
        id: taskId,
        title: "Sam's title",
        notes: "Sam's notes",
        base: { title: opened.title, notes: opened.notes },
      });
      expect(refused.status).toBe(409);
      expect(refused.body.error?.code).toBe("edit_conflict");
      expect(refused.body.error?.message).toContain("title");
      expect(refused.body.error?.details).toEqual({
        fields: [{ path: "title", message: "was changed by someone else meanwhile", current: "Owner's title" }],
      } satisfies EditConflictDetails);
      expect(await stored(room, "tasks", taskId)).toEqual(before);

      // Sam chooses their own title over the one now in the room: the base is now that one.
      const mine = await run(sam, room, "task.update", {
        id: taskId,
        title: "Sam's title",
        notes: "Sam's notes",
        base: { title: "Owner's title", notes: opened.notes },
      });
      expect(mine.status).toBe(200);
      expect((await stored(room, "tasks", taskId)).row).toMatchObject({ title: "Sam's title", notes: "Sam's notes" });
    },
  );

  it("merges two forms that changed different fields, and lets both set a field to the same value", async () => {
    const { owner, sam, room, taskId, opened } = await homeWithTask();
    const schedule = { type: "once", date: "2027-04-01" };
    expect(
      (await run(owner, room, "task.update", { id: taskId, leadDays: 5, schedule, base: { leadDays: 1 } })).status,
    ).toBe(200);
    expect(
      (
        await run(sam, room, "task.update", {
          id: taskId,
          notes: "Both",
          // The same schedule as the owner's, its keys in another order: no conflict.
          schedule: { date: "2027-04-01", type: "once" },
          base: { notes: opened.notes, schedule: { type: "once", date: "2027-03-01" } },
        })
      ).status,
    ).toBe(200);
    const { row } = await stored(room, "tasks", taskId);
    expect(row).toMatchObject({ title: opened.title, notes: "Both", lead_days: 5, next_due: "2027-04-01" });
  });

  it("overwrites as before for a command without a base (an old client, or an offline queue made before)", async () => {
    const { owner, sam, room, taskId, opened } = await homeWithTask();
    await run(owner, room, "task.update", { id: taskId, title: "Owner's title" });
    const old = await run(sam, room, "task.update", { id: taskId, title: opened.title, notes: "x" });
    expect(old.status).toBe(200);
    expect((await stored(room, "tasks", taskId)).row).toMatchObject({ title: opened.title, notes: "x" });
  });

  it("refuses a base naming a field a task has not, or sent as something else than an object", async () => {
    const { sam, room, taskId } = await homeWithTask();
    const before = await stored(room, "tasks", taskId);
    for (const base of [{ archived: false }, "title", [1], null]) {
      const bad = await run(sam, room, "task.update", { id: taskId, title: "x", base });
      expect([bad.status, bad.body.error?.code]).toEqual([400, "validation_failed"]);
    }
    expect(await stored(room, "tasks", taskId)).toEqual(before);
  });

  it("takes a long note with its base, both in non-Latin script, inside the command size limit", async () => {
    const { sam, room, taskId } = await homeWithTask();
    const note = "暖".repeat(4000);
    const saved = await run(sam, room, "task.update", { id: taskId, notes: note, base: { notes: "" } });
    expect(saved.status).toBe(200);
    const again = await run(sam, room, "task.update", {
      id: taskId,
      notes: "炉".repeat(4000),
      base: { notes: note },
    });
    expect(again.status).toBe(200);
  });
});

describe("asset.update from a stale form", () => {
  async function homeWithAsset() {
    const owner = await signup("Demo Owner");
    const room = await createRoom(owner, "property", "Maple Street");
    const sam = await addMember(owner, room, "editor", "Sam");
    const opened = { name: "Water heater", category: "plumbing", location: "Basement", make: "" };
    const made = await run(owner, room, "asset.create", opened);
    return { owner, sam, room, assetId: made.body.result.id as string, opened };
  }

  it("keeps another person's change to a field the form did not touch, and merges different fields", async () => {
    const { owner, sam, room, assetId, opened } = await homeWithAsset();
    await run(owner, room, "asset.update", { id: assetId, name: "Water heater (50 gal)", base: { name: opened.name } });
    const saved = await run(sam, room, "asset.update", {
      id: assetId,
      make: "Rheem",
      base: { make: opened.make, name: opened.name, location: opened.location },
    });
    expect(saved.status).toBe(200);
    expect((await stored(room, "assets", assetId)).row).toMatchObject({
      name: "Water heater (50 gal)",
      make: "Rheem",
      location: "Basement",
    });
  });

  it("refuses a field changed by both, naming it with its value now, and changes nothing", async () => {
    const { owner, sam, room, assetId, opened } = await homeWithAsset();
    await run(owner, room, "asset.update", { id: assetId, location: "Garage", base: { location: opened.location } });
    const before = await stored(room, "assets", assetId);
    const refused = await run(sam, room, "asset.update", {
      id: assetId,
      location: "Utility room",
      make: "Rheem",
      base: { location: opened.location, make: opened.make },
    });
    expect([refused.status, refused.body.error?.code]).toEqual([409, "edit_conflict"]);
    expect(refused.body.error?.details).toEqual({
      fields: [{ path: "location", message: "was changed by someone else meanwhile", current: "Garage" }],
    } satisfies EditConflictDetails);
    expect(await stored(room, "assets", assetId)).toEqual(before);
  });

  it("overwrites as before without a base", async () => {
    const { owner, sam, room, assetId, opened } = await homeWithAsset();
    await run(owner, room, "asset.update", { id: assetId, location: "Garage" });
    expect((await run(sam, room, "asset.update", { id: assetId, location: opened.location })).status).toBe(200);
    expect((await stored(room, "assets", assetId)).row).toMatchObject({ location: "Basement" });
  });
});
