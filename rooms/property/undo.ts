/** Whether a completion may still be taken back: the rules of `task.undo_complete`, apart from the database. */

export interface UndoneEntry {
  id: string;
  by: string;
  at: number;
  /** What the task was before the entry; null on entries made before undo existed. */
  before: string | null;
}

export interface UndoCircumstances {
  /** The task's newest completion or skip. */
  latestEntryId: string | null;
  taskUpdatedAt: number;
  actorId: string;
  now: number;
  windowMs: number;
}

/**
 * Why this completion cannot be undone now, or null when it can: only its completer, only within the
 * window, and only while nothing has happened to the task since (a later entry or an edit would be lost).
 */
export function undoRefusal(
  entry: UndoneEntry,
  now: UndoCircumstances,
): { code: "forbidden" | "conflict"; message: string } | null {
  if (entry.by !== now.actorId)
    return { code: "forbidden", message: "Only the person who marked it done can undo that." };
  if (now.now - entry.at > now.windowMs || entry.before === null)
    return { code: "conflict", message: "It is too late to undo this; mark the task done again or edit it instead." };
  if (now.latestEntryId !== entry.id || now.taskUpdatedAt !== entry.at)
    return { code: "conflict", message: "The task has changed since it was marked done, so it cannot be undone." };
  return null;
}
