/**
 * The room's one alarm and its outbox: the alarm is set to the earliest due job (or soon,
 * while messages wait), due jobs run each in their own transaction, and waiting messages
 * go to the queue one flush at a time. The queries are in schedule.ts.
 */
import {
  ALARM_MAX_JOBS,
  JOB_RETRY_DELAY_MS,
  MAX_JOB_FAILURES,
  OUTBOX_BATCH,
  OUTBOX_KEEP_MS,
  OUTBOX_RETRY_DELAY_MS,
} from "../../config";
import { photoKey } from "../../schema/core/photos";
import { inTransaction, type RoomEffects, type RoomStorage, type Touched } from "./commands";
import { log } from "./log";
import { expiringPhoto, forgetPhoto, PHOTO_EXPIRY_JOB } from "./photos";
import { type DueJob, dueJobs, earliestDue, markSent, pruneSent, retryJob, stillDue, unsent } from "./schedule";

/** What the schedule needs of the room. */
export interface ScheduleHost {
  storage(): RoomStorage;
  env: Pick<Env, "JOBS" | "BLOBS">;
  /** Does one of the kind's jobs, inside its transaction. */
  runJob(effects: RoomEffects, job: DueJob): void;
  photoInUse(photoId: string): boolean;
}

/** What one alarm's run of due jobs touched, and how many it ran. */
export interface JobRun {
  touched: Touched;
  ran: number;
}

export class RoomSchedule {
  #flushing: Promise<void> = Promise.resolve();

  constructor(private readonly host: ScheduleHost) {}

  /** Sets the alarm to the earliest due job, or soon while messages wait to be sent. */
  async armAlarm(): Promise<void> {
    const { db, storage } = this.host.storage();
    const due = earliestDue(db);
    const waiting = unsent(db, 1).length > 0 ? Date.now() + OUTBOX_RETRY_DELAY_MS : null;
    const at = due === null ? waiting : waiting === null ? due : Math.min(due, waiting);
    if (at === null) await storage.deleteAlarm();
    else await storage.setAlarm(at);
  }

  /**
   * Sends waiting outbox messages to the queue, oldest first. A failure leaves them for the
   * alarm to retry. One flush at a time: a second caller waits for the running one and then
   * sends what is left, so no row is sent by two flushes at once.
   */
  flushOutbox(): Promise<void> {
    const previous = this.#flushing;
    const next = previous.then(() => this.#sendOutbox());
    this.#flushing = next.catch(() => undefined);
    return next;
  }

  async #sendOutbox(): Promise<void> {
    const { db, roomId } = this.host.storage();
    for (;;) {
      const rows = unsent(db, OUTBOX_BATCH);
      if (rows.length === 0) return;
      try {
        await this.host.env.JOBS.sendBatch(
          rows.map((row) => ({ body: JSON.parse(row.body) as unknown, contentType: "json" as const })),
        );
      } catch (err) {
        log("room.outbox_send_failed", {
          level: "warn",
          room: roomId,
          count: rows.length,
          error: err instanceof Error ? err.message : String(err),
        });
        return;
      }
      markSent(
        db,
        rows.map((row) => row.key),
        Date.now(),
      );
      if (rows.length < OUTBOX_BATCH) return;
    }
  }

  /**
   * Runs every due job (at most ALARM_MAX_JOBS), each in its own transaction with its
   * effects, so one failing job neither blocks the others nor half-happens; then forgets
   * old sent messages and deletes expired photos' objects.
   */
  async runDue(): Promise<JobRun> {
    const room = this.host.storage();
    const { db } = room;
    const now = Date.now();
    const all: Touched = { records: new Map(), scheduled: true, enqueued: false };
    let ran = 0;
    const expired: string[] = [];
    for (const job of dueJobs(db, now, ALARM_MAX_JOBS)) {
      try {
        const { touched } = inTransaction(room, now, (effects) => {
          // An earlier job in this run may have rescheduled this one.
          if (!stillDue(db, job)) return;
          effects.unschedule(job.id);
          if (job.kind !== PHOTO_EXPIRY_JOB) this.host.runJob(effects, job);
          else if (!this.host.photoInUse(expiringPhoto(job.id))) {
            forgetPhoto(db, expiringPhoto(job.id));
            expired.push(expiringPhoto(job.id));
          }
        });
        for (const [root, ids] of touched.records) {
          const into = all.records.get(root) ?? new Set<string>();
          for (const id of ids) into.add(id);
          all.records.set(root, into);
        }
        all.enqueued ||= touched.enqueued;
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        const failure = { room: room.roomId, job: job.id, kind: job.kind, failures: job.failures + 1, error };
        if (job.failures + 1 >= MAX_JOB_FAILURES) {
          // Given up, loudly: a job that fails this often would only keep waking the room.
          log("room.job_abandoned", { level: "error", ...failure });
          inTransaction(room, now, (effects) => effects.unschedule(job.id));
        } else {
          log("room.job_failed", { level: "error", ...failure });
          retryJob(db, job, now + JOB_RETRY_DELAY_MS);
        }
      }
      ran += 1;
    }
    pruneSent(db, now - OUTBOX_KEEP_MS);
    await this.#deletePhotoObjects(room.roomId, expired);
    return { touched: all, ran };
  }

  /**
   * Deletes expired photos' R2 objects, after their rows are gone (so nothing can attach
   * them meanwhile). An object that fails to go is only orphaned storage, logged with its key.
   */
  async #deletePhotoObjects(roomId: string, photoIds: string[]): Promise<void> {
    if (photoIds.length === 0) return;
    const keys = photoIds.map((id) => photoKey(roomId, id));
    try {
      await this.host.env.BLOBS.delete(keys);
    } catch (err) {
      log("room.photo_delete_failed", {
        level: "error",
        room: roomId,
        keys,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
}
