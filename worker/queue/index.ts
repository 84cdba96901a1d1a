/**
 * The one queue consumer. Main queue: each message is validated against the job union
 * and dispatched by `type`; a job that can never succeed becomes a dead letter at once
 * and is acked, one that may succeed later is retried with backoff (after the last retry
 * the queue moves it to the dead-letter queue). Dead-letter queue: each message is kept
 * in D1, where the room's admins see it and may send it again.
 */
import { captureJob, type Job, job as jobSchema } from "../../schema/core/jobs";
import { lastDeliveryFailure, recordDeadLetter } from "../notify/store";
import { captureGaveUp, handleBlobsDelete, handleCapture } from "./capture";
import { handleNotify } from "./notify";
import { backoffSeconds, type JobOutcome, JobRejected } from "./outcome";
import { handleResolve } from "./resolve";

/** Queue names as in wrangler.toml. */
export const JOBS_QUEUE = "haven-jobs";
export const DEAD_LETTER_QUEUE = "haven-jobs-dlq";

function dispatch(env: Env, job: Job, attempts: number): Promise<JobOutcome> {
  switch (job.type) {
    case "notify":
      return handleNotify(env, job, attempts);
    case "resolve":
      return handleResolve(env, job);
    case "capture.analyse":
      return handleCapture(env, job);
    case "blobs.delete":
      return handleBlobsDelete(env, job);
  }
}

/** Whatever of `roomId`, `type` and `key` a body that failed validation still carries. */
function describe(body: unknown): { roomId: string | null; type: string; key: string } {
  const record = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const text = (value: unknown, max: number) => (typeof value === "string" ? value.slice(0, max) : null);
  return {
    roomId: text(record.roomId, 64),
    type: text(record.type, 64) ?? "unknown",
    key: text(record.key, 200) ?? "",
  };
}

async function reject(env: Env, message: Message<unknown>, error: string): Promise<void> {
  console.log(JSON.stringify({ event: "job_rejected", messageId: message.id, ...describe(message.body), error }));
  await recordDeadLetter(
    env.DB,
    { id: message.id, ...describe(message.body), body: message.body, error, attempts: message.attempts },
    Date.now(),
  );
  message.ack();
}

async function consumeJob(env: Env, message: Message<unknown>): Promise<void> {
  const parsed = jobSchema.safeParse(message.body);
  if (!parsed.success) {
    await reject(
      env,
      message,
      `Invalid job: ${parsed.error.issues.map((i) => `${i.path.join(".") || "body"} ${i.message}`).join("; ")}`,
    );
    return;
  }
  let outcome: JobOutcome;
  try {
    outcome = await dispatch(env, parsed.data, message.attempts);
  } catch (error) {
    if (error instanceof JobRejected) {
      await reject(env, message, error.message);
      return;
    }
    outcome = { done: false, delaySeconds: backoffSeconds(message.attempts), reason: String(error) };
  }
  if (outcome.done) {
    message.ack();
    return;
  }
  console.log(
    JSON.stringify({
      event: "job_retry",
      messageId: message.id,
      type: parsed.data.type,
      key: parsed.data.key,
      attempts: message.attempts,
      delaySeconds: outcome.delaySeconds,
      reason: outcome.reason,
    }),
  );
  message.retry({ delaySeconds: outcome.delaySeconds });
}

async function consumeDeadLetter(env: Env, message: Message<unknown>): Promise<void> {
  const about = describe(message.body);
  const failure = about.key ? await lastDeliveryFailure(env.DB, about.key) : null;
  const error = failure?.error ?? "Failed on every retry.";
  await recordDeadLetter(
    env.DB,
    { id: message.id, ...about, body: message.body, error, attempts: failure?.attempts ?? message.attempts },
    Date.now(),
  );
  console.log(JSON.stringify({ event: "job_dead", messageId: message.id, ...about, error }));
  // A capture whose analysis kept failing says so on its item, with Retry.
  const capture = captureJob.safeParse(message.body);
  if (capture.success) await captureGaveUp(env, capture.data, error);
  message.ack();
}

/** The Worker's `queue` handler. Messages are handled one after another; each is acked or retried on its own. */
export async function queue(batch: MessageBatch<unknown>, env: Env, _ctx: ExecutionContext): Promise<void> {
  const consume =
    batch.queue === JOBS_QUEUE ? consumeJob : batch.queue === DEAD_LETTER_QUEUE ? consumeDeadLetter : null;
  if (!consume) {
    console.log(JSON.stringify({ event: "queue_unknown", queue: batch.queue, messages: batch.messages.length }));
    batch.retryAll();
    return;
  }
  for (const message of batch.messages) {
    try {
      await consume(env, message);
    } catch (error) {
      // D1 unavailable or the like: nothing was lost, the message comes back later.
      console.log(
        JSON.stringify({
          event: "queue_message_failed",
          queue: batch.queue,
          messageId: message.id,
          attempts: message.attempts,
          error: String(error),
        }),
      );
      message.retry({ delaySeconds: backoffSeconds(message.attempts) });
    }
  }
}
