import { env, runDurableObjectAlarm, runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MAX_UNITS_PER_SITE } from "../../../config";
import type { Room } from "../../../schema/core/api";
import type { ReadingsAnswer } from "../../../schema/site/api";
import type { Alert, SiteSettings, Unit } from "../../../schema/site/records";
import { ttnFixture } from "../../fixtures/ttn/load";
import {
  type Account,
  addMember,
  api,
  createRoom,
  type ErrorJson,
  json,
  ORIGIN,
  RoomClient,
  signup,
  waitFor,
} from "../helpers";
import { lht65At } from "./site-helpers";

const MINUTE = 60_000;
const stub = (room: Room) => env.site.get(env.site.idFromName(room.id));
const devEuiOf = (fixture: object) =>
  (fixture as { end_device_ids: { dev_eui: string } }).end_device_ids.dev_eui.toUpperCase();
const PROBE = devEuiOf(ttnFixture("dragino-lht65"));
const DOOR = devEuiOf(ttnFixture("dragino-lds02-door"));

let counter = 1000;
/** An LHT65 uplink measured at `at` with temperature `t` (and battery volts). */
const probeAt = (at: number, t: number, battery = 3.05) => lht65At(at, { temperature: t, battery });

function doorAt(at: number, open: boolean): unknown {
  const body = ttnFixture("dragino-lds02-door", at) as Record<string, unknown> & {
    uplink_message: Record<string, unknown> & { decoded_payload: Record<string, unknown> };
  };
  body.correlation_ids = [`as:up:${crypto.randomUUID()}`];
  body.uplink_message = {
    ...body.uplink_message,
    f_cnt: counter++,
    decoded_payload: { ...body.uplink_message.decoded_payload, DOOR_OPEN_STATUS: open ? 1 : 0 },
  };
  return body;
}

interface Site {
  owner: Account;
  room: Room;
  key: string;
  areaId: string;
  unitId: string;
  command: (name: string, args: unknown, who?: Account) => Promise<Response>;
  post: (body: unknown) => Promise<Response>;
}

async function site(kind = "fridge"): Promise<Site> {
  const owner = await signup("Olga");
  const room = await createRoom(owner, "site", "Harbour kitchen");
  const { key } = await json<{ key: string }>(
    await api(`/api/rooms/${room.id}/ingest-keys`, { cookie: owner.cookie, body: { label: "TTN" } }),
  );
  const command = (name: string, args: unknown, who: Account = owner) =>
    api(`/api/rooms/${room.id}/commands`, { cookie: who.cookie, body: { name, args, key: crypto.randomUUID() } });
  const post = (body: unknown) =>
    SELF.fetch(`${ORIGIN}/api/sites/${room.id}/ttn`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    });
  const areaId = (await json<{ result: { id: string } }>(await command("area.create", { name: "Kitchen" }))).result.id;
  const unitId = (
    await json<{ result: { id: string } }>(await command("unit.create", { areaId, name: "Prep fridge", kind }))
  ).result.id;
  expect((await command("device.assign", { devEui: PROBE, unitId })).status).toBe(200);
  return { owner, room, key, areaId, unitId, command, post };
}

async function series(s: Site, start: number, temperatures: number[], stepMs = 5 * MINUTE): Promise<void> {
  for (const [i, t] of temperatures.entries()) {
    const res = await s.post(probeAt(start + i * stepMs, t));
    expect(res.status, `reading ${i} (${t} °C)`).toBe(200);
  }
}

function query<T>(room: Room, sql: string, ...params: unknown[]): Promise<T[]> {
  return runInDurableObject(stub(room), (_i, state) => state.storage.sql.exec(sql, ...params).toArray() as T[]);
}

const alertsOf = (room: Room) =>
  query<{
    id: string;
    rule: string;
    state: string;
    severity: string;
    breaches: number;
    peak_value: number;
    started_at: number;
    cleared_at: number | null;
  }>(room, "SELECT * FROM alerts ORDER BY raised_at");
const outboxOf = (room: Room) =>
  query<{ key: string; body: string }>(room, "SELECT key, body FROM outbox ORDER BY created_at, key");

/** Makes the scheduled jobs whose id starts with `prefix` due now and runs the alarm, as the platform would later. */
async function runJobsNow(room: Room, prefix: string): Promise<void> {
  await runInDurableObject(stub(room), async (_i, state) => {
    state.storage.sql.exec("UPDATE scheduled_jobs SET due_at = ? WHERE id LIKE ? || '%'", Date.now() - 1, prefix);
    await state.storage.setAlarm(Date.now() + 3_600_000);
  });
  await runDurableObjectAlarm(stub(room));
}

describe("alert rules on a site's readings", () => {
  it(
    "raises a temperature alert only after its duration, extends it, " +
      "holds inside the hysteresis and clears below it",
    async () => {
      const s = await site();
      const board = await RoomClient.connect("site", s.room.id, s.owner.cookie);
      const units = board.doc.getMap<Unit>("units");
      const start = Date.now() - 60 * MINUTE;
      // 5 °C is the FDA limit: 5.6 at +10 starts the breach, +25 is 15 minutes into it.
      await series(s, start, [3.5, 4.2, 5.6]);
      await waitFor(
        () => units.get(s.unitId)?.status === "pending",
        "the unit amber: over the limit, not yet for 15 minutes",
      );
      expect(await alertsOf(s.room)).toEqual([]);
      await series(s, start + 15 * MINUTE, [6.4, 7.1]);
      expect(await alertsOf(s.room)).toEqual([]);
      await series(s, start + 25 * MINUTE, [7.8]);
      await waitFor(() => units.get(s.unitId)?.status === "critical", "the unit red once the breach lasted 15 minutes");
      const [raised] = await alertsOf(s.room);
      expect(raised).toMatchObject({
        rule: "temperature_high",
        state: "active_unack",
        severity: "critical",
        started_at: start + 10 * MINUTE,
      });
      await series(s, start + 30 * MINUTE, [8.3, 4.8]);
      const held = await alertsOf(s.room);
      expect(held).toHaveLength(1);
      expect(held[0]).toMatchObject({ state: "active_unack", peak_value: 8.3 });
      await series(s, start + 40 * MINUTE, [4.4]);
      const cleared = await alertsOf(s.room);
      expect(cleared[0]).toMatchObject({ state: "cleared_unack", cleared_at: start + 40 * MINUTE });
      await waitFor(() => units.get(s.unitId)?.status === "ok", "the unit green again");
      const mirrored = board.doc.getMap<Alert>("alerts").get(raised?.id ?? "");
      expect(mirrored).toMatchObject({ state: "cleared_unack", peakValue: 8.3, breaches: 1 });
      board.close();
    },
  );

  it(
    "shows a unit's temperature from its probe and its door " + "from its door sensor, whichever reported last",
    async () => {
      const s = await site();
      expect((await s.command("device.assign", { devEui: DOOR, unitId: s.unitId })).status).toBe(200);
      const board = await RoomClient.connect("site", s.room.id, s.owner.cookie);
      const units = board.doc.getMap<Unit>("units");
      expect((await s.post(probeAt(Date.now() - 2 * MINUTE, 3.7))).status).toBe(200);
      expect((await s.post(doorAt(Date.now() - MINUTE, true))).status).toBe(200);
      await waitFor(() => units.get(s.unitId)?.latest?.doorOpen === true, "the door open on the board");
      expect(units.get(s.unitId)?.latest).toMatchObject({ temperature: 3.7, devEui: PROBE });
      board.close();
    },
  );

  it("does not page for a door opened briefly, and does when it stays open", async () => {
    const s = await site();
    expect((await s.command("device.assign", { devEui: DOOR, unitId: s.unitId })).status).toBe(200);
    const start = Date.now() - 40 * MINUTE;
    for (const [i, open] of [true, false, true, false].entries())
      expect((await s.post(doorAt(start + i * 2 * MINUTE, open))).status).toBe(200);
    expect(await alertsOf(s.room)).toEqual([]);
    for (const [i, open] of [true, true, true].entries())
      expect((await s.post(doorAt(start + 10 * MINUTE + i * 6 * MINUTE, open))).status).toBe(200);
    expect(await alertsOf(s.room)).toEqual([
      expect.objectContaining({ rule: "door_open", state: "active_unack", severity: "warning" }),
    ]);
  });

  it(
    "keeps one open alert per unit and rule: a breach before anyone acknowledged reopens it; after it is closed, a " +
      "new one",
    async () => {
      const s = await site();
      const start = Date.now() - 100 * MINUTE;
      await series(s, start, [6, 6.5, 7, 7.5, 3]);
      expect((await alertsOf(s.room)).map((a) => a.state)).toEqual(["cleared_unack"]);
      await series(s, start + 25 * MINUTE, [6, 6.2, 6.4, 6.6]);
      const reopened = await alertsOf(s.room);
      expect(reopened).toHaveLength(1);
      expect(reopened[0]).toMatchObject({ state: "active_unack", breaches: 2 });
      const id = reopened[0]?.id ?? "";
      expect((await s.command("alert.ack", { id, note: "Moving stock to the walk-in" })).status).toBe(200);
      await series(s, start + 45 * MINUTE, [3.1]);
      expect((await alertsOf(s.room))[0]?.state).toBe("cleared_ack");
      await series(s, start + 50 * MINUTE, [6, 6.5, 7, 7.5]);
      expect((await alertsOf(s.room)).map((a) => a.state)).toEqual(["cleared_ack", "active_unack"]);
    },
  );

  it("does not count a breach that dipped back inside the limit, even within the hysteresis band", async () => {
    const s = await site();
    await series(s, Date.now() - 20 * MINUTE, [5.1, 4.8, 4.9, 4.7]);
    expect(await query(s.room, "SELECT id FROM scheduled_jobs WHERE kind = 'site.breach'")).toEqual([]);
    await runJobsNow(s.room, "site.");
    expect(await alertsOf(s.room)).toEqual([]);
  });

  it("raises a breach that no later reading proves, from the schedule, once its duration is up", async () => {
    const s = await site();
    await series(s, Date.now() - 20 * MINUTE, [4, 6.1]);
    expect(await alertsOf(s.room)).toEqual([]);
    const jobs = await query<{ id: string; due_at: number }>(
      s.room,
      "SELECT id, due_at FROM scheduled_jobs WHERE kind = 'site.breach'",
    );
    expect(jobs).toHaveLength(1);
    await runJobsNow(s.room, "site.breach");
    expect(await alertsOf(s.room)).toEqual([
      expect.objectContaining({ rule: "temperature_high", state: "active_unack" }),
    ]);
  });

  it("notices a silent sensor from the schedule, and clears it with the next reading", async () => {
    const s = await site();
    const board = await RoomClient.connect("site", s.room.id, s.owner.cookie);
    await series(s, Date.now() - MINUTE, [3.2]);
    const [job] = await query<{ due_at: number }>(
      s.room,
      "SELECT due_at FROM scheduled_jobs WHERE id LIKE 'site.stale:%'",
    );
    expect(job?.due_at).toBeGreaterThan(Date.now() + 14 * MINUTE);
    // Fifteen minutes of silence, as the platform would see them: the last arrival moved back.
    await runInDurableObject(stub(s.room), (_i, state) => {
      state.storage.sql.exec("UPDATE rule_states SET last_at = last_at - ? WHERE kind = 'stale'", 16 * MINUTE);
      state.storage.sql.exec("UPDATE devices SET created_at = created_at - ?", 16 * MINUTE);
    });
    await runJobsNow(s.room, "site.stale");
    expect(await alertsOf(s.room)).toEqual([
      expect.objectContaining({ rule: "stale", state: "active_unack", severity: "warning" }),
    ]);
    await waitFor(
      () => board.doc.getMap<Unit>("units").get(s.unitId)?.status === "warning",
      "the unit amber while its sensor is silent",
    );
    await series(s, Date.now(), [3.3]);
    expect((await alertsOf(s.room))[0]?.state).toBe("cleared_unack");
    const [next] = await query<{ due_at: number }>(
      s.room,
      "SELECT due_at FROM scheduled_jobs WHERE id LIKE 'site.stale:%'",
    );
    expect(next?.due_at).toBeGreaterThan(Date.now() + 14 * MINUTE);
    board.close();
  });

  it("keeps a late reading from before the breach for the record without letting it clear the alert", async () => {
    const s = await site();
    const start = Date.now() - 60 * MINUTE;
    await series(s, start + 20 * MINUTE, [7, 7, 7, 7]);
    expect((await alertsOf(s.room))[0]?.state).toBe("active_unack");
    // A gateway's backlog delivers an older, cold reading after the fact.
    expect((await s.post(probeAt(start, 3))).status).toBe(200);
    expect((await alertsOf(s.room))[0]?.state).toBe("active_unack");
    expect(await query(s.room, "SELECT temperature FROM readings ORDER BY at LIMIT 1")).toEqual([{ temperature: 3 }]);
  });

  it("warns of a low battery, clearing only once it is back above the threshold's margin", async () => {
    const s = await site();
    const start = Date.now() - 10 * MINUTE;
    expect((await s.post(probeAt(start, 3, 2.6))).status).toBe(200);
    expect(await alertsOf(s.room)).toEqual([expect.objectContaining({ rule: "battery_low", severity: "warning" })]);
    expect((await s.post(probeAt(start + MINUTE, 3, 2.75))).status).toBe(200);
    expect((await alertsOf(s.room))[0]?.state).toBe("active_unack");
    expect((await s.post(probeAt(start + 2 * MINUTE, 3, 3.6))).status).toBe(200);
    expect((await alertsOf(s.room))[0]?.state).toBe("cleared_unack");
  });
});

describe("rule inheritance", () => {
  it(
    "shows each unit the rule that applies and where it comes from: " +
      "unit, else area, else site, else the FDA default",
    async () => {
      const s = await site();
      const freezer = (
        await json<{ result: { id: string } }>(
          await s.command("unit.create", { areaId: s.areaId, name: "Chest freezer", kind: "freezer" }),
        )
      ).result.id;
      const board = await RoomClient.connect("site", s.room.id, s.owner.cookie);
      const units = board.doc.getMap<Unit>("units");
      await waitFor(() => units.get(freezer) !== undefined, "the freezer mirrored");
      expect(units.get(s.unitId)?.rules.temperature_high).toMatchObject({ threshold: 5, source: "default" });
      expect(units.get(freezer)?.rules.temperature_high).toMatchObject({ threshold: -18, source: "default" });
      const rule = (threshold: number) => ({
        enabled: true,
        threshold,
        durationMinutes: 20,
        hysteresis: 1,
        severity: "critical",
      });
      expect((await s.command("rule.set", { scope: "site", kind: "temperature_high", rule: rule(7) })).status).toBe(
        200,
      );
      await waitFor(() => units.get(s.unitId)?.rules.temperature_high.source === "site", "the site's rule inherited");
      expect(board.doc.getMap<SiteSettings>("site").get("settings")?.rules.temperature_high?.threshold).toBe(7);
      expect(
        (await s.command("rule.set", { scope: "area", scopeId: s.areaId, kind: "temperature_high", rule: rule(6) }))
          .status,
      ).toBe(200);
      expect(
        (await s.command("rule.set", { scope: "unit", scopeId: freezer, kind: "temperature_high", rule: rule(-15) }))
          .status,
      ).toBe(200);
      await waitFor(
        () =>
          units.get(s.unitId)?.rules.temperature_high.source === "area" &&
          units.get(freezer)?.rules.temperature_high.source === "unit",
        "the nearer rules",
      );
      expect(units.get(s.unitId)?.rules.temperature_high.threshold).toBe(6);
      expect(units.get(freezer)?.rules.temperature_high.threshold).toBe(-15);
      expect(
        (await s.command("rule.set", { scope: "area", scopeId: s.areaId, kind: "temperature_high", rule: null }))
          .status,
      ).toBe(200);
      await waitFor(() => units.get(s.unitId)?.rules.temperature_high.source === "site", "back to the site's rule");
      board.close();
    },
  );

  it("clears an active alert when its rule is turned off", async () => {
    const s = await site();
    await series(s, Date.now() - 30 * MINUTE, [7, 7, 7, 7, 7]);
    expect((await alertsOf(s.room))[0]?.state).toBe("active_unack");
    const off = { enabled: false, threshold: 5, durationMinutes: 15, hysteresis: 0.5, severity: "critical" };
    expect(
      (await s.command("rule.set", { scope: "unit", scopeId: s.unitId, kind: "temperature_high", rule: off })).status,
    ).toBe(200);
    expect((await alertsOf(s.room))[0]?.state).toBe("cleared_unack");
  });
});

describe("the alert lifecycle and escalation", () => {
  it("escalates staff → manager → owner while nobody acknowledges, and stops when someone does", async () => {
    const s = await site();
    const staff = await addMember(s.owner, s.room, "staff", "Stu");
    const manager = await addMember(s.owner, s.room, "manager", "Mia");
    await series(s, Date.now() - 30 * MINUTE, [7, 7, 7, 7]);
    const [alert] = await alertsOf(s.room);
    const id = alert?.id ?? "";
    const audiences = async () =>
      (await outboxOf(s.room))
        .filter((r) => r.key.startsWith("alert:"))
        .map((r) => (JSON.parse(r.body) as { audience: unknown }).audience);
    expect(await audiences()).toEqual([{ roles: ["staff"], orElse: "alerts.handle" }]);
    // The staff member's bell gets it through the real queue.
    const staffSees = async () =>
      (
        await json<{ notifications: { title: string; url: string }[] }>(
          await api("/api/notifications", { cookie: staff.cookie }),
        )
      ).notifications;
    for (let i = 0; i < 200 && (await staffSees()).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect((await staffSees())[0]).toMatchObject({
      title: "Critical: Prep fridge too warm",
      url: `/rooms/${s.room.id}/units/${s.unitId}?alert=${id}`,
    });
    const [step1] = await query<{ due_at: number }>(
      s.room,
      "SELECT due_at FROM scheduled_jobs WHERE id = ?",
      `site.escalate:${id}`,
    );
    expect(step1?.due_at).toBeGreaterThan(Date.now() + 14 * MINUTE);
    await runJobsNow(s.room, "site.escalate");
    expect(await audiences()).toEqual([
      { roles: ["staff"], orElse: "alerts.handle" },
      { roles: ["manager", "admin"], orElse: "alerts.handle" },
    ]);
    const [step2] = await query<{ due_at: number; payload: string }>(
      s.room,
      "SELECT due_at, payload FROM scheduled_jobs WHERE id = ?",
      `site.escalate:${id}`,
    );
    expect(step2?.due_at).toBeGreaterThan(Date.now() + 29 * MINUTE);
    expect(JSON.parse(step2?.payload ?? "{}")).toEqual({ alertId: id, step: 2 });
    expect((await s.command("alert.ack", { id, note: "On it" }, manager)).status).toBe(200);
    expect(await query(s.room, "SELECT id FROM scheduled_jobs WHERE id LIKE 'site.escalate:%'")).toEqual([]);
    await runJobsNow(s.room, "site.escalate");
    expect(await audiences()).toHaveLength(2);
  });

  it("follows an edited escalation policy, and refuses a policy out of order", async () => {
    const s = await site();
    const steps = [
      { afterMinutes: 0, roles: ["staff", "manager"] },
      { afterMinutes: 5, roles: ["owner", "admin"] },
    ];
    expect((await s.command("escalation.set", { steps })).status).toBe(200);
    const bad = await s.command("escalation.set", {
      steps: [
        { afterMinutes: 0, roles: ["staff"] },
        { afterMinutes: 0, roles: ["owner"] },
      ],
    });
    expect(bad.status).toBe(400);
    expect((await s.command("escalation.set", { steps: [{ afterMinutes: 10, roles: ["staff"] }] })).status).toBe(400);
    expect((await s.command("escalation.set", { steps: [{ afterMinutes: 0, roles: ["chef"] }] })).status).toBe(400);
    await series(s, Date.now() - 30 * MINUTE, [7, 7, 7, 7]);
    const [alert] = await alertsOf(s.room);
    const [job] = await query<{ due_at: number }>(
      s.room,
      "SELECT due_at FROM scheduled_jobs WHERE id = ?",
      `site.escalate:${alert?.id}`,
    );
    expect(job?.due_at).toBeLessThan(Date.now() + 6 * MINUTE);
    await runJobsNow(s.room, "site.escalate");
    const audiences = (await outboxOf(s.room))
      .filter((r) => r.key.startsWith("alert:"))
      .map((r) => (JSON.parse(r.body) as { audience: unknown }).audience);
    expect(audiences).toEqual([
      { roles: ["staff", "manager"], orElse: "alerts.handle" },
      { roles: ["owner", "admin"], orElse: "alerts.handle" },
    ]);
  });

  it("acknowledges with a note and resolves with a corrective action and photo, live on the board", async () => {
    const s = await site();
    const staff = await addMember(s.owner, s.room, "staff", "Stu");
    const board = await RoomClient.connect("site", s.room.id, s.owner.cookie);
    await series(s, Date.now() - 30 * MINUTE, [7, 7, 7, 7]);
    const [raised] = await alertsOf(s.room);
    const id = raised?.id ?? "";
    const alerts = board.doc.getMap<Alert>("alerts");
    await waitFor(() => alerts.get(id)?.state === "active_unack", "the alert on the board");
    expect((await s.command("alert.ack", { id, note: "Door was left ajar" }, staff)).status).toBe(200);
    await waitFor(() => alerts.get(id)?.state === "active_ack", "the acknowledgement live");
    expect(alerts.get(id)?.ack).toMatchObject({ by: staff.user.id, byName: "Stu", note: "Door was left ajar" });
    const again = await s.command("alert.ack", { id, note: "" }, staff);
    expect(again.status).toBe(409);

    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    const photo = (who: Account) =>
      SELF.fetch(`${ORIGIN}/api/rooms/${s.room.id}/photos`, {
        method: "POST",
        headers: { Cookie: who.cookie, Origin: ORIGIN, "Content-Type": "image/png" },
        body: png,
      });
    const viewer = await addMember(s.owner, s.room, "viewer", "Val");
    expect((await photo(viewer)).status).toBe(403);
    expect((await env.BLOBS.list({ prefix: `rooms/${s.room.id}/` })).objects).toEqual([]);
    const upload = await photo(staff);
    expect(upload.status).toBe(201);
    const { photoId } = await upload.json<{ photoId: string }>();
    const resolution = {
      id,
      action: "Closed the door, probed product at 6 °C",
      product: "kept",
      note: "Under 2 h above 5 °C",
      photoId,
    };
    expect((await s.command("alert.resolve", resolution, staff)).status).toBe(200);
    await waitFor(() => alerts.get(id)?.resolution !== null, "the corrective action live");
    expect(alerts.get(id)?.resolution).toMatchObject({
      by: staff.user.id,
      byName: "Stu",
      action: resolution.action,
      product: "kept",
      photoId,
    });
    expect((await s.command("alert.resolve", resolution, staff)).status).toBe(409);
    await series(s, Date.now() - MINUTE, [3]);
    await waitFor(() => alerts.get(id)?.state === "cleared_ack", "closed once the condition ends");
    board.close();
  });

  it("refuses bad alert commands with typed errors and changes nothing", async () => {
    const s = await site();
    await series(s, Date.now() - 30 * MINUTE, [7, 7, 7, 7]);
    const [alert] = await alertsOf(s.room);
    const id = alert?.id ?? "";
    const before = await query(s.room, "SELECT * FROM alerts");
    const cases: [string, unknown, number, string][] = [
      ["alert.ack", { id: "no-such-alert" }, 404, "not_found"],
      ["alert.ack", { id, note: "x".repeat(2001) }, 400, "validation_failed"],
      ["alert.resolve", { id, action: "", product: "kept" }, 400, "validation_failed"],
      ["alert.resolve", { id, action: "Binned", product: "eaten" }, 400, "validation_failed"],
      ["alert.resolve", { id, action: "Binned", product: "discarded", photoId: "not-uploaded" }, 404, "not_found"],
      ["reading.log", { unitId: s.unitId, temperature: -300 }, 400, "validation_failed"],
      ["reading.log", { unitId: s.unitId, temperature: "cold" }, 400, "validation_failed"],
      ["reading.log", { unitId: "nope", temperature: 3 }, 404, "not_found"],
      [
        "rule.set",
        {
          scope: "site",
          kind: "temperature_high",
          rule: { enabled: true, threshold: 500, durationMinutes: 15, hysteresis: 0.5, severity: "critical" },
        },
        400,
        "validation_failed",
      ],
      [
        "rule.set",
        { scope: "site", kind: "temperature_high", rule: { enabled: true, threshold: 5 } },
        400,
        "validation_failed",
      ],
      ["rule.set", { scope: "unit", kind: "stale", rule: null }, 400, "validation_failed"],
      ["rule.set", { scope: "site", scopeId: "x", kind: "stale", rule: null }, 400, "validation_failed"],
      ["rule.set", { scope: "unit", scopeId: "nope", kind: "stale", rule: null }, 404, "not_found"],
      ["rule.set", { scope: "site", kind: "humidity_high", rule: null }, 400, "validation_failed"],
      ["site.retention", { retentionDays: 10, rollupRetentionDays: 3650 }, 400, "validation_failed"],
      ["site.retention", { retentionDays: 800, rollupRetentionDays: 400 }, 400, "validation_failed"],
    ];
    for (const [name, args, status, code] of cases) {
      const res = await s.command(name, args);
      expect(res.status, `${name} ${JSON.stringify(args).slice(0, 80)}`).toBe(status);
      expect((await res.json<ErrorJson>()).error.code).toBe(code);
    }
    expect(await query(s.room, "SELECT * FROM alerts")).toEqual(before);
    expect(await query(s.room, "SELECT * FROM rule_overrides")).toEqual([]);
    expect(await query(s.room, "SELECT * FROM site_settings")).toEqual([]);
  });

  it("holds at most MAX_UNITS_PER_SITE units", async () => {
    const s = await site();
    await runInDurableObject(stub(s.room), (_i, state) => {
      for (let i = 1; i < MAX_UNITS_PER_SITE; i++)
        state.storage.sql.exec(
          "INSERT INTO units (id, area_id, name, kind, created_at) VALUES (?, ?, ?, 'fridge', 0)",
          `u${i}`,
          s.areaId,
          `Fridge ${i}`,
        );
    });
    const res = await s.command("unit.create", { areaId: s.areaId, name: "One too many", kind: "fridge" });
    expect(res.status).toBe(409);
    expect((await query<{ n: number }>(s.room, "SELECT count(*) AS n FROM units"))[0]?.n).toBe(MAX_UNITS_PER_SITE);
  });

  it("logs a reading by hand and judges it like a sensor's", async () => {
    const s = await site();
    const staff = await addMember(s.owner, s.room, "staff", "Stu");
    const res = await s.command(
      "reading.log",
      { unitId: s.unitId, temperature: 3.4, note: "Probe in the soup" },
      staff,
    );
    expect(res.status).toBe(200);
    expect(await query(s.room, "SELECT dev_eui, temperature FROM readings")).toEqual([
      { dev_eui: "manual", temperature: 3.4 },
    ]);
    const audit = await query<{ actor: string; command: string }>(
      s.room,
      "SELECT actor, command FROM audit_log WHERE command = 'reading.log'",
    );
    expect(audit).toEqual([{ actor: staff.user.id, command: "reading.log" }]);
  });
});

describe("every role × every site command", () => {
  const ALLOWED: Record<string, string[]> = {
    configure: ["owner", "admin", "manager"],
    handle: ["owner", "admin", "manager", "staff"],
  };
  it("lets each role run exactly the commands its capabilities allow", async () => {
    const s = await site();
    await series(s, Date.now() - 30 * MINUTE, [7, 7, 7, 7]);
    const [alert] = await alertsOf(s.room);
    const members: Record<string, Account> = { owner: s.owner };
    for (const role of ["admin", "manager", "staff", "editor", "viewer"])
      members[role] = await addMember(s.owner, s.room, role, `The ${role}`);
    const temperature = { enabled: true, threshold: 6, durationMinutes: 15, hysteresis: 0.5, severity: "critical" };
    const commands: [string, (role: string) => unknown, "configure" | "handle"][] = [
      ["area.create", (role) => ({ name: `Area of ${role}` }), "configure"],
      ["area.rename", () => ({ id: s.areaId, name: "Kitchen" }), "configure"],
      ["unit.create", (role) => ({ areaId: s.areaId, name: `Unit of ${role}`, kind: "fridge" }), "configure"],
      ["unit.rename", () => ({ id: s.unitId, name: "Prep fridge" }), "configure"],
      ["device.assign", () => ({ devEui: PROBE, unitId: s.unitId }), "configure"],
      [
        "rule.set",
        () => ({ scope: "unit", scopeId: s.unitId, kind: "temperature_low", rule: temperature }),
        "configure",
      ],
      ["escalation.set", () => ({ steps: [{ afterMinutes: 0, roles: ["staff"] }] }), "configure"],
      ["site.retention", () => ({ retentionDays: 730, rollupRetentionDays: 3650 }), "configure"],
      ["reading.log", () => ({ unitId: s.unitId, temperature: 7 }), "handle"],
      ["device.remove", () => ({ devEui: DOOR }), "configure"],
    ];
    for (const [role, account] of Object.entries(members)) {
      for (const [name, args, need] of commands) {
        if (name === "device.remove") await s.command("device.assign", { devEui: DOOR, unitId: s.unitId });
        const res = await s.command(name, args(role), account);
        const allowed = ALLOWED[need]?.includes(role) ?? false;
        expect(res.status, `${role} ${name}`).toBe(allowed ? 200 : 403);
      }
    }
    // Correcting a hand-logged reading: a fresh one for each role to try.
    for (const [role, account] of Object.entries(members)) {
      const logged = await s.command("reading.log", { unitId: s.unitId, temperature: 7 });
      const { id } = (await json<{ result: { id: string } }>(logged)).result;
      const res = await s.command("reading.correct", { corrects: id, temperature: 7.2, reason: role }, account);
      expect(res.status, `${role} reading.correct`).toBe(ALLOWED.handle?.includes(role) ? 200 : 403);
      const other = (
        await json<{ result: { id: string } }>(await s.command("reading.log", { unitId: s.unitId, temperature: 7 }))
      ).result.id;
      const act = { recordId: other, found: role, action: "Checked", product: "kept" };
      expect((await s.command("reading.act", act, account)).status, `${role} reading.act`).toBe(
        ALLOWED.handle?.includes(role) ? 200 : 403,
      );
      // The owner logged it, so the owner may not verify it: another with site.configure does.
      const verify = await s.command("record.verify", { recordId: other }, account);
      expect(verify.status, `${role} record.verify`).toBe(
        role === "owner" ? 403 : ALLOWED.configure?.includes(role) ? 200 : 403,
      );
    }
    // Acknowledging and resolving: each alert once, so one fresh alert per role that may.
    for (const [role, account] of Object.entries(members)) {
      const ack = await s.command("alert.ack", { id: alert?.id ?? "", note: role }, account);
      const resolve = await s.command(
        "alert.resolve",
        { id: alert?.id ?? "", action: "Checked", product: "kept" },
        account,
      );
      if (ALLOWED.handle?.includes(role)) {
        expect([200, 409], `${role} alert.ack`).toContain(ack.status);
        expect([200, 409], `${role} alert.resolve`).toContain(resolve.status);
      } else {
        expect(ack.status, `${role} alert.ack`).toBe(403);
        expect(resolve.status, `${role} alert.resolve`).toBe(403);
      }
    }
    const [done] = await alertsOf(s.room);
    expect(done?.state).toBe("active_ack");
  });
});

describe("readings storage: rollups, charts and retention", () => {
  it(
    "answers a chart from raw readings, per-minute and per-hour " + "rollups, with the rule limits and alert periods",
    async () => {
      const s = await site();
      const viewer = await addMember(s.owner, s.room, "viewer", "Val");
      const start = Date.now() - 3 * 60 * MINUTE;
      const base = start - (start % (60 * MINUTE));
      const temps = [3, 3.2, 3.4, 6, 6.5, 7, 7.5, 3.1, 3];
      await series(s, base + 60 * MINUTE, temps, 5 * MINUTE);
      const url = (q: string) => `/api/rooms/${s.room.id}/units/${s.unitId}/readings?${q}`;
      const raw = await json<ReadingsAnswer>(
        await api(url(`from=${base}&to=${Date.now()}`), { cookie: viewer.cookie }),
      );
      expect(raw.resolution).toBe("raw");
      expect(raw.mean).toEqual(temps);
      expect(raw.limits).toEqual({ high: 5, highClear: 4.5, low: null, lowClear: null });
      expect(raw.alerts).toEqual([
        expect.objectContaining({
          rule: "temperature_high",
          startedAt: base + 75 * MINUTE,
          clearedAt: base + 95 * MINUTE,
        }),
      ]);
      const hour = await json<ReadingsAnswer>(
        await api(url(`from=${base}&to=${Date.now()}&resolution=hour`), { cookie: viewer.cookie }),
      );
      const firstHour = temps.slice(0, Math.min(temps.length, 12));
      expect(hour.at[0]).toBe(base + 60 * MINUTE);
      expect(hour.min[0]).toBe(Math.min(...firstHour));
      expect(hour.max[0]).toBe(Math.max(...firstHour));
      expect(hour.mean[0]).toBeCloseTo(firstHour.reduce((a, b) => a + b, 0) / firstHour.length, 2);
      const minute = await json<ReadingsAnswer>(
        await api(url(`from=${base}&to=${Date.now()}&resolution=minute`), { cookie: viewer.cookie }),
      );
      expect(minute.at).toHaveLength(temps.length);
      const month = await json<ReadingsAnswer>(
        await api(url(`from=${Date.now() - 30 * 24 * 60 * MINUTE}&to=${Date.now()}`), { cookie: viewer.cookie }),
      );
      expect(month.resolution).toBe("minute");
      // Gathered into columns: three 15-minute columns over the excursion, each with its mean, lowest and highest.
      const columns = await json<ReadingsAnswer>(
        await api(url(`from=${base + 60 * MINUTE}&to=${base + 105 * MINUTE}&points=3`), { cookie: viewer.cookie }),
      );
      expect(columns.resolution).toBe("raw");
      expect(columns.at).toEqual([base + 60 * MINUTE, base + 75 * MINUTE, base + 90 * MINUTE]);
      expect(columns.min).toEqual([3, 6, 3]);
      expect(columns.max).toEqual([3.4, 7, 7.5]);
      expect(columns.mean).toEqual([3.2, 6.5, 4.53]);
      const minuteColumns = await json<ReadingsAnswer>(
        await api(url(`from=${base + 60 * MINUTE}&to=${base + 105 * MINUTE}&resolution=minute&points=3`), {
          cookie: viewer.cookie,
        }),
      );
      expect([minuteColumns.min, minuteColumns.max, minuteColumns.mean]).toEqual([
        columns.min,
        columns.max,
        columns.mean,
      ]);
      for (const points of ["0", "20000", "many"])
        expect(
          (await api(url(`from=${base}&to=${Date.now()}&points=${points}`), { cookie: viewer.cookie })).status,
          points,
        ).toBe(400);
      for (const bad of [
        "from=abc&to=1",
        `from=${Date.now()}&to=${Date.now() - 1}`,
        `from=0&to=${Date.now()}`,
        `from=1&to=2&resolution=second`,
      ]) {
        expect((await api(url(bad), { cookie: viewer.cookie })).status, bad).toBe(400);
      }
      const stranger = await signup("Stranger");
      expect((await api(url(`from=${base}&to=${Date.now()}`), { cookie: stranger.cookie })).status).toBe(404);
      const home = await createRoom(s.owner, "property", "A home");
      expect(
        (
          await api(`/api/rooms/${home.id}/units/${s.unitId}/readings?from=${base}&to=${Date.now()}`, {
            cookie: s.owner.cookie,
          })
        ).status,
      ).toBe(404);
    },
  );

  it("sweeps readings past their retention from the schedule, keeping hourly rollups longer", async () => {
    const s = await site();
    await series(s, Date.now() - 10 * MINUTE, [3]);
    expect(await query(s.room, "SELECT id FROM scheduled_jobs WHERE id = 'site.retention'")).toHaveLength(1);
    const day = 24 * 60 * MINUTE;
    const old = Date.now() - 800 * day;
    const older = Date.now() - 4000 * day;
    await runInDurableObject(stub(s.room), (_i, state) => {
      for (const at of [old, older]) {
        state.storage.sql.exec(
          "INSERT INTO readings (dev_eui, unit_id, at, temperature) VALUES (?, ?, ?, 3)",
          PROBE,
          s.unitId,
          at,
        );
        state.storage.sql.exec(
          "INSERT INTO readings_minute (unit_id, at, count, sum, min, max) VALUES (?, ?, 1, 3, 3, 3)",
          s.unitId,
          at,
        );
        state.storage.sql.exec(
          "INSERT INTO readings_hour (unit_id, at, count, sum, min, max) VALUES (?, ?, 1, 3, 3, 3)",
          s.unitId,
          at,
        );
      }
    });
    await runJobsNow(s.room, "site.retention");
    const ats = async (table: string) =>
      (await query<{ at: number }>(s.room, `SELECT at FROM ${table} ORDER BY at`)).map((r) => r.at);
    expect(await ats("readings")).toHaveLength(1);
    expect(await ats("readings_minute")).toHaveLength(1);
    expect(await ats("readings_hour")).toEqual([old, expect.any(Number)]);
    const [next] = await query<{ due_at: number }>(
      s.room,
      "SELECT due_at FROM scheduled_jobs WHERE id = 'site.retention'",
    );
    expect(next?.due_at).toBeGreaterThan(Date.now() + 23 * 60 * MINUTE);
    // A shorter retention, set by a manager, applies at the next sweep.
    expect((await s.command("site.retention", { retentionDays: 30, rollupRetentionDays: 30 })).status).toBe(200);
    await runInDurableObject(stub(s.room), (_i, state) =>
      state.storage.sql.exec("UPDATE readings SET at = at - ?", 40 * day),
    );
    await runJobsNow(s.room, "site.retention");
    expect(await ats("readings")).toEqual([]);
    expect(await ats("readings_hour")).toHaveLength(1);
  });
});
