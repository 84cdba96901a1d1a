/** A unit's temperature history as chart columns, raw or from rollups, and the alerts that shade it. */
import { and, asc, eq, lt, sql } from "drizzle-orm";
import type { Db } from "./common";
import { alerts } from "./tables";

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
    "SELECT at, temperature AS t FROM readings WHERE unit_id = ? AND at >= ? AND at < ? AND temperature IS NOT NULL " +
      "ORDER BY at",
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
    `SELECT at, round(sum / count, 2) AS mean, min, max FROM ${table} WHERE unit_id = ? AND at >= ? AND at < ? ` +
      `ORDER BY at`,
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
