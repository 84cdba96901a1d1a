/**
 * The cost of a completion: validated and kept as cents in the home's currency, shown in the task's history,
 * and summed per asset over the last 12 months. Dates are relative to today, so the test holds on any day.
 */
import { describe, expect, it } from "vitest";
import { COMPLETION_COST_MAX, DEFAULT_HOME_CURRENCY } from "../../../config";
import type { AssetCosts } from "../../../schema/property/documents";
import type { Completion } from "../../../schema/property/records";
import { addDays, localDate } from "../../../schema/property/recurrence";
import { type Account, addMember, api, createRoom, type ErrorJson, json, signup } from "../helpers";

const today = () => localDate(Date.now(), "UTC");

function commander(roomId: string, who: Account) {
  return async (name: string, args: unknown) =>
    api(`/api/rooms/${roomId}/commands`, { cookie: who.cookie, body: { name, args, key: crypto.randomUUID() } });
}

async function home() {
  const alice = await signup("Alice");
  const room = await createRoom(alice, "property", "Maple Street");
  const run = commander(room.id, alice);
  const created = async (name: string, args: unknown) =>
    (await json<{ result: { id: string } }>(await run(name, args))).result.id;
  const boiler = await created("asset.create", { name: "Boiler", category: "hvac" });
  const task = (title: string, assetId = boiler) =>
    created("task.create", { title, assetId, schedule: { type: "once", date: today() } });
  return { alice, room, run, boiler, created, task };
}

describe("the cost of a completion", () => {
  it("is kept in cents in the home's currency and shown in the task's history", async () => {
    const { alice, room, run, task } = await home();
    const service = await task("Annual service");
    const done = await run("task.complete", { id: service, occurrence: today(), cost: 149.9 });
    expect(done.status).toBe(200);
    const history = await json<{ entries: Completion[] }>(
      await api(`/api/rooms/${room.id}/tasks/${service}/history`, { cookie: alice.cookie }),
    );
    expect(history.entries[0]).toMatchObject({ kind: "done", costCents: 14990, currency: DEFAULT_HOME_CURRENCY });

    expect((await run("home.settings", { timeZone: "Europe/Berlin", currency: "EUR" })).status).toBe(200);
    const bleed = await task("Bleed radiators");
    await run("task.complete", { id: bleed, occurrence: today(), cost: 0 });
    const noCost = await task("Check pressure");
    await run("task.complete", { id: noCost, occurrence: today() });
    const entries = async (id: string) =>
      (
        await json<{ entries: Completion[] }>(
          await api(`/api/rooms/${room.id}/tasks/${id}/history`, { cookie: alice.cookie }),
        )
      ).entries;
    expect((await entries(bleed))[0]).toMatchObject({ costCents: 0, currency: "EUR" });
    expect((await entries(noCost))[0]).toMatchObject({ costCents: null, currency: null });
  });

  it("refuses a negative, oversized, over-precise or non-numeric cost, changing nothing", async () => {
    const { alice, room, run, task } = await home();
    const id = await task("Annual service");
    for (const cost of [-0.01, COMPLETION_COST_MAX + 0.01, 12.345, 0.001, "12", { amount: 1 }, 1e308]) {
      const res = await run("task.complete", { id, occurrence: today(), cost });
      expect(res.status, String(cost)).toBe(400);
      const body = await json<ErrorJson>(res);
      expect(body.error.code).toBe("validation_failed");
    }
    const history = await json<{ entries: Completion[] }>(
      await api(`/api/rooms/${room.id}/tasks/${id}/history`, { cookie: alice.cookie }),
    );
    expect(history.entries).toHaveLength(0);
    expect((await run("task.complete", { id, occurrence: today(), cost: COMPLETION_COST_MAX })).status).toBe(200);
    expect((await run("home.settings", { timeZone: "UTC", currency: "euro" })).status).toBe(400);
  });

  it("sums an asset's completions of the last 12 months, each listed, and nothing older or elsewhere", async () => {
    const { alice, room, run, boiler, created, task } = await home();
    const recent = await task("Annual service");
    await run("task.complete", { id: recent, occurrence: today(), cost: 120.5 });
    const older = await task("Replace valve");
    await run("task.complete", { id: older, occurrence: today(), on: addDays(today(), -200), cost: 80 });
    const tooOld = await task("Old repair");
    await run("task.complete", { id: tooOld, occurrence: today(), on: addDays(today(), -365), cost: 999 });
    const skipped = await task("Flush");
    await run("task.skip", { id: skipped, occurrence: today(), reason: "Not needed" });
    const fridge = await created("asset.create", { name: "Fridge", category: "appliance" });
    const elsewhere = await task("Defrost", fridge);
    await run("task.complete", { id: elsewhere, occurrence: today(), cost: 10 });

    const res = await api(`/api/rooms/${room.id}/assets/${boiler}/costs`, { cookie: alice.cookie });
    expect(res.status).toBe(200);
    const costs = await json<AssetCosts>(res);
    expect(costs.to).toBe(today());
    expect(costs.from).toBe(addDays(today(), -364));
    expect(costs.totals).toEqual([{ currency: DEFAULT_HOME_CURRENCY, cents: 20050 }]);
    expect(costs.entries.map((e) => [e.taskTitle, e.costCents])).toEqual([
      ["Annual service", 12050],
      ["Replace valve", 8000],
    ]);

    const viewer = await addMember(alice, room, "viewer");
    expect((await api(`/api/rooms/${room.id}/assets/${boiler}/costs`, { cookie: viewer.cookie })).status).toBe(200);
    const stranger = await signup("Mallory");
    expect((await api(`/api/rooms/${room.id}/assets/${boiler}/costs`, { cookie: stranger.cookie })).status).toBe(404);
    expect((await api(`/api/rooms/${room.id}/assets/${boiler}/costs`)).status).toBe(401);
    expect((await api(`/api/rooms/${room.id}/assets/nope/costs`, { cookie: alice.cookie })).status).toBe(404);
  });

  it("may be recorded by whoever may complete the task, and by nobody else", async () => {
    const { alice, room, task } = await home();
    const id = await task("Annual service");
    const viewer = await addMember(alice, room, "viewer");
    const res = await commander(room.id, viewer)("task.complete", { id, occurrence: today(), cost: 5 });
    expect(res.status).toBe(403);
  });
});
