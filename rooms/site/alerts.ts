/**
 * An alert's life: raised (or reopened), extended while its breach lasts, cleared when it
 * ends, acknowledged and resolved by staff. One open alert per unit and rule.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { ProductOutcome } from "../../schema/site/records";
import type { AnyRule, RuleKind } from "../../schema/site/rules";
import type { RoomEffects } from "../core/commands";
import { ACTIVE_STATES, type AlertRow, type Db, escalateJobId } from "./common";
import { escalate } from "./escalation";
import { appendRecord } from "./records";
import { alerts } from "./tables";

export function activeAlert(db: Db, unitId: string, kind: RuleKind): AlertRow | undefined {
  return db
    .select()
    .from(alerts)
    .where(and(eq(alerts.unitId, unitId), eq(alerts.rule, kind), inArray(alerts.state, ACTIVE_STATES)))
    .get();
}

function thresholdOf(rule: AnyRule): number {
  if ("threshold" in rule) return rule.threshold;
  return "durationMinutes" in rule ? rule.durationMinutes : 0;
}

const worse = (kind: RuleKind, a: number | null, b: number): number => {
  if (a === null) return b;
  return kind === "temperature_low" || kind === "battery_low" ? Math.min(a, b) : Math.max(a, b);
};

/**
 * Raises an alert, or reopens the unit's open one for this rule: one open alert per unit and rule.
 * A silent sensor behind a gateway gone quiet carries the gateway's id, and only the first of
 * them is escalated (`escalated: false` for the rest): people are told once about the gateway.
 */
export function raise(
  effects: RoomEffects,
  unit: { id: string; name: string },
  kind: RuleKind,
  rule: AnyRule,
  startedAt: number,
  value: number | null,
  group: { gateway: string; escalated: boolean } | null = null,
): void {
  const { db } = effects;
  const reopened = db
    .select()
    .from(alerts)
    .where(and(eq(alerts.unitId, unit.id), eq(alerts.rule, kind), eq(alerts.state, "cleared_unack")))
    .get();
  let id: string;
  if (reopened) {
    id = reopened.id;
    db.update(alerts)
      .set({
        state: "active_unack",
        raisedAt: effects.now,
        clearedAt: null,
        lastValue: value,
        peakValue: value === null ? reopened.peakValue : worse(kind, reopened.peakValue, value),
        breaches: reopened.breaches + 1,
        severity: rule.severity,
        escalationStep: 0,
        gateway: group?.gateway ?? null,
      })
      .where(eq(alerts.id, id))
      .run();
  } else {
    id = crypto.randomUUID();
    db.insert(alerts)
      .values({
        id,
        unitId: unit.id,
        rule: kind,
        severity: rule.severity,
        state: "active_unack",
        threshold: thresholdOf(rule),
        startedAt,
        raisedAt: effects.now,
        clearedAt: null,
        lastValue: value,
        peakValue: value,
        breaches: 1,
        escalationStep: 0,
        gateway: group?.gateway ?? null,
      })
      .run();
  }
  effects.touch("alerts", id);
  effects.touch("units", unit.id);
  if (group?.escalated !== false) escalate(effects, id, 0);
}

export function extend(effects: RoomEffects, open: AlertRow, value: number): void {
  effects.db
    .update(alerts)
    .set({ lastValue: value, peakValue: worse(open.rule as RuleKind, open.peakValue, value) })
    .where(eq(alerts.id, open.id))
    .run();
  effects.touch("alerts", open.id);
}

export function clearAlert(effects: RoomEffects, open: AlertRow, at: number): void {
  effects.db
    .update(alerts)
    .set({ state: open.state === "active_ack" ? "cleared_ack" : "cleared_unack", clearedAt: at })
    .where(eq(alerts.id, open.id))
    .run();
  effects.unschedule(escalateJobId(open.id));
  effects.touch("alerts", open.id);
  effects.touch("units", open.unitId);
}

export function acknowledge(
  effects: RoomEffects,
  alert: AlertRow,
  by: { userId: string; name: string },
  note: string,
): void {
  if (alert.state === "active_ack" || alert.state === "cleared_ack") return;
  effects.db
    .update(alerts)
    .set({
      state: alert.state === "active_unack" ? "active_ack" : "cleared_ack",
      ackBy: by.userId,
      ackByName: by.name,
      ackAt: effects.now,
      ackNote: note,
    })
    .where(eq(alerts.id, alert.id))
    .run();
  effects.unschedule(escalateJobId(alert.id));
  effects.touch("alerts", alert.id);
  effects.touch("units", alert.unitId);
}

export function resolve(
  effects: RoomEffects,
  alert: AlertRow,
  by: { userId: string; name: string },
  resolution: { found: string; action: string; product: ProductOutcome; note: string; photoId: string | null },
): void {
  acknowledge(effects, alert, by, "");
  effects.db
    .update(alerts)
    .set({
      resolvedBy: by.userId,
      resolvedByName: by.name,
      resolvedAt: effects.now,
      action: resolution.action,
      product: resolution.product,
      resolutionNote: resolution.note,
      photoId: resolution.photoId,
    })
    .where(eq(alerts.id, alert.id))
    .run();
  effects.touch("alerts", alert.id);
  appendRecord(effects, {
    kind: "corrective_action",
    id: crypto.randomUUID(),
    at: effects.now,
    by: by.userId,
    byName: by.name,
    alertId: alert.id,
    manualLogId: null,
    unitId: alert.unitId,
    rule: alert.rule,
    found: resolution.found,
    action: resolution.action,
    product: resolution.product,
    note: resolution.note,
    photoId: resolution.photoId,
  });
  // Its notices say it is over and leave everyone's unread count.
  effects.enqueue({
    type: "resolve",
    key: `resolve:${effects.roomId}:alert:${alert.id}`,
    roomId: effects.roomId,
    subject: `alert:${alert.id}`,
    resolution: "resolved",
  });
}
