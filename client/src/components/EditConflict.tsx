/**
 * The client's side of edits from forms that may be stale (schema/core/edit-base.ts). A
 * form made with `createEditBase(opened)` sends only the fields its user changed, with
 * the values it was opened from as `base`. When the room answers `edit_conflict`, each
 * field someone else changed meanwhile shows their value (`ConflictNote`, tied to the
 * field by aria-describedby) and lets the user keep it or use their own, then save again.
 */
import { createSignal, Show } from "solid-js";
import { createStore, produce } from "solid-js/store";
import { type EditConflictField, sameValue } from "../../../schema/core/edit-base";
import type { ApiError } from "../api";

export interface EditBase<T extends object> {
  /** The fields of `values` that differ from what the form was opened from, and the base of each. */
  diff(values: T): { changes: Partial<T>; base: Partial<T> };
  /** Takes the fields of an `edit_conflict` refusal; false (and nothing taken) for any other error. */
  take(error: ApiError): boolean;
  /** The conflict on one field, while its user has not chosen. */
  conflict(field: keyof T & string): EditConflictField | undefined;
  /** The user keeps the other person's value: it becomes the base, and is returned for the form to show. */
  keepTheirs(field: keyof T & string): unknown;
  /** The user keeps their own value, now based on the other person's, so saving again replaces it. */
  useMine(field: keyof T & string): void;
  /** Whether any field still waits for its user's choice. */
  pending(): boolean;
}

/** A deep copy: a record from a Solid store is a live proxy the mirror keeps changing. */
function snapshot<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * The edit of one record, opened from `opened` (its editable fields as the form shows
 * them). `pathPrefix` is where the command's arguments hold those fields (`rule.`).
 */
export function createEditBase<T extends object>(opened: T, pathPrefix = ""): EditBase<T> {
  let base = snapshot(opened) as Record<string, unknown>;
  const [conflicts, setConflicts] = createStore<Record<string, EditConflictField>>({});
  const [waiting, setWaiting] = createSignal(0);

  const settle = (field: string, current: unknown) => {
    base = { ...base, [field]: snapshot(current) };
    setConflicts(
      produce((all) => {
        delete all[field];
      }),
    );
    setWaiting(Object.keys(conflicts).length);
  };

  return {
    diff(values) {
      const changes: Record<string, unknown> = {};
      const from: Record<string, unknown> = {};
      for (const [field, value] of Object.entries(values)) {
        if (sameValue(value, base[field])) continue;
        changes[field] = value;
        from[field] = base[field] ?? null;
      }
      return { changes: changes as Partial<T>, base: from as Partial<T> };
    },
    take(error) {
      if (error.code !== "edit_conflict") return false;
      const details = error.details as { fields?: unknown } | undefined;
      const taken: Record<string, EditConflictField> = {};
      for (const item of Array.isArray(details?.fields) ? details.fields : []) {
        const { path, message, current } = (item ?? {}) as Partial<EditConflictField>;
        if (typeof path !== "string" || !path.startsWith(pathPrefix)) continue;
        const field = path.slice(pathPrefix.length);
        if (Object.hasOwn(base, field)) taken[field] = { path, message: String(message ?? ""), current };
      }
      setConflicts(taken);
      setWaiting(Object.keys(taken).length);
      return true;
    },
    conflict: (field) => conflicts[field],
    keepTheirs(field) {
      const current = conflicts[field]?.current ?? base[field];
      settle(field, current);
      return snapshot(current);
    },
    useMine(field) {
      settle(field, conflicts[field]?.current ?? base[field]);
    },
    pending: () => waiting() > 0,
  };
}

/** The id of a field's conflict note, for the field's aria-describedby. */
export const conflictId = (fieldId: string) => `${fieldId}-conflict`;

/**
 * Under a field someone else changed meanwhile: their value, and the choice of keeping it
 * or one's own. Once chosen, the note goes and the field has the focus again.
 */
export function ConflictNote<T extends object, K extends keyof T & string>(props: {
  edit: EditBase<T>;
  field: K;
  /** The id of the field's input (or of its group), whose aria-describedby names this note. */
  fieldId: string;
  /** The field in words, as a sentence names it ("the title"). */
  label: string;
  /** The other person's value, in words. */
  theirs: (value: T[K]) => string;
  /** Shows their value in the form. */
  apply: (value: T[K]) => void;
}) {
  const refocus = () => document.getElementById(props.fieldId)?.focus();
  const textId = () => `${conflictId(props.fieldId)}-text`;
  return (
    <Show when={props.edit.conflict(props.field)}>
      {(conflict) => (
        <div class="edit-conflict" id={conflictId(props.fieldId)} data-testid="edit-conflict" data-field={props.field}>
          <p id={textId()}>
            Someone else changed {props.label} to{" "}
            <strong class="edit-conflict-value" data-testid="edit-conflict-theirs">
              {props.theirs(conflict().current as T[K])}
            </strong>{" "}
            while you were editing.
          </p>
          <div class="row">
            <button
              type="button"
              class="button button-small"
              aria-describedby={textId()}
              onClick={() => {
                props.apply(props.edit.keepTheirs(props.field) as T[K]);
                refocus();
              }}
              data-testid="conflict-keep-theirs"
            >
              Keep theirs
            </button>
            <button
              type="button"
              class="button button-small button-ghost"
              aria-describedby={textId()}
              onClick={() => {
                props.edit.useMine(props.field);
                refocus();
              }}
              data-testid="conflict-use-mine"
            >
              Use mine
            </button>
          </div>
        </div>
      )}
    </Show>
  );
}
