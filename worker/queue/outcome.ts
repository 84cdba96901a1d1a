/** What handling one job came to, and the backoff between retries. */
import { NOTIFY_RETRY_BASE_DELAY_SECONDS, NOTIFY_RETRY_MAX_DELAY_SECONDS } from "../../config";

export type JobOutcome = { done: true } | { done: false; delaySeconds: number; reason: string };

/** A job that can never succeed (bad shape, unknown capability): recorded as a dead letter at once, never retried. */
export class JobRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JobRejected";
  }
}

/** 10 s after the first attempt, doubling, at most 10 min. `attempts` counts this one (1 on first delivery). */
export function backoffSeconds(attempts: number): number {
  return Math.min(NOTIFY_RETRY_BASE_DELAY_SECONDS * 2 ** Math.max(0, attempts - 1), NOTIFY_RETRY_MAX_DELAY_SECONDS);
}
