/**
 * Edits from stale forms in a site: a unit's (or area's) name and an alert rule's fields
 * are never silently put back by a form opened before someone else changed them.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Room } from "../../../schema/core/api";
import type { EditConflictDetails } from "../../../schema/core/edit-base";
import { type Account, addMember, api, createRoom, type ErrorJson, json, signup } from "../helpers";

const stub = (room: Room) => env.site.get(env.site.idFromName(room.id));

async function site() {
  const owner = await signup("Demo Owner");
  const room = await createRoom(owner, "site", "Harbour kitchen");
  const sam = await addMember(owner, room, "manager", "Sam");
  const command = async (who: Account, name: string, args: unknown) => {
    const res = await api(`/api/rooms/${room.id}/commands`, {
      cookie: who.cookie,
      body: { name, args, key: crypto.randomUUID() },
    });
    return { status: res.status, body: await json<{ result: { id: string } } & Partial<ErrorJson>>(res) };
  };
  const areaId = (await command(owner, "area.create", { name: "Kitchen" })).body.result.id;
  const unitId = (await command(owner, "unit.create", { areaId, name: "Prep fridge", kind: "fridge" })).body.result.id;
  return { owner, sam, room, areaId, unitId, command };
}

function query<T>(room: Room, sql: string, ...params: unknown[]): Promise<T[]> {
  return runInDurableObject(stub(room), (_i, state) => state.storage.sql.exec(sql, ...params).toArray() as T[]);
}

const nameOf = async (room: Room, table: "units" | "areas", id: string) =>
  (await query<{ name: string }>(room, `SELECT name FROM ${table} WHERE id = ?`, id))[0]?.name;

/** The rule a scope sets itself, as stored; undefined when it inherits. */
async function ownRule(room: Room, scope: string, kind: string): Promise<Record<string, unknown> | undefined> {
  const rows = await query<{ rule: string }>(
    room,
    "SELECT rule FROM rule_overrides WHERE scope = ? AND kind = ?",
    scope,
    kind,
  );
  return rows[0] ? (JSON.parse(rows[0].rule) as Record<string, unknown>) : undefined;
}

const auditCount = async (room: Room) =>
  (await query<{ n: number }>(room, "SELECT count(*) AS n FROM audit_log"))[0]?.n;

describe("unit.rename and area.rename from a stale form", () => {
  it(
    "refuses a name changed by both with the name now, changes " + "nothing, and renames once the base is current",
    async () => {
      const s = await site();
      expect(
        (
          await s.command(s.owner, "unit.rename", {
            id: s.unitId,
            name: "Prep fridge 1",
            base: { name: "Prep fridge" },
          })
        ).status,
      ).toBe(200);
      const audit = await auditCount(s.room);
      const refused = await s.command(s.sam, "unit.rename", {
        id: s.unitId,
        name: "Salad fridge",
        base: { name: "Prep fridge" },
      });
      expect([refused.status, refused.body.error?.code]).toEqual([409, "edit_conflict"]);
      expect(refused.body.error?.details).toEqual({
        fields: [{ path: "name", message: "was changed by someone else meanwhile", current: "Prep fridge 1" }],
      } satisfies EditConflictDetails);
      expect(await nameOf(s.room, "units", s.unitId)).toBe("Prep fridge 1");
      expect(await auditCount(s.room)).toBe(audit);

      expect(
        (await s.command(s.sam, "unit.rename", { id: s.unitId, name: "Salad fridge", base: { name: "Prep fridge 1" } }))
          .status,
      ).toBe(200);
      expect(await nameOf(s.room, "units", s.unitId)).toBe("Salad fridge");
    },
  );

  it("lets both set the same name, and renames without a base as before", async () => {
    const s = await site();
    await s.command(s.owner, "area.rename", { id: s.areaId, name: "Back kitchen", base: { name: "Kitchen" } });
    expect(
      (await s.command(s.sam, "area.rename", { id: s.areaId, name: "Back kitchen", base: { name: "Kitchen" } })).status,
    ).toBe(200);
    expect((await s.command(s.sam, "area.rename", { id: s.areaId, name: "Kitchen" })).status).toBe(200);
    expect(await nameOf(s.room, "areas", s.areaId)).toBe("Kitchen");
    const bad = await s.command(s.sam, "unit.rename", { id: s.unitId, name: "x", base: { kind: "freezer" } });
    expect([bad.status, bad.body.error?.code]).toEqual([400, "validation_failed"]);
  });
});

describe("rule.set from a stale form", () => {
  /** The chilled default both managers' forms open with: above 5 °C for 15 min. */
  const opened = { enabled: true, threshold: 5, durationMinutes: 15, hysteresis: 0.5, severity: "critical" };

  it("keeps another manager's new limit when a form opened before it changes only the duration", async () => {
    const s = await site();
    const scope = { scope: "unit", scopeId: s.unitId, kind: "temperature_high" };
    expect(
      (await s.command(s.owner, "rule.set", { ...scope, rule: { threshold: 7 }, base: { threshold: 5 } })).status,
    ).toBe(200);
    expect(await ownRule(s.room, `unit:${s.unitId}`, "temperature_high")).toEqual({ ...opened, threshold: 7 });

    // Sam's form still shows 5 °C; it sends the duration only, with the whole rule it opened as its base.
    const saved = await s.command(s.sam, "rule.set", { ...scope, rule: { durationMinutes: 30 }, base: opened });
    expect(saved.status).toBe(200);
    expect(await ownRule(s.room, `unit:${s.unitId}`, "temperature_high")).toEqual({
      ...opened,
      threshold: 7,
      durationMinutes: 30,
    });
  });

  it("refuses a limit changed by both, naming rule.threshold and its value now, and changes nothing", async () => {
    const s = await site();
    const scope = { scope: "area", scopeId: s.areaId, kind: "temperature_high" };
    await s.command(s.owner, "rule.set", { ...scope, rule: { threshold: 7 }, base: { threshold: 5 } });
    const audit = await auditCount(s.room);
    const refused = await s.command(s.sam, "rule.set", {
      ...scope,
      rule: { threshold: 6, severity: "warning" },
      base: opened,
    });
    expect([refused.status, refused.body.error?.code]).toEqual([409, "edit_conflict"]);
    expect(refused.body.error?.details).toEqual({
      fields: [{ path: "rule.threshold", message: "was changed by someone else meanwhile", current: 7 }],
    } satisfies EditConflictDetails);
    expect(await ownRule(s.room, `area:${s.areaId}`, "temperature_high")).toEqual({ ...opened, threshold: 7 });
    expect(await auditCount(s.room)).toBe(audit);
  });

  it(
    "compares a site rule form with what the site inherits, and " + "sets a whole rule without a base as before",
    async () => {
      const s = await site();
      const scope = { scope: "site", kind: "stale" };
      const stale = { enabled: true, durationMinutes: 15, severity: "warning" };
      // Nobody set a site rule: the form opened from the default, so its base is current.
      expect(
        (await s.command(s.sam, "rule.set", { ...scope, rule: { durationMinutes: 20 }, base: stale })).status,
      ).toBe(200);
      expect(await ownRule(s.room, "site", "stale")).toEqual({ ...stale, durationMinutes: 20 });
      const full = { ...stale, durationMinutes: 45, severity: "critical" };
      expect((await s.command(s.owner, "rule.set", { ...scope, rule: full })).status).toBe(200);
      expect(await ownRule(s.room, "site", "stale")).toEqual(full);
    },
  );

  it(
    "refuses a base on a removal, a base field the rule has " + "not, and a bad changed field, changing nothing",
    async () => {
      const s = await site();
      const scope = { scope: "unit", scopeId: s.unitId, kind: "stale" };
      const cases: unknown[] = [
        { ...scope, rule: null, base: { durationMinutes: 15 } },
        { ...scope, rule: { durationMinutes: 20 }, base: { threshold: 5 } },
        { ...scope, rule: { durationMinutes: 1 }, base: { durationMinutes: 15 } },
        { ...scope, rule: { threshold: 3 }, base: { durationMinutes: 15 } },
      ];
      for (const args of cases) {
        const bad = await s.command(s.sam, "rule.set", args);
        expect([bad.status, bad.body.error?.code], JSON.stringify(args)).toEqual([400, "validation_failed"]);
      }
      expect(await ownRule(s.room, `unit:${s.unitId}`, "stale")).toBeUndefined();
    },
  );
});
