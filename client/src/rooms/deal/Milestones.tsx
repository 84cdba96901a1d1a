/**
 * Adding and renaming milestones, for roles with `tasks.manage`: a rename in place on each progress row, and an
 * "Add a milestone" form under them. Names are required; the room's refusal is shown in words beside the form.
 */
import { createSignal, Show } from "solid-js";
import type { Milestone } from "../../../../schema/deal/records";
import { Alert } from "../../components/Alert";
import { createCommandRunner } from "./command";
import type { DealStore } from "./store";

const nameOf = (form: HTMLFormElement) => String(new FormData(form).get("name") ?? "").trim();

/** The rename control of one milestone: a button that becomes a one-field form. */
export function RenameMilestone(props: { store: DealStore; milestone: Milestone }) {
  const runner = createCommandRunner(props.store);
  const [open, setOpen] = createSignal(false);
  const fieldId = () => `milestone-name-${props.milestone.id}`;

  const onSubmit = async (e: SubmitEvent & { currentTarget: HTMLFormElement }) => {
    e.preventDefault();
    const name = nameOf(e.currentTarget);
    if (!name) return runner.setError("Give the milestone a name.");
    if (name === props.milestone.name) return setOpen(false);
    const ok = await runner.send("deal.milestone.rename", { id: props.milestone.id, name }, `Renamed to “${name}”.`);
    if (ok) setOpen(false);
  };

  return (
    <div class="deal-milestone-rename">
      <Show
        when={open()}
        fallback={
          <button
            type="button"
            class="button button-ghost button-small"
            aria-label={`Rename ${props.milestone.name}`}
            onClick={() => setOpen(true)}
            data-testid="milestone-rename"
          >
            Rename
          </button>
        }
      >
        <form class="row" onSubmit={(e) => void onSubmit(e)}>
          <label class="sr-only" for={fieldId()}>
            New name for {props.milestone.name}
          </label>
          <input
            id={fieldId()}
            name="name"
            maxLength={120}
            value={props.milestone.name}
            data-testid="milestone-rename-name"
            autofocus
          />
          <button
            type="submit"
            class="button button-primary button-small"
            disabled={runner.busy()}
            data-testid="milestone-rename-save"
          >
            Save
          </button>
          <button
            type="button"
            class="button button-ghost button-small"
            onClick={() => {
              runner.setError(null);
              setOpen(false);
            }}
          >
            Cancel
          </button>
        </form>
      </Show>
      <Alert message={runner.error()} testId="milestone-rename-error" />
    </div>
  );
}

/** "Add a milestone": it goes after the last one. */
export function NewMilestone(props: { store: DealStore }) {
  const runner = createCommandRunner(props.store);

  const onSubmit = async (e: SubmitEvent & { currentTarget: HTMLFormElement }) => {
    e.preventDefault();
    const form = e.currentTarget;
    const name = nameOf(form);
    if (!name) return runner.setError("Give the milestone a name.");
    const ok = await runner.send("deal.milestone.create", { name }, `Milestone “${name}” added.`);
    if (ok) form.reset();
  };

  return (
    <form class="deal-new-milestone" onSubmit={(e) => void onSubmit(e)} data-testid="milestone-new">
      <label for="milestone-new-name">Add a milestone</label>
      <div class="row">
        <input id="milestone-new-name" name="name" maxLength={120} data-testid="milestone-new-name" />
        <button type="submit" class="button button-small" disabled={runner.busy()} data-testid="milestone-new-submit">
          Add
        </button>
      </div>
      <Alert message={runner.error()} testId="milestone-new-error" />
    </form>
  );
}
