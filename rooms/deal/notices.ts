/**
 * The deal's notifications, queued in the command's (or job's) transaction through the room's outbox, so each is
 * sent once after the change commits and never twice: each key names its event (a task, and the moment or due date
 * it is about). A task's notice goes to its assignee (a person, or everyone holding the role); one not shared with
 * the buyer never goes to anyone who cannot see internal data.
 */
import type { Audience, NotifyJob } from "../../schema/core/jobs";
import type { Assignee } from "../../schema/deal/records";
import type { RoomEffects } from "../core/commands";
import type { TaskRow } from "./records";
import { assigneeOf } from "./records";

export type DealEvent =
  | "assigned"
  | "unblocked"
  | "due_soon"
  | "overdue"
  | "milestone_reached"
  | "document_submitted"
  | "document_returned"
  | "key_date_moved";

/** Who hears about a task: its assignee, else (or when they left) whoever manages tasks. */
export function taskAudience(assignee: Assignee | null, shared: boolean): Audience {
  if (assignee?.kind === "user") return { userIds: [assignee.userId], orElse: "tasks.manage" };
  if (assignee?.kind === "role" && (shared || assignee.role !== "buyer"))
    return { roles: [assignee.role], orElse: "tasks.manage" };
  return { capability: "tasks.manage" };
}

/** Everyone on the deal who sees a change of what is public (a key date): the team and the buyer. */
export const EVERYONE: Audience = { capability: "room.read" };

export function dealNotice(
  effects: RoomEffects,
  event: DealEvent,
  subject: string,
  notice: { audience: Audience; title: string; body: string; url: string },
): void {
  const job: NotifyJob = {
    type: "notify",
    key: `deal:${effects.roomId}:${event}:${subject}`,
    roomId: effects.roomId,
    topic: `deal_${event}`.slice(0, 32),
    ...notice,
    title: notice.title.slice(0, 200),
    body: notice.body.slice(0, 2000),
  };
  effects.enqueue(job);
}

export const taskUrl = (roomId: string, taskId: string) => `/rooms/${roomId}/tasks/${taskId}`;

/** A notice about one task to its people, keyed by the event and `at` (a moment or a due date). */
export function taskNotice(
  effects: RoomEffects,
  event: DealEvent,
  row: TaskRow,
  at: string | number,
  words: { title: string; body: string },
): void {
  dealNotice(effects, event, `${row.id}:${at}`, {
    audience: taskAudience(assigneeOf(row), row.sharedWithBuyer),
    url: taskUrl(effects.roomId, row.id),
    ...words,
  });
}

/** Titles listed in one notice's body before "and N more". */
const LISTED_TITLES = 10;

/**
 * Tells the people of the tasks `done` unblocked that they can start. Tasks whose notices would go to the same
 * people are told together: completing a task that 50 others wait for sends each person one notice (of their
 * tasks, with the deal's board as its link), not one per task. A single task keeps its own notice and link.
 */
export function unblockedNotices(effects: RoomEffects, done: TaskRow, unblocked: readonly TaskRow[]): void {
  const groups = new Map<string, { audience: Audience; rows: TaskRow[] }>();
  for (const row of unblocked) {
    const audience = taskAudience(assigneeOf(row), row.sharedWithBuyer);
    const key = JSON.stringify(audience);
    const group = groups.get(key) ?? { audience, rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  }
  for (const [i, { audience, rows }] of [...groups.values()].entries()) {
    const [only] = rows;
    if (rows.length === 1 && only) {
      taskNotice(effects, "unblocked", only, effects.now, {
        title: `Ready to start: ${only.title}`,
        body: `"${only.title}" no longer waits for anything.`,
      });
      continue;
    }
    const listed = rows.slice(0, LISTED_TITLES).map((row) => `"${row.title}"`);
    const more = rows.length > LISTED_TITLES ? `, and ${rows.length - LISTED_TITLES} more` : "";
    dealNotice(effects, "unblocked", `${done.id}:${effects.now}:${i}`, {
      audience,
      title: `${rows.length} tasks can start now`,
      body: `"${done.title}" is done, so these no longer wait for anything: ${listed.join(", ")}${more}.`,
      url: `/rooms/${effects.roomId}`,
    });
  }
}
