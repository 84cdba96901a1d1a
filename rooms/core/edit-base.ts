/**
 * The room's side of edits from forms that may be stale (schema/core/edit-base.ts): an
 * update handler calls `requireFreshBase` with the record as it is now, before writing.
 */
import { type EditConflictDetails, staleFields } from "../../schema/core/edit-base";
import { CommandError } from "./commands";

/**
 * Refuses the edit with an `edit_conflict` when a field it changes was changed by someone
 * else since `base` (nothing is written: the command's transaction rolls back). `what`
 * names the record for the message ("this task"); `pathPrefix` places the fields in the
 * arguments (`rule.`).
 */
export function requireFreshBase(
  what: string,
  current: object,
  changes: object,
  base: object | undefined,
  pathPrefix = "",
): void {
  const fields = staleFields(current, changes, base, pathPrefix);
  if (fields.length === 0) return;
  const names = fields.map((f) => f.path).join(", ");
  throw new CommandError(
    "edit_conflict",
    `Someone else changed ${what} (${names}) while you were editing it. Choose which value to keep, then save again.`,
    { fields } satisfies EditConflictDetails,
  );
}
