/**
 * A cold-storage site: the shared checklists of the base room, plus its layout (areas,
 * units, sensors) as records with rules, sensor readings taken from The Things Network,
 * and each unit's latest reading mirrored live to every open board.
 */
import { and, desc, eq, isNull, lt, or } from "drizzle-orm";
import { MAX_CHART_POINTS, MINUTE_CHART_MAX_SPAN_MS, RAW_CHART_MAX_SPAN_MS } from "../../config";
import { type RoomSiteAlert, type RoomSiteLine, SITE_LINE_ALERTS } from "../../schema/core/api";
import type { RoomKind } from "../../schema/core/roles";
import type { ChartResolution, ReadingsAnswer } from "../../schema/site/api";
import type { SiteRecordsVerifyReport } from "../../schema/site/compliance";
import { siteKind } from "../../schema/site/manifest";
import type { Area } from "../../schema/site/records";
import type { SensorValues } from "../../schema/site/ttn";
import type { RoomEffects } from "../core/commands";
import { HavenRoom } from "../core/HavenRoom";
import type { VerifiedMember } from "../core/identity";
import type { DueJob } from "../core/schedule";
import { alertPeriods, bucketColumns, rawColumns, rollupColumns } from "./charts";
import { SITE_COMMANDS } from "./handlers";
import { devEuiOf, type IngestOutcome, ingest, keyIsLive } from "./ingest";
import { runSiteJob } from "./jobs";
import legacyMigrations from "./legacy-migrations/migrations.js";
import migrations from "./migrations/migrations.js";
import { alertRecord, mirroredAlerts, unitRecord } from "./mirror";
import { recordsPage, verifyRecords } from "./records";
import { overridesAt, siteRecord } from "./settings";
import { areas, ingestKeys, unclaimedDevices, units } from "./tables";
import { UplinkAllowance } from "./uplink-allowance";

export interface IngestKeyInfo {
  id: string;
  label: string;
  createdAt: number;
  lastUsedAt: number | null;
}

export interface UnclaimedDevice {
  devEui: string;
  deviceId: string;
  firstSeenAt: number;
  lastSeenAt: number;
  uplinks: number;
  lastValues: Partial<SensorValues>;
}

export interface UnclaimedPage {
  devices: UnclaimedDevice[];
  nextCursor: string | null;
}

/** An alert still on the board (not both cleared and resolved), and one whose condition lasts, as SQL. */
const OPEN = "NOT (state = 'cleared_ack' AND resolved_at IS NOT NULL)";
const ACTIVE = "state IN ('active_unack', 'active_ack')";

export class SiteRoom extends HavenRoom {
  readonly kind: RoomKind = "site";
  readonly migrations = { track: migrations, legacy: { migrations: legacyMigrations, equals: { core: 2, kind: 1 } } };
  protected override readonly commands = SITE_COMMANDS;
  protected override readonly serverRoots = siteKind.serverRoots;
  readonly #uplinkAllowance = new UplinkAllowance();

  #area(row: { id: string; name: string }): Area {
    return { id: row.id, name: row.name, overrides: overridesAt(this.db, `area:${row.id}`) };
  }

  protected override mirrorOf(root: string, id: string): unknown {
    if (root === "areas") {
      const row = this.db.select({ id: areas.id, name: areas.name }).from(areas).where(eq(areas.id, id)).get();
      return row ? this.#area(row) : undefined;
    }
    if (root === "units") return unitRecord(this.ctx.storage.sql, this.db, id);
    if (root === "alerts") return alertRecord(this.db, id, Date.now());
    if (root === "site") return id === "settings" ? siteRecord(this.db) : undefined;
    return undefined;
  }

  protected override mirrorAll(root: string): Map<string, unknown> {
    if (root === "areas")
      return new Map(
        this.db
          .select({ id: areas.id, name: areas.name })
          .from(areas)
          .all()
          .map((a) => [a.id, this.#area(a)]),
      );
    if (root === "units")
      return new Map(
        this.db
          .select({ id: units.id })
          .from(units)
          .all()
          .map((u) => [u.id, unitRecord(this.ctx.storage.sql, this.db, u.id)]),
      );
    if (root === "alerts") return new Map(mirroredAlerts(this.db, Date.now()).map((a) => [a.id, a]));
    if (root === "site") return new Map([["settings", siteRecord(this.db)]]);
    return new Map();
  }

  /**
   * The site's scheduled work: stale-sensor checks, breaches waiting
   * out their duration, escalation steps, the retention sweep.
   */
  /**
   * The rooms list's line: alerts still on the board, those critical while their condition lasts, and the worst
   * of them with their units, for the overview of every site a person belongs to.
   */
  protected override listSummary(): RoomSiteLine {
    const sql = this.ctx.storage.sql;
    const row = sql
      .exec<{ open: number; critical: number }>(
        `SELECT count(*) AS open, coalesce(sum(severity = 'critical' AND ${ACTIVE}), 0) AS critical ` +
          `FROM alerts WHERE ${OPEN}`,
      )
      .one();
    const alerts = sql
      .exec<Omit<RoomSiteAlert, "severity"> & { severity: string }>(
        "SELECT a.id, a.unit_id AS unitId, coalesce(u.name, '') AS unit, a.rule, a.severity, a.state, " +
          "a.raised_at AS raisedAt FROM alerts a LEFT JOIN units u ON u.id = a.unit_id " +
          `WHERE ${OPEN} ORDER BY (a.severity = 'critical' AND ${ACTIVE}) DESC, ${ACTIVE} DESC, a.raised_at DESC ` +
          "LIMIT ?",
        SITE_LINE_ALERTS,
      )
      .toArray()
      .map((a) => ({ ...a, severity: a.severity === "critical" ? ("critical" as const) : ("warning" as const) }));
    return { open: row.open, critical: row.critical, alerts };
  }

  protected override runJob(effects: RoomEffects, job: DueJob): void {
    if (!runSiteJob(effects, job)) super.runJob(effects, job);
  }

  /**
   * RPC from the ingest route: one TTN webhook body, with the SHA-256 of the key it came
   * with. Stored (and mirrored) before the answer; nothing else waits on it.
   */
  async ingestUplink(keyHash: string, body: unknown): Promise<IngestOutcome | { status: "rate_limited" }> {
    await this.ready();
    if (!keyIsLive(this.ctx.storage.sql, keyHash, Date.now())) return { status: "unauthorized" };
    if (!this.#uplinkAllowance.take(keyHash, devEuiOf(body))) return { status: "rate_limited" };
    return this.transactStreaming((effects) => ingest(effects, body));
  }

  /**
   * RPC: a unit's temperature history for a chart, with its rule limits and alert periods;
   * null when there is no such unit. The resolution follows the span unless asked for;
   * one that would return more than MAX_CHART_POINTS points is refused ("too_many"), unless
   * `points` asks for the window gathered into that many columns.
   */
  async readings(
    unitId: string,
    from: number,
    to: number,
    asked?: ChartResolution,
    points?: number,
  ): Promise<ReadingsAnswer | "too_many" | null> {
    await this.ready();
    const sql = this.ctx.storage.sql;
    const unit = unitRecord(sql, this.db, unitId);
    if (!unit) return null;
    const span = to - from;
    const resolution: ChartResolution =
      asked ?? (span <= RAW_CHART_MAX_SPAN_MS ? "raw" : span <= MINUTE_CHART_MAX_SPAN_MS ? "minute" : "hour");
    const source = resolution === "raw" ? "readings" : resolution === "minute" ? "readings_minute" : "readings_hour";
    if (points === undefined && resolution === "minute" && span / 60_000 > MAX_CHART_POINTS) return "too_many";
    const columns =
      points !== undefined
        ? bucketColumns(sql, source, unitId, from, to, points)
        : source === "readings"
          ? rawColumns(sql, unitId, from, to)
          : rollupColumns(sql, source, unitId, from, to);
    if (columns.at.length > MAX_CHART_POINTS) return "too_many";
    const high = unit.rules.temperature_high;
    const low = unit.rules.temperature_low;
    return {
      unitId,
      resolution,
      ...columns,
      limits: {
        high: high.enabled ? high.threshold : null,
        highClear: high.enabled ? high.threshold - high.hysteresis : null,
        low: low.enabled ? low.threshold : null,
        lowClear: low.enabled ? low.threshold + low.hysteresis : null,
      },
      alerts: alertPeriods(this.db, unitId, from, to),
    };
  }

  /** A site's photo is in use once an alert's corrective action keeps it (the base room registers photos). */
  protected override photoInUse(photoId: string): boolean {
    return this.ctx.storage.sql.exec("SELECT 1 FROM alerts WHERE photo_id = ? LIMIT 1", photoId).toArray().length > 0;
  }

  /**
   * RPC for the site's routes that run a command (ingest keys): the command's outcome as
   * JSON text, since RPC types cannot carry a result typed `unknown`; the route reads it
   * back as the CommandOutcome it is.
   */
  async commandAnswer(member: VerifiedMember, envelope: unknown, encodedBytes: number): Promise<string> {
    return JSON.stringify(await this.command(member, envelope, encodedBytes));
  }

  /**
   * RPC: the compliance records after `afterSeq`, oldest first, with the head they were read against. Text, so
   * the records' open JSON does not cross RPC typed.
   */
  async recordsPage(afterSeq: number, limit: number): Promise<string> {
    await this.ready();
    return JSON.stringify(recordsPage(this.ctx.storage.sql, this.db, afterSeq, limit));
  }

  /** RPC: verifies the compliance records' chain up to its head; the first broken link, or ok. */
  async verifyRecords(): Promise<SiteRecordsVerifyReport> {
    await this.ready();
    return verifyRecords(this.db, this.ctx.storage.sql);
  }

  /** RPC: the live keys (never their secrets). */
  async listIngestKeys(): Promise<IngestKeyInfo[]> {
    await this.ready();
    return this.db
      .select({
        id: ingestKeys.id,
        label: ingestKeys.label,
        createdAt: ingestKeys.createdAt,
        lastUsedAt: ingestKeys.lastUsedAt,
      })
      .from(ingestKeys)
      .where(isNull(ingestKeys.revokedAt))
      .orderBy(desc(ingestKeys.createdAt))
      .all();
  }

  /**
   * RPC: a page of the sensors heard from that no unit has claimed, newest first; `before`
   * is the cursor (`<lastSeenAt>.<devEui>`) the page before ended with.
   */
  async listUnclaimed(limit: number, before: string | null): Promise<UnclaimedPage> {
    await this.ready();
    const cursor = before === null ? null : /^(\d+)\.([0-9A-F]{16})$/.exec(before);
    const rows = this.db
      .select()
      .from(unclaimedDevices)
      .where(
        cursor
          ? or(
              lt(unclaimedDevices.lastSeenAt, Number(cursor[1])),
              and(eq(unclaimedDevices.lastSeenAt, Number(cursor[1])), lt(unclaimedDevices.devEui, cursor[2] ?? "")),
            )
          : undefined,
      )
      .orderBy(desc(unclaimedDevices.lastSeenAt), desc(unclaimedDevices.devEui))
      .limit(limit + 1)
      .all();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      devices: page.map((row) => ({ ...row, lastValues: JSON.parse(row.lastValues) as Partial<SensorValues> })),
      nextCursor: rows.length > limit && last ? `${last.lastSeenAt}.${last.devEui}` : null,
    };
  }
}
