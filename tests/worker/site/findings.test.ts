/** The red team's findings on sites (issue 13), each as it was reproduced. */
import { env, runDurableObjectAlarm, runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MAX_AREAS_PER_SITE, MAX_SENSORS_PER_UNIT, MAX_UNCLAIMED_DEVICES_PER_SITE } from "../../../config";
import type { Room } from "../../../schema/core/api";
import lht65 from "../../fixtures/ttn/dragino-lht65.json";
import { type Account, addMember, api, createRoom, json, ORIGIN, signup } from "../helpers";

const MINUTE = 60_000;
const stub = (room: Room) => env.site.get(env.site.idFromName(room.id));
const PROBE = (lht65 as { end_device_ids: { dev_eui: string } }).end_device_ids.dev_eui.toUpperCase();

/** An LHT65 uplink TTN received at `at` (relative to now), with its counter, temperature and correlation id. */
function uplinkAt(
  at: number,
  fCnt: number,
  t: number,
  devEui = PROBE,
  correlation = `as:up:${crypto.randomUUID()}`,
): Record<string, unknown> {
  const body = structuredClone(lht65) as Record<string, unknown> & {
    end_device_ids: Record<string, unknown>;
    uplink_message: Record<string, unknown> & { decoded_payload: Record<string, unknown> };
  };
  body.end_device_ids = { ...body.end_device_ids, dev_eui: devEui, device_id: `dev-${devEui.toLowerCase()}` };
  body.received_at = new Date(at).toISOString();
  body.correlation_ids = [correlation];
  body.uplink_message = {
    ...body.uplink_message,
    f_cnt: fCnt,
    received_at: body.received_at,
    decoded_payload: { ...body.uplink_message.decoded_payload, TempC_SHT: t },
  };
  return body;
}

interface Site {
  owner: Account;
  room: Room;
  key: string;
  areaId: string;
  unitId: string;
  command: (name: string, args: unknown, who?: Account, key?: string) => Promise<Response>;
  post: (body: unknown, raw?: string) => Promise<Response>;
}

async function site(kind = "fridge"): Promise<Site> {
  const owner = await signup("Rae");
  const room = await createRoom(owner, "site", "Quay market");
  const { key } = await json<{ key: string }>(
    await api(`/api/rooms/${room.id}/ingest-keys`, { cookie: owner.cookie, body: { label: "TTN" } }),
  );
  const command = (name: string, args: unknown, who: Account = owner, commandKey = crypto.randomUUID()) =>
    api(`/api/rooms/${room.id}/commands`, { cookie: who.cookie, body: { name, args, key: commandKey } });
  const post = (body: unknown, raw?: string) =>
    SELF.fetch(`${ORIGIN}/api/sites/${room.id}/ttn`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${key}` },
      body: raw ?? JSON.stringify(body),
    });
  const areaId = (await json<{ result: { id: string } }>(await command("area.create", { name: "Hall" }))).result.id;
  const unitId = (
    await json<{ result: { id: string } }>(await command("unit.create", { areaId, name: "Case B", kind }))
  ).result.id;
  expect((await command("device.assign", { devEui: PROBE, unitId })).status).toBe(200);
  return { owner, room, key, areaId, unitId, command, post };
}

function query<T>(room: Room, sql: string, ...params: unknown[]): Promise<T[]> {
  return runInDurableObject(stub(room), (_i, state) => state.storage.sql.exec(sql, ...params).toArray() as T[]);
}
const count = async (room: Room, table: string) =>
  (await query<{ n: number }>(room, `SELECT count(*) AS n FROM ${table}`))[0]?.n ?? 0;

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

describe("site findings", () => {
  it("stores a rejoined sensor's readings though its counter starts again, and drops TTN's retries", async () => {
    const s = await site();
    const start = Date.now() - 30 * MINUTE;
    for (let i = 1; i <= 5; i++)
      expect(await (await s.post(uplinkAt(start + i * MINUTE, i, 3))).json()).toEqual({
        status: "stored",
      });
    // The device rejoined: it counts 1–5 again, later, with new correlation ids, at 9 °C.
    for (let i = 1; i <= 5; i++)
      expect(await (await s.post(uplinkAt(start + (10 + i) * MINUTE, i, 9))).json()).toEqual({ status: "stored" });
    expect(await count(s.room, "readings")).toBe(10);
    // TTN's retry carries the same correlation id: dropped.
    const retry = uplinkAt(start + 20 * MINUTE, 6, 9, PROBE, "as:up:retry-1");
    expect(await (await s.post(retry)).json()).toEqual({ status: "stored" });
    expect(await (await s.post(retry)).json()).toEqual({ status: "duplicate" });
    // A retry without correlation ids: the same counter at the same TTN time.
    const bare = { ...uplinkAt(start + 21 * MINUTE, 7, 9), correlation_ids: [] };
    expect(await (await s.post(bare)).json()).toEqual({ status: "stored" });
    expect(await (await s.post(bare)).json()).toEqual({ status: "duplicate" });
    expect(await count(s.room, "readings")).toBe(12);
  });

  it("does not let a key holder's future counters drop the real uplinks", async () => {
    const s = await site();
    const now = Date.now();
    for (let i = 100; i < 103; i++) await s.post(uplinkAt(now - 10 * MINUTE, i, 3));
    for (let i = 100; i < 103; i++)
      expect(await (await s.post(uplinkAt(now - (5 - (i - 100)) * MINUTE, i, 8))).json()).toEqual({
        status: "stored",
      });
  });

  it("keeps MAX_UNCLAIMED_DEVICES_PER_SITE unclaimed sensors at most, the oldest dropped, paged", async () => {
    const s = await site();
    const room = stub(s.room);
    const hash = await sha256Hex(s.key);
    const eui = (i: number) => `A0${i.toString(16).toUpperCase().padStart(14, "0")}`;
    const extra = 15;
    for (let i = 0; i < MAX_UNCLAIMED_DEVICES_PER_SITE + extra; i++) {
      const outcome = await room.ingestUplink(hash, uplinkAt(Date.now(), 1, 4, eui(i)));
      expect(outcome.status).toBe("unclaimed");
    }
    expect(await count(s.room, "unclaimed_devices")).toBe(MAX_UNCLAIMED_DEVICES_PER_SITE);
    const kept = new Set(
      (await query<{ dev_eui: string }>(s.room, "SELECT dev_eui FROM unclaimed_devices")).map((r) => r.dev_eui),
    );
    expect(kept.has(eui(0))).toBe(false);
    expect(kept.has(eui(MAX_UNCLAIMED_DEVICES_PER_SITE + extra - 1))).toBe(true);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const path = `/api/rooms/${s.room.id}/unclaimed-devices?limit=60${cursor ? `&before=${cursor}` : ""}`;
      const res = await api(path, { cookie: s.owner.cookie });
      expect(res.status).toBe(200);
      const page = await json<{ devices: { devEui: string }[]; nextCursor: string | null }>(res);
      expect(page.devices.length).toBeLessThanOrEqual(60);
      seen.push(...page.devices.map((d) => d.devEui));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(Math.ceil(MAX_UNCLAIMED_DEVICES_PER_SITE / 60));
    expect(new Set(seen).size).toBe(MAX_UNCLAIMED_DEVICES_PER_SITE);
    expect(seen[0]).toBe(eui(MAX_UNCLAIMED_DEVICES_PER_SITE + extra - 1));
    const bad = await api(`/api/rooms/${s.room.id}/unclaimed-devices?limit=100000`, { cookie: s.owner.cookie });
    expect(bad.status).toBe(400);
  });

  it("judges a pending breach under the rule changed before the schedule saw it", async () => {
    const s = await site("display_case");
    const start = Date.now() - 6 * MINUTE;
    for (const [i, t] of [3.0, 5.8, 6.0, 6.1].entries())
      expect((await s.post(uplinkAt(start + i * MINUTE, 10 + i, t))).status).toBe(200);
    const rule = { enabled: true, threshold: 7, durationMinutes: 15, hysteresis: 0.5, severity: "warning" };
    expect(
      (await s.command("rule.set", { scope: "unit", scopeId: s.unitId, kind: "temperature_high", rule })).status,
    ).toBe(200);
    await runInDurableObject(stub(s.room), async (_i, state) => {
      state.storage.sql.exec("UPDATE scheduled_jobs SET due_at = ? WHERE kind = 'site.breach'", Date.now() - 1);
      await state.storage.setAlarm(Date.now() + 3_600_000);
    });
    await runDurableObjectAlarm(stub(s.room));
    expect(await query(s.room, "SELECT rule, threshold, peak_value FROM alerts")).toEqual([]);
    expect(
      await query(
        s.room,
        "SELECT breach_since FROM rule_states WHERE kind = 'temperature_high' AND unit_id = ?",
        s.unitId,
      ),
    ).toEqual([{ breach_since: null }]);
  });

  it("holds at most MAX_AREAS_PER_SITE areas and MAX_SENSORS_PER_UNIT sensors in a unit", async () => {
    const s = await site();
    await runInDurableObject(stub(s.room), (_i, state) => {
      for (let i = 1; i < MAX_AREAS_PER_SITE; i++)
        state.storage.sql.exec("INSERT INTO areas (id, name, created_at) VALUES (?, ?, 0)", `a${i}`, `Area ${i}`);
      for (let i = 1; i < MAX_SENSORS_PER_UNIT; i++)
        state.storage.sql.exec(
          "INSERT INTO devices (dev_eui, unit_id, name, mapping, created_at) VALUES (?, ?, ?, NULL, 0)",
          `B${i.toString(16).toUpperCase().padStart(15, "0")}`,
          s.unitId,
          `Sensor ${i}`,
        );
    });
    const area = await s.command("area.create", { name: "One too many" });
    expect(area.status).toBe(409);
    expect((await json<{ error: { code: string } }>(area)).error.code).toBe("conflict");
    const sensor = await s.command("device.assign", { devEui: "C000000000000001", unitId: s.unitId });
    expect(sensor.status).toBe(409);
    expect(await count(s.room, "areas")).toBe(MAX_AREAS_PER_SITE);
    expect(await count(s.room, "devices")).toBe(MAX_SENSORS_PER_UNIT);
    // Re-assigning a sensor already in the unit is not one more.
    expect((await s.command("device.assign", { devEui: PROBE, unitId: s.unitId, name: "Probe" })).status).toBe(200);
  });

  it("answers a decoded_payload nested 3,000 deep with 400, storing nothing", async () => {
    const s = await site();
    const deep = `${'{"x":'.repeat(3000)}1${"}".repeat(3000)}`;
    const body = JSON.stringify(uplinkAt(Date.now(), 1, 4)).replace(
      /"decoded_payload":\{[^}]*\}/,
      `"decoded_payload":{"TempC_SHT":4,"deep":${deep}}`,
    );
    const res = await s.post(null, body);
    expect(res.status).toBe(400);
    expect((await json<{ error: { code: string } }>(res)).error.code).toBe("invalid_json");
    expect(await count(s.room, "readings")).toBe(0);
  });

  it("tells a viewer reusing someone's command key 403, not that the key exists", async () => {
    const s = await site();
    const used = crypto.randomUUID();
    expect((await s.command("area.rename", { id: s.areaId, name: "Hall A" }, s.owner, used)).status).toBe(200);
    const viewer = await addMember(s.owner, s.room, "viewer", "Vic");
    const res = await s.command("area.rename", { id: s.areaId, name: "Mine" }, viewer, used);
    expect(res.status).toBe(403);
    expect((await json<{ error: { code: string } }>(res)).error.code).toBe("forbidden");
  });

  it("makes and revokes ingest keys as commands, each with its audit row", async () => {
    const s = await site();
    const audit = () =>
      query<{ command: string; actor: string }>(
        s.room,
        "SELECT command, actor FROM audit_log WHERE command LIKE 'ingestKey.%' ORDER BY at, rowid",
      );
    // The key made in site() is the first.
    expect((await audit()).map((a) => a.command)).toEqual(["ingestKey.create"]);
    const made = await json<{ id: string; key: string }>(
      await api(`/api/rooms/${s.room.id}/ingest-keys`, { cookie: s.owner.cookie, body: { label: "Spare" } }),
    );
    expect(
      (await api(`/api/rooms/${s.room.id}/ingest-keys/${made.id}`, { cookie: s.owner.cookie, method: "DELETE" }))
        .status,
    ).toBe(204);
    expect(
      (await api(`/api/rooms/${s.room.id}/ingest-keys/${made.id}`, { cookie: s.owner.cookie, method: "DELETE" }))
        .status,
    ).toBe(404);
    expect((await audit()).map((a) => a.command)).toEqual(["ingestKey.create", "ingestKey.create", "ingestKey.revoke"]);
    const rows = await query<{ args: string }>(s.room, "SELECT args FROM audit_log WHERE command = 'ingestKey.create'");
    for (const row of rows) expect(row.args).not.toContain(made.key);
    // A staff member may not, over the command path either.
    const staff = await addMember(s.owner, s.room, "staff", "Stu");
    const res = await s.command("ingestKey.create", { label: "x", keyHash: "a".repeat(64) }, staff);
    expect(res.status).toBe(403);
  });

  it("drops a site job whose payload does not fit its schema instead of running it on a guess", async () => {
    const s = await site();
    await runInDurableObject(stub(s.room), async (_i, state) => {
      state.storage.sql.exec(
        "INSERT INTO scheduled_jobs (id, kind, due_at, payload, failures) VALUES ('bad', 'site.stale', ?, ?, 0)",
        Date.now() - 1,
        JSON.stringify(null),
      );
      await state.storage.setAlarm(Date.now() + 3_600_000);
    });
    await runDurableObjectAlarm(stub(s.room));
    expect(await query(s.room, "SELECT id FROM scheduled_jobs WHERE id = 'bad'")).toEqual([]);
  });
});
