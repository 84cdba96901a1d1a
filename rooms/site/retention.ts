/** The daily retention sweep: raw readings, rollups and the dedupe window's uplinks past their keep. */
import { and, eq, gte, lt, lte, sql } from "drizzle-orm";
import { CLOSED_ALERT_MIRROR_MS, RETENTION_SWEEP_BATCH, UPLINK_DEDUPE_MS } from "../../config";
import type { RoomEffects } from "../core/commands";
import { DAY, isScheduled, MINUTE, RETENTION_JOB } from "./common";
import { settingsOf } from "./settings";
import { alerts, uplinks } from "./tables";

/** Keeps the daily retention sweep on the schedule; it plans its own next run. */
export function planRetention(effects: RoomEffects): void {
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
      sql`DELETE FROM readings WHERE id IN
          (SELECT id FROM readings WHERE at < ${rawBefore} LIMIT ${RETENTION_SWEEP_BATCH})`,
    ),
    sweep(
      sql`DELETE FROM readings_minute WHERE rowid IN
          (SELECT rowid FROM readings_minute WHERE at < ${rawBefore} LIMIT ${RETENTION_SWEEP_BATCH})`,
    ),
    sweep(
      sql`DELETE FROM readings_hour WHERE rowid IN
          (SELECT rowid FROM readings_hour WHERE at < ${rollupBefore} LIMIT ${RETENTION_SWEEP_BATCH})`,
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
