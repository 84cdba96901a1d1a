/**
 * A cold-storage site: the shared checklists of the base room, plus its layout (areas,
 * units, sensors) as records with rules, sensor readings taken from The Things Network,
 * and each unit's latest reading mirrored live to every open board.
 */
import { and, desc, eq, isNull } from "drizzle-orm";
import { MAX_INGEST_KEYS_PER_SITE, UPLINK_BURST_PER_DEVICE, UPLINKS_PER_SECOND_PER_DEVICE } from "../../config";
import type { RoomKind } from "../../schema/core/roles";
import { SITE_SERVER_ROOTS } from "../../schema/site/records";
import { HavenRoom } from "../core/HavenRoom";
import { TokenBucket } from "../core/token-bucket";
import { SITE_COMMANDS, unitRecord } from "./handlers";
import { devEuiOf, type IngestOutcome, ingest, keyIsLive } from "./ingest";
import migrations from "./migrations/migrations.js";
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

  protected override mirrorOf(root: string, id: string): unknown {
    if (root === "areas") return this.db.select({ id: areas.id, name: areas.name }).from(areas).where(eq(areas.id, id)).get();
    if (root === "units") return unitRecord(this.db, id);
    return undefined;
  }

  protected override mirrorAll(root: string): Map<string, unknown> {
    if (root === "areas") return new Map(this.db.select({ id: areas.id, name: areas.name }).from(areas).all().map((a) => [a.id, a]));
    if (root === "units") return new Map(this.db.select({ id: units.id }).from(units).all().map((u) => [u.id, unitRecord(this.db, u.id)]));
    return new Map();
  }

  /**
   * RPC from the ingest route: one TTN webhook body, with the SHA-256 of the key it came
   * with. Stored (and mirrored) before the answer; nothing else waits on it.
   */
  async ingestUplink(keyHash: string, body: unknown): Promise<IngestOutcome | { status: "rate_limited" }> {
    await this.ready();
    if (!keyIsLive(this.db, keyHash, Date.now())) return { status: "unauthorized" };
    const eui = devEuiOf(body);
    if (eui) {
      let allowance = this.#uplinkAllowance.get(eui);
      if (!allowance) this.#uplinkAllowance.set(eui, (allowance = new TokenBucket(UPLINK_BURST_PER_DEVICE, UPLINKS_PER_SECOND_PER_DEVICE)));
      if (!allowance.take()) return { status: "rate_limited" };
    }
    return this.transact((effects) => {
      const outcome = ingest(this.db, body, effects.now);
      if (outcome.status === "stored") effects.touch("units", outcome.unitId);
      return outcome;
    });
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
      .select({ id: ingestKeys.id, label: ingestKeys.label, createdAt: ingestKeys.createdAt, lastUsedAt: ingestKeys.lastUsedAt })
      .from(ingestKeys)
      .where(isNull(ingestKeys.revokedAt))
      .orderBy(desc(ingestKeys.createdAt))
      .all();
  }

  /** RPC: revokes a key at once; false when there is no such live key. */
  async revokeIngestKey(id: string): Promise<boolean> {
    await this.ready();
    const key = this.db.select({ id: ingestKeys.id }).from(ingestKeys).where(and(eq(ingestKeys.id, id), isNull(ingestKeys.revokedAt))).get();
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
