/**
 * The site's scheduled work, its payloads checked by zod as they come off the schedule: a
 * payload that does not fit (written by an older build, or damaged) is dropped with a log
 * line instead of running on a guess.
 */
import type { z } from "zod";
import { siteJobs } from "../../schema/site/jobs";
import type { RoomEffects } from "../core/commands";
import type { DueJob } from "../core/schedule";
import { BREACH_JOB, ESCALATE_JOB, MANUAL_CHECK_JOB, RETENTION_JOB, STALE_JOB } from "./common";
import { escalate } from "./escalation";
import { runBreachCheck } from "./judge";
import { runManualCheck } from "./manual-checks";
import { runRetention } from "./retention";
import { runStaleCheck } from "./stale";

interface SiteJob {
  /** Checks the payload; the job runs only with what it returns. */
  run(effects: RoomEffects, payload: unknown): "ran" | "invalid";
}

/** Pairs a payload schema with the job it feeds, keeping the payload's type between them. */
function siteJob<S extends z.ZodType>(payload: S, run: (effects: RoomEffects, payload: z.output<S>) => void): SiteJob {
  return {
    run(effects, raw) {
      const parsed = payload.safeParse(raw);
      if (!parsed.success) return "invalid";
      run(effects, parsed.data);
      return "ran";
    },
  };
}

const SITE_JOBS: Record<string, SiteJob> = {
  [STALE_JOB]: siteJob(siteJobs[STALE_JOB], runStaleCheck),
  [BREACH_JOB]: siteJob(siteJobs[BREACH_JOB], runBreachCheck),
  [MANUAL_CHECK_JOB]: siteJob(siteJobs[MANUAL_CHECK_JOB], runManualCheck),
  [ESCALATE_JOB]: siteJob(siteJobs[ESCALATE_JOB], (effects, p) => escalate(effects, p.alertId, p.step)),
  [RETENTION_JOB]: siteJob(siteJobs[RETENTION_JOB], (effects) => {
    runRetention(effects);
  }),
};

/** Runs one of the site's jobs; false when the job is not the site's (the base room's, then). */
export function runSiteJob(effects: RoomEffects, job: DueJob): boolean {
  const handler = Object.hasOwn(SITE_JOBS, job.kind) ? SITE_JOBS[job.kind] : undefined;
  if (!handler) return false;
  if (handler.run(effects, job.payload) === "invalid")
    console.log({ event: "site.job_payload_invalid", level: "error", room: effects.roomId, job: job.id });
  return true;
}
