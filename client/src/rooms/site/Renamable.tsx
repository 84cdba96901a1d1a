/** A name with a "Rename" button that turns into a one-field form, based on the name it was opened with. */
import { createSignal, Show } from "solid-js";
import { ConflictNote, conflictId, createEditBase, type EditBase } from "../../components/EditConflict";

/** What a rename edits. */
export interface NameValue {
  name: string;
}

/**
 * `onSave` gets the new name, its base (the name the form opened with) and the edit, so
 * a refusal because someone else renamed it meanwhile shows their name under the field.
 */
export function Renamable(props: {
  name: string;
  label: string;
  testId: string;
  onSave: (name: string, base: Partial<NameValue>, edit: EditBase<NameValue>) => Promise<boolean>;
}) {
  const [edit, setEdit] = createSignal<EditBase<NameValue> | null>(null);
  const [draft, setDraft] = createSignal("");
  const inputId = `rename-${crypto.randomUUID().slice(0, 8)}`;
  const open = () => {
    setDraft(props.name);
    setEdit(createEditBase<NameValue>({ name: props.name }));
  };
  return (
    <Show
      when={edit()}
      fallback={
        <span class="row setup-name">
          <span data-testid={`${props.testId}-name`}>{props.name}</span>
          <button
            type="button"
            class="button button-ghost button-small"
            aria-label={`Rename ${props.label} ${props.name}`}
            onClick={open}
            data-testid={`${props.testId}-rename`}
          >
            Rename
          </button>
        </span>
      }
    >
      {(current) => (
        <form
          class="stack rename-form"
          onSubmit={(e) => {
            e.preventDefault();
            const name = draft().trim();
            if (!name || current().pending()) return;
            const { changes, base } = current().diff({ name });
            if (changes.name === undefined) setEdit(null);
            else void props.onSave(name, base, current()).then((ok) => ok && setEdit(null));
          }}
        >
          <div class="row">
            <label for={inputId} class="sr-only">
              New name of {props.label} {props.name}
            </label>
            <input
              id={inputId}
              name="name"
              value={draft()}
              onInput={(e) => setDraft(e.currentTarget.value)}
              maxLength={120}
              required
              autofocus
              aria-describedby={conflictId(inputId)}
              data-testid={`${props.testId}-rename-input`}
            />
            <button
              type="submit"
              class="button button-primary button-small"
              data-testid={`${props.testId}-rename-save`}
            >
              Save
            </button>
            <button type="button" class="button button-ghost button-small" onClick={() => setEdit(null)}>
              Cancel
            </button>
          </div>
          <ConflictNote
            edit={current()}
            field="name"
            fieldId={inputId}
            label={`the ${props.label}'s name`}
            theirs={(v) => `“${v}”`}
            apply={setDraft}
          />
        </form>
      )}
    </Show>
  );
}
