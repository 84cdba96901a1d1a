/** A home's scheduled work (room alarms), each payload's zod schema keyed by the job's kind. */
import { z } from "zod";

/** A task's next reminder: the lead one or an overdue one, for its due date and local day, at `at` (epoch ms). */
export const reminderPayload = z.object({
  stage: z.enum(["lead", "overdue"]),
  dueDate: z.string(),
  day: z.string(),
  at: z.number(),
});

export const REMINDER_JOB = "reminder";

export const propertyJobs = { [REMINDER_JOB]: reminderPayload } as const;
