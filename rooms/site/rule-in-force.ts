/** The rule a form at a scope showed and edits: what an edit's `base` is compared with and its fields merged onto. */
import { eq } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import type { UnitKind } from "../../schema/site/records";
import { type AnyRule, defaultRules, effectiveRules, type RuleKind } from "../../schema/site/rules";
import { overridesAt } from "./settings";
import { units } from "./tables";

/**
 * The rule of `kind` in force at a scope, without its source: the scope's own, else what
 * it inherits. A unit inherits by its kind (a freezer its frozen defaults); an area and
 * the site show the chilled defaults, as their rule forms do, since they hold both kinds.
 */
export function ruleInForce(
  db: DrizzleSqliteDODatabase,
  scope: "site" | "area" | "unit",
  scopeId: string | undefined,
  kind: RuleKind,
): AnyRule {
  const site = overridesAt(db, "site");
  if (scope === "site") return site[kind] ?? defaultRules("fridge")[kind];
  if (scope === "area") return overridesAt(db, `area:${scopeId}`)[kind] ?? site[kind] ?? defaultRules("fridge")[kind];
  const unit = db
    .select({ areaId: units.areaId, kind: units.kind })
    .from(units)
    .where(eq(units.id, scopeId ?? ""))
    .get();
  const area = unit ? overridesAt(db, `area:${unit.areaId}`) : {};
  const rules = effectiveRules((unit?.kind ?? "fridge") as UnitKind, {
    unit: overridesAt(db, `unit:${scopeId}`),
    area,
    site,
  });
  const { source: _source, ...rule } = rules[kind];
  return rule as AnyRule;
}
