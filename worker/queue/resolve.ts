/**
 * The `resolve` job: a room says a cause is over (an alert resolved, a task done). Its notices are
 * marked resolved, leave the unread count, and each owner's open tabs hear their new count.
 * Idempotent: a second run finds nothing open and tells nobody.
 */
import type { ResolveJob } from "../../schema/core/jobs";
import { resolveNotices } from "../notify/store";
import { tellHubs } from "./notify";
import type { JobOutcome } from "./outcome";

export async function handleResolve(env: Env, job: ResolveJob): Promise<JobOutcome> {
  const changed = await resolveNotices(env.DB, job, Date.now());
  if (changed.length > 0) await tellHubs(env, changed);
  console.log(
    JSON.stringify({
      event: "resolve_job",
      key: job.key,
      roomId: job.roomId,
      subject: job.subject,
      changed: changed.length,
    }),
  );
  return { done: true };
}
