/**
 * A cold-storage site: the shared checklists of the base room, plus its layout (areas,
 * units, sensors) as records with rules, sensor readings taken from The Things Network,
 * and each unit's latest reading mirrored live to every open board.
 */
import { and, desc, eq, isNull } from "drizzle-orm";
import {
  MAX_CHART_POINTS,
  MAX_INGEST_KEYS_PER_SITE,
  MINUTE_CHART_MAX_SPAN_MS,
  RAW_CHART_MAX_SPAN_MS,
  UPLINK_BURST_PER_DEVICE,
  UPLINKS_PER_SECOND_PER_DEVICE,
} from "../../config";
import type { RoomKind } from "../../schema/core/roles";
import type { ChartResolution, ReadingsAnswer } from "../../schema/site/api";
import { type Area, SITE_SERVER_ROOTS } from "../../schema/site/records";
import type { RuleKind } from "../../schema/site/rules";
import type { RoomEffects } from "../core/commands";
import { HavenRoom } from "../core/HavenRoom";
import { type NewPhoto, recordPhoto } from "../core/photos";
import type { DueJob } from "../core/schedule";
import { TokenBucket } from "../core/token-bucket";
import { alertPeriods, bucketColumns, rawColumns, rollupColumns } from "./charts";
import { BREACH_JOB, ESCALATE_JOB, RETENTION_JOB, STALE_JOB } from "./common";
import { escalate } from "./escalation";
import { SITE_COMMANDS } from "./handlers";
import { devEuiOf, type IngestOutcome, ingest, keyIsLive } from "./ingest";
import { runBreachCheck } from "./judge";
import migrations from "./migrations/migrations.js";
import { alertRecord, mirroredAlerts, unitRecord } from "./mirror";
import { runRetention } from "./retention";
import { overridesAt, siteRecord } from "./settings";
import { runStaleCheck } from "./stale";
import { areas, ingestKeys, unclaimedDevices, units } from "./tables";

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
  lastValues: Record<string, unknown>;
}

export class SiteRoom extends HavenRoom {
  readonly kind: RoomKind = "site";
  readonly migrations = migrations;
  protected override readonly commands = SITE_COMMANDS;
  protected override readonly serverRoots = SITE_SERVER_ROOTS;
  /** Uplinks each sensor may still send now; in memory, so a woken room starts them full. */
  readonly #uplinkAllowance = new Map<string, TokenBucket>();

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

  /** The site's scheduled work: stale-sensor checks, breaches waiting out their duration, escalation steps, the retention sweep. */
  protected override runJob(effects: RoomEffects, job: DueJob): void {
    switch (job.kind) {
      case STALE_JOB:
        return runStaleCheck(effects, job.payload as { unitId: string });
      case BREACH_JOB:
        return runBreachCheck(effects, job.payload as { unitId: string; rule: RuleKind });
      case ESCALATE_JOB: {
        const { alertId, step } = job.payload as { alertId: string; step: number };
        return escalate(effects, alertId, step);
      }
      case RETENTION_JOB:
        runRetention(effects);
        return;
      default:
        return super.runJob(effects, job);
    }
  }
  /**
   * RPC from the ingest route: one TTN webhook body, with the SHA-256 of the key it came
   * with. Stored (and mirrored) before the answer; nothing else waits on it.
   */
  async ingestUplink(keyHash: string, body: unknown): Promise<IngestOutcome | { status: "rate_limited" }> {
    await this.ready();
    if (!keyIsLive(this.ctx.storage.sql, keyHash, Date.now())) return { status: "unauthorized" };
    const eui = devEuiOf(body);
    if (eui) {
      let allowance = this.#uplinkAllowance.get(eui);
      if (!allowance)
        this.#uplinkAllowance.set(
          eui,
          (allowance = new TokenBucket(UPLINK_BURST_PER_DEVICE, UPLINKS_PER_SECOND_PER_DEVICE)),
        );
      if (!allowance.take()) return { status: "rate_limited" };
    }
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

  /** RPC: records a corrective action's photo the Worker stored in R2, if the uploader's role may handle alerts. */
  async registerPhoto(photo: NewPhoto): Promise<boolean> {
    await this.ready();
    return recordPhoto(this.db, this.kind, photo, Date.now());
  }

  /** RPC: a new ingest key; its secret is returned this once, and only its SHA-256 is kept. */
  async createIngestKey(label: string, keyHash: string): Promise<IngestKeyInfo | null> {
    await this.ready();
    const live = this.db.select({ id: ingestKeys.id }).from(ingestKeys).where(isNull(ingestKeys.revokedAt)).all();
    if (live.length >= MAX_INGEST_KEYS_PER_SITE) return null;
    const key = { id: crypto.randomUUID(), hash: keyHash, label, createdAt: Date.now(), lastUsedAt: null };
    this.db.insert(ingestKeys).values(key).run();
    return { id: key.id, label, createdAt: key.createdAt, lastUsedAt: null };
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

  /** RPC: revokes a key at once; false when there is no such live key. */
  async revokeIngestKey(id: string): Promise<boolean> {
    await this.ready();
    const key = this.db
      .select({ id: ingestKeys.id })
      .from(ingestKeys)
      .where(and(eq(ingestKeys.id, id), isNull(ingestKeys.revokedAt)))
      .get();
    if (!key) return false;
    this.db.update(ingestKeys).set({ revokedAt: Date.now() }).where(eq(ingestKeys.id, id)).run();
    return true;
  }

  /** RPC: sensors heard from that no unit has claimed, newest first. */
  async listUnclaimed(): Promise<UnclaimedDevice[]> {
    await this.ready();
    return this.db
      .select()
      .from(unclaimedDevices)
      .orderBy(desc(unclaimedDevices.lastSeenAt))
      .all()
      .map((row) => ({ ...row, lastValues: JSON.parse(row.lastValues) as Record<string, unknown> }));
  }
}
