/**
 * Acknowledging several alerts with one note (`alert.ackMany`), its abuse cases, an alert
 * that stays on the board until it has its corrective action, and a pending breach's
 * "alerts at" on the unit's record.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Room } from "../../../schema/core/api";
import { MAX_BULK_ACK } from "../../../schema/site/commands";
import type { Alert, Unit } from "../../../schema/site/records";
import { type Account, addMember, type ErrorJson, json, RoomClient, waitFor } from "../helpers";
import { keyedSite, lht65At, PROBE } from "./site-helpers";

const MINUTE = 60_000;
const stub = (room: Room) => env.site.get(env.site.idFromName(room.id));
const probeAt = (devEui: string, at: number, t: number) => lht65At(at, { devEui, temperature: t });

/** A site with `n` fridges, each with its own probe. */
async function site(n: number) {
  const s = await keyedSite();
  const areaId = await s.make("area.create", { name: "Kitchen" });
  const probes: string[] = [];
  const unitIds: string[] = [];
  for (let i = 0; i < n; i++) {
    const unitId = await s.make("unit.create", { areaId, name: `Fridge ${i + 1}`, kind: "fridge" });
    const devEui = i === 0 ? PROBE : `A84041000000${String(i).padStart(4, "0")}`;
    expect((await s.command("device.assign", { devEui, unitId })).status).toBe(200);
    probes.push(devEui);
    unitIds.push(unitId);
  }
  /** Four readings at 7 °C, 5 minutes apart and 30 minutes ago: a critical alert on each unit. */
  const warm = async () => {
    for (const devEui of probes)
      for (let i = 0; i < 4; i++)
        expect((await s.post(probeAt(devEui, Date.now() - (30 - 5 * i) * MINUTE, 7))).status).toBe(200);
  };
  return { ...s, probes, unitIds, warm };
}

const query = <T>(room: Room, sql: string, ...params: unknown[]) =>
  runInDurableObject(stub(room), (_i, state) => state.storage.sql.exec(sql, ...params).toArray() as T[]);
const alertIds = async (room: Room) =>
  (await query<{ id: string }>(room, "SELECT id FROM alerts ORDER BY raised_at")).map((a) => a.id);

describe("acknowledging several alerts at once", () => {
  it("acknowledges them all with one note, live, and skips those already acknowledged", async () => {
    const s = await site(3);
    await s.warm();
    const ids = await alertIds(s.room);
    expect(ids).toHaveLength(3);
    const staff = await addMember(s.owner, s.room, "staff", "Stu");
    const [first = "", ...rest] = ids;
    expect((await s.command("alert.ack", { id: first, note: "On the first" }, staff)).status).toBe(200);
    const board = await RoomClient.connect("site", s.room.id, s.owner.cookie);
    const res = await s.command("alert.ackMany", { ids, note: "Gateway rebooted" }, staff);
    expect(res.status).toBe(200);
    expect((await json<{ result: unknown }>(res)).result).toEqual({ acknowledged: rest, skipped: [first] });
    const alerts = board.doc.getMap<Alert>("alerts");
    await waitFor(() => rest.every((id) => alerts.get(id)?.state === "active_ack"), "all acknowledged, live");
    for (const id of rest) expect(alerts.get(id)?.ack).toMatchObject({ by: staff.user.id, note: "Gateway rebooted" });
    expect(alerts.get(first)?.ack?.note).toBe("On the first");
    // Repeated: nothing left to acknowledge.
    const again = await s.command("alert.ackMany", { ids, note: "" }, staff);
    expect(again.status).toBe(409);
    expect((await again.json<ErrorJson>()).error.code).toBe("conflict");
    board.close();
  });

  it("refuses too many, unknown or repeated ids and the wrong role, changing nothing", async () => {
    const s = await site(2);
    await s.warm();
    const ids = await alertIds(s.room);
    const viewer = await addMember(s.owner, s.room, "viewer", "Val");
    const before = await query(s.room, "SELECT * FROM alerts");
    const cases: [unknown, number, string, Account?][] = [
      [{ ids: [] }, 400, "validation_failed"],
      [{ ids: Array.from({ length: MAX_BULK_ACK + 1 }, (_, i) => `a${i}`) }, 400, "validation_failed"],
      [{ ids: [ids[0], ids[0]] }, 400, "validation_failed"],
      [{ ids: ["bad id!"] }, 400, "validation_failed"],
      [{ ids, note: "x".repeat(2001) }, 400, "validation_failed"],
      [{ ids, extra: true }, 400, "validation_failed"],
      [{ ids: [...ids, "no-such-alert"] }, 404, "not_found"],
      [{ ids }, 403, "forbidden", viewer],
    ];
    for (const [args, status, code, who] of cases) {
      const res = await s.command("alert.ackMany", args, who);
      expect(res.status, JSON.stringify(args).slice(0, 80)).toBe(status);
      expect((await res.json<ErrorJson>()).error.code).toBe(code);
    }
    const unknown = await s.command("alert.ackMany", { ids: [ids[0], "no-such-alert"] });
    expect((await unknown.json<ErrorJson>()).error.details).toEqual({
      fields: [{ path: "ids.1", message: "is not an alert of this site" }],
    });
    expect(await query(s.room, "SELECT * FROM alerts")).toEqual(before);
  });
});

describe("an alert on the board", () => {
  it("stays mirrored after a week when acknowledged and cleared but never resolved", async () => {
    const s = await site(1);
    await s.warm();
    const [id = ""] = await alertIds(s.room);
    expect((await s.command("alert.ack", { id, note: "" })).status).toBe(200);
    expect((await s.post(probeAt(s.probes[0] ?? "", Date.now() - MINUTE, 3))).status).toBe(200);
    const longAgo = Date.now() - 30 * 24 * 60 * MINUTE;
    await query(
      s.room,
      "UPDATE alerts SET cleared_at = ?, ack_at = ?, raised_at = ? WHERE id = ?",
      longAgo,
      longAgo,
      longAgo,
      id,
    );
    const board = await RoomClient.connect("site", s.room.id, s.owner.cookie);
    const alerts = board.doc.getMap<Alert>("alerts");
    // Readings' changes reach the document coalesced (SENSOR_MIRROR_COALESCE_MS): the board may first show the
    // alert as it was before the clearing reading, then cleared.
    await waitFor(() => alerts.get(id)?.state === "cleared_ack", "the unresolved alert on the board, cleared");
    expect(alerts.get(id)?.resolution).toBeNull();
    board.close();
  });

  it("tells a pending breach's unit when it will alert", async () => {
    const s = await site(1);
    const since = Date.now() - 6 * MINUTE;
    expect((await s.post(probeAt(s.probes[0] ?? "", since, 6))).status).toBe(200);
    const board = await RoomClient.connect("site", s.room.id, s.owner.cookie);
    const units = board.doc.getMap<Unit>("units");
    const unitId = s.unitIds[0] ?? "";
    await waitFor(() => units.get(unitId)?.status === "pending", "pending on the board");
    expect(units.get(unitId)?.pending).toEqual({ rule: "temperature_high", since, alertsAt: since + 15 * MINUTE });
    expect((await s.post(probeAt(s.probes[0] ?? "", Date.now() - MINUTE, 3))).status).toBe(200);
    await waitFor(() => units.get(unitId)?.status === "ok", "back to ok");
    expect(units.get(unitId)?.pending).toBeNull();
    board.close();
  });
});
