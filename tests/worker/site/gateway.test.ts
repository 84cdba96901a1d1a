/**
 * A gateway gone quiet: every unit behind it silent at once is one outage, told once, shown
 * together and acknowledged together; a single sensor quiet behind a working gateway is its own.
 */
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Room } from "../../../schema/core/api";
import type { Alert } from "../../../schema/site/records";
import { json, RoomClient, waitFor } from "../helpers";
import { keyedSite, lht65At } from "./site-helpers";

const MINUTE = 60_000;
const stub = (room: Room) => env.site.get(env.site.idFromName(room.id));

/** A reading at 3 °C from `devEui`, heard best through `gateway` (and weakly through another). */
const probeVia = (devEui: string, gateway: string) =>
  lht65At(Date.now(), {
    devEui,
    temperature: 3,
    rxMetadata: [
      { gateway_ids: { gateway_id: "gw-far-away" }, rssi: -118, snr: -9 },
      { gateway_ids: { gateway_id: gateway }, rssi: -74, snr: 8.5 },
    ],
  });

/** A site whose units are heard through the gateways named, one unit and probe each. */
async function site(gateways: string[]) {
  const s = await keyedSite();
  const areaId = await s.make("area.create", { name: "Kitchen" });
  const units: { id: string; devEui: string; gateway: string }[] = [];
  for (const [i, gateway] of gateways.entries()) {
    const id = await s.make("unit.create", { areaId, name: `Fridge ${i + 1}`, kind: "fridge" });
    const devEui = `A84041000000${String(i + 1).padStart(4, "0")}`;
    expect((await s.command("device.assign", { devEui, unitId: id })).status).toBe(200);
    units.push({ id, devEui, gateway });
  }
  const report = async (only = units) => {
    for (const u of only) expect((await s.post(probeVia(u.devEui, u.gateway))).status).toBe(200);
  };
  return { ...s, units, report };
}

const query = <T>(room: Room, sql: string, ...params: SqlStorageValue[]) =>
  runInDurableObject(stub(room), (_i, state) => state.storage.sql.exec(sql, ...params).toArray() as T[]);

/** `minutes` of silence from the units given, as the platform would see them: their last arrivals moved back. */
async function silence(room: Room, unitIds: string[], minutes: number): Promise<void> {
  await runInDurableObject(stub(room), (_i, state) => {
    for (const id of unitIds) {
      state.storage.sql.exec(
        "UPDATE rule_states SET last_at = last_at - ? WHERE kind = 'stale' AND unit_id = ?",
        minutes * MINUTE,
        id,
      );
      state.storage.sql.exec("UPDATE devices SET created_at = created_at - ? WHERE unit_id = ?", minutes * MINUTE, id);
    }
  });
}

/** Runs the stale checks of the units given as if they were due now (the first one's check first). */
async function checkNow(room: Room, unitIds: string[]): Promise<void> {
  for (const id of unitIds) {
    await runInDurableObject(stub(room), async (_i, state) => {
      state.storage.sql.exec("UPDATE scheduled_jobs SET due_at = ? WHERE id = ?", Date.now() - 1, `site.stale:${id}`);
      await state.storage.setAlarm(Date.now() + 3_600_000);
    });
    await runDurableObjectAlarm(stub(room));
  }
}

const staleAlerts = (room: Room) =>
  query<{ id: string; unit_id: string; state: string; gateway: string | null }>(
    room,
    "SELECT id, unit_id, state, gateway FROM alerts WHERE rule = 'stale' ORDER BY unit_id",
  );
const notices = async (room: Room) =>
  (await query<{ key: string; body: string }>(room, "SELECT key, body FROM outbox ORDER BY created_at, key"))
    .filter((r) => r.key.startsWith("alert:"))
    .map((r) => JSON.parse(r.body) as { title: string; body: string; url: string; subject: string });

describe("a gateway gone quiet", () => {
  it("raises every unit behind it as one outage: each unit's alert marked, one notice naming them all", async () => {
    const s = await site(["gw-kitchen", "gw-kitchen", "gw-kitchen", "gw-cellar"]);
    await s.report();
    const devices = await query<{ gateway_id: string }>(s.room, "SELECT gateway_id FROM devices ORDER BY dev_eui");
    expect(devices.map((d) => d.gateway_id)).toEqual(["gw-kitchen", "gw-kitchen", "gw-kitchen", "gw-cellar"]);
    const kitchen = s.units.slice(0, 3).map((u) => u.id);
    // The sensors report on their own intervals: the last one through the gateway fell quiet five minutes later.
    await silence(s.room, kitchen.slice(0, 2), 16);
    await silence(s.room, kitchen.slice(2), 11);
    const board = await RoomClient.connect("site", s.room.id, s.owner.cookie);
    await checkNow(s.room, [kitchen[0] ?? ""]);

    const alerts = await staleAlerts(s.room);
    expect(alerts.map((a) => [a.unit_id, a.state, a.gateway])).toEqual(
      kitchen.map((id) => [id, "active_unack", "gw-kitchen"]).sort(),
    );
    const told = await notices(s.room);
    expect(told).toHaveLength(1);
    expect(told[0]?.title).toBe("Warning: gateway gw-kitchen silent, 3 units quiet");
    expect(told[0]?.body).toContain("Fridge 1, Fridge 2, Fridge 3");
    expect(told[0]?.url).toBe(`/rooms/${encodeURIComponent(s.room.id)}`);
    const mirrored = board.doc.getMap<Alert>("alerts");
    await waitFor(() => alerts.every((a) => mirrored.get(a.id)?.gateway === "gw-kitchen"), "the outage on the board");

    // The other checks come due: nothing more is raised and nobody is told again.
    await checkNow(s.room, kitchen.slice(1));
    expect(await staleAlerts(s.room)).toHaveLength(3);
    expect(await notices(s.room)).toHaveLength(1);

    // One note acknowledges the outage; the cellar behind its own gateway was never part of it.
    const res = await s.command("alert.ackMany", { ids: alerts.map((a) => a.id), note: "Gateway unplugged" });
    expect((await json<{ result: { acknowledged: string[] } }>(res)).result.acknowledged).toHaveLength(3);

    // The gateway comes back: each unit's alert clears with its own next reading.
    await s.report(s.units.slice(0, 1));
    const after = await staleAlerts(s.room);
    expect(after.find((a) => a.unit_id === kitchen[0])?.state).toBe("cleared_ack");
    expect(after.filter((a) => a.state === "active_ack")).toHaveLength(2);
    board.close();
  });

  it("raises a quiet sensor on its own while its gateway still carries the others", async () => {
    const s = await site(["gw-kitchen", "gw-kitchen", "gw-kitchen"]);
    await s.report();
    const [first = "", ...others] = s.units.map((u) => u.id);
    await silence(s.room, [first], 16);
    await silence(s.room, others, 2);
    await checkNow(s.room, [first]);
    expect((await staleAlerts(s.room)).map((a) => [a.unit_id, a.gateway])).toEqual([[first, null]]);
    const told = await notices(s.room);
    expect(told.map((n) => n.title)).toEqual(["Warning: Fridge 1 has gone quiet"]);
    expect(told[0]?.url).toContain(`/units/${encodeURIComponent(first)}`);
  });

  it("takes a lone sensor behind its own gateway, or one never named, for a silent sensor, not a gateway", async () => {
    const s = await site(["gw-kitchen", "gw-cellar"]);
    await s.report();
    await query(s.room, "UPDATE devices SET gateway_id = NULL WHERE unit_id = ?", s.units[1]?.id ?? "");
    const ids = s.units.map((u) => u.id);
    await silence(s.room, ids, 16);
    await checkNow(s.room, ids);
    expect((await staleAlerts(s.room)).map((a) => a.gateway)).toEqual([null, null]);
    expect(await notices(s.room)).toHaveLength(2);
  });
});
