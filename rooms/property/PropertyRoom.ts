/**
 * A home: the shared checklists of the base room, plus assets and maintenance tasks as
 * records with rules, their reminders on the room's schedule, and queries for what is
 * not mirrored (a task's history, the calendar feed).
 */

import {
  MAX_ASSET_MIRROR_BYTES_PER_HOME,
  MAX_INBOX_MIRROR_BYTES_PER_HOME,
  MAX_LISTED_DUE_DATES,
  MAX_TASK_MIRROR_BYTES_PER_HOME,
} from "../../config";
import type { RoomHomeLine } from "../../schema/core/api";
import type { CommandOutcome } from "../../schema/core/commands";
import { dayWords } from "../../schema/core/day-words";
import { can, type RoomKind } from "../../schema/core/roles";
import type { AssetCosts, AssetDocumentType, NewAssetDocument } from "../../schema/property/documents";
import { type CapturePart, capturePrefix, type RenderedPart } from "../../schema/property/inbox";
import { reminderPayload } from "../../schema/property/jobs";
import { propertyKind } from "../../schema/property/manifest";
import type { Completion, Task } from "../../schema/property/records";
import { addDays, localDate } from "../../schema/property/recurrence";
import type { RoomEffects } from "../core/commands";
import { HavenRoom } from "../core/HavenRoom";
import type { VerifiedMember } from "../core/identity";
import type { DueJob } from "../core/schedule";
import { ASSET_DOCUMENT_COMMANDS, assetCosts, documentRow, holdsDocumentObject } from "./documents";
import { PROPERTY_COMMANDS } from "./handlers";
import {
  allInbox,
  analysisReport,
  applyAnalysis,
  CAPTURE_EXPIRY_JOB,
  CAPTURE_UPLOAD_COMMANDS,
  type CaptureWork,
  captureFile,
  captureWork,
  expireUnfiled,
  holdsCaptureObject,
  inboxItem,
  type StagedFile,
} from "./inbox";
import legacyMigrations from "./legacy-migrations/migrations.js";
import migrations from "./migrations/migrations.js";
import {
  allAssets,
  allTasks,
  dueTasksFrom,
  feedOf,
  feedSecretHashOf,
  getAsset,
  getTask,
  hasHomeInfo,
  homeInfo,
  photoAttached,
  taskHistory,
  timeZoneOf,
} from "./records";
import { followingReminder, planReminder, type ReminderPlan, reminderKey, taskNoticeSubject } from "./reminders";
import { homeSettings } from "./tables";
import { planTaskReminder, REMINDER_JOB, reminderJobId } from "./task-changes";

export class PropertyRoom extends HavenRoom {
  readonly kind: RoomKind = "property";
  readonly migrations = { track: migrations, legacy: { migrations: legacyMigrations, equals: { core: 2, kind: 1 } } };
  protected override readonly commands = PROPERTY_COMMANDS;
  protected override readonly serverRoots = propertyKind.serverRoots;
  protected override readonly mirrorCaps = {
    tasks: MAX_TASK_MIRROR_BYTES_PER_HOME,
    assets: MAX_ASSET_MIRROR_BYTES_PER_HOME,
    inbox: MAX_INBOX_MIRROR_BYTES_PER_HOME,
  };

  protected override mirrorOf(root: string, id: string): unknown {
    if (root === "assets") return getAsset(this.db, id);
    if (root === "tasks") return getTask(this.db, id);
    if (root === "home") return homeInfo(this.db, Date.now());
    if (root === "inbox") return inboxItem(this.db, id);
    return undefined;
  }

  protected override mirrorAll(root: string): Map<string, unknown> {
    if (root === "assets") return new Map(allAssets(this.db).map((a) => [a.id, a]));
    if (root === "tasks") return new Map(allTasks(this.db).map((t) => [t.id, t]));
    if (root === "inbox") return new Map(allInbox(this.db).map((item) => [item.id, item]));
    // A new home mirrors nothing until it has settings or a completion: clients default the rest.
    if (root === "home") return hasHomeInfo(this.db) ? new Map([["info", homeInfo(this.db, Date.now())]]) : new Map();
    return new Map();
  }

  /** The rooms list's line: the next due dates of the open tasks, which it counts against today in the home. */
  protected override listSummary(): RoomHomeLine {
    const due = this.ctx.storage.sql
      .exec<{ due: string }>(
        "SELECT next_due AS due FROM tasks WHERE archived = 0 AND next_due IS NOT NULL ORDER BY next_due LIMIT ?",
        MAX_LISTED_DUE_DATES + 1,
      )
      .toArray()
      .map((row) => row.due);
    return {
      timeZone: timeZoneOf(this.db),
      due: due.slice(0, MAX_LISTED_DUE_DATES),
      more: due.length > MAX_LISTED_DUE_DATES,
    };
  }

  /**
   * A reminder: sent for the due date it was planned for, then the next one planned. A
   * reminder whose task moved on (completed, snoozed, archived) is planned afresh instead.
   */
  protected override runJob(effects: RoomEffects, job: DueJob): void {
    if (job.kind === CAPTURE_EXPIRY_JOB) {
      expireUnfiled(effects, job.id);
      return;
    }
    if (job.kind !== REMINDER_JOB) {
      super.runJob(effects, job);
      return;
    }
    // A payload that does not fit (an older build's, or damaged) is dropped rather than run on a guess.
    const parsed = reminderPayload.safeParse(job.payload);
    if (!parsed.success) {
      console.log({ event: "property.job_payload_invalid", level: "error", room: effects.roomId, job: job.id });
      return;
    }
    const plan: ReminderPlan = parsed.data;
    const taskId = job.id.slice(REMINDER_JOB.length + 1);
    const task = getTask(this.db, taskId);
    if (!task) return;
    const timeZone = timeZoneOf(this.db);
    if (task.archived || task.nextDue !== plan.dueDate) {
      planTaskReminder(effects, task, timeZone);
      return;
    }
    // A reminder running late (a room that could not wake) sends what is due now, not what was due then.
    const now = planReminder(plan.dueDate, task.leadDays, timeZone, effects.now);
    if (now.stage !== plan.stage || now.day !== plan.day) {
      effects.schedule({ id: reminderJobId(task.id), kind: REMINDER_JOB, dueAt: now.at, payload: now });
      return;
    }
    effects.enqueue(reminderNotice(effects.roomId, task, plan, timeZone));
    const next = followingReminder(plan, timeZone, effects.now);
    effects.schedule({ id: reminderJobId(task.id), kind: REMINDER_JOB, dueAt: next.at, payload: next });
  }

  /**
   * RPC from the Worker's capture upload route, once the file is in R2: stages it as `capture.stage` (audit row,
   * the uploader's capability, the home's limits). `stored` says whether a row holds the object after all (or
   * may: the room was unavailable), so the Worker deletes only an orphan.
   */
  async stageCaptureFile(
    member: VerifiedMember,
    file: StagedFile,
  ): Promise<{ outcome: CommandOutcome; stored: boolean }> {
    const uploadId = file.r2Key.slice(file.r2Key.lastIndexOf("/") + 1);
    const envelope = { name: "capture.stage", args: file, key: `capture.stage:${uploadId}` };
    const outcome = await this.execute(CAPTURE_UPLOAD_COMMANDS, member, envelope);
    if (outcome.ok) return { outcome, stored: true };
    return { outcome, stored: outcome.error.code === "unavailable" || holdsCaptureObject(this.db, file.r2Key) };
  }

  /** RPC from the queue consumer: what it needs to analyse a capture, or null when there is none. */
  async captureWork(id: string): Promise<CaptureWork | null> {
    await this.ready();
    return captureWork(this.db, id);
  }

  /**
   * RPC from the queue consumer: the findings of one attempt, or why it failed. False when the item no longer
   * waits for that attempt (deleted, retried, done); the consumer then deletes what it stored for it.
   */
  async reportAnalysis(report: unknown): Promise<boolean> {
    const parsed = analysisReport.parse(report);
    const prefix = capturePrefix(this.name);
    if (parsed.ok && [parsed.spectrogram, parsed.thumbnail].some((image) => image && !image.key.startsWith(prefix)))
      throw new Error("a rendered image outside this room's captures");
    return this.transact((effects) => applyAnalysis(effects, parsed));
  }

  /** RPC: one file of an inbox item, for a download (the Worker has checked the caller may read the room). */
  async captureFile(id: string, part: CapturePart | RenderedPart) {
    await this.ready();
    return inboxItem(this.db, id) ? captureFile(this.db, id, part) : null;
  }

  /** RPC: a task's completions and skips, newest first. */
  async history(taskId: string, before: number | null, limit: number): Promise<Completion[] | null> {
    await this.ready();
    if (!getTask(this.db, taskId)) return null;
    return taskHistory(this.db, taskId, before, limit);
  }

  /**
   * RPC from the Worker's upload route, once the object is in R2: registers it as `asset.document.add` (audit
   * row, the uploader's capability, the asset's and the home's limits). `stored` says whether a row holds the
   * object after all (or may: the room was unavailable), so the Worker deletes only an orphan.
   */
  async addAssetDocument(
    member: VerifiedMember,
    document: NewAssetDocument,
  ): Promise<{ outcome: CommandOutcome; stored: boolean }> {
    // Each upload's object is its own (its key ends in a fresh id), and so is its command's key.
    const uploadId = document.r2Key.slice(document.r2Key.lastIndexOf("/") + 1);
    const envelope = { name: "asset.document.add", args: document, key: `asset.document.add:${uploadId}` };
    const outcome = await this.execute(ASSET_DOCUMENT_COMMANDS, member, envelope);
    if (outcome.ok) return { outcome, stored: true };
    return { outcome, stored: outcome.error.code === "unavailable" || holdsDocumentObject(this.db, document.r2Key) };
  }

  /** RPC from the Worker's delete route: `asset.document.remove`; its result names the object to delete. */
  async removeAssetDocument(member: VerifiedMember, id: string): Promise<CommandOutcome> {
    const envelope = {
      name: "asset.document.remove",
      args: { id },
      key: `asset.document.remove:${crypto.randomUUID()}`,
    };
    return this.execute(ASSET_DOCUMENT_COMMANDS, member, envelope);
  }

  /** RPC: a document's file for a download (the Worker has checked the caller may read the room). */
  async assetDocument(id: string): Promise<{ r2Key: string; name: string; type: AssetDocumentType } | null> {
    await this.ready();
    const row = documentRow(this.db, id);
    return row ? { r2Key: row.r2Key, name: row.name, type: row.type } : null;
  }

  /** RPC: an asset's upkeep costs over the last twelve months; null for no such asset. */
  async assetCosts(assetId: string): Promise<AssetCosts | null> {
    await this.ready();
    if (!getAsset(this.db, assetId)) return null;
    return assetCosts(this.db, assetId, Date.now(), timeZoneOf(this.db));
  }

  /** A home's photo is in use while an asset shows it or a completion keeps it as proof. */
  protected override photoInUse(photoId: string): boolean {
    return photoAttached(this.db, photoId);
  }

  /**
   * RPC: turns the calendar feed on with a new secret (by its SHA-256) made by `madeBy`, or off with
   * null. The old secret stops working at once.
   */
  async setFeedSecret(secretHash: string | null, madeBy: string | null = null): Promise<void> {
    await this.ready();
    this.#writeFeed(secretHash, secretHash === null ? null : madeBy);
  }

  #writeFeed(feedSecretHash: string | null, feedMadeBy: string | null): void {
    const timeZone = timeZoneOf(this.db);
    this.db
      .insert(homeSettings)
      .values({ id: 1, timeZone, feedSecretHash, feedMadeBy })
      .onConflictDoUpdate({ target: homeSettings.id, set: { feedSecretHash, feedMadeBy } })
      .run();
  }

  /**
   * The feed's URL is a credential its maker took away: when they leave, or keep a role that could
   * not make it, the feed ends (the home's other keepers can make a new one). A feed whose maker was
   * not recorded ends on any such change, since it may be theirs.
   */
  protected override async onMemberChange(userId: string, role: string | null): Promise<void> {
    if (role !== null && can(this.kind, role, "records.write")) return;
    await this.ready();
    const feed = feedOf(this.db);
    if (feed.secretHash === null || (feed.madeBy !== null && feed.madeBy !== userId)) return;
    this.#writeFeed(null, null);
    console.log(JSON.stringify({ event: "calendar_feed_ended", roomId: this.name, userId, role }));
  }

  /** RPC: whether a calendar feed is on. */
  async feedEnabled(): Promise<boolean> {
    await this.ready();
    return feedSecretHashOf(this.db) !== null;
  }

  /** RPC: what the calendar feed lists, for the holder of its secret; null for any other secret. */
  async feed(secretHash: string): Promise<{ timeZone: string; tasks: Task[] } | null> {
    await this.ready();
    const stored = feedSecretHashOf(this.db);
    if (stored === null || stored !== secretHash) return null;
    const timeZone = timeZoneOf(this.db);
    // Overdue dates stay on the calendar for a month, where they are most useful.
    return { timeZone, tasks: dueTasksFrom(this.db, addDays(localDate(Date.now(), timeZone), -30)) };
  }
}

function reminderNotice(roomId: string, task: Task, plan: ReminderPlan, timeZone: string) {
  const today = localDate(Date.now(), timeZone);
  const when =
    plan.dueDate === today
      ? "today"
      : plan.dueDate === addDays(today, 1)
        ? "tomorrow"
        : `on ${dayWords(plan.dueDate, today)}`;
  const overdue = plan.stage === "overdue";
  return {
    type: "notify" as const,
    key: reminderKey(roomId, task.id, plan),
    roomId,
    audience: task.assignee ? { userIds: [task.assignee], orElse: "tasks.complete" } : { capability: "tasks.complete" },
    title: overdue ? `Overdue: ${task.title}` : `Due ${when}: ${task.title}`,
    body: overdue
      ? `${task.title} was due on ${dayWords(plan.dueDate, today)}. Mark it done when it is.`
      : `${task.title} is due ${when}.`,
    // The occurrence it is about: opened once that is done, the page says so instead of offering the next one.
    url: `/rooms/${roomId}/tasks/${task.id}?complete=${task.occurrence ?? "1"}`,
    topic: "reminder",
    subject: taskNoticeSubject(task.id, plan.dueDate),
  };
}
