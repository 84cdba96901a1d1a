/** A site's scheduled work (room alarms), each payload's zod schema keyed by the job's kind. */
import { z } from "zod";
import { RULE_KINDS } from "./rules";

export const STALE_JOB = "site.stale";
export const BREACH_JOB = "site.breach";
export const ESCALATE_JOB = "site.escalate";
export const RETENTION_JOB = "site.retention";
export const MANUAL_CHECK_JOB = "site.manual_check";

export const siteJobs = {
  /** Whether a unit's sensors went quiet. */
  [STALE_JOB]: z.object({ unitId: z.string() }),
  /** Judging a unit's pending breach of one rule. */
  [BREACH_JOB]: z.object({ unitId: z.string(), rule: z.enum(RULE_KINDS) }),
  /** The next step of an alert's escalation. */
  [ESCALATE_JOB]: z.object({ alertId: z.string(), step: z.number().int().min(0) }),
  /** Whether a unit's reading by hand is overdue. */
  [MANUAL_CHECK_JOB]: z.object({ unitId: z.string() }),
  /** Dropping readings past their retention. */
  [RETENTION_JOB]: z.object({}),
} as const;
