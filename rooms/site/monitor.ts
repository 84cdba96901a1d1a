/**
 * A site's watch over its units, inside the room's transactions: a reading is stored with
 * its rollups and judged against each rule that applies; alerts are raised, extended,
 * reopened and cleared; escalation, stale sensors, pending breaches and the retention
 * sweep run from the room's schedule. Everything here is synchronous SQL in one
 * transaction with its effects, so a reading and the alert it causes commit together.
 */
import { and, asc, desc, eq, gte, inArray, lt, lte, sql } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import {
  BREACH_CHECK_GRACE_MS,
  CLOSED_ALERT_MIRROR_MS,
  DEFAULT_READINGS_RETENTION_DAYS,
  DEFAULT_ROLLUP_RETENTION_DAYS,
  RETENTION_SWEEP_BATCH,
  UPLINK_DEDUPE_MS,
} from "../../config";
import type {
  Alert,
  AlertState,
  EscalationStep,
  ProductOutcome,
  SiteSettings,
  Trend,
  Unit,
  UnitKind,
  UnitStatus,
} from "../../schema/site/records";
import {
  type AnyRule,
  durationMsOf,
  type EffectiveRules,
  effectiveRules,
  RULE_KINDS,
  type RuleKind,
  type RuleOverrides,
  ruleSchemas,
  type Severity,
  sampleFor,
  step,
} from "../../schema/site/rules";
import type { RoomEffects } from "../core/commands";
import { alerts, devices, readings, ruleOverrides, ruleStates, siteSettings, units, uplinks } from "./tables";

type Db = DrizzleSqliteDODatabase;

export const STALE_JOB = "site.stale";
export const BREACH_JOB = "site.breach";
export const ESCALATE_JOB = "site.escalate";
export const RETENTION_JOB = "site.retention";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const DEFAULT_ESCALATION: EscalationStep[] = [
  { afterMinutes: 0, roles: ["staff"] },
  { afterMinutes: 15, roles: ["manager", "admin"] },
  { afterMinutes: 30, roles: ["owner"] },
];

const ACTIVE_STATES: AlertState[] = ["active_unack", "active_ack"];

/* ---------- settings and rules ---------- */

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

function cachedRules(
  db: Db,
  unit: { id: string; areaId: string; kind: string },
): { rules: EffectiveRules; own: RuleOverrides } {
  let units = rulesCache.get(db);
  if (!units) rulesCache.set(db, (units = new Map()));
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

/* ---------- plain SQL for the paths every reading takes ---------- */

type Value = SqlStorageValue;
function firstRow<T>(sql: SqlStorage, query: string, ...bindings: Value[]): T | undefined {
  for (const row of sql.exec(query, ...bindings)) return row as T;
  return undefined;
}

interface UnitRow {
  id: string;
  areaId: string;
  name: string;
  kind: string;
}
const unitRow = (sql: SqlStorage, id: string) =>
  firstRow<UnitRow>(sql, "SELECT id, area_id AS areaId, name, kind FROM units WHERE id = ?", id);

/* ---------- the mirrored unit and alert ---------- */

function trendOf(sql: SqlStorage, unitId: string, latest: { at: number; temperature: number | null }): Trend | null {
  if (latest.temperature === null) return null;
  const earlier = firstRow<{ t: number }>(
    sql,
    "SELECT temperature AS t FROM readings WHERE unit_id = ? AND at <= ? AND at >= ? AND temperature IS NOT NULL ORDER BY at DESC LIMIT 1",
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
  const pending = sql
    .exec<{ kind: string }>("SELECT kind FROM rule_states WHERE unit_id = ? AND breach_since IS NOT NULL", unitId)
    .toArray()
    .some((s) => rules[s.kind as RuleKind]?.enabled);
  if (pending) return "pending";
  return hasReading ? "ok" : "no_data";
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
    trend: latest ? trendOf(sql, id, latest) : null,
    rules,
    overrides: own,
  };
}

type AlertRow = typeof alerts.$inferSelect;

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
      sql`${alerts.state} != 'cleared_ack' OR ${alerts.clearedAt} >= ${now - CLOSED_ALERT_MIRROR_MS} OR ${alerts.ackAt} >= ${now - CLOSED_ALERT_MIRROR_MS} OR ${alerts.resolvedAt} >= ${now - CLOSED_ALERT_MIRROR_MS}`,
    )
    .all()
    .map(toAlert);
}

/* ---------- readings ---------- */

export interface NewReading {
  devEui: string;
  unitId: string;
  at: number;
  temperature: number | null;
  humidity: number | null;
  battery: number | null;
  doorOpen: boolean | null;
  rssi: number | null;
  snr: number | null;
}

/** Stores a reading with its rollups and judges it; the caller's transaction holds it all. */
export function recordReading(effects: RoomEffects, reading: NewReading): void {
  const { sql: db } = effects;
  const door = reading.doorOpen === null ? null : reading.doorOpen ? 1 : 0;
  db.exec(
    "INSERT INTO readings (dev_eui, unit_id, at, temperature, humidity, battery, door_open, rssi, snr) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    reading.devEui,
    reading.unitId,
    reading.at,
    reading.temperature,
    reading.humidity,
    reading.battery,
    door,
    reading.rssi,
    reading.snr,
  );
  const t = reading.temperature;
  if (t !== null) {
    for (const [table, size] of [
      ["readings_minute", MINUTE],
      ["readings_hour", HOUR],
    ] as const) {
      db.exec(
        `INSERT INTO ${table} (unit_id, at, count, sum, min, max) VALUES (?, ?, 1, ?, ?, ?)
         ON CONFLICT (unit_id, at) DO UPDATE SET count = count + 1, sum = sum + excluded.sum, min = min(min, excluded.min), max = max(max, excluded.max)`,
        reading.unitId,
        reading.at - (reading.at % size),
        t,
        t,
        t,
      );
    }
  }
  effects.touch("units", reading.unitId);
  judge(effects, reading);
  planRetention(effects);
}

/* ---------- judging readings against rules ---------- */

const SAMPLED_RULES = ["temperature_high", "temperature_low", "battery_low", "door_open"] as const;

function stateOf(db: Db, unitId: string, kind: RuleKind) {
  return db
    .select()
    .from(ruleStates)
    .where(and(eq(ruleStates.unitId, unitId), eq(ruleStates.kind, kind)))
    .get();
}

function activeAlert(db: Db, unitId: string, kind: RuleKind): AlertRow | undefined {
  return db
    .select()
    .from(alerts)
    .where(and(eq(alerts.unitId, unitId), eq(alerts.rule, kind), inArray(alerts.state, ACTIVE_STATES)))
    .get();
}

function thresholdOf(kind: RuleKind, rule: AnyRule): number {
  if ("threshold" in rule) return rule.threshold;
  return "durationMinutes" in rule ? rule.durationMinutes : 0;
}

/**
 * Judges a stored reading against each rule it says something about. A rule's state row is
 * written only when its breach begins or ends, so a steady stream of readings costs no
 * writes here beyond the sensor's arrival; a late reading older than the last change is
 * kept for the record but not judged.
 */
function judge(effects: RoomEffects, reading: NewReading): void {
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
      "INSERT INTO rule_states (unit_id, kind, breach_since, last_at) VALUES (?, ?, ?, ?) ON CONFLICT (unit_id, kind) DO UPDATE SET breach_since = excluded.breach_since, last_at = excluded.last_at",
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
  // Any reading proves the sensor alive.
  save("stale", null, effects.now);
  const stale = active.get("stale");
  if (stale) clearAlert(effects, stale, reading.at);
  if (rules.stale.enabled) ensureStaleWatch(effects, unit.id);
}

const worse = (kind: RuleKind, a: number | null, b: number): number => {
  if (a === null) return b;
  return kind === "temperature_low" || kind === "battery_low" ? Math.min(a, b) : Math.max(a, b);
};

/** Raises an alert, or reopens the unit's open one for this rule: one open alert per unit and rule. */
function raise(
  effects: RoomEffects,
  unit: { id: string; name: string },
  kind: RuleKind,
  rule: AnyRule,
  startedAt: number,
  value: number | null,
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
        threshold: thresholdOf(kind, rule),
        startedAt,
        raisedAt: effects.now,
        clearedAt: null,
        lastValue: value,
        peakValue: value,
        breaches: 1,
        escalationStep: 0,
      })
      .run();
  }
  effects.touch("alerts", id);
  effects.touch("units", unit.id);
  escalate(effects, id, 0);
}

function extend(effects: RoomEffects, open: AlertRow, value: number): void {
  effects.db
    .update(alerts)
    .set({ lastValue: value, peakValue: worse(open.rule as RuleKind, open.peakValue, value) })
    .where(eq(alerts.id, open.id))
    .run();
  effects.touch("alerts", open.id);
}

function clearAlert(effects: RoomEffects, open: AlertRow, at: number): void {
  effects.db
    .update(alerts)
    .set({ state: open.state === "active_ack" ? "cleared_ack" : "cleared_unack", clearedAt: at })
    .where(eq(alerts.id, open.id))
    .run();
  effects.unschedule(escalateJobId(open.id));
  effects.touch("alerts", open.id);
  effects.touch("units", open.unitId);
}

/* ---------- the schedule's jobs ---------- */

export const breachJobId = (unitId: string, kind: RuleKind) => `${BREACH_JOB}:${unitId}:${kind}`;
export const staleJobId = (unitId: string) => `${STALE_JOB}:${unitId}`;
export const escalateJobId = (alertId: string) => `${ESCALATE_JOB}:${alertId}`;

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

/** The stale check: no reading for the rule's minutes raises a stale alert; otherwise it looks again when it could next be stale. */
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
  if (!activeAlert(db, unit.id, "stale"))
    raise(effects, unit, "stale", rule, heard, Math.round((effects.now - heard) / MINUTE));
}

const RULE_WORDS: Record<RuleKind, string> = {
  temperature_high: "too warm",
  temperature_low: "too cold",
  stale: "has gone quiet",
  battery_low: "sensor battery low",
  door_open: "door left open",
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
          : kind === "battery_low"
            ? `battery at ${value ?? "?"} V, below ${alert.threshold} V`
            : `open for over ${alert.threshold} minutes`;
  return {
    title: `${alert.severity === "critical" ? "Critical" : "Warning"}: ${unitName} ${RULE_WORDS[kind]}`,
    body: `${unitName}: ${detail}. Acknowledge it on the board.`,
  };
}

/**
 * Notifies an escalation step about an alert still unacknowledged, and plans the next
 * step. Each step's notice has its own key, so a step runs once however often it is planned.
 */
export function escalate(effects: RoomEffects, alertId: string, stepIndex: number): void {
  const { db } = effects;
  const alert = db.select().from(alerts).where(eq(alerts.id, alertId)).get();
  if (!alert || alert.state !== "active_unack") return;
  const steps = settingsOf(db).escalation;
  const current = steps[stepIndex];
  if (!current) return;
  const unit = db.select({ name: units.name }).from(units).where(eq(units.id, alert.unitId)).get();
  const { title, body } = describe(alert, unit?.name ?? "A unit");
  effects.enqueue({
    type: "notify",
    key: `alert:${effects.roomId}:${alert.id}:${alert.breaches}:${stepIndex}`,
    roomId: effects.roomId,
    // A step whose roles nobody holds (a site without staff) goes to whoever handles alerts, not to nobody.
    audience: { roles: current.roles, orElse: "alerts.handle" },
    title,
    body,
    url: `/rooms/${encodeURIComponent(effects.roomId)}/units/${encodeURIComponent(alert.unitId)}?alert=${encodeURIComponent(alert.id)}`,
    topic: "alert",
    urgent: alert.severity === "critical",
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

/* ---------- acknowledging and resolving ---------- */

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

export function alertRow(db: Db, id: string): AlertRow | undefined {
  return db.select().from(alerts).where(eq(alerts.id, id)).get();
}

export function resolve(
  effects: RoomEffects,
  alert: AlertRow,
  by: { userId: string; name: string },
  resolution: { action: string; product: ProductOutcome; note: string; photoId: string | null },
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
}

/** Re-judges every unit's state after a rule changed: what no longer breaks a rule clears; a new breach waits for the next reading. */
export function afterRulesChanged(effects: RoomEffects, unitIds: string[]): void {
  const { db } = effects;
  for (const unitId of unitIds) {
    const unit = db.select().from(units).where(eq(units.id, unitId)).get();
    if (!unit) continue;
    const rules = rulesOf(db, unit);
    for (const kind of SAMPLED_RULES) {
      if (rules[kind].enabled) continue;
      db.update(ruleStates)
        .set({ breachSince: null })
        .where(and(eq(ruleStates.unitId, unitId), eq(ruleStates.kind, kind)))
        .run();
      effects.unschedule(breachJobId(unitId, kind));
      const open = activeAlert(db, unitId, kind);
      if (open) clearAlert(effects, open, effects.now);
    }
    planStale(effects, unitId);
    effects.touch("units", unitId);
  }
}

/* ---------- retention ---------- */

const isScheduled = (sql: SqlStorage, id: string) =>
  firstRow(sql, "SELECT 1 FROM scheduled_jobs WHERE id = ?", id) !== undefined;

/** Keeps the daily retention sweep on the schedule; it plans its own next run. */
function planRetention(effects: RoomEffects): void {
  if (!isScheduled(effects.sql, RETENTION_JOB))
    effects.schedule({ id: RETENTION_JOB, kind: RETENTION_JOB, dueAt: effects.now + DAY, payload: {} });
}

/**
 * Deletes raw readings and per-minute rollups past the retention, per-hour rollups past
 * theirs, in batches; a backlog is swept again a minute later, the rest tomorrow. Alerts
 * closed over a week ago leave the board's mirror.
 */
export function runRetention(effects: RoomEffects): { deleted: number } {
  const { db, now } = effects;
  const settings = settingsOf(db);
  const rawBefore = now - settings.retentionDays * DAY;
  const rollupBefore = now - settings.rollupRetentionDays * DAY;
  const sweep = (statement: ReturnType<typeof sql>): number => {
    db.run(statement);
    return db.get<{ n: number }>(sql`SELECT changes() AS n`)?.n ?? 0;
  };
  const deleted = Math.max(
    sweep(
      sql`DELETE FROM readings WHERE id IN (SELECT id FROM readings WHERE at < ${rawBefore} LIMIT ${RETENTION_SWEEP_BATCH})`,
    ),
    sweep(
      sql`DELETE FROM readings_minute WHERE rowid IN (SELECT rowid FROM readings_minute WHERE at < ${rawBefore} LIMIT ${RETENTION_SWEEP_BATCH})`,
    ),
    sweep(
      sql`DELETE FROM readings_hour WHERE rowid IN (SELECT rowid FROM readings_hour WHERE at < ${rollupBefore} LIMIT ${RETENTION_SWEEP_BATCH})`,
    ),
  );
  db.delete(uplinks)
    .where(lte(uplinks.receivedAt, now - UPLINK_DEDUPE_MS))
    .run();
  const leaving = db
    .select({ id: alerts.id })
    .from(alerts)
    .where(
      and(
        eq(alerts.state, "cleared_ack"),
        lt(alerts.clearedAt, now - CLOSED_ALERT_MIRROR_MS),
        gte(alerts.clearedAt, now - CLOSED_ALERT_MIRROR_MS - 3 * DAY),
      ),
    )
    .all();
  for (const a of leaving) effects.touch("alerts", a.id);
  const backlog = deleted >= RETENTION_SWEEP_BATCH;
  effects.schedule({ id: RETENTION_JOB, kind: RETENTION_JOB, dueAt: now + (backlog ? MINUTE : DAY), payload: {} });
  return { deleted };
}

/* ---------- charts ---------- */

export interface ChartColumns {
  at: number[];
  mean: number[];
  min: number[];
  max: number[];
}

/** Raw readings of a unit in [from, to), as columns. */
export function rawColumns(sql: SqlStorage, unitId: string, from: number, to: number): ChartColumns {
  const out: ChartColumns = { at: [], mean: [], min: [], max: [] };
  for (const r of sql.exec<{ at: number; t: number }>(
    "SELECT at, temperature AS t FROM readings WHERE unit_id = ? AND at >= ? AND at < ? AND temperature IS NOT NULL ORDER BY at",
    unitId,
    from,
    to,
  )) {
    out.at.push(r.at);
    out.mean.push(r.t);
    out.min.push(r.t);
    out.max.push(r.t);
  }
  return out;
}

/**
 * A unit's readings or rollups in [from, to) gathered into `points` equal columns, each its
 * time (the first reading in it), mean, lowest and highest: the same picture a chart of
 * every point draws, in as many points as it has pixels.
 */
export function bucketColumns(
  sql: SqlStorage,
  source: "readings" | "readings_minute" | "readings_hour",
  unitId: string,
  from: number,
  to: number,
  points: number,
): ChartColumns {
  const width = Math.max(1, Math.ceil((to - from) / points));
  const [total, n, lo, hi, where] =
    source === "readings"
      ? ["temperature", "count(temperature)", "temperature", "temperature", "AND temperature IS NOT NULL"]
      : ["sum", "sum(count)", "min", "max", ""];
  const out: ChartColumns = { at: [], mean: [], min: [], max: [] };
  const rows = sql.exec<{ at: number; total: number; n: number; min: number; max: number }>(
    `SELECT min(at) AS at, sum(${total}) AS total, ${n} AS n, min(${lo}) AS min, max(${hi}) AS max
     FROM ${source} WHERE unit_id = ? AND at >= ? AND at < ? ${where}
     GROUP BY CAST((at - ?) / ? AS INTEGER) ORDER BY 1`,
    unitId,
    from,
    to,
    from,
    width,
  );
  for (const r of rows) {
    out.at.push(r.at);
    out.mean.push(Math.round((r.total / r.n) * 100) / 100);
    out.min.push(r.min);
    out.max.push(r.max);
  }
  return out;
}

/** A unit's per-minute or per-hour rollups in [from, to), as columns; means to the hundredth of a degree. */
export function rollupColumns(
  sql: SqlStorage,
  table: "readings_minute" | "readings_hour",
  unitId: string,
  from: number,
  to: number,
): ChartColumns {
  const out: ChartColumns = { at: [], mean: [], min: [], max: [] };
  const rows = sql.exec<{ at: number; mean: number; min: number; max: number }>(
    `SELECT at, round(sum / count, 2) AS mean, min, max FROM ${table} WHERE unit_id = ? AND at >= ? AND at < ? ORDER BY at`,
    unitId,
    from,
    to,
  );
  for (const r of rows) {
    out.at.push(r.at);
    out.mean.push(r.mean);
    out.min.push(r.min);
    out.max.push(r.max);
  }
  return out;
}

/** Alerts of a unit overlapping a window, for shading a chart. */
export function alertPeriods(db: Db, unitId: string, from: number, to: number) {
  return db
    .select({
      id: alerts.id,
      rule: alerts.rule,
      severity: alerts.severity,
      state: alerts.state,
      startedAt: alerts.startedAt,
      clearedAt: alerts.clearedAt,
    })
    .from(alerts)
    .where(
      and(
        eq(alerts.unitId, unitId),
        lt(alerts.startedAt, to),
        sql`(${alerts.clearedAt} IS NULL OR ${alerts.clearedAt} >= ${from})`,
      ),
    )
    .orderBy(asc(alerts.startedAt))
    .all();
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
