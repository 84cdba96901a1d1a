/**
 * A cold alarm: workerd restarted (a second `npm start` on the same state) and the room's alarm
 * wakes it on a fresh instance whose `ctx.id.name` is unset. That instance then serves the
 * Worker's calls too, so a room that cannot tell its id fails its jobs and every command.
 */
import { abortAllDurableObjects, env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { HavenRoom } from "../../../rooms/core/HavenRoom";
import { ROOM_NAME_KEY } from "../../../rooms/core/room-name";
import type { Room } from "../../../schema/core/api";
import { type Account, api, createRoom, signup } from "../helpers";

const named = (room: Room) => env.site.get(env.site.idFromName(room.id)) as DurableObjectStub<HavenRoom>;
/** The same room addressed by its hex id, as workerd's alarm scheduler wakes it after a restart: no name. */
const nameless = (room: Room) =>
  env.site.get(env.site.idFromString(env.site.idFromName(room.id).toString())) as DurableObjectStub<HavenRoom>;

async function createArea(owner: Account, room: Room, id: string): Promise<number> {
  const res = await api(`/api/rooms/${room.id}/commands`, {
    cookie: owner.cookie,
    body: { name: "area.create", args: { id, name: `Area ${id}` }, key: `area-${id}-${crypto.randomUUID()}` },
  });
  return res.status;
}

const PROBE_JOB = "probe:cold-alarm";

/**
 * Gives the room a due job, ends its instance (as a restart does) and fires the alarm on a nameless
 * one; answers whether the job ran. The alarm is set an hour ahead so only this call fires it.
 */
async function coldAlarm(room: Room): Promise<boolean> {
  await runInDurableObject(named(room), async (_instance, state) => {
    state.storage.sql.exec(
      "INSERT INTO scheduled_jobs (id, kind, due_at, payload) VALUES (?, 'probe', ?, '{}')",
      PROBE_JOB,
      Date.now() - 1,
    );
    await state.storage.setAlarm(Date.now() + 3_600_000);
  });
  await abortAllDurableObjects();
  const stub = nameless(room);
  expect(await runInDurableObject(stub, (_instance, state) => state.id.name)).toBeUndefined();
  expect(await runDurableObjectAlarm(stub)).toBe(true);
  const left = await runInDurableObject(stub, (_instance, state) =>
    state.storage.sql.exec("SELECT count(*) AS n FROM scheduled_jobs WHERE id = ?", PROBE_JOB).one(),
  );
  return left.n === 0;
}

describe("a room woken by a cold alarm", () => {
  it("keeps its id from its first call, runs the alarm and then answers commands", async () => {
    const owner = await signup("Ann");
    const room = await createRoom(owner, "site", "Kitchen");
    expect(await createArea(owner, room, "kitchen")).toBe(200);
    expect(await runInDurableObject(named(room), (_i, state) => state.storage.kv.get(ROOM_NAME_KEY))).toBe(room.id);

    expect(await coldAlarm(room)).toBe(true);
    expect(await createArea(owner, room, "back-store")).toBe(200);
  });

  it("finds its id in D1 when it stored none (a room made before rooms kept it)", async () => {
    const owner = await signup("Bo");
    const room = await createRoom(owner, "site", "Harbour");
    expect(await createArea(owner, room, "kitchen")).toBe(200);
    await runInDurableObject(named(room), (_i, state) => state.storage.kv.delete(ROOM_NAME_KEY));

    expect(await coldAlarm(room)).toBe(true);
    expect(await runInDurableObject(nameless(room), (_i, state) => state.storage.kv.get(ROOM_NAME_KEY))).toBe(room.id);
    expect(await createArea(owner, room, "back-store")).toBe(200);
  });

  it("leaves its jobs for a later try when no room in D1 has its id (a room whose row is gone)", async () => {
    const owner = await signup("Cy");
    const room = await createRoom(owner, "site", "Gone");
    expect(await createArea(owner, room, "kitchen")).toBe(200);
    await runInDurableObject(named(room), (_i, state) => state.storage.kv.delete(ROOM_NAME_KEY));
    await env.DB.prepare("UPDATE rooms SET kind = 'deal' WHERE id = ?").bind(room.id).run();

    await expect(coldAlarm(room)).rejects.toThrow(/room unavailable/);
    const left = await runInDurableObject(nameless(room), (_i, state) =>
      state.storage.sql.exec("SELECT count(*) AS n FROM scheduled_jobs WHERE id = ?", PROBE_JOB).one(),
    );
    expect(left.n).toBe(1);
  });
});
