/**
 * Verified chores: a task that needs proof is completed by submitting a capture (a photo or recording from the
 * inbox), which another member with `tasks.review` approves or returns with a comment. Only approval records
 * the completion and moves the schedule on; nobody reviews their own proof; the submitter hears either way
 * (docs/captures.md, "Verified chores").
 */
import { and, eq, inArray } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import type { z } from "zod";
import type { NotifyJob } from "../../schema/core/jobs";
import { can } from "../../schema/core/roles";
import { propertyCommands } from "../../schema/property/commands";
import type { ProofKind, Task } from "../../schema/property/records";
import { localDate } from "../../schema/property/recurrence";
import { type CommandContext, CommandError, type CommandTable, command, type RoomFacts } from "../core/commands";
import { closeReviewNotices, reviewSubject } from "./proof-withdraw";
import { timeZoneOf } from "./records";
import { captures, proofSubmissions } from "./tables";
import { closeOccurrence, requireMayComplete, requireOpenTask, requireTask } from "./task-changes";

const PROOF_WORDS: Record<ProofKind, string> = { photo: "a photo", audio: "a recording", any: "a photo or recording" };

/** `task.complete` on a task that needs proof: refused, saying what to send instead. */
export function requireNoProof(task: Task): void {
  if (task.proof === null) return;
  throw new CommandError(
    "conflict",
    `This task needs ${PROOF_WORDS[task.proof]} as proof: submit one, and another member reviews it.`,
    { proof: task.proof },
  );
}

/** Whether a capture is proof that stands or waits (pending or approved): such an item is not deleted. */
export function isStandingProof(db: DrizzleSqliteDODatabase, captureId: string): boolean {
  return (
    db
      .select({ id: proofSubmissions.id })
      .from(proofSubmissions)
      .where(and(eq(proofSubmissions.captureId, captureId), inArray(proofSubmissions.status, ["pending", "approved"])))
      .get() !== undefined
  );
}

/** A proof no one else may review would wait for ever: refused before anything is stored. */
async function requireAnotherReviewer(facts: RoomFacts, actorId: string): Promise<void> {
  const { results } = await facts.d1
    .prepare("SELECT role FROM memberships WHERE room_id = ?1 AND user_id != ?2")
    .bind(facts.roomId(), actorId)
    .all<{ role: string }>();
  if (results.some(({ role }) => can("property", role, "tasks.review"))) return;
  throw new CommandError(
    "conflict",
    "Nobody else in this home may review proof: invite someone who keeps the records, or let the task do without.",
  );
}

function requireCaptureFits(ctx: CommandContext, task: Task, captureId: string, proof: ProofKind): void {
  const row = ctx.db.select().from(captures).where(eq(captures.id, captureId)).get();
  if (!row)
    throw new CommandError("not_found", "No such item in this home's inbox; capture the proof first.", {
      fields: [{ path: "captureId", message: "is not an inbox item of this home" }],
    });
  if (row.createdBy !== ctx.actor.userId)
    throw new CommandError("forbidden", "Submit proof you captured yourself.", {
      fields: [{ path: "captureId", message: "was captured by someone else" }],
    });
  const fits = proof === "any" ? row.kind !== "text" : row.kind === proof;
  if (!fits)
    throw new CommandError("validation_failed", `This task needs ${PROOF_WORDS[proof]} as proof.`, {
      fields: [{ path: "captureId", message: `is ${row.kind === "text" ? "a note" : `a ${row.kind}`}` }],
    });
  if (row.taskId !== null && row.taskId !== task.id)
    throw new CommandError("conflict", "This item already belongs to another task.");
  const sent = ctx.db.select().from(proofSubmissions).where(eq(proofSubmissions.captureId, captureId)).get();
  if (sent) throw new CommandError("conflict", "This capture was submitted already; capture the proof again.");
}

const REVIEW_ASK = "Approve it or send it back.";

const taskPath = (roomId: string, taskId: string) => `/rooms/${roomId}/tasks/${taskId}`;

function proofNotice(
  ctx: CommandContext,
  event: "submitted" | "approved" | "returned",
  submissionId: string,
  notice: Pick<NotifyJob, "audience" | "title" | "body" | "url" | "subject">,
): void {
  ctx.enqueue({
    type: "notify",
    key: `proof:${ctx.roomId}:${event}:${submissionId}`,
    roomId: ctx.roomId,
    topic: "proof_review",
    ...notice,
    title: notice.title.slice(0, 200),
    body: notice.body.slice(0, 2000),
  } satisfies NotifyJob);
}

type ReviewArgs = z.output<(typeof propertyCommands)["task.review"]>;

export const PROOF_COMMANDS: CommandTable = {
  "task.submit_proof": command({
    args: propertyCommands["task.submit_proof"],
    anyOf: ["tasks.complete", "tasks.complete_own"],
    subject: (a) => `task:${a.id}`,
    vet: (facts, _a, actor) => requireAnotherReviewer(facts, actor.userId),
    run(ctx, a) {
      const task = requireOpenTask(ctx, a.id, a.occurrence);
      requireMayComplete(ctx, task);
      if (task.proof === null) throw new CommandError("conflict", "This task needs no proof: mark it done instead.");
      if (task.review?.status === "pending")
        throw new CommandError("conflict", "Proof for this task already waits for review.");
      requireCaptureFits(ctx, task, a.captureId, task.proof);
      const submissionId = crypto.randomUUID();
      ctx.db
        .insert(proofSubmissions)
        .values({
          id: submissionId,
          taskId: task.id,
          occurrence: task.occurrence,
          captureId: a.captureId,
          by: ctx.actor.userId,
          byName: ctx.actor.name,
          at: ctx.now,
          note: a.note,
          status: "pending",
        })
        .run();
      // Proof is the task's, not something to file: it leaves the open inbox, linked to its task.
      ctx.db
        .update(captures)
        .set({ taskId: task.id, archived: true, updatedAt: ctx.now })
        .where(eq(captures.id, a.captureId))
        .run();
      ctx.touch("inbox", a.captureId);
      ctx.touch("tasks", task.id);
      proofNotice(ctx, "submitted", submissionId, {
        audience: { capability: "tasks.review", except: [ctx.actor.userId] },
        title: `To review: ${task.title}`,
        body: `${ctx.actor.name} sent ${PROOF_WORDS[task.proof]} as proof that "${task.title}" is done. ${REVIEW_ASK}`,
        url: taskPath(ctx.roomId, task.id),
        subject: reviewSubject(submissionId),
      });
      return { id: task.id, submissionId, status: "pending" };
    },
  }),
  "task.review": command({
    args: propertyCommands["task.review"],
    anyOf: ["tasks.review"],
    subject: (a) => `task:${a.id}`,
    run(ctx, a: ReviewArgs) {
      const task = requireTask(ctx, a.id);
      const submission = ctx.db
        .select()
        .from(proofSubmissions)
        .where(and(eq(proofSubmissions.id, a.submissionId), eq(proofSubmissions.taskId, a.id)))
        .get();
      if (!submission)
        throw new CommandError("not_found", "No such proof for this task.", {
          fields: [{ path: "submissionId", message: "is not a submission of this task" }],
        });
      if (submission.status !== "pending")
        throw new CommandError("conflict", `This proof was ${submission.status} already.`, {
          status: submission.status,
        });
      if (submission.by === ctx.actor.userId)
        throw new CommandError("forbidden", "Nobody reviews their own proof: another member of the home does.");
      if (submission.occurrence !== task.occurrence)
        throw new CommandError("conflict", "The task has moved on since this proof was sent.");
      const approved = a.verdict === "approve";
      ctx.db
        .update(proofSubmissions)
        .set({
          status: approved ? "approved" : "returned",
          comment: approved ? null : a.comment,
          reviewedBy: ctx.actor.userId,
          reviewedByName: ctx.actor.name,
          reviewedAt: ctx.now,
        })
        .where(eq(proofSubmissions.id, submission.id))
        .run();
      let nextDue = task.nextDue;
      if (approved) {
        const open = requireOpenTask(ctx, task.id, submission.occurrence);
        const updated = closeOccurrence(ctx, open, {
          kind: "done",
          on: localDate(submission.at, timeZoneOf(ctx.db)),
          note: submission.note,
          photoId: null,
          costCents: null,
          proof: {
            by: { userId: submission.by, name: submission.byName },
            captureId: submission.captureId,
            reviewedByName: ctx.actor.name,
          },
        });
        nextDue = updated.nextDue;
      }
      ctx.touch("tasks", task.id);
      closeReviewNotices(ctx, submission.id, approved ? "done" : "resolved");
      proofNotice(ctx, approved ? "approved" : "returned", submission.id, {
        audience: { userIds: [submission.by] },
        title: approved ? `Approved: ${task.title}` : `Sent back: ${task.title}`,
        body: approved
          ? `${ctx.actor.name} approved your proof: "${task.title}" is done.`
          : `${ctx.actor.name} sent your proof for "${task.title}" back: ${a.comment}`,
        url: taskPath(ctx.roomId, task.id),
      });
      return { id: task.id, submissionId: submission.id, status: approved ? "approved" : "returned", nextDue };
    },
  }),
};
