/** Escalation: who is told about an alert still unacknowledged, and when the next step is due. */
import { and, eq, inArray } from "drizzle-orm";
import type { RuleKind } from "../../schema/site/rules";
import type { RoomEffects } from "../core/commands";
import { type AlertRow, ESCALATE_JOB, escalateJobId, MINUTE } from "./common";
import { settingsOf } from "./settings";
import { alerts, units } from "./tables";

const RULE_WORDS: Record<RuleKind, string> = {
  temperature_high: "too warm",
  temperature_low: "too cold",
  stale: "has gone quiet",
  battery_low: "sensor battery low",
  door_open: "door left open",
  manual_check: "check by hand overdue",
};

function describe(alert: AlertRow, unitName: string): { title: string; body: string } {
  const value = alert.lastValue;
  const kind = alert.rule as RuleKind;
  const detail =
    kind === "temperature_high"
      ? `${value ?? "?"} °C, above ${alert.threshold} °C`
      : kind === "temperature_low"
        ? `${value ?? "?"} °C, below ${alert.threshold} °C`
        : kind === "stale"
          ? `no reading for ${value ?? alert.threshold} minutes`
          : kind === "manual_check"
            ? `no reading logged by hand for ${value ?? alert.threshold} minutes`
            : kind === "battery_low"
              ? `battery at ${value ?? "?"} V, below ${alert.threshold} V`
              : `open for over ${alert.threshold} minutes`;
  return {
    title: `${alert.severity === "critical" ? "Critical" : "Warning"}: ${unitName} ${RULE_WORDS[kind]}`,
    body: `${unitName}: ${detail}. Acknowledge it on the board.`,
  };
}

/** A gateway gone quiet, told once: how long, and the units behind it that fell silent with it. */
function describeGateway(effects: RoomEffects, alert: AlertRow, gateway: string): { title: string; body: string } {
  const names = effects.db
    .select({ name: units.name })
    .from(alerts)
    .innerJoin(units, eq(units.id, alerts.unitId))
    .where(and(eq(alerts.gateway, gateway), inArray(alerts.state, ["active_unack", "active_ack"])))
    .orderBy(units.name)
    .all()
    .map((u) => u.name);
  const count = names.length === 1 ? "1 unit" : `${names.length} units`;
  return {
    title: `${alert.severity === "critical" ? "Critical" : "Warning"}: gateway ${gateway} silent, ${count} quiet`,
    body:
      `No sensor has been heard through gateway ${gateway} for ${alert.lastValue ?? alert.threshold} minutes: ` +
      `${names.join(", ")}. Check its power and internet, then acknowledge on the board.`,
  };
}

/**
 * Notifies an escalation step about an alert still unacknowledged, and plans the next
 * step. Each step's notice has its own key, so a step runs once however often it is planned.
 */
export function escalate(effects: RoomEffects, alertId: string, stepIndex: number): void {
  const { db } = effects;
  const alert = db.select().from(alerts).where(eq(alerts.id, alertId)).get();
  if (alert?.state !== "active_unack") return;
  const steps = settingsOf(db).escalation;
  const current = steps[stepIndex];
  if (!current) return;
  const unit = db.select({ name: units.name }).from(units).where(eq(units.id, alert.unitId)).get();
  const { title, body } = alert.gateway
    ? describeGateway(effects, alert, alert.gateway)
    : describe(alert, unit?.name ?? "A unit");
  const room = `/rooms/${encodeURIComponent(effects.roomId)}`;
  effects.enqueue({
    type: "notify",
    key: `alert:${effects.roomId}:${alert.id}:${alert.breaches}:${stepIndex}`,
    roomId: effects.roomId,
    // A step whose roles nobody holds (a site without staff) goes to whoever handles alerts, not to nobody.
    audience: { roles: current.roles, orElse: "alerts.handle" },
    title,
    body,
    // A gateway's notice opens the board, where its units show together.
    url: alert.gateway
      ? room
      : `${room}/units/${encodeURIComponent(alert.unitId)}?alert=${encodeURIComponent(alert.id)}`,
    topic: "alert",
    urgent: alert.severity === "critical",
    subject: `alert:${alert.id}`,
  });
  db.update(alerts).set({ escalationStep: stepIndex }).where(eq(alerts.id, alertId)).run();
  effects.touch("alerts", alertId);
  const next = steps[stepIndex + 1];
  if (next)
    effects.schedule({
      id: escalateJobId(alertId),
      kind: ESCALATE_JOB,
      dueAt: alert.raisedAt + next.afterMinutes * MINUTE,
      payload: { alertId, step: stepIndex + 1 },
    });
}
