/** A site's settings and the rules each unit follows, worked out from the site, area and unit overrides. */
import { eq } from "drizzle-orm";
import { DEFAULT_READINGS_RETENTION_DAYS, DEFAULT_ROLLUP_RETENTION_DAYS } from "../../config";
import type { EscalationStep, SiteSettings, UnitKind } from "../../schema/site/records";
import {
  type EffectiveRules,
  effectiveRules,
  type RuleKind,
  type RuleOverrides,
  ruleSchemas,
} from "../../schema/site/rules";
import type { Db } from "./common";
import { ruleOverrides, siteSettings, units } from "./tables";

export const DEFAULT_ESCALATION: EscalationStep[] = [
  { afterMinutes: 0, roles: ["staff"] },
  { afterMinutes: 15, roles: ["manager", "admin"] },
  { afterMinutes: 30, roles: ["owner"] },
];

export function settingsOf(db: Db): Omit<SiteSettings, "rules"> {
  const row = db.select().from(siteSettings).where(eq(siteSettings.id, 1)).get();
  return {
    retentionDays: row?.retentionDays ?? DEFAULT_READINGS_RETENTION_DAYS,
    rollupRetentionDays: row?.rollupRetentionDays ?? DEFAULT_ROLLUP_RETENTION_DAYS,
    escalation: row ? (JSON.parse(row.escalation) as EscalationStep[]) : DEFAULT_ESCALATION,
  };
}

export function saveSettings(db: Db, settings: Omit<SiteSettings, "rules">): void {
  const row = {
    id: 1,
    retentionDays: settings.retentionDays,
    rollupRetentionDays: settings.rollupRetentionDays,
    escalation: JSON.stringify(settings.escalation),
  };
  db.insert(siteSettings).values(row).onConflictDoUpdate({ target: siteSettings.id, set: row }).run();
}

export function siteRecord(db: Db): SiteSettings {
  return { ...settingsOf(db), rules: overridesAt(db, "site") };
}

/** The rules a scope (`site`, `area:<id>`, `unit:<id>`) sets itself. */
export function overridesAt(db: Db, scope: string): RuleOverrides {
  const set: RuleOverrides = {};
  for (const row of db.select().from(ruleOverrides).where(eq(ruleOverrides.scope, scope)).all()) {
    const kind = row.kind as RuleKind;
    const parsed = ruleSchemas[kind]?.safeParse(JSON.parse(row.rule));
    if (parsed?.success) Object.assign(set, { [kind]: parsed.data });
  }
  return set;
}

/**
 * Each unit's effective rules, worked out once and kept while the room is in memory: a
 * reading needs them, and they change only by `rule.set` (which forgets them all). A
 * unit's kind and area never change.
 */
const rulesCache = new WeakMap<Db, Map<string, { rules: EffectiveRules; own: RuleOverrides }>>();

export function cachedRules(
  db: Db,
  unit: { id: string; areaId: string; kind: string },
): { rules: EffectiveRules; own: RuleOverrides } {
  let units = rulesCache.get(db);
  if (!units) {
    units = new Map();
    rulesCache.set(db, units);
  }
  let entry = units.get(unit.id);
  if (!entry) {
    const own = overridesAt(db, `unit:${unit.id}`);
    entry = {
      rules: effectiveRules(unit.kind as UnitKind, {
        unit: own,
        area: overridesAt(db, `area:${unit.areaId}`),
        site: overridesAt(db, "site"),
      }),
      own,
    };
    units.set(unit.id, entry);
  }
  return entry;
}

export function rulesOf(db: Db, unit: { id: string; areaId: string; kind: string }): EffectiveRules {
  return cachedRules(db, unit).rules;
}

/** After a rule changed (in a transaction that may yet roll back: the rules are then simply worked out again). */
export function forgetRules(db: Db): void {
  rulesCache.delete(db);
}

/** Units whose rules a change at `scope` may have moved. */
export function unitsUnder(db: Db, scope: "site" | "area" | "unit", scopeId: string | undefined): string[] {
  if (scope === "unit") return scopeId ? [scopeId] : [];
  const rows =
    scope === "area" && scopeId
      ? db.select({ id: units.id }).from(units).where(eq(units.areaId, scopeId)).all()
      : db.select({ id: units.id }).from(units).all();
  return rows.map((r) => r.id);
}
