/**
 * The board: every task this user sees, in a column per state (to do, blocked, in progress, overdue, done),
 * each card with its title, assignee, due date and Start / Complete where allowed. On a phone the columns
 * stack, and a state picker shows one at a time.
 */
import { A } from "@solidjs/router";
import { createMemo, createSignal, For, Show } from "solid-js";
import type { DealTask, DealTaskState } from "../../../../schema/deal/records";
import { Icon } from "../../components/Icon";
import { formatDate } from "../../format";
import type { Person } from "../kind";
import { assigneeWords, dueInWords, STATE_WORDS, STATES, stateOf } from "./labels";
import { taskHref } from "./links";
import { NewTaskForm } from "./NewTaskForm";
import type { DealStore } from "./store";
import { TaskActions } from "./TaskActions";

const byDue = (a: DealTask, b: DealTask) =>
  (a.dueDate ?? "9999").localeCompare(b.dueDate ?? "9999") || (a.order ?? 0) - (b.order ?? 0);

export function Board(props: {
  store: DealStore;
  roomId: string;
  people: Person[];
  nameOf: (userId: string) => string | null;
}) {
  const [only, setOnly] = createSignal<DealTaskState | "all">("all");
  const [adding, setAdding] = createSignal(false);
  const columns = createMemo(() =>
    STATES.map((state) => ({
      state,
      tasks: props.store.tasks.filter((t) => stateOf(t) === state).sort(byDue),
    })),
  );

  return (
    <div class="deal-board" data-testid="deal-board">
      <div class="board-head">
        <h2>Board</h2>
        <div class="row">
          <div class="field deal-state-picker">
            <label for="board-state">Show</label>
            <select
              id="board-state"
              value={only()}
              onChange={(e) => setOnly(e.currentTarget.value as DealTaskState | "all")}
              data-testid="board-state-picker"
            >
              <option value="all">Every state</option>
              <For each={columns()}>
                {(c) => (
                  <option value={c.state}>
                    {STATE_WORDS[c.state]} ({c.tasks.length})
                  </option>
                )}
              </For>
            </select>
          </div>
          <Show when={props.store.mayAssign() && !adding()}>
            <button
              type="button"
              class="button button-primary"
              onClick={() => setAdding(true)}
              data-testid="add-deal-task"
            >
              <Icon name="plus" />
              Add task
            </button>
          </Show>
        </div>
      </div>
      <Show when={adding()}>
        <NewTaskForm store={props.store} people={props.people} onClose={() => setAdding(false)} />
      </Show>
      <div class="deal-columns">
        <For each={columns()}>
          {(column) => (
            <section
              class={`deal-column deal-column-${column.state.toLowerCase()}`}
              classList={{ "deal-column-hidden": only() !== "all" && only() !== column.state }}
              aria-labelledby={`column-${column.state}`}
              data-testid="board-column"
              data-state={column.state}
            >
              <h3 id={`column-${column.state}`} class="deal-column-title">
                {STATE_WORDS[column.state]} <span class="deal-column-count">{column.tasks.length}</span>
              </h3>
              <ul class="plain-list deal-cards">
                <For each={column.tasks} fallback={<li class="muted small deal-column-empty">Nothing here.</li>}>
                  {(task) => (
                    <li class="card deal-card" data-testid="board-card" data-task-id={task.id}>
                      <A href={taskHref(props.roomId, task.id)} class="deal-task-link deal-card-title">
                        {task.title}
                      </A>
                      <p class="small muted deal-card-meta">
                        <span data-testid="card-assignee">{assigneeWords(task.assignee, props.nameOf)}</span>
                        <Show when={task.dueDate}>
                          {(d) => (
                            <>
                              {" · "}
                              <time dateTime={d()} title={dueInWords(props.store.today(), d())}>
                                {formatDate(d())}
                              </time>
                            </>
                          )}
                        </Show>
                      </p>
                      <TaskActions store={props.store} task={task} compact />
                    </li>
                  )}
                </For>
              </ul>
            </section>
          )}
        </For>
      </div>
    </div>
  );
}
