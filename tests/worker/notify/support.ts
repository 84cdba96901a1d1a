/** Drives the queue consumer directly with a batch, as the Queues runtime would, and records the mail it sends. */
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import type { NotifyJob } from "../../../schema/core/jobs";
import { queue } from "../../../worker/queue";

/** What the consumer did with one message: acked, or retried after how long. */
export interface QueueOutcome {
  explicitAcks: string[];
  retryMessages: { msgId: string; delaySeconds: number | undefined }[];
}

/**
 * Records each `retry()`'s delay before the real one runs: `getQueueResult` in
 * vitest-pool-workers 0.15 reports which messages were retried but drops their delay.
 */
function spyOnRetries(batch: MessageBatch<unknown>): QueueOutcome["retryMessages"] {
  const retries: QueueOutcome["retryMessages"] = [];
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    Object.defineProperty(message, "retry", {
      value: (options?: QueueRetryOptions) => {
        retries.push({ msgId: message.id, delaySeconds: options?.delaySeconds });
        retry(options);
      },
    });
  }
  return retries;
}

/** Runs one message through `queue()` on `queueName` and answers what became of it. */
export async function runQueue(
  body: unknown,
  options: { queueName?: string; attempts?: number; env?: Env } = {},
): Promise<{ id: string; result: QueueOutcome }> {
  const id = crypto.randomUUID();
  const batch = createMessageBatch(options.queueName ?? "haven-jobs", [
    { id, timestamp: new Date(), attempts: options.attempts ?? 1, body },
  ]);
  const retries = spyOnRetries(batch);
  const ctx = createExecutionContext();
  await queue(batch, options.env ?? env, ctx);
  const result: { explicitAcks: string[]; retryMessages: { msgId: string }[] } = await getQueueResult(batch, ctx);
  if (result.retryMessages.map((m) => m.msgId).join() !== retries.map((m) => m.msgId).join())
    throw new Error("retry spy out of step with getQueueResult");
  return { id, result: { explicitAcks: result.explicitAcks, retryMessages: retries } };
}

/** A notify job for a room, with a fresh key unless given. */
export function notifyJob(roomId: string, overrides: Partial<NotifyJob> = {}): NotifyJob {
  return {
    type: "notify",
    key: `test:${crypto.randomUUID()}`,
    roomId,
    audience: { capability: "room.read" },
    title: "Replace the furnace filter",
    body: "It is due today.",
    url: `/rooms/${roomId}/tasks/t1?complete=1`,
    topic: "reminder",
    ...overrides,
  };
}

/** A send_email binding that records each message's envelope, then hands it to the real binding (or fails). */
export function recordingEmail(options: { fail?: boolean } = {}): {
  binding: SendEmail;
  sent: { from: string; to: string }[];
} {
  const sent: { from: string; to: string }[] = [];
  // Haven only sends built EmailMessages (worker/email/message.ts), so one overload is enough.
  const send = async (message: EmailMessage): Promise<EmailSendResult> => {
    if (options.fail) throw new Error("mail relay unavailable");
    sent.push({ from: message.from, to: message.to });
    return env.EMAIL.send(message);
  };
  return { binding: { send } as SendEmail, sent };
}
