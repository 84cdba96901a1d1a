import type { RoomKind } from "../../schema/core/roles";
import type { AuditExportFormat, AuditHead, AuditVerifyReport } from "../../schema/deal/audit";
import { HavenRoom } from "../core/HavenRoom";
import {
  ACTIVITY_ROOT,
  activityOf,
  allActivity,
  auditPage,
  chainHead,
  dealAuditWriter,
  verifyDealAudit,
} from "./audit";
import { csvLine, jsonLine } from "./audit-export";
import legacyMigrations from "./legacy-migrations/migrations.js";
import migrations from "./migrations/migrations.js";

/** A deal room. Its domain features build on the shared base. */
export class DealRoom extends HavenRoom {
  readonly kind: RoomKind = "deal";
  readonly migrations = { track: migrations, legacy: { migrations: legacyMigrations, equals: { core: 1, kind: 0 } } };
  /** Every command's entry goes into the deal's hash chain instead of core's plain row. */
  protected override readonly auditWriter = dealAuditWriter();
  protected override readonly serverRoots: readonly string[] = [ACTIVITY_ROOT];

  protected override mirrorOf(root: string, id: string): unknown {
    if (root === ACTIVITY_ROOT) return activityOf(this.db, id);
    return undefined;
  }

  protected override mirrorAll(root: string): Map<string, unknown> {
    if (root === ACTIVITY_ROOT) return new Map(allActivity(this.db).map((entry) => [entry.id, entry]));
    return new Map();
  }

  /** RPC: the audit chain's head, published so that an export can be checked alone. */
  async auditHead(): Promise<AuditHead> {
    await this.ready();
    return chainHead(this.db);
  }

  /**
   * RPC: one page of the audit export, entries with `afterSeq` < seq ≤ `upToSeq`, oldest first, as the export's
   * text, and the last seq it holds (null: nothing is left). Text, so the entries' open JSON does not cross RPC.
   */
  async auditExportPage(
    format: AuditExportFormat,
    afterSeq: number,
    upToSeq: number,
    limit: number,
  ): Promise<{ text: string; lastSeq: number | null }> {
    await this.ready();
    const page = auditPage(this.db, afterSeq, upToSeq, limit);
    const line = format === "csv" ? csvLine : jsonLine;
    return { text: page.map(line).join(""), lastSeq: page.at(-1)?.seq ?? null };
  }

  /** RPC: verifies the audit chain up to its head; the first broken link, or ok. */
  async verifyAudit(): Promise<AuditVerifyReport> {
    await this.ready();
    return verifyDealAudit(this.db);
  }
}
