/** The records a site mirrors to every open board: each unit with its latest reading and status, and the alerts. */
import { eq, sql } from "drizzle-orm";
import { CLOSED_ALERT_MIRROR_MS } from "../../config";
import type {
  Alert,
  AlertState,
  PendingBreach,
  ProductOutcome,
  Trend,
  Unit,
  UnitKind,
  UnitStatus,
} from "../../schema/site/records";
import type { EffectiveRules, RuleKind, Severity } from "../../schema/site/rules";
import { type AlertRow, type Db, firstRow, MINUTE, unitRow } from "./common";
import { cachedRules } from "./settings";
import { alerts } from "./tables";

function trendOf(sql: SqlStorage, unitId: string, latest: { at: number; temperature: number | null }): Trend | null {
  if (latest.temperature === null) return null;
  const earlier = firstRow<{ t: number }>(
    sql,
    "SELECT temperature AS t FROM readings WHERE unit_id = ? AND at <= ? AND at >= ? AND temperature IS NOT NULL " +
      "ORDER BY at DESC LIMIT 1",
    unitId,
    latest.at - 10 * MINUTE,
    latest.at - 30 * MINUTE,
  );
  if (!earlier) return null;
  const change = latest.temperature - earlier.t;
  return change >= 0.3 ? "rising" : change <= -0.3 ? "falling" : "steady";
}

function statusOf(sql: SqlStorage, unitId: string, rules: EffectiveRules, hasReading: boolean): UnitStatus {
  const active = sql
    .exec<{ severity: string }>(
      "SELECT severity FROM alerts WHERE unit_id = ? AND state IN ('active_unack', 'active_ack')",
      unitId,
    )
    .toArray();
  if (active.some((a) => a.severity === "critical")) return "critical";
  if (active.length > 0) return "warning";
  if (pendingOf(sql, unitId, rules)) return "pending";
  return hasReading ? "ok" : "no_data";
}

/**
 * The breach that will alert first if it lasts: its rule, since when it is broken, and when
 * its duration is up (`alertsAt`; the check may run a little after). Null with none pending.
 */
function pendingOf(sql: SqlStorage, unitId: string, rules: EffectiveRules): PendingBreach | null {
  const breaches = sql
    .exec<{ kind: string; since: number }>(
      "SELECT kind, breach_since AS since FROM rule_states WHERE unit_id = ? AND breach_since IS NOT NULL",
      unitId,
    )
    .toArray();
  let first: PendingBreach | null = null;
  for (const b of breaches) {
    const rule = rules[b.kind as RuleKind];
    if (!rule?.enabled) continue;
    const minutes = "durationMinutes" in rule ? rule.durationMinutes : 0;
    const alertsAt = b.since + minutes * MINUTE;
    if (!first || alertsAt < first.alertsAt) first = { rule: b.kind as RuleKind, since: b.since, alertsAt };
  }
  return first;
}

interface ReadingRow {
  at: number;
  temperature: number | null;
  humidity: number | null;
  battery: number | null;
  doorOpen: number | null;
  devEui: string;
}
const READING_COLUMNS = "at, temperature, humidity, battery, door_open AS doorOpen, dev_eui AS devEui";

/** A unit as mirrored: its sensors, latest reading, status, trend and rules. */
export function unitRecord(sql: SqlStorage, db: Db, id: string): Unit | undefined {
  const row = unitRow(sql, id);
  if (!row) return undefined;
  const sensors = sql.exec<{ devEui: string }>("SELECT dev_eui AS devEui FROM devices WHERE unit_id = ?", id).toArray();
  // A unit's temperature comes from its last reading that has one: a door sensor's reading beside it must not blank it.
  const newest = (filter: string) =>
    firstRow<ReadingRow>(
      sql,
      `SELECT ${READING_COLUMNS} FROM readings WHERE unit_id = ? ${filter} ORDER BY at DESC, id DESC LIMIT 1`,
      id,
    );
  const latest = newest("AND temperature IS NOT NULL") ?? newest("");
  const door = latest && latest.doorOpen === null ? newest("AND door_open IS NOT NULL") : undefined;
  const doorOpen = (door ?? latest)?.doorOpen ?? null;
  const { rules, own } = cachedRules(db, row);
  return {
    id: row.id,
    areaId: row.areaId,
    name: row.name,
    kind: row.kind as UnitKind,
    devices: sensors.map((s) => s.devEui),
    latest: latest
      ? {
          at: latest.at,
          temperature: latest.temperature,
          humidity: latest.humidity,
          battery: latest.battery,
          doorOpen: doorOpen === null ? null : doorOpen === 1,
          devEui: latest.devEui,
        }
      : null,
    status: statusOf(sql, id, rules, latest !== undefined),
    pending: pendingOf(sql, id, rules),
    trend: latest ? trendOf(sql, id, latest) : null,
    rules,
    overrides: own,
  };
}

function toAlert(row: AlertRow): Alert {
  return {
    id: row.id,
    unitId: row.unitId,
    rule: row.rule as RuleKind,
    severity: row.severity as Severity,
    state: row.state as AlertState,
    threshold: row.threshold,
    startedAt: row.startedAt,
    raisedAt: row.raisedAt,
    clearedAt: row.clearedAt,
    lastValue: row.lastValue,
    peakValue: row.peakValue,
    breaches: row.breaches,
    escalationStep: row.escalationStep,
    gateway: row.gateway,
    ack:
      row.ackBy !== null && row.ackAt !== null
        ? { by: row.ackBy, byName: row.ackByName ?? "", at: row.ackAt, note: row.ackNote ?? "" }
        : null,
    resolution:
      row.resolvedBy !== null && row.resolvedAt !== null
        ? {
            by: row.resolvedBy,
            byName: row.resolvedByName ?? "",
            at: row.resolvedAt,
            action: row.action ?? "",
            product: (row.product ?? "kept") as ProductOutcome,
            note: row.resolutionNote ?? "",
            photoId: row.photoId,
          }
        : null,
  };
}

/** An alert as mirrored to the board: open ones, and closed ones for a week. */
export function alertRecord(db: Db, id: string, now: number): Alert | undefined {
  const row = db.select().from(alerts).where(eq(alerts.id, id)).get();
  if (!row) return undefined;
  if (
    row.state === "cleared_ack" &&
    row.resolvedAt !== null &&
    Math.max(row.clearedAt ?? 0, row.ackAt ?? 0, row.resolvedAt ?? 0) < now - CLOSED_ALERT_MIRROR_MS
  )
    return undefined;
  return toAlert(row);
}

export function mirroredAlerts(db: Db, now: number): Alert[] {
  return db
    .select()
    .from(alerts)
    .where(
      sql`${alerts.state} != 'cleared_ack'
        OR ${alerts.resolvedAt} IS NULL
        OR ${alerts.clearedAt} >= ${now - CLOSED_ALERT_MIRROR_MS}
        OR ${alerts.ackAt} >= ${now - CLOSED_ALERT_MIRROR_MS}
        OR ${alerts.resolvedAt} >= ${now - CLOSED_ALERT_MIRROR_MS}`,
    )
    .all()
    .map(toAlert);
}

export function alertRow(db: Db, id: string): AlertRow | undefined {
  return db.select().from(alerts).where(eq(alerts.id, id)).get();
}
