/**
 * Proof that waits for a review which can no longer mean anything is withdrawn: the occurrence it proves was
 * skipped or rescheduled, the task's kind of proof changed, or the task is deleted. Its reviewers' notices close,
 * nobody can approve it any more, and its capture may be deleted like any other inbox item.
 */
import { and, eq } from "drizzle-orm";
import type { CommandContext } from "../core/commands";
import { proofSubmissions } from "./tables";

/** The subject of a submission's reviewers' notices, closed once it is reviewed or withdrawn. */
export const reviewSubject = (submissionId: string) => `review:${submissionId}`;

/** Closes the reviewers' notices of a submission: it was reviewed (`done` when approved) or withdrawn. */
export function closeReviewNotices(ctx: CommandContext, submissionId: string, resolution: "done" | "resolved"): void {
  ctx.enqueue({
    type: "resolve",
    key: `resolve:${ctx.roomId}:${reviewSubject(submissionId)}`,
    roomId: ctx.roomId,
    subject: reviewSubject(submissionId),
    resolution,
  });
}

/** Withdraws the task's proof that waits for review, if any. */
export function withdrawPendingProof(ctx: CommandContext, taskId: string): void {
  const pending = ctx.db
    .select({ id: proofSubmissions.id })
    .from(proofSubmissions)
    .where(and(eq(proofSubmissions.taskId, taskId), eq(proofSubmissions.status, "pending")))
    .all();
  for (const { id } of pending) {
    ctx.db
      .update(proofSubmissions)
      .set({ status: "withdrawn", reviewedAt: ctx.now })
      .where(eq(proofSubmissions.id, id))
      .run();
    closeReviewNotices(ctx, id, "resolved");
  }
}
