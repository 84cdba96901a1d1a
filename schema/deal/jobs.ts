/** A deal's scheduled work (room alarms), each payload's zod schema keyed by the job's kind. */
import { z } from "zod";

/** A task reaches the end of its due day: its state becomes OVERDUE on every screen, and its people are told. */
export const OVERDUE_JOB = "deal.overdue";
/** The morning before a task's due day: "due tomorrow" to whoever it is assigned to. */
export const DUE_SOON_JOB = "deal.due_soon";

/** The due date the job was planned for: a job whose task has since moved is planned afresh, not run. */
const duePayload = z.object({ taskId: z.string(), dueDate: z.string() });

export const dealJobs = { [OVERDUE_JOB]: duePayload, [DUE_SOON_JOB]: duePayload } as const;
export type DuePayload = z.infer<typeof duePayload>;
