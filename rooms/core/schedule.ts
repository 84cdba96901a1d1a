/**
 * The room's schedule and outbox, as queries. The room holds one alarm, set to the
 * earliest due job (or soon, while messages wait to be sent). Alarms are at-least-once:
 * a job is deleted in the same transaction as its effects, so a second run of the same
 * alarm finds nothing left to do, and an alarm lost mid-flight is set again from the
 * table the next time the room starts.
 */
import { asc, eq, inArray, isNull, lte, min } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import { outbox, scheduledJobs } from "./tables";

export interface DueJob {
  id: string;
  kind: string;
  dueAt: number;
  payload: unknown;
  failures: number;
}

/** Jobs due at `now`, earliest first. */
export function dueJobs(db: DrizzleSqliteDODatabase, now: number, limit: number): DueJob[] {
  return db
    .select()
    .from(scheduledJobs)
    .where(lte(scheduledJobs.dueAt, now))
    .orderBy(asc(scheduledJobs.dueAt))
    .limit(limit)
    .all()
    .map((row) => ({ ...row, payload: JSON.parse(row.payload) as unknown }));
}

/**
 * Whether the job is still scheduled exactly as it was read: a job rescheduled meanwhile is not
 * run in its old form.
 */
export function stillDue(db: DrizzleSqliteDODatabase, job: DueJob): boolean {
  const row = db.select({ dueAt: scheduledJobs.dueAt }).from(scheduledJobs).where(eq(scheduledJobs.id, job.id)).get();
  return row?.dueAt === job.dueAt;
}

export function earliestDue(db: DrizzleSqliteDODatabase): number | null {
  return (
    db
      .select({ at: min(scheduledJobs.dueAt) })
      .from(scheduledJobs)
      .get()?.at ?? null
  );
}

export interface OutboxRow {
  key: string;
  body: string;
}

export function unsent(db: DrizzleSqliteDODatabase, limit: number): OutboxRow[] {
  return db
    .select({ key: outbox.key, body: outbox.body })
    .from(outbox)
    .where(isNull(outbox.sentAt))
    .orderBy(asc(outbox.createdAt))
    .limit(limit)
    .all();
}

/** Durable Object SQLite binds at most 100 values per statement. */
const MAX_BOUND_VALUES = 100;

export function markSent(db: DrizzleSqliteDODatabase, keys: string[], at: number): void {
  for (let i = 0; i < keys.length; i += MAX_BOUND_VALUES - 1) {
    db.update(outbox)
      .set({ sentAt: at })
      .where(inArray(outbox.key, keys.slice(i, i + MAX_BOUND_VALUES - 1)))
      .run();
  }
}

/** Puts a job that threw back on the schedule for later, counting the failure. */
export function retryJob(db: DrizzleSqliteDODatabase, job: DueJob, dueAt: number): void {
  const row = { id: job.id, kind: job.kind, dueAt, payload: JSON.stringify(job.payload), failures: job.failures + 1 };
  db.insert(scheduledJobs).values(row).onConflictDoUpdate({ target: scheduledJobs.id, set: row }).run();
}

/** Sent messages older than `before` are forgotten: their jobs are long done, so nothing can queue their keys again. */
export function pruneSent(db: DrizzleSqliteDODatabase, before: number): void {
  db.delete(outbox).where(lte(outbox.sentAt, before)).run();
}
