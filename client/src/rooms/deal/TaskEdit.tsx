/**
 * Editing a task's title and description (for task managers, and for the agent who created the task), and deleting
 * it (task managers only). The form sends only what its user changed, based on the values it opened with: when
 * someone else changed a field meanwhile, the room refuses it as an edit conflict and the field shows their value,
 * to keep or replace. Deleting asks once more in place and goes back to the deal.
 */
import { useNavigate } from "@solidjs/router";
import { createSignal, Show } from "solid-js";
import type { DealTask } from "../../../../schema/deal/records";
import { fieldErrorsOf } from "../../api";
import { Alert } from "../../components/Alert";
import { ConfirmButton } from "../../components/ConfirmButton";
import { ConflictNote, conflictId, createEditBase } from "../../components/EditConflict";
import { roomHref } from "../../links";
import { createCommandRunner } from "./command";
import type { DealStore } from "./store";

interface TaskText {
  title: string;
  description: string;
}

/** The Edit and Delete buttons of a task page, and the edit form in place of the task's text while it is open. */
export function TaskEdit(props: {
  store: DealStore;
  roomId: string;
  task: DealTask;
  mayDelete: boolean;
  onEditing: (on: boolean) => void;
}) {
  const navigate = useNavigate();
  const runner = createCommandRunner(props.store);
  const [editing, setEditing] = createSignal(false);
  const open = (on: boolean) => {
    setEditing(on);
    props.onEditing(on);
  };

  const remove = async () => {
    const title = props.task.title;
    const ok = await runner.send("deal.task.delete", { id: props.task.id }, `“${title}” deleted.`);
    if (ok) navigate(roomHref(props.roomId));
  };

  return (
    <Show
      when={editing()}
      fallback={
        <div class="deal-task-manage">
          <div class="row">
            <button
              type="button"
              class="button button-ghost button-small"
              onClick={() => open(true)}
              data-testid="task-edit"
            >
              Edit title and description
            </button>
            <Show when={props.mayDelete}>
              <ConfirmButton
                label="Delete task"
                ariaLabel={`Delete task ${props.task.title}`}
                confirmLabel="Yes, delete it"
                disabled={runner.busy()}
                onConfirm={() => void remove()}
                testId="task-delete"
              />
            </Show>
          </div>
          <Alert message={runner.error()} testId="task-delete-error" />
        </div>
      }
    >
      <TaskTextForm store={props.store} task={props.task} onDone={() => open(false)} />
    </Show>
  );
}

function TaskTextForm(props: { store: DealStore; task: DealTask; onDone: () => void }) {
  const runner = createCommandRunner(props.store);
  const [title, setTitle] = createSignal(props.task.title);
  const [description, setDescription] = createSignal(props.task.description ?? "");
  const [fields, setFields] = createSignal<Record<string, string>>({});
  const values = (): TaskText => ({ title: title().trim(), description: description() });
  const edit = createEditBase<TaskText>(values());

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setFields({});
    runner.setError(null);
    if (!values().title) {
      setFields({ title: "Give the task a title." });
      return;
    }
    if (edit.pending()) {
      runner.setError("Someone else changed this task while you were editing it: choose which value to keep below.");
      return;
    }
    const { changes, base } = edit.diff(values());
    if (Object.keys(changes).length === 0) return props.onDone();
    const ok = await runner.send("deal.task.update", { id: props.task.id, ...changes, base }, "Task saved.");
    if (ok) return props.onDone();
    const refusal = runner.refusal();
    if (refusal && !edit.take(refusal)) setFields(fieldErrorsOf(refusal.details));
  };

  return (
    <form class="deal-task-form stack" onSubmit={(e) => void submit(e)} data-testid="task-edit-form" novalidate>
      <div class="field">
        <label for="task-edit-title">Title</label>
        <input
          id="task-edit-title"
          maxLength={120}
          value={title()}
          onInput={(e) => setTitle(e.currentTarget.value)}
          aria-invalid={fields().title ? "true" : undefined}
          aria-describedby={`task-edit-title-error ${conflictId("task-edit-title")}`}
          data-testid="task-edit-title"
          autofocus
        />
        <span class="field-error" id="task-edit-title-error" data-testid="task-edit-title-error">
          {fields().title}
        </span>
        <ConflictNote
          edit={edit}
          field="title"
          fieldId="task-edit-title"
          label="the title"
          theirs={(v) => `“${v}”`}
          apply={setTitle}
        />
      </div>
      <div class="field">
        <label for="task-edit-description">Description</label>
        <textarea
          id="task-edit-description"
          rows="4"
          maxLength={4000}
          value={description()}
          onInput={(e) => setDescription(e.currentTarget.value)}
          aria-describedby={`task-edit-description-error ${conflictId("task-edit-description")}`}
          data-testid="task-edit-description"
        />
        <span class="field-error" id="task-edit-description-error">
          {fields().description}
        </span>
        <ConflictNote
          edit={edit}
          field="description"
          fieldId="task-edit-description"
          label="the description"
          theirs={(v) => (v ? `“${v}”` : "nothing")}
          apply={setDescription}
        />
      </div>
      <Alert message={runner.error()} testId="task-edit-error" />
      <div class="row">
        <button type="submit" class="button button-primary" disabled={runner.busy()} data-testid="task-edit-save">
          Save
        </button>
        <button type="button" class="button button-ghost" onClick={() => props.onDone()}>
          Cancel
        </button>
      </div>
    </form>
  );
}
