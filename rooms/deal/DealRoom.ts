/**
 * A deal: its record, milestones, tasks and dependencies as records with rules, mirrored into the document; each
 * task's state derived with the room's clock, its due-day jobs on the room's schedule.
 */

import { MAX_TASK_MIRROR_BYTES_PER_DEAL } from "../../config";
import type { CommandOutcome } from "../../schema/core/commands";
import { dayWords, localDate } from "../../schema/core/day-words";
import type { RoomKind } from "../../schema/core/roles";
import type { DealSummary, DealTaskPage, DealTimeline } from "../../schema/deal/api";
import type { AuditExportFormat, AuditHead, AuditVerifyReport } from "../../schema/deal/audit";
import type { ClassContext } from "../../schema/deal/classes";
import type { DocumentSubmitArgs } from "../../schema/deal/document-commands";
import { DUE_SOON_JOB, dealJobs, OVERDUE_JOB } from "../../schema/deal/jobs";
import { dealKind } from "../../schema/deal/manifest";
import { DEAL_INFO_ID } from "../../schema/deal/records";
import type { Template } from "../../schema/deal/templates";
import type { AuditEntry, FieldChange, RoomEffects, Touched } from "../core/commands";
import { HavenRoom } from "../core/HavenRoom";
import type { VerifiedMember } from "../core/identity";
import { log } from "../core/log";
import type { DueJob } from "../core/schedule";
import { audienceOfRole, DEAL_AUDIENCES, projectRecord } from "./audiences";
import {
  ACTIVITY_ROOT,
  activityOf,
  allActivity,
  auditPage,
  chainHead,
  dealAuditWriter,
  recordChanges,
  summaryFromChanges,
  verifyDealAudit,
} from "./audit";
import { csvLine, jsonLine } from "./audit-export";
import { allDocuments, DOCUMENT_COMMANDS, DOCUMENT_ROOM_COMMANDS, getDocument, holdsObject } from "./documents";
import { planDueJobs } from "./due-jobs";
import { DEAL_COMMANDS } from "./handlers";
import legacyMigrations from "./legacy-migrations/migrations.js";
import { releaseToOutsider } from "./members";
import migrations from "./migrations/migrations.js";
import { taskNotice } from "./notices";
import { dealSummary, dealTaskPage, dealTimeline, type ListSummary, listSummaryOf, type Viewer } from "./queries";
import { allMilestones, allTasks, getDeal, getMilestone, getTask, sharedTaskIds, taskRow, timeZoneOf } from "./records";
import { memberRoles, templateOfDeal } from "./saved-templates";

/** The audit log's name for a record of each mirrored root: `task:<id>`; the deal's one record is `deal`. */
const SUBJECT_OF_ROOT: Readonly<Record<string, string>> = {
  deal: "deal",
  milestones: "milestone",
  tasks: "task",
  documents: "document",
};
const ROOT_OF_SUBJECT: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(SUBJECT_OF_ROOT).map(([root, subject]) => [subject, root]),
);

export class DealRoom extends HavenRoom {
  readonly kind: RoomKind = "deal";
  readonly migrations = { track: migrations, legacy: { migrations: legacyMigrations, equals: { core: 1, kind: 0 } } };
  protected override readonly commands = { ...DEAL_COMMANDS, ...DOCUMENT_COMMANDS };
  protected override readonly serverRoots = dealKind.serverRoots;
  protected override readonly mirrorCaps = { tasks: MAX_TASK_MIRROR_BYTES_PER_DEAL };

  /** The rooms list's line: the deal's stage, closing and status, once it is set up. */
  protected override listSummary(): ListSummary | null {
    return listSummaryOf(this.db);
  }

  /** RPC: the deal summary for `viewer` (rooms/deal/queries.ts), or null before the deal is set up. */
  async summary(viewer: Viewer): Promise<DealSummary | null> {
    await this.ready();
    return dealSummary(this.db, viewer, Date.now());
  }

  /** RPC: the buyer timeline for `viewer`, or null before the deal is set up. */
  async timeline(viewer: Viewer): Promise<DealTimeline | null> {
    await this.ready();
    return dealTimeline(this.db, viewer, Date.now());
  }

  /** RPC: a task with its dependencies both ways, or null when `viewer` has no such task. */
  async taskPage(viewer: Viewer, taskId: string): Promise<DealTaskPage | null> {
    await this.ready();
    return dealTaskPage(this.db, viewer, taskId, Date.now());
  }

  /** RPC: the deal's structure as a template (unchecked), or null before the deal is set up. */
  async structure(id: string, name: string): Promise<Template | null> {
    await this.ready();
    return templateOfDeal(this.db, id, name, await memberRoles(this.env.DB, this.name));
  }

  protected override readonly audiences = DEAL_AUDIENCES;
  /**
   * Every command's entry goes into the deal's hash chain instead of core's plain row. Its changed fields are the
   * touched records' fields that differ between the document (the state before the command) and the records.
   */
  protected override readonly auditWriter = dealAuditWriter({
    changes: (entry, touched) => (entry.changes.length > 0 ? [...entry.changes] : this.#changesOf(touched)),
    summarize: (entry) => this.#summaryOf(entry),
  });

  /** The team shares the room's own document; a buyer, an editor or a viewer is served a projection (audiences.ts). */
  protected override audienceOf(member: VerifiedMember): string | null {
    return audienceOfRole(member.role);
  }

  protected override projectedOf(audience: string, root: string, _id: string, record: unknown): unknown {
    return projectRecord(audience, root, record, this.#classContext(root));
  }

  protected override projectedAll(audience: string, root: string): Map<string, unknown> {
    const context = this.#classContext(root);
    const projected = new Map<string, unknown>();
    for (const [id, record] of this.mirrorAll(root)) {
      const visible = projectRecord(audience, root, record, context);
      if (visible !== undefined) projected.set(id, visible);
    }
    return projected;
  }

  /** Which tasks are shared: a document's class follows its task's. Only documents need it. */
  #classContext(root: string): ClassContext {
    return root === "documents" ? { sharedTaskIds: sharedTaskIds(this.db) } : { sharedTaskIds: new Set() };
  }

  /** What the command changed in the records it touched, before and after. */
  #changesOf(touched: Readonly<Touched>): FieldChange[] {
    const changes: FieldChange[] = [];
    for (const [root, ids] of touched.records) {
      const name = SUBJECT_OF_ROOT[root];
      if (name === undefined) continue;
      for (const id of [...ids].sort()) {
        const subject = root === "deal" ? name : `${name}:${id}`;
        changes.push(...recordChanges(subject, this.mirrored(root, id), this.touchedRecord(touched, root, id)));
      }
    }
    return changes;
  }

  /** The title or name of the command's subject (as it is now, or was before a removal), for the activity feed. */
  #summaryOf(entry: AuditEntry): string {
    const [name = "", id = ""] = entry.subject.split(":");
    const root = ROOT_OF_SUBJECT[name];
    if (root !== undefined) {
      const recordId = root === "deal" ? DEAL_INFO_ID : id;
      const record = (this.mirrorOf(root, recordId) ?? this.mirrored(root, recordId)) as
        | { title?: unknown; name?: unknown }
        | undefined;
      const words = record?.title ?? record?.name;
      if (typeof words === "string" && words !== "") return words;
    }
    return summaryFromChanges(entry, this.db);
  }

  protected override mirrorOf(root: string, id: string): unknown {
    if (root === ACTIVITY_ROOT) return activityOf(this.db, id);
    if (root === "tasks") return getTask(this.db, id, Date.now());
    if (root === "milestones") return getMilestone(this.db, id);
    if (root === "documents") return getDocument(this.db, id);
    if (root === "deal") return id === DEAL_INFO_ID ? getDeal(this.db) : undefined;
    return undefined;
  }

  protected override mirrorAll(root: string): Map<string, unknown> {
    if (root === ACTIVITY_ROOT) return new Map(allActivity(this.db).map((entry) => [entry.id, entry]));
    if (root === "tasks") return new Map(allTasks(this.db, Date.now()).map((task) => [task.id, task]));
    if (root === "milestones") return new Map(allMilestones(this.db).map((milestone) => [milestone.id, milestone]));
    if (root === "documents") return new Map(allDocuments(this.db).map((document) => [document.id, document]));
    if (root === "deal") {
      const deal = getDeal(this.db);
      return deal ? new Map([[DEAL_INFO_ID, deal]]) : new Map();
    }
    return new Map();
  }

  /** A member made a buyer no longer holds unshared tasks (rooms/deal/members.ts); one who left keeps theirs. */
  protected override async onMemberChange(userId: string, role: string | null): Promise<void> {
    if (role === null) return;
    await this.transact((effects) => releaseToOutsider(effects, userId, role));
  }

  /**
   * A task's due-day jobs: at the end of its due day it turns OVERDUE (the mirror re-derives it with the room's
   * clock) and its people are told; the morning before, "due tomorrow". A job whose task has since moved or been
   * completed is planned afresh instead.
   */
  protected override runJob(effects: RoomEffects, job: DueJob): void {
    if (job.kind !== OVERDUE_JOB && job.kind !== DUE_SOON_JOB) {
      super.runJob(effects, job);
      return;
    }
    const parsed = dealJobs[job.kind].safeParse(job.payload);
    if (!parsed.success) {
      log("deal.job_payload_invalid", { level: "error", room: effects.roomId, job: job.id });
      return;
    }
    const row = taskRow(this.db, parsed.data.taskId);
    if (!row) return;
    const zone = timeZoneOf(this.db);
    if (row.completedAt !== null || row.dueDate !== parsed.data.dueDate) {
      planDueJobs(effects, row, zone);
      return;
    }
    effects.touch("tasks", row.id);
    if (job.kind === OVERDUE_JOB) {
      taskNotice(effects, "overdue", row, row.dueDate, {
        title: `Overdue: ${row.title}`,
        body: `"${row.title}" was due on ${dayWords(row.dueDate, localDate(effects.now, zone))}.`,
      });
    } else {
      taskNotice(effects, "due_soon", row, row.dueDate, {
        title: `Due tomorrow: ${row.title}`,
        body: `"${row.title}" is due on ${dayWords(row.dueDate, localDate(effects.now, zone))}.`,
      });
    }
  }

  /**
   * RPC from the Worker's upload route: registers a file it stored in R2 as `deal.document.submit`, through the
   * runner (audit row, key, the uploader's capability and task checked in the transaction). `stored`: whether a
   * version holds the object, so the Worker deletes it only when none does (a reused key may name an upload that
   * went through); when the room could not run at all, it is kept rather than guessed about.
   */
  async submitDocument(
    member: VerifiedMember,
    args: DocumentSubmitArgs,
    key: string,
  ): Promise<{ outcome: CommandOutcome; stored: boolean }> {
    const outcome = await this.execute(DOCUMENT_ROOM_COMMANDS, member, { name: "deal.document.submit", args, key });
    if (outcome.ok) return { outcome, stored: true };
    return { outcome, stored: outcome.error.code === "unavailable" || holdsObject(this.db, args.version.r2Key) };
  }

  /**
   * RPC from the Worker's download route, before it sends a byte: `deal.document.download` checks the caller may
   * see the version and appends its audit row, like any command's; it answers where the bytes are.
   */
  async downloadDocument(member: VerifiedMember, documentId: string, version: number): Promise<CommandOutcome> {
    const envelope = {
      name: "deal.document.download",
      args: { documentId, version },
      key: `deal.document.download:${crypto.randomUUID()}`,
    };
    return this.execute(DOCUMENT_ROOM_COMMANDS, member, envelope);
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
    return verifyDealAudit(this.db, this.ctx.storage.sql);
  }
}
