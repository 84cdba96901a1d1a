/**
 * One task's page (`tasks/:taskId`): what to do, whom it is for (reassignable by those who assign), its due
 * date and the rule it follows ("acceptance + 3 business days"), the team's notes, its dependencies both ways,
 * Start / Complete / Reopen, whether the buyer sees it, and its documents. A task this user may not see reads
 * as not found, like one that does not exist.
 */
import { A } from "@solidjs/router";
import { createSignal, onMount, Show } from "solid-js";
import type { DealTask } from "../../../../schema/deal/records";
import { Alert } from "../../components/Alert";
import { formatDate } from "../../format";
import { roomHref } from "../../links";
import type { Person } from "../kind";
import { AssigneeSelect, assigneeValue, parseAssignee } from "./AssigneeSelect";
import { createCommandRunner } from "./command";
import { assigneeWords, dueInWords, dueRuleWords, STATE_TONE, STATE_WORDS, stateOf } from "./labels";
import type { DealStore } from "./store";
import { TaskActions } from "./TaskActions";
import { TaskDependencies } from "./TaskDependencies";
import { TaskDocuments } from "./TaskDocuments";
import { TaskEdit } from "./TaskEdit";

export function TaskPage(props: {
  store: DealStore;
  roomId: string;
  taskId: string;
  people: Person[];
  nameOf: (userId: string) => string | null;
}) {
  const task = () => props.store.task(props.taskId);
  return (
    <div class="deal-task-page">
      <A href={roomHref(props.roomId)} class="back-link" data-testid="task-back">
        ‹ Back to the deal
      </A>
      <Show
        when={task()}
        fallback={
          <div class="card empty" data-testid="task-not-found">
            <Show when={props.store.loaded()} fallback={<p class="muted">Loading…</p>}>
              <h2>This task is not in this deal</h2>
              <p class="muted">It may have been deleted, or the link is wrong.</p>
            </Show>
          </div>
        }
      >
        {(t) => <TaskBody {...props} task={t()} />}
      </Show>
    </div>
  );
}

function TaskBody(props: {
  store: DealStore;
  roomId: string;
  task: DealTask;
  people: Person[];
  nameOf: (userId: string) => string | null;
}) {
  const runner = createCommandRunner(props.store);
  const [notes, setNotes] = createSignal<string | null>(null);
  const [editing, setEditing] = createSignal(false);
  const milestone = () => (props.task.milestoneId ? props.store.milestone(props.task.milestoneId) : undefined);
  const mayManage = () => props.store.may("tasks.manage");
  const mayEdit = () => props.store.mayEdit(props.task);
  // Notes and dependencies are internal: a buyer's projection has neither, and shows neither.
  const showsInternal = () => props.store.isTeam();
  let headingRef: HTMLHeadingElement | undefined;
  onMount(() => headingRef?.focus());

  const assign = (value: string) =>
    void runner.send("deal.task.assign", { id: props.task.id, assignee: parseAssignee(value) }, "Assigned.");

  const toggleShared = () => {
    const was = props.task.sharedWithBuyer === true;
    void runner.send(
      "deal.task.update",
      { id: props.task.id, sharedWithBuyer: !was, base: { sharedWithBuyer: was } },
      was ? "The buyer no longer sees this task." : "The buyer now sees this task.",
    );
  };

  const saveNotes = async () => {
    const next = notes();
    if (next === null) return;
    const ok = await runner.send(
      "deal.task.update",
      { id: props.task.id, notes: next, base: { notes: props.task.notes ?? "" } },
      "Notes saved.",
    );
    if (ok) setNotes(null);
  };

  return (
    <article
      class="card deal-task"
      data-testid="deal-task"
      data-task-id={props.task.id}
      data-state={stateOf(props.task)}
    >
      <header class="deal-task-head">
        <h2 ref={headingRef} tabIndex={-1} data-testid="task-title">
          {props.task.title}
        </h2>
        <span class={`chip ${STATE_TONE[stateOf(props.task)]}`} data-testid="task-state">
          {STATE_WORDS[stateOf(props.task)]}
        </span>
      </header>
      <Show when={!editing() && props.task.description}>
        <p class="deal-pre deal-task-description" data-testid="task-description">
          {props.task.description}
        </p>
      </Show>
      <Show when={mayEdit()}>
        <TaskEdit
          store={props.store}
          roomId={props.roomId}
          task={props.task}
          mayDelete={mayManage()}
          onEditing={setEditing}
        />
      </Show>
      <dl class="deal-facts">
        <Show when={milestone()}>
          {(m) => (
            <>
              <dt>Milestone</dt>
              <dd>{m().name}</dd>
            </>
          )}
        </Show>
        <dt>
          <label for="task-assignee">Assignee</label>
        </dt>
        <dd>
          <Show
            when={props.store.mayAssign()}
            fallback={<span data-testid="task-assignee">{assigneeWords(props.task.assignee, props.nameOf)}</span>}
          >
            <AssigneeSelect
              id="task-assignee"
              value={assigneeValue(props.task.assignee)}
              people={props.people}
              disabled={runner.busy()}
              onChange={assign}
              testId="task-assign"
            />
          </Show>
        </dd>
        <dt>Due</dt>
        <dd data-testid="task-due">
          <Show when={props.task.dueDate} fallback="No due date">
            {(d) => (
              <>
                {formatDate(d())} <span class="muted">({dueInWords(props.store.today(), d())})</span>
              </>
            )}
          </Show>
          <Show when={props.task.due}>
            {(rule) => (
              <span class="hint deal-due-rule" data-testid="task-due-rule">
                {dueRuleWords(rule())}
              </span>
            )}
          </Show>
        </dd>
        <Show when={showsInternal()}>
          <dt>Buyer</dt>
          <dd>
            <Show when={mayEdit()} fallback={props.task.sharedWithBuyer ? "Sees this task" : "Does not see it"}>
              <label class="deal-check">
                <input
                  type="checkbox"
                  checked={props.task.sharedWithBuyer === true}
                  disabled={runner.busy()}
                  onChange={toggleShared}
                  data-testid="task-shared"
                />{" "}
                Shared with the buyer
              </label>
            </Show>
          </dd>
        </Show>
      </dl>

      <TaskActions store={props.store} task={props.task} />
      <Alert message={runner.error()} testId="task-error" />

      <Show when={showsInternal() && props.task.notes !== undefined}>
        <section class="deal-notes" aria-labelledby="notes-heading">
          <h3 id="notes-heading" class="group-title">
            Notes <span class="muted">(the team only)</span>
          </h3>
          <Show when={mayEdit()} fallback={<p class="deal-pre">{props.task.notes || "No notes."}</p>}>
            <label class="sr-only" for="task-notes">
              Notes for the team
            </label>
            <textarea
              id="task-notes"
              rows="3"
              maxLength={4000}
              value={notes() ?? props.task.notes ?? ""}
              onInput={(e) => setNotes(e.currentTarget.value)}
              data-testid="task-notes"
            />
            <Show when={notes() !== null && notes() !== (props.task.notes ?? "")}>
              <div class="row">
                <button
                  type="button"
                  class="button button-primary button-small"
                  disabled={runner.busy()}
                  onClick={() => void saveNotes()}
                  data-testid="task-notes-save"
                >
                  Save notes
                </button>
                <button type="button" class="button button-ghost button-small" onClick={() => setNotes(null)}>
                  Cancel
                </button>
              </div>
            </Show>
          </Show>
        </section>
      </Show>

      <Show when={showsInternal()}>
        <TaskDependencies store={props.store} roomId={props.roomId} task={props.task} />
      </Show>
      <TaskDocuments store={props.store} roomId={props.roomId} task={props.task} />
    </article>
  );
}
