/**
 * The stale-sensor watch: a unit with sensors that goes quiet for its rule's minutes raises an
 * alert. When every unit behind one gateway has gone quiet, it is the gateway: each unit still
 * gets its alert (its record has a gap), but they carry the gateway's id, the board shows them
 * as one, and people are told once.
 */
import { and, desc, eq, inArray, isNotNull } from "drizzle-orm";
import type { RoomEffects } from "../core/commands";
import { activeAlert, clearAlert, raise } from "./alerts";
import { type Db, isScheduled, MINUTE, STALE_JOB, staleJobId, stateOf } from "./common";
import { rulesOf } from "./settings";
import { alerts, devices, units } from "./tables";

/**
 * When a unit's sensors were last heard from: when its last reading arrived (not the time
 * it carries: a late batch still proves the sensor alive), or before any, when its newest
 * sensor was put in.
 */
function lastHeard(db: Db, unitId: string): number | null {
  const arrived = stateOf(db, unitId, "stale")?.lastAt ?? null;
  const placed =
    db
      .select({ at: devices.createdAt })
      .from(devices)
      .where(eq(devices.unitId, unitId))
      .orderBy(desc(devices.createdAt))
      .limit(1)
      .get()?.at ?? null;
  if (arrived === null) return placed;
  return placed === null ? arrived : Math.max(arrived, placed);
}

/** Keeps one stale-sensor check on the schedule for a unit with sensors; the check reschedules itself. */
export function ensureStaleWatch(effects: RoomEffects, unitId: string): void {
  if (isScheduled(effects.sql, staleJobId(unitId))) return;
  planStale(effects, unitId);
}

/** Plans a unit's stale check afresh (a rule changed, a sensor came or went). */
export function planStale(effects: RoomEffects, unitId: string): void {
  const { db } = effects;
  const unit = db.select().from(units).where(eq(units.id, unitId)).get();
  const hasSensor = db.select({ d: devices.devEui }).from(devices).where(eq(devices.unitId, unitId)).limit(1).get();
  const rule = unit ? rulesOf(db, unit).stale : null;
  if (!unit || !hasSensor || !rule?.enabled) {
    effects.unschedule(staleJobId(unitId));
    const open = activeAlert(db, unitId, "stale");
    if (open) clearAlert(effects, open, effects.now);
    return;
  }
  const heard = lastHeard(db, unitId) ?? effects.now;
  effects.schedule({
    id: staleJobId(unitId),
    kind: STALE_JOB,
    dueAt: Math.max(effects.now, heard + rule.durationMinutes * MINUTE),
    payload: { unitId },
  });
}

/**
 * The stale check: no reading for the rule's minutes raises a stale
 * alert; otherwise it looks again when it could next be stale.
 */
export function runStaleCheck(effects: RoomEffects, payload: { unitId: string }): void {
  const { db } = effects;
  const unit = db.select().from(units).where(eq(units.id, payload.unitId)).get();
  if (!unit) return;
  const rule = rulesOf(db, unit).stale;
  const heard = lastHeard(db, unit.id);
  if (!rule.enabled || heard === null) return;
  const dueAt = heard + rule.durationMinutes * MINUTE;
  if (effects.now < dueAt) {
    effects.schedule({ id: staleJobId(unit.id), kind: STALE_JOB, dueAt, payload });
    return;
  }
  // Raised once; the next reading clears it and starts the watch again.
  if (activeAlert(db, unit.id, "stale")) return;
  const gateway = quietGateway(db, unit.id, rule.durationMinutes * MINUTE, effects.now);
  if (gateway) return raiseGatewaySilent(effects, gateway, unit.id);
  raise(effects, unit, "stale", rule, heard, Math.round((effects.now - heard) / MINUTE));
}

interface QuietGateway {
  id: string;
  unitIds: string[];
}

/**
 * The gateway a silent unit's sensor last came through, when it serves other units too and
 * nothing behind it has been heard for half the unit's stale minutes: sensors report on their
 * own intervals, so the last ones through a gateway that died fall quiet a little after the first.
 */
function quietGateway(db: Db, unitId: string, staleMs: number, now: number): QuietGateway | null {
  const own = db
    .select({ gatewayId: devices.gatewayId })
    .from(devices)
    .where(and(eq(devices.unitId, unitId), isNotNull(devices.gatewayId)))
    .orderBy(desc(devices.createdAt))
    .limit(1)
    .get()?.gatewayId;
  if (!own) return null;
  const unitIds = [
    ...new Set(
      db
        .select({ unitId: devices.unitId })
        .from(devices)
        .where(eq(devices.gatewayId, own))
        .all()
        .map((d) => d.unitId),
    ),
  ];
  if (unitIds.length < 2) return null;
  const lastThrough = Math.max(...unitIds.map((id) => lastHeard(db, id) ?? 0));
  return now - lastThrough >= staleMs / 2 ? { id: own, unitIds } : null;
}

/**
 * Every unit behind a silent gateway gets its stale alert now, marked with the gateway. Only
 * the first raised for this outage escalates, after the others, so its notice names them all.
 */
function raiseGatewaySilent(effects: RoomEffects, gateway: QuietGateway, checkedUnitId: string): void {
  const { db } = effects;
  const leadOpen = db
    .select({ id: alerts.id })
    .from(alerts)
    .where(and(eq(alerts.gateway, gateway.id), inArray(alerts.state, ["active_unack", "active_ack"])))
    .limit(1)
    .get();
  const members = db.select().from(units).where(inArray(units.id, gateway.unitIds)).all();
  const order = [...members.filter((u) => u.id !== checkedUnitId), ...members.filter((u) => u.id === checkedUnitId)];
  for (const member of order) {
    const rule = rulesOf(db, member).stale;
    const heard = lastHeard(db, member.id);
    if (!rule.enabled || heard === null || activeAlert(db, member.id, "stale")) continue;
    const escalated = !leadOpen && member.id === checkedUnitId;
    raise(effects, member, "stale", rule, heard, Math.round((effects.now - heard) / MINUTE), {
      gateway: gateway.id,
      escalated,
    });
  }
}
