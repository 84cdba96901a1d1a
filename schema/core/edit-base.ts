/**
 * Edits from forms that may be stale. A form sends only the fields its user changed and,
 * as `base`, those fields' values when the form was opened. The room compares each
 * changed field's base with the value it holds now: a field someone else changed
 * meanwhile is refused as an `edit_conflict` naming it (and its value now) instead of
 * being silently put back; fields nobody else touched apply, and fields the form did not
 * send stay as they are, so edits of different fields merge. Shared by the room
 * (rooms/core/edit-base.ts) and the client's form helper (client/src/edit-base.ts).
 */
import { z } from "zod";

/** One field refused by an `edit_conflict`: where it is in the arguments, and its value in the room now. */
export interface EditConflictField {
  /** The field's path in the command's arguments (`title`, `rule.threshold`). */
  path: string;
  message: string;
  /** What the room holds now, as someone else set it. */
  current: unknown;
}

/** The `details` of an `edit_conflict` error. */
export interface EditConflictDetails {
  fields: EditConflictField[];
}

/**
 * The optional `base` of an update whose editable fields are `shape`'s keys. Base values
 * are not checked against the fields' own schemas: they are what the record held, which a
 * tighter rule since may not accept, and they are only ever compared, never stored.
 */
export function editBase<S extends z.ZodRawShape>(shape: S) {
  const keys = Object.keys(shape) as (keyof S & string)[];
  const fields = Object.fromEntries(keys.map((key) => [key, z.unknown()])) as { [K in keyof S]: z.ZodUnknown };
  return z.object(fields).partial().strict().optional();
}

/** JSON with object keys sorted, so two values that differ only in key order compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Whether two field values are the same as JSON (absent and null alike). */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/**
 * The fields of `changes` whose `base` someone else changed since and that this edit
 * would set to something else again. A field without a base value is not checked (an
 * old client's full overwrite); one set to what the room already holds is no conflict.
 */
export function staleFields(
  current: object,
  changes: object,
  base: object | undefined,
  pathPrefix = "",
): EditConflictField[] {
  if (!base) return [];
  const out: EditConflictField[] = [];
  const held = current as Readonly<Record<string, unknown>>;
  const opened = base as Readonly<Record<string, unknown>>;
  for (const [field, value] of Object.entries(changes)) {
    if (value === undefined || !Object.hasOwn(opened, field)) continue;
    const now = held[field];
    if (sameValue(opened[field], now) || sameValue(value, now)) continue;
    out.push({ path: `${pathPrefix}${field}`, message: "was changed by someone else meanwhile", current: now ?? null });
  }
  return out;
}
