import { env, runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Room } from "../../../schema/core/api";
import type { Unit } from "../../../schema/site/records";
import { redated, ttnFixture } from "../../fixtures/ttn/load";
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

const stub = (room: Room) => env.site.get(env.site.idFromName(room.id));
const DAY = 24 * 60 * 60_000;
const doorFixture = ttnFixture("dragino-lds02-door");
const lht65 = ttnFixture("dragino-lht65");
const em300 = ttnFixture("milesight-em300-th");

/** A TTN body for this moment: the fixture re-dated to now, with the counter and correlation id given. */
function uplink(fixture: object, fCnt: number, correlation = `as:up:${crypto.randomUUID()}`): Record<string, unknown> {
  const body = redated(fixture) as Record<string, unknown> & { uplink_message: Record<string, unknown> };
  body.correlation_ids = [correlation];
  body.uplink_message = { ...body.uplink_message, f_cnt: fCnt };
  return body;
}

const devEuiOf = (fixture: object) =>
  (fixture as { end_device_ids: { dev_eui: string } }).end_device_ids.dev_eui.toUpperCase();

function post(roomId: string, key: string | null, body: unknown, raw?: string) {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (key !== null) headers.Authorization = `Bearer ${key}`;
  return SELF.fetch(`${ORIGIN}/api/sites/${roomId}/ttn`, {
    method: "POST",
    headers,
    body: raw ?? JSON.stringify(body),
  });
}

async function site(): Promise<{ owner: Account; room: Room; key: string; keyId: string; unitId: string }> {
  const owner = await signup("Sam");
  const room = await createRoom(owner, "site", "North cold store");
  const made = await api(`/api/rooms/${room.id}/ingest-keys`, {
    cookie: owner.cookie,
    body: { label: "TTN production" },
  });
  expect(made.status).toBe(201);
  const { key, id } = await json<{ key: string; id: string }>(made);
  const command = (name: string, args: unknown) =>
    api(`/api/rooms/${room.id}/commands`, { cookie: owner.cookie, body: { name, args, key: crypto.randomUUID() } });
  const area = await json<{ result: { id: string } }>(await command("area.create", { name: "Kitchen" }));
  const unit = await json<{ result: { id: string } }>(
    await command("unit.create", { areaId: area.result.id, name: "Walk-in cooler", kind: "walk_in_cooler" }),
  );
  expect(
    (await command("device.assign", { devEui: devEuiOf(lht65), unitId: unit.result.id, name: "Cooler probe" })).status,
  ).toBe(200);
  return { owner, room, key, keyId: id, unitId: unit.result.id };
}

async function readingCount(room: Room): Promise<number> {
  return runInDurableObject(
    stub(room),
    (_i, state) => state.storage.sql.exec("SELECT count(*) AS n FROM readings").one().n as number,
  );
}

describe("sensor ingestion from The Things Network", () => {
  it("stores an uplink from a claimed sensor and shows it live on the unit", async () => {
    const { owner, room, key, unitId } = await site();
    const board = await RoomClient.connect("site", room.id, owner.cookie);
    const res = await post(room.id, key, uplink(lht65, 41));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "stored" });
    const units = board.doc.getMap<Unit>("units");
    await waitFor(
      () => units.get(unitId)?.latest !== null && units.get(unitId)?.latest !== undefined,
      "the reading on the open board",
    );
    const latest = units.get(unitId)?.latest;
    expect(latest?.devEui).toBe(devEuiOf(lht65));
    expect(typeof latest?.temperature).toBe("number");
    board.close();
  });

  it("takes TTN's retry once: the same correlation id, or counter at the same time, stores nothing more", async () => {
    const { room, key } = await site();
    const first = uplink(lht65, 7, "as:up:retry-1");
    expect(await (await post(room.id, key, first)).json()).toEqual({ status: "stored" });
    expect(await (await post(room.id, key, first)).json()).toEqual({ status: "duplicate" });
    expect(await (await post(room.id, key, uplink(lht65, 8, "as:up:retry-1"))).json()).toEqual({ status: "duplicate" });
    expect(await (await post(room.id, key, { ...first, correlation_ids: ["as:up:other"] })).json()).toEqual({
      status: "duplicate",
    });
    expect(await (await post(room.id, key, uplink(lht65, 9))).json()).toEqual({ status: "stored" });
    // The same counter at a new time is a device that rejoined, not a retry.
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await (await post(room.id, key, uplink(lht65, 7))).json()).toEqual({ status: "stored" });
    expect(await readingCount(room)).toBe(3);
  });

  it("keeps an unknown sensor for a manager to claim, then stores its readings once claimed", async () => {
    const { owner, room, key, unitId } = await site();
    expect(await (await post(room.id, key, uplink(em300, 3))).json()).toEqual({ status: "unclaimed" });
    const list = await json<{ devices: { devEui: string; uplinks: number }[] }>(
      await api(`/api/rooms/${room.id}/unclaimed-devices`, { cookie: owner.cookie }),
    );
    expect(list.devices).toEqual([expect.objectContaining({ devEui: devEuiOf(em300), uplinks: 1 })]);
    const claim = await api(`/api/rooms/${room.id}/commands`, {
      cookie: owner.cookie,
      body: { name: "device.assign", args: { devEui: devEuiOf(em300), unitId }, key: crypto.randomUUID() },
    });
    expect(claim.status).toBe(200);
    expect(await (await post(room.id, key, uplink(em300, 4))).json()).toEqual({ status: "stored" });
    const after = await json<{ devices: unknown[] }>(
      await api(`/api/rooms/${room.id}/unclaimed-devices`, { cookie: owner.cookie }),
    );
    expect(after.devices).toEqual([]);
  });

  it("answers TTN events that are not uplinks with 200 and stores nothing", async () => {
    const { room, key } = await site();
    const res = await post(room.id, key, ttnFixture("join-accept"));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ignored" });
    expect(await readingCount(room)).toBe(0);
  });

  it("answers a join-accept 30 days old with 200 ignored: its age does not matter when nothing is stored", async () => {
    const { room, key } = await site();
    const res = await post(room.id, key, ttnFixture("join-accept", Date.now() - 30 * DAY));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ignored" });
    const stale = await post(room.id, key, redated(uplink(lht65, 5), Date.now() - 30 * DAY));
    expect(stale.status).toBe(400);
    expect(await readingCount(room)).toBe(0);
  });

  it("refuses bad input with a clear 4xx and stores nothing", async () => {
    const { room, key } = await site();
    const absurd = uplink(lht65, 50) as { uplink_message: { decoded_payload: Record<string, unknown> } };
    absurd.uplink_message.decoded_payload = { ...absurd.uplink_message.decoded_payload, TempC_SHT: -300 };
    const future = uplink(lht65, 51);
    future.received_at = new Date(Date.now() + 3_600_000).toISOString();
    const noEui = uplink(lht65, 52) as { end_device_ids: Record<string, unknown> };
    noEui.end_device_ids = { device_id: "probe" };
    for (const body of [absurd, future, noEui, "just text", [1, 2, 3]]) {
      const res = await post(room.id, key, body);
      expect(res.status).toBe(400);
      expect((await res.json<ErrorJson>()).error.code).toBe("validation_failed");
    }
    expect((await post(room.id, key, null, "{not json")).status).toBe(400);
    expect((await post(room.id, key, null, JSON.stringify({ pad: "x".repeat(70_000) }))).status).toBe(413);
    expect(await readingCount(room)).toBe(0);
  });

  it("lets only a live key of this site in, and rotates keys with an overlap", async () => {
    const { owner, room, key, keyId } = await site();
    const other = await site();
    expect((await post(room.id, null, uplink(lht65, 60))).status).toBe(401);
    expect((await post(room.id, "wrongkeywrongkeywrongkey", uplink(lht65, 60))).status).toBe(401);
    expect((await post(room.id, other.key, uplink(lht65, 60))).status).toBe(401);
    const home = await createRoom(owner, "property", "Not a site");
    expect((await post(home.id, key, uplink(lht65, 60))).status).toBe(401);

    const second = await json<{ key: string }>(
      await api(`/api/rooms/${room.id}/ingest-keys`, { cookie: owner.cookie, body: { label: "TTN new" } }),
    );
    expect((await post(room.id, key, uplink(lht65, 61))).status).toBe(200);
    expect((await post(room.id, second.key, uplink(lht65, 62))).status).toBe(200);
    expect(
      (await api(`/api/rooms/${room.id}/ingest-keys/${keyId}`, { cookie: owner.cookie, method: "DELETE" })).status,
    ).toBe(204);
    expect((await post(room.id, key, uplink(lht65, 63))).status).toBe(401);
    expect((await post(room.id, second.key, uplink(lht65, 64))).status).toBe(200);
    const keys = await json<{ keys: { label: string }[] }>(
      await api(`/api/rooms/${room.id}/ingest-keys`, { cookie: owner.cookie }),
    );
    expect(keys.keys.map((k) => k.label)).toEqual(["TTN new"]);
    expect(JSON.stringify(keys)).not.toContain(second.key);
  });

  it("renames areas and units and removes a sensor, which then comes back as unclaimed", async () => {
    const { owner, room, key, unitId } = await site();
    const command = (name: string, args: unknown) =>
      api(`/api/rooms/${room.id}/commands`, { cookie: owner.cookie, body: { name, args, key: crypto.randomUUID() } });
    const area = await json<{ result: { id: string } }>(await command("area.create", { name: "Back store" }));
    expect((await command("area.rename", { id: area.result.id, name: "Dry store" })).status).toBe(200);
    expect((await command("unit.rename", { id: unitId, name: "Walk-in cooler 1" })).status).toBe(200);
    expect((await command("unit.rename", { id: "nope", name: "x" })).status).toBe(404);
    const board = await RoomClient.connect("site", room.id, owner.cookie);
    await waitFor(
      () => board.doc.getMap<Unit>("units").get(unitId)?.name === "Walk-in cooler 1",
      "the rename mirrored",
    );
    expect(board.doc.getMap<{ name: string }>("areas").get(area.result.id)?.name).toBe("Dry store");
    expect((await command("device.remove", { devEui: devEuiOf(lht65) })).status).toBe(200);
    expect((await command("device.remove", { devEui: devEuiOf(lht65) })).status).toBe(404);
    await waitFor(
      () => board.doc.getMap<Unit>("units").get(unitId)?.devices.length === 0,
      "the sensor gone from its unit",
    );
    expect(await (await post(room.id, key, uplink(lht65, 90))).json()).toEqual({ status: "unclaimed" });
    board.close();
  });

  it("lets managers configure, staff and viewers not", async () => {
    const { owner, room } = await site();
    const manager = await addMember(owner, room, "manager", "Mia");
    const staff = await addMember(owner, room, "staff", "Stu");
    const viewer = await addMember(owner, room, "viewer", "Vi");
    expect(
      (await api(`/api/rooms/${room.id}/ingest-keys`, { cookie: manager.cookie, body: { label: "Mia's" } })).status,
    ).toBe(201);
    for (const who of [staff, viewer]) {
      expect(
        (await api(`/api/rooms/${room.id}/ingest-keys`, { cookie: who.cookie, body: { label: "mine" } })).status,
      ).toBe(403);
      expect((await api(`/api/rooms/${room.id}/ingest-keys`, { cookie: who.cookie })).status).toBe(403);
      const res = await api(`/api/rooms/${room.id}/commands`, {
        cookie: who.cookie,
        body: { name: "area.create", args: { name: "Bar" }, key: crypto.randomUUID() },
      });
      expect(res.status).toBe(403);
    }
  });

  it("reads a door sensor and slows down a sensor that floods", async () => {
    const { owner, room, key, unitId } = await site();
    await api(`/api/rooms/${room.id}/commands`, {
      cookie: owner.cookie,
      body: { name: "device.assign", args: { devEui: devEuiOf(doorFixture), unitId }, key: crypto.randomUUID() },
    });
    expect(await (await post(room.id, key, uplink(doorFixture, 1))).json()).toEqual({ status: "stored" });
    const door = await runInDurableObject(
      stub(room),
      (_i, state) =>
        state.storage.sql.exec("SELECT door_open FROM readings WHERE dev_eui = ?", devEuiOf(doorFixture)).one()
          .door_open,
    );
    expect(door).toBe(1);
    // Sent at once: one by one on a busy machine, the allowance refills (2 a second) as fast as they arrive.
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => post(room.id, key, uplink(lht65, 100 + i)).then((res) => res.status)),
    );
    expect(answers.filter((status) => status === 429).length).toBeGreaterThan(0);
  });
});
