/**
 * Checks by hand a site requires: with the `manual_check` rule on, a unit whose last hand-logged reading is older
 * than the rule's minutes raises an alert when the room's alarm looks, and the next reading logged clears it. A
 * reading logged by hand never speaks for a silent sensor.
 */
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { type KeyedSite, keyedSite } from "./site-helpers";

const MINUTE = 60_000;
const stub = (s: KeyedSite) => env.site.get(env.site.idFromName(s.room.id));

const alertsOf = (s: KeyedSite) =>
  runInDurableObject(stub(s), (_room, state) =>
    state.storage.sql
      .exec<{ rule: string; state: string; last_value: number | null }>(
        "SELECT rule, state, last_value FROM alerts ORDER BY raised_at",
      )
      .toArray(),
  );

/** Runs the room's alarm as the platform would once the job is due (its due time brought forward to now). */
async function alarmNow(s: KeyedSite): Promise<void> {
  await runInDurableObject(stub(s), async (_room, state) => {
    state.storage.sql.exec("UPDATE scheduled_jobs SET due_at = min(due_at, ?)", Date.now() - 1);
    await state.storage.setAlarm(Date.now() + 3_600_000);
  });
  await runDurableObjectAlarm(stub(s));
}

const checkEvery = (s: KeyedSite, unitId: string, durationMinutes: number, enabled = true) =>
  s.command("rule.set", {
    scope: "unit",
    scopeId: unitId,
    kind: "manual_check",
    rule: { enabled, durationMinutes, severity: "warning" },
  });

describe("checks by hand a site requires", () => {
  it("raises an alert when a unit's check is overdue, and the next reading logged clears it", async () => {
    const s = await keyedSite();
    const areaId = await s.make("area.create", { name: "Kitchen" });
    const unitId = await s.make("unit.create", { areaId, name: "Salad bar", kind: "display_case" });
    const log = (minutesAgo: number) =>
      s.command("reading.log", { unitId, temperature: 4, takenAt: Date.now() - minutesAgo * MINUTE });

    // Off by default: an old check alerts nobody.
    expect((await log(300)).status).toBe(200);
    await alarmNow(s);
    expect(await alertsOf(s)).toEqual([]);

    // Every 4 hours: the last check was 5 hours ago, so it is overdue at once.
    expect((await checkEvery(s, unitId, 240)).status).toBe(200);
    await alarmNow(s);
    const [raised] = await alertsOf(s);
    expect(raised).toMatchObject({ rule: "manual_check", state: "active_unack" });
    expect(raised?.last_value).toBeGreaterThanOrEqual(299);

    // Checked now: the alert clears, and no new one is due for 4 hours.
    expect((await log(0)).status).toBe(200);
    await alarmNow(s);
    expect((await alertsOf(s)).map((a) => [a.rule, a.state])).toEqual([["manual_check", "cleared_unack"]]);

    // Turned off: nothing more is watched.
    expect((await checkEvery(s, unitId, 240, false)).status).toBe(200);
    const scheduled = await runInDurableObject(stub(s), (_room, state) =>
      state.storage.sql.exec("SELECT id FROM scheduled_jobs WHERE id LIKE 'site.manual_check:%'").toArray(),
    );
    expect(scheduled).toEqual([]);
  });

  it("starts the watch when the rule is turned on, refuses bad intervals, and leaves sensors to sensors", async () => {
    const s = await keyedSite();
    const areaId = await s.make("area.create", { name: "Kitchen" });
    const unitId = await s.make("unit.create", { areaId, name: "Walk-in", kind: "fridge" });
    const tooShort = await checkEvery(s, unitId, 10);
    expect(tooShort.status).toBe(400);
    // Never checked: due one interval after the rule was turned on, not at once.
    expect((await checkEvery(s, unitId, 30)).status).toBe(200);
    await runInDurableObject(stub(s), (_room, state) => {
      const [job] = state.storage.sql
        .exec<{ due_at: number }>("SELECT due_at FROM scheduled_jobs WHERE id LIKE 'site.manual_check:%'")
        .toArray();
      expect(job?.due_at).toBeGreaterThan(Date.now() + 29 * MINUTE);
    });
    await runDurableObjectAlarm(stub(s));
    expect(await alertsOf(s)).toEqual([]);

    // A hand-logged reading says nothing of the unit's sensors: it does not start or satisfy their watch.
    await s.command("device.assign", { devEui: "A84041000181C001", unitId });
    expect((await s.command("reading.log", { unitId, temperature: 3 })).status).toBe(200);
    const stale = await runInDurableObject(stub(s), (_room, state) =>
      state.storage.sql.exec("SELECT last_at FROM rule_states WHERE kind = 'stale'").toArray(),
    );
    expect(stale).toEqual([]);
  });
});
