/** Reading a home's records from its SQLite, in the shape the mirror and the API use. */
import { and, desc, eq, getTableColumns, gte, isNotNull, like, lt, sql } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import { DEFAULT_HOME_CURRENCY } from "../../config";
import type { Asset, AssetCategory, Completion, HomeInfo, Task, TaskReview } from "../../schema/property/records";
import type { Schedule } from "../../schema/property/recurrence";
import { describeSchedule, localDate } from "../../schema/property/recurrence";
import { documentsByAsset, documentsOf } from "./documents";
import { assets, completions, homeSettings, proofSubmissions, tasks } from "./tables";

/** A new home's time zone until someone sets it. */
export const DEFAULT_TIME_ZONE = "UTC";

type AssetRow = typeof assets.$inferSelect;
type TaskRow = typeof tasks.$inferSelect;

export function assetFromRow(row: AssetRow, documents: Asset["documents"]): Asset {
  return { ...row, category: row.category as AssetCategory, photos: JSON.parse(row.photos) as string[], documents };
}

/**
 * `reviews` holds the tasks' latest submissions still waiting or sent back (see reviewsOf); only the current
 * occurrence's shows.
 */
export function taskFromRow(row: TaskRow, reviews: ReadonlyMap<string, TaskReview>): Task {
  const schedule = JSON.parse(row.schedule) as Schedule;
  const review = reviews.get(row.id);
  return {
    ...row,
    schedule,
    scheduleText: describeSchedule(schedule),
    review: review && review.occurrence === row.occurrence ? review : null,
  };
}

type SubmissionRow = typeof proofSubmissions.$inferSelect;

function reviewFromRow(row: SubmissionRow): TaskReview {
  return {
    submissionId: row.id,
    captureId: row.captureId,
    occurrence: row.occurrence,
    by: row.by,
    byName: row.byName,
    at: row.at,
    note: row.note,
    status: row.status === "returned" ? "returned" : "pending",
    comment: row.comment,
    reviewedByName: row.reviewedByName,
    reviewedAt: row.reviewedAt,
  };
}

/** Each task's latest submission when it is not approved (one task's, or every task's). */
export function reviewsOf(db: DrizzleSqliteDODatabase, taskId?: string): Map<string, TaskReview> {
  const rows = db
    .select()
    .from(proofSubmissions)
    .where(taskId === undefined ? undefined : eq(proofSubmissions.taskId, taskId))
    .orderBy(proofSubmissions.at)
    .all();
  const latest = new Map<string, SubmissionRow>();
  for (const row of rows) latest.set(row.taskId, row);
  const reviews = new Map<string, TaskReview>();
  for (const [id, row] of latest)
    if (row.status === "pending" || row.status === "returned") reviews.set(id, reviewFromRow(row));
  return reviews;
}

export function getAsset(db: DrizzleSqliteDODatabase, id: string): Asset | undefined {
  const row = db.select().from(assets).where(eq(assets.id, id)).get();
  return row ? assetFromRow(row, documentsOf(db, id)) : undefined;
}

export function getTask(db: DrizzleSqliteDODatabase, id: string): Task | undefined {
  const row = db.select().from(tasks).where(eq(tasks.id, id)).get();
  return row ? taskFromRow(row, reviewsOf(db, id)) : undefined;
}

export function allAssets(db: DrizzleSqliteDODatabase): Asset[] {
  const documents = documentsByAsset(db);
  return db
    .select()
    .from(assets)
    .all()
    .map((row) => assetFromRow(row, documents.get(row.id) ?? []));
}

export function allTasks(db: DrizzleSqliteDODatabase): Task[] {
  const reviews = reviewsOf(db);
  return db
    .select()
    .from(tasks)
    .all()
    .map((row) => taskFromRow(row, reviews));
}

export function timeZoneOf(db: DrizzleSqliteDODatabase): string {
  return (
    db.select({ timeZone: homeSettings.timeZone }).from(homeSettings).where(eq(homeSettings.id, 1)).get()?.timeZone ??
    DEFAULT_TIME_ZONE
  );
}

export function feedSecretHashOf(db: DrizzleSqliteDODatabase): string | null {
  return (
    db.select({ hash: homeSettings.feedSecretHash }).from(homeSettings).where(eq(homeSettings.id, 1)).get()?.hash ??
    null
  );
}

/** The calendar feed's secret hash and who made it (both null when no feed is on). */
export function feedOf(db: DrizzleSqliteDODatabase): { secretHash: string | null; madeBy: string | null } {
  const row = db
    .select({ secretHash: homeSettings.feedSecretHash, madeBy: homeSettings.feedMadeBy })
    .from(homeSettings)
    .where(eq(homeSettings.id, 1))
    .get();
  return { secretHash: row?.secretHash ?? null, madeBy: row?.madeBy ?? null };
}

/** The currency the home records costs in. */
export function currencyOf(db: DrizzleSqliteDODatabase): string {
  return (
    db.select({ currency: homeSettings.currency }).from(homeSettings).where(eq(homeSettings.id, 1)).get()?.currency ??
    DEFAULT_HOME_CURRENCY
  );
}

/** Whether the home has anything to mirror in `home`: settings, or a completion to count. */
export function hasHomeInfo(db: DrizzleSqliteDODatabase): boolean {
  return (
    db.select({ id: homeSettings.id }).from(homeSettings).get() !== undefined ||
    db.select({ id: completions.id }).from(completions).limit(1).get() !== undefined
  );
}

/** The `home` mirror: settings and this month's completion count. */
export function homeInfo(db: DrizzleSqliteDODatabase, now: number): HomeInfo {
  const timeZone = timeZoneOf(db);
  const month = localDate(now, timeZone).slice(0, 7);
  const count =
    db
      .select({ n: sql<number>`count(*)` })
      .from(completions)
      .where(and(eq(completions.kind, "done"), like(completions.on, `${month}-%`)))
      .get()?.n ?? 0;
  return { timeZone, currency: currencyOf(db), completedThisMonth: { month, count } };
}

/** A task's history, newest first, a page at a time (`before` is an `at` cursor). */
export function taskHistory(
  db: DrizzleSqliteDODatabase,
  taskId: string,
  before: number | null,
  limit: number,
): Completion[] {
  const where =
    before === null ? eq(completions.taskId, taskId) : and(eq(completions.taskId, taskId), lt(completions.at, before));
  return db.select(SHOWN_COMPLETION).from(completions).where(where).orderBy(desc(completions.at)).limit(limit).all();
}

/** A completion as people see it: everything but the task state kept for undo, which is the room's own. */
const { before: _kept, ...SHOWN_COMPLETION } = getTableColumns(completions);

/** Whether an asset shows the photo or a completion keeps it. */
export function photoAttached(db: DrizzleSqliteDODatabase, photoId: string): boolean {
  const quoted = JSON.stringify(photoId);
  return (
    db.select({ id: completions.id }).from(completions).where(eq(completions.photoId, photoId)).limit(1).get() !==
      undefined ||
    db.select({ id: assets.id }).from(assets).where(sql`instr(${assets.photos}, ${quoted}) > 0`).limit(1).get() !==
      undefined
  );
}

/** The calendar shows dates, not reviews. */
const NO_REVIEWS: ReadonlyMap<string, TaskReview> = new Map();

/** Tasks with a due date on or after `from`, for the calendar feed. */
export function dueTasksFrom(db: DrizzleSqliteDODatabase, from: string): Task[] {
  return db
    .select()
    .from(tasks)
    .where(and(eq(tasks.archived, false), isNotNull(tasks.nextDue), gte(tasks.nextDue, from)))
    .all()
    .map((row) => taskFromRow(row, NO_REVIEWS));
}
