/**
 * A site's watch over its units runs inside the room's transactions: a reading is stored
 * with its rollups and judged against each rule that applies (readings.ts, judge.ts);
 * alerts are raised, extended, reopened and cleared (alerts.ts); escalation, stale sensors,
 * pending breaches and the retention sweep run from the room's schedule (escalation.ts,
 * stale.ts, retention.ts). Everything is synchronous SQL in one transaction with its
 * effects, so a reading and the alert it causes commit together.
 *
 * This module holds what those parts share: the names of the scheduled jobs and their ids,
 * a rule's saved state, and the plain SQL the paths every reading takes use beside drizzle.
 */
import { and, eq } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import type { AlertState } from "../../schema/site/records";
import type { RuleKind } from "../../schema/site/rules";
import { type alerts, ruleStates } from "./tables";

export type Db = DrizzleSqliteDODatabase;
export type AlertRow = typeof alerts.$inferSelect;

import { BREACH_JOB, ESCALATE_JOB, MANUAL_CHECK_JOB, RETENTION_JOB, STALE_JOB } from "../../schema/site/jobs";

export { BREACH_JOB, ESCALATE_JOB, MANUAL_CHECK_JOB, RETENTION_JOB, STALE_JOB };

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const ACTIVE_STATES: AlertState[] = ["active_unack", "active_ack"];

export const breachJobId = (unitId: string, kind: RuleKind) => `${BREACH_JOB}:${unitId}:${kind}`;
export const staleJobId = (unitId: string) => `${STALE_JOB}:${unitId}`;
export const manualCheckJobId = (unitId: string) => `${MANUAL_CHECK_JOB}:${unitId}`;
/** The `dev_eui` of a reading logged by hand. */
export const MANUAL_DEV_EUI = "manual";
export const escalateJobId = (alertId: string) => `${ESCALATE_JOB}:${alertId}`;

type Value = SqlStorageValue;
export function firstRow<T>(sql: SqlStorage, query: string, ...bindings: Value[]): T | undefined {
  for (const row of sql.exec(query, ...bindings)) return row as T;
  return undefined;
}

export interface UnitRow {
  id: string;
  areaId: string;
  name: string;
  kind: string;
}
export const unitRow = (sql: SqlStorage, id: string) =>
  firstRow<UnitRow>(sql, "SELECT id, area_id AS areaId, name, kind FROM units WHERE id = ?", id);

export const isScheduled = (sql: SqlStorage, id: string) =>
  firstRow(sql, "SELECT 1 FROM scheduled_jobs WHERE id = ?", id) !== undefined;

export function stateOf(db: Db, unitId: string, kind: RuleKind) {
  return db
    .select()
    .from(ruleStates)
    .where(and(eq(ruleStates.unitId, unitId), eq(ruleStates.kind, kind)))
    .get();
}

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
