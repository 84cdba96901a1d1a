/**
 * Judging readings against rules: each sampled rule's breach begins, waits out its
 * duration, raises, extends and clears; a breach no reading has yet proven is judged by the
 * schedule; a rule change re-judges the units under it.
 */
import { and, desc, eq, inArray } from "drizzle-orm";
import { BREACH_CHECK_GRACE_MS } from "../../config";
import { durationMsOf, RULE_KINDS, type RuleKind, sampleFor, step } from "../../schema/site/rules";
import type { RoomEffects } from "../core/commands";
import { activeAlert, clearAlert, extend, raise } from "./alerts";
import {
  ACTIVE_STATES,
  BREACH_JOB,
  breachJobId,
  firstRow,
  MANUAL_DEV_EUI,
  type NewReading,
  stateOf,
  unitRow,
} from "./common";
import { planManualCheck } from "./manual-checks";
import { rulesOf } from "./settings";
import { ensureStaleWatch, planStale } from "./stale";
import { alerts, readings, ruleStates, units } from "./tables";

const SAMPLED_RULES = ["temperature_high", "temperature_low", "battery_low", "door_open"] as const;
type SampledRule = (typeof SAMPLED_RULES)[number];

/**
 * Judges a stored reading against each rule it says something about. A rule's state row is
 * written only when its breach begins or ends, so a steady stream of readings costs no
 * writes here beyond the sensor's arrival; a late reading older than the last change is
 * kept for the record but not judged.
 */
export function judge(effects: RoomEffects, reading: NewReading): void {
  const { db, sql } = effects;
  const unit = unitRow(sql, reading.unitId);
  if (!unit) return;
  const rules = rulesOf(db, unit);
  const states = new Map(
    sql
      .exec<{ kind: string; breachSince: number | null; lastAt: number }>(
        "SELECT kind, breach_since AS breachSince, last_at AS lastAt FROM rule_states WHERE unit_id = ?",
        unit.id,
      )
      .toArray()
      .map((row) => [row.kind, row]),
  );
  // Alerts are rare: the query builder only when the unit has one active.
  const anyActive =
    firstRow(
      sql,
      "SELECT 1 FROM alerts WHERE unit_id = ? AND state IN ('active_unack', 'active_ack') LIMIT 1",
      unit.id,
    ) !== undefined;
  const active = new Map(
    anyActive
      ? db
          .select()
          .from(alerts)
          .where(and(eq(alerts.unitId, unit.id), inArray(alerts.state, ACTIVE_STATES)))
          .all()
          .map((row) => [row.rule, row])
      : [],
  );
  const save = (kind: RuleKind, breachSince: number | null, at: number) => {
    sql.exec(
      "INSERT INTO rule_states (unit_id, kind, breach_since, last_at) VALUES (?, ?, ?, ?) " +
        "ON CONFLICT (unit_id, kind) DO UPDATE SET breach_since = excluded.breach_since, last_at = excluded.last_at",
      unit.id,
      kind,
      breachSince,
      at,
    );
  };
  for (const kind of SAMPLED_RULES) {
    const rule = rules[kind];
    const sample = sampleFor(kind, rule, reading);
    if (!sample) continue;
    const saved = states.get(kind);
    if (saved && saved.lastAt > sample.at) continue;
    const open = active.get(kind);
    const breachSince = saved?.breachSince ?? null;
    if (!rule.enabled) {
      if (breachSince !== null) save(kind, null, sample.at);
      if (open) clearAlert(effects, open, sample.at);
      continue;
    }
    const durationMs = durationMsOf(kind, rule);
    const next = step(durationMs, { breachSince, alertActive: open !== undefined }, sample);
    if (next.state.breachSince !== breachSince) save(kind, next.state.breachSince, sample.at);
    switch (next.step) {
      case "raise":
        raise(effects, unit, kind, rule, next.state.breachSince ?? sample.at, sample.value);
        break;
      case "extend":
        if (open) extend(effects, open, sample.value);
        break;
      case "clear":
        if (open) clearAlert(effects, open, sample.at);
        break;
      case "pending":
        // The first breaching sample: if no reading comes to prove the duration, the schedule checks it then.
        // A late batch gets a grace period for its next readings to arrive first.
        if (breachSince === null) {
          const dueAt = Math.max(sample.at + durationMs, effects.now + BREACH_CHECK_GRACE_MS);
          effects.schedule({
            id: breachJobId(unit.id, kind),
            kind: BREACH_JOB,
            dueAt,
            payload: { unitId: unit.id, rule: kind },
          });
        }
        break;
      case "normal":
        // A breach that ended before its duration was up: its check is no longer wanted.
        if (breachSince !== null) effects.unschedule(breachJobId(unit.id, kind));
        break;
      case "hold":
        break;
    }
  }
  // Any sensor's reading proves the sensor alive; one logged by hand says nothing of the sensors.
  if (reading.devEui === MANUAL_DEV_EUI) return;
  save("stale", null, effects.now);
  const stale = active.get("stale");
  if (stale) clearAlert(effects, stale, reading.at);
  if (rules.stale.enabled) ensureStaleWatch(effects, unit.id);
}

/** A breach that began with no reading since to prove its duration: raised now if it still stands. */
export function runBreachCheck(effects: RoomEffects, payload: { unitId: string; rule: RuleKind }): void {
  const { db } = effects;
  const unit = db.select().from(units).where(eq(units.id, payload.unitId)).get();
  if (!unit || !(RULE_KINDS as readonly string[]).includes(payload.rule)) return;
  const rule = rulesOf(db, unit)[payload.rule];
  const saved = stateOf(db, unit.id, payload.rule);
  if (!rule.enabled || saved?.breachSince == null || activeAlert(db, unit.id, payload.rule)) return;
  const durationMs = durationMsOf(payload.rule, rule);
  if (effects.now - saved.breachSince < durationMs) {
    effects.schedule({
      id: breachJobId(unit.id, payload.rule),
      kind: BREACH_JOB,
      dueAt: saved.breachSince + durationMs,
      payload,
    });
    return;
  }
  const last = db.select().from(readings).where(eq(readings.unitId, unit.id)).orderBy(desc(readings.at)).limit(1).get();
  const value =
    payload.rule === "door_open"
      ? 1
      : payload.rule === "battery_low"
        ? (last?.battery ?? null)
        : (last?.temperature ?? null);
  raise(effects, unit, payload.rule, rule, saved.breachSince, value);
}

/**
 * A pending breach (no alert yet) judged again from its readings under the rule now in
 * force: the readings that began it under the old rule must also break the new one, or it
 * ends; it may also begin later in the run (a higher limit), and its check is planned anew.
 */
function rejudgePending(effects: RoomEffects, unit: typeof units.$inferSelect, kind: SampledRule, since: number): void {
  const { db, sql } = effects;
  const unitId = unit.id;
  const rule = rulesOf(db, unit)[kind];
  const durationMs = durationMsOf(kind, rule);
  let state = { breachSince: null as number | null, alertActive: false };
  let lastAt = since;
  for (const row of sql.exec<{
    at: number;
    temperature: number | null;
    battery: number | null;
    doorOpen: number | null;
  }>(
    `SELECT at, temperature, battery, door_open AS doorOpen FROM readings
     WHERE unit_id = ? AND at >= ? ORDER BY at, id`,
    unitId,
    since,
  )) {
    const sample = sampleFor(kind, rule, { ...row, doorOpen: row.doorOpen === null ? null : row.doorOpen === 1 });
    if (!sample) continue;
    // Only when the breach begins matters here: the alert itself is the schedule's to raise.
    state = { breachSince: step(durationMs, state, sample).state.breachSince, alertActive: false };
    lastAt = sample.at;
  }
  db.update(ruleStates)
    .set({ breachSince: state.breachSince, lastAt })
    .where(and(eq(ruleStates.unitId, unitId), eq(ruleStates.kind, kind)))
    .run();
  if (state.breachSince === null) {
    effects.unschedule(breachJobId(unitId, kind));
    return;
  }
  effects.schedule({
    id: breachJobId(unitId, kind),
    kind: BREACH_JOB,
    dueAt: Math.max(effects.now, state.breachSince + durationMs),
    payload: { unitId, rule: kind },
  });
}

/**
 * Re-judges every unit's state after a rule changed: what no longer breaks a rule clears;
 * a pending breach is judged again from its readings under the new rule; a new breach
 * waits for the next reading.
 */
export function afterRulesChanged(effects: RoomEffects, unitIds: string[]): void {
  const { db } = effects;
  for (const unitId of unitIds) {
    const unit = db.select().from(units).where(eq(units.id, unitId)).get();
    if (!unit) continue;
    const rules = rulesOf(db, unit);
    for (const kind of SAMPLED_RULES) {
      if (rules[kind].enabled) {
        const pending = stateOf(db, unitId, kind)?.breachSince ?? null;
        if (pending !== null && !activeAlert(db, unitId, kind)) rejudgePending(effects, unit, kind, pending);
        continue;
      }
      db.update(ruleStates)
        .set({ breachSince: null })
        .where(and(eq(ruleStates.unitId, unitId), eq(ruleStates.kind, kind)))
        .run();
      effects.unschedule(breachJobId(unitId, kind));
      const open = activeAlert(db, unitId, kind);
      if (open) clearAlert(effects, open, effects.now);
    }
    planStale(effects, unitId);
    planManualCheck(effects, unitId);
    effects.touch("units", unitId);
  }
}
