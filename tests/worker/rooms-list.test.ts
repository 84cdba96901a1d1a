/**
 * The rooms list shows each home's and site's state: a home's due dates (the list counts what is overdue against
 * today in the home), a site's open and critical alerts, kept up by the room after commands, readings and its jobs.
 */
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MAX_LISTED_DUE_DATES } from "../../config";
import type { Room } from "../../schema/core/api";
import { type Account, api, createRoom, json, signup } from "./helpers";
import { keyedSite, lht65At, PROBE } from "./site/site-helpers";

const MINUTE = 60_000;
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function listed(who: Account, roomId: string): Promise<Room | undefined> {
  const res = await api("/api/rooms", { cookie: who.cookie });
  expect(res.status).toBe(200);
  return (await json<{ rooms: Room[] }>(res)).rooms.find((room) => room.id === roomId);
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let tries = 0; !(await check()); tries++) {
    if (tries > 200) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function run(who: Account, room: Room, name: string, args: unknown) {
  const res = await api(`/api/rooms/${room.id}/commands`, {
    cookie: who.cookie,
    body: { name, args, key: crypto.randomUUID() },
  });
  const body = await json<{ result: { id: string } }>(res);
  return { status: res.status, id: body.result?.id ?? "" };
}

describe("a home on the rooms list", () => {
  it("carries its open tasks' next due dates, soonest first, and follows completing and archiving", async () => {
    const owner = await signup("Alice");
    const room = await createRoom(owner, "property", "Maple Street");
    expect(await listed(owner, room.id)).not.toHaveProperty("home");
    const once = (title: string, date: string) =>
      run(owner, room, "task.create", { title, schedule: { type: "once", date } });
    const gutters = await once("Clean gutters", day(-2));
    await once("Test smoke alarms", day(5));
    const filter = await once("Replace furnace filter", day(0));
    const line = (await listed(owner, room.id))?.home;
    expect(line).toEqual({ timeZone: expect.any(String), due: [day(-2), day(0), day(5)], more: false });

    expect((await run(owner, room, "task.complete", { id: gutters.id, occurrence: day(-2) })).status).toBe(200);
    expect((await run(owner, room, "task.archive", { id: filter.id, archived: true })).status).toBe(200);
    expect((await listed(owner, room.id))?.home?.due).toEqual([day(5)]);
  });

  it("keeps the row small for a large home: the soonest dates and that there are more", async () => {
    const owner = await signup("Alice");
    const room = await createRoom(owner, "property", "Big House");
    // Many tasks put in place directly, then one by command: the line is written after a command's commit.
    const first = await run(owner, room, "task.create", { title: "First", schedule: { type: "once", date: day(3) } });
    expect(first.status).toBe(200);
    await runInDurableObject(env.property.get(env.property.idFromName(room.id)), (_i, state) => {
      for (let i = 0; i < MAX_LISTED_DUE_DATES + 1; i++)
        state.storage.sql.exec(
          "INSERT INTO tasks (id, title, notes, schedule, lead_days, occurrence, next_due, archived, completions, " +
            "created_at, updated_at) VALUES (?, ?, '', ?, 0, ?, ?, 0, 0, ?, ?)",
          `t${i}`,
          `Task ${i}`,
          JSON.stringify({ type: "once", date: day(2 + i) }),
          day(2 + i),
          day(2 + i),
          Date.now(),
          Date.now(),
        );
    });
    const made = await run(owner, room, "task.create", { title: "Soonest", schedule: { type: "once", date: day(1) } });
    expect(made.status).toBe(200);
    const line = (await listed(owner, room.id))?.home;
    expect(line?.due).toHaveLength(MAX_LISTED_DUE_DATES);
    expect([line?.due[0], line?.more]).toEqual([day(1), true]);
  });
});

const probeAt = (at: number, t: number) => lht65At(at, { temperature: t });

describe("a site on the rooms list", () => {
  it("counts its open and critical alerts as readings raise and clear them and staff close them", async () => {
    const { owner, room, post, make, command } = await keyedSite();
    const areaId = await make("area.create", { name: "Kitchen" });
    const unitId = await make("unit.create", { areaId, name: "Walk-in", kind: "fridge" });
    expect((await command("device.assign", { devEui: PROBE, unitId })).status).toBe(200);
    expect((await listed(owner, room.id))?.site).toEqual({ open: 0, critical: 0, alerts: [] });

    // Twenty minutes at 7 °C raise the fridge's critical alert: from readings, not a command.
    for (const m of [20, 15, 10, 5]) expect((await post(probeAt(Date.now() - m * MINUTE, 7))).status).toBe(200);
    await until(async () => (await listed(owner, room.id))?.site?.open === 1, "the alert on the list");
    expect((await listed(owner, room.id))?.site).toMatchObject({ open: 1, critical: 1 });
    expect((await listed(owner, room.id))?.site?.alerts).toMatchObject([
      { severity: "critical", state: "active_unack" },
    ]);
    const [alert] = await runInDurableObject(env.site.get(env.site.idFromName(room.id)), (_i, state) =>
      state.storage.sql.exec<{ id: string }>("SELECT id FROM alerts").toArray(),
    );
    const id = alert?.id ?? "";

    // Acknowledged and back in range: still open (it waits for its corrective action), no longer critical.
    expect((await run(owner, room, "alert.ack", { id, note: "" })).status).toBe(200);
    expect((await post(probeAt(Date.now() - MINUTE, 3))).status).toBe(200);
    await until(async () => (await listed(owner, room.id))?.site?.critical === 0, "no longer critical");
    expect((await listed(owner, room.id))?.site).toMatchObject({ open: 1, critical: 0 });
    const resolution = { id, action: "Door shut, product probed", product: "kept", note: "" };
    expect((await run(owner, room, "alert.resolve", resolution)).status).toBe(200);
    expect((await listed(owner, room.id))?.site).toMatchObject({ open: 0, critical: 0 });

    // A sensor gone quiet is found by the room's own alarm: the list follows that too.
    await runInDurableObject(env.site.get(env.site.idFromName(room.id)), async (_i, state) => {
      state.storage.sql.exec("UPDATE rule_states SET last_at = last_at - ? WHERE kind = 'stale'", 16 * MINUTE);
      state.storage.sql.exec("UPDATE devices SET created_at = created_at - ?", 16 * MINUTE);
      state.storage.sql.exec("UPDATE scheduled_jobs SET due_at = ? WHERE id LIKE 'site.stale:%'", Date.now() - 1);
      await state.storage.setAlarm(Date.now() + 3_600_000);
    });
    await runDurableObjectAlarm(env.site.get(env.site.idFromName(room.id)));
    expect((await listed(owner, room.id))?.site).toMatchObject({ open: 1, critical: 0 });
  });

  it("leaves out a line that does not read as its kind's, and lists the rest", async () => {
    const owner = await signup("Olga");
    const site = await createRoom(owner, "site", "Harbour Kitchen");
    const home = await createRoom(owner, "property", "Maple Street");
    const junk = [
      [site, JSON.stringify({ open: -1, critical: 0 })],
      [site, JSON.stringify({ stage: "Inspection", closing: "2030-01-01", status: "open" })],
      [home, JSON.stringify({ timeZone: "UTC", due: "2030-01-01", more: false })],
      [home, "{not json"],
    ] as const;
    for (const [room, text] of junk) {
      await env.DB.prepare("UPDATE rooms SET list_summary = ? WHERE id = ?").bind(text, room.id).run();
      const listedRoom = await listed(owner, room.id);
      expect(listedRoom?.name).toBe(room.name);
      for (const field of ["home", "site", "deal"]) expect(listedRoom).not.toHaveProperty(field);
    }
  });
});
