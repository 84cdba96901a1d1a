/**
 * Adding a task: its title, milestone, assignee, due date (none, a fixed date, or counted from a key date),
 * whether the buyer sees it and whether a document is asked for. The room checks the rest.
 */
import { createSignal, For, Match, Switch } from "solid-js";
import { DEAL_MAX_DUE_OFFSET_DAYS } from "../../../../config";
import type { DealCommandArgs } from "../../../../schema/deal/commands";
import { Alert } from "../../components/Alert";
import type { Person } from "../kind";
import { AssigneeSelect, parseAssignee } from "./AssigneeSelect";
import { createCommandRunner } from "./command";
import type { DealStore } from "./store";

type DueKind = "none" | "date" | "relative";

export function NewTaskForm(props: { store: DealStore; people: Person[]; onClose: () => void }) {
  const runner = createCommandRunner(props.store);
  const [dueKind, setDueKind] = createSignal<DueKind>("relative");
  let titleRef: HTMLInputElement | undefined;

  const onSubmit = async (e: SubmitEvent & { currentTarget: HTMLFormElement }) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? "").trim();
    const title = text("title");
    if (!title) {
      runner.setError("Give the task a title.");
      titleRef?.focus();
      return;
    }
    const offset = Number(text("offset"));
    let due: DealCommandArgs<"deal.task.create">["due"] = null;
    if (dueKind() === "date" && text("date")) due = { date: text("date") };
    if (dueKind() === "relative") {
      const anchor = text("anchor") === "closing" ? "closing" : "acceptance";
      const unit = text("unit") === "business_days" ? "business_days" : "days";
      due = { relative: { anchor, offset: text("direction") === "before" ? -offset : offset, unit } };
    }
    const ok = await runner.send(
      "deal.task.create",
      {
        title,
        milestoneId: text("milestoneId") || null,
        description: text("description"),
        assignee: parseAssignee(text("assignee")),
        due,
        sharedWithBuyer: data.get("sharedWithBuyer") === "on",
        documentRequested: data.get("documentRequested") === "on",
      },
      `“${title}” added.`,
    );
    if (ok) {
      form.reset();
      props.onClose();
    }
  };

  return (
    <form class="card deal-new-task" onSubmit={(e) => void onSubmit(e)} aria-label="New task" data-testid="new-task">
      <div class="deal-form-grid">
        <div class="field deal-field-wide">
          <label for="new-task-title">Title</label>
          <input
            id="new-task-title"
            ref={titleRef}
            name="title"
            maxLength={120}
            autofocus
            data-testid="new-task-title"
          />
        </div>
        <div class="field">
          <label for="new-task-milestone">Milestone</label>
          <select id="new-task-milestone" name="milestoneId" data-testid="new-task-milestone">
            <option value="">None</option>
            <For each={props.store.orderedMilestones()}>{(m) => <option value={m.id}>{m.name}</option>}</For>
          </select>
        </div>
        <div class="field">
          <label for="new-task-assignee">Assignee</label>
          <AssigneeSelect
            id="new-task-assignee"
            name="assignee"
            value=""
            people={props.people}
            testId="new-task-assignee"
          />
        </div>
        <fieldset class="field deal-field-wide deal-due-fieldset">
          <legend>Due</legend>
          <div class="row">
            <select
              aria-label="Kind of due date"
              value={dueKind()}
              onChange={(e) => setDueKind(e.currentTarget.value as DueKind)}
              data-testid="new-task-due-kind"
            >
              <option value="relative">Counted from a key date</option>
              <option value="date">On a date</option>
              <option value="none">No due date</option>
            </select>
            <Switch>
              <Match when={dueKind() === "date"}>
                <input type="date" name="date" aria-label="Due date" data-testid="new-task-date" />
              </Match>
              <Match when={dueKind() === "relative"}>
                <input
                  type="number"
                  name="offset"
                  min="0"
                  max={DEAL_MAX_DUE_OFFSET_DAYS}
                  value="3"
                  aria-label="How many days"
                  class="deal-offset"
                  data-testid="new-task-offset"
                />
                <select name="unit" aria-label="Unit" data-testid="new-task-unit">
                  <option value="business_days">business days</option>
                  <option value="days">days</option>
                </select>
                <select name="direction" aria-label="Before or after">
                  <option value="after">after</option>
                  <option value="before">before</option>
                </select>
                <select name="anchor" aria-label="Key date" data-testid="new-task-anchor">
                  <option value="acceptance">acceptance</option>
                  <option value="closing">closing</option>
                </select>
              </Match>
            </Switch>
          </div>
        </fieldset>
        <div class="field deal-field-wide">
          <label for="new-task-description">What to do (optional)</label>
          <textarea id="new-task-description" name="description" rows="2" maxLength={4000} />
        </div>
        <label class="deal-check">
          <input type="checkbox" name="sharedWithBuyer" data-testid="new-task-shared" /> The buyer sees this task
        </label>
        <label class="deal-check">
          <input type="checkbox" name="documentRequested" /> A document is asked for
        </label>
      </div>
      <Alert message={runner.error()} testId="new-task-error" />
      <div class="form-actions">
        <button type="submit" class="button button-primary" disabled={runner.busy()} data-testid="new-task-submit">
          Add task
        </button>
        <button type="button" class="button button-ghost" onClick={() => props.onClose()}>
          Cancel
        </button>
      </div>
    </form>
  );
}
