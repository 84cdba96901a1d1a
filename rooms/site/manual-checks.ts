/**
 * Checks by hand a site requires (the `manual_check` rule): a unit whose last reading logged by hand is older than
 * the rule's minutes raises an alert like any other rule, and the next log clears it. The watch starts when the
 * rule is turned on for the unit, so a unit never checked is overdue one interval after that.
 */
import { eq } from "drizzle-orm";
import type { RoomEffects } from "../core/commands";
import { activeAlert, clearAlert, raise } from "./alerts";
import { MANUAL_CHECK_JOB, MINUTE, manualCheckJobId, stateOf } from "./common";
import { rulesOf } from "./settings";
import { units } from "./tables";

const KIND = "manual_check";

function saveLastCheck(effects: RoomEffects, unitId: string, at: number): void {
  effects.sql.exec(
    "INSERT INTO rule_states (unit_id, kind, breach_since, last_at) VALUES (?, ?, NULL, ?) " +
      "ON CONFLICT (unit_id, kind) DO UPDATE SET last_at = max(last_at, excluded.last_at)",
    unitId,
    KIND,
    at,
  );
}

/** Plans a unit's check afresh (the rule changed, the unit is new): scheduled while the rule is on, else none. */
export function planManualCheck(effects: RoomEffects, unitId: string): void {
  const { db } = effects;
  const unit = db.select().from(units).where(eq(units.id, unitId)).get();
  const rule = unit ? rulesOf(db, unit).manual_check : null;
  if (!unit || !rule?.enabled) {
    effects.unschedule(manualCheckJobId(unitId));
    const open = activeAlert(db, unitId, KIND);
    if (open) clearAlert(effects, open, effects.now);
    return;
  }
  // Turned on now: the first check is due one interval from here.
  if (!stateOf(db, unitId, KIND)) saveLastCheck(effects, unitId, effects.now);
  const last = stateOf(db, unitId, KIND)?.lastAt ?? effects.now;
  effects.schedule({
    id: manualCheckJobId(unitId),
    kind: MANUAL_CHECK_JOB,
    dueAt: Math.max(effects.now, last + rule.durationMinutes * MINUTE),
    payload: { unitId },
  });
}

/** A reading logged by hand at `takenAt`: an overdue alert clears, and the next check is planned. */
export function noteManualCheck(effects: RoomEffects, unitId: string, takenAt: number): void {
  saveLastCheck(effects, unitId, takenAt);
  const open = activeAlert(effects.db, unitId, KIND);
  if (open) clearAlert(effects, open, takenAt);
  planManualCheck(effects, unitId);
}

/** The scheduled check: overdue raises the alert (once), otherwise it looks again when the check falls due. */
export function runManualCheck(effects: RoomEffects, payload: { unitId: string }): void {
  const { db } = effects;
  const unit = db.select().from(units).where(eq(units.id, payload.unitId)).get();
  if (!unit) return;
  const rule = rulesOf(db, unit).manual_check;
  const last = stateOf(db, unit.id, KIND)?.lastAt;
  if (!rule.enabled || last === undefined) return;
  const dueAt = last + rule.durationMinutes * MINUTE;
  if (effects.now < dueAt) {
    effects.schedule({ id: manualCheckJobId(unit.id), kind: MANUAL_CHECK_JOB, dueAt, payload });
    return;
  }
  if (activeAlert(db, unit.id, KIND)) return;
  raise(effects, unit, KIND, rule, dueAt, Math.round((effects.now - last) / MINUTE));
}
