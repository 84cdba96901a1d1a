/**
 * The buyer timeline: the milestones as steps (reached, current, upcoming) with their dates, the key dates and
 * days to closing, and "what's next for you": the open tasks assigned to this user or their role, each with
 * Complete and its documents. The team sees it too, as the buyer would (only tasks shared with the buyer).
 * Everything here reads only fields a buyer's projection carries.
 */
import { A } from "@solidjs/router";
import { createMemo, For, Show } from "solid-js";
import type { Deal, DealTask, Milestone } from "../../../../schema/deal/records";
import { formatDate } from "../../format";
import { closingWords, dueInWords, localDate, STATE_TONE, STATE_WORDS, stateOf } from "./labels";
import { taskHref } from "./links";
import type { DealStore } from "./store";
import { TaskActions } from "./TaskActions";
import { TaskDocuments } from "./TaskDocuments";

type Step = "reached" | "current" | "upcoming";

const STEP_WORDS: Record<Step, string> = { reached: "Reached", current: "Current step", upcoming: "Upcoming" };

const byDue = (a: DealTask, b: DealTask) =>
  (a.dueDate ?? "9999").localeCompare(b.dueDate ?? "9999") || (a.order ?? 0) - (b.order ?? 0);

export function Timeline(props: { store: DealStore; roomId: string; deal: Deal }) {
  const milestones = () => props.store.orderedMilestones();
  const currentId = createMemo(() => milestones().find((m) => m.status !== "reached")?.id ?? null);
  const stepOf = (m: Milestone): Step =>
    m.status === "reached" ? "reached" : m.id === currentId() ? "current" : "upcoming";
  const mine = createMemo(() =>
    props.store.tasks.filter((t) => props.store.isMine(t) && stateOf(t) !== "COMPLETED").sort(byDue),
  );
  const ready = () => mine().filter((t) => stateOf(t) !== "BLOCKED");
  const waiting = () => mine().filter((t) => stateOf(t) === "BLOCKED");
  // What the buyer is shown under each step: shared tasks only, whoever looks.
  const sharedOf = (milestoneId: string) => props.store.tasksOf(milestoneId).filter((t) => t.sharedWithBuyer === true);

  return (
    <div class="deal-timeline" data-testid="deal-timeline">
      <section class="card deal-panel deal-next" aria-labelledby="next-heading">
        <div class="deal-next-head">
          <h2 id="next-heading">What's next for you</h2>
          <span class="deal-closing-chip" data-testid="timeline-days-to-closing">
            {closingWords(props.store.today(), props.deal.keyDates.closing)}
          </span>
        </div>
        <Show
          when={mine().length > 0}
          fallback={
            <p class="muted" data-testid="next-empty">
              Nothing is waiting for you right now. We'll tell you when something is.
            </p>
          }
        >
          <Show when={ready().length === 0}>
            <p class="muted">Nothing you can do yet: your next tasks wait for other steps.</p>
          </Show>
          <ul class="plain-list deal-next-list" data-testid="next-list">
            <For each={ready()}>
              {(task) => (
                <li class="deal-next-item" data-testid="next-task" data-task-id={task.id}>
                  <div class="deal-next-title">
                    <A href={taskHref(props.roomId, task.id)} class="deal-task-link">
                      {task.title}
                    </A>
                    <span class={`chip ${STATE_TONE[stateOf(task)]}`} data-testid="next-task-state">
                      {STATE_WORDS[stateOf(task)]}
                    </span>
                  </div>
                  <Show when={task.description}>
                    <p class="deal-task-description">{task.description}</p>
                  </Show>
                  <Show when={task.dueDate}>
                    {(due) => (
                      <p class="small muted">
                        {formatDate(due())} · {dueInWords(props.store.today(), due())}
                      </p>
                    )}
                  </Show>
                  <TaskActions store={props.store} task={task} />
                  <TaskDocuments store={props.store} roomId={props.roomId} task={task} />
                </li>
              )}
            </For>
          </ul>
          <Show when={waiting().length > 0}>
            <h3 class="group-title">Later, once other steps are done</h3>
            <ul class="plain-list deal-waiting" data-testid="waiting-list">
              <For each={waiting()}>
                {(task) => (
                  <li class="deal-waiting-item" data-testid="next-task" data-task-id={task.id}>
                    <A href={taskHref(props.roomId, task.id)} class="deal-task-link">
                      {task.title}
                    </A>
                    <span class="small muted nowrap">
                      <Show when={task.dueDate}>{(due) => `${formatDate(due())} `}</Show>
                      <span class={`chip ${STATE_TONE[stateOf(task)]}`} data-testid="next-task-state">
                        {STATE_WORDS[stateOf(task)]}
                      </span>
                    </span>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </Show>
      </section>

      <section class="card deal-panel" aria-labelledby="steps-heading">
        <h2 id="steps-heading">The road to closing</h2>
        <p class="small muted">
          Offer accepted {formatDate(props.deal.keyDates.acceptance)} · closing{" "}
          {formatDate(props.deal.keyDates.closing)}
        </p>
        <Show when={milestones().length > 0} fallback={<p class="muted">No milestones yet.</p>}>
          <ol class="deal-steps" data-testid="deal-steps">
            <For each={milestones()}>
              {(m) => (
                <li
                  class={`deal-step deal-step-${stepOf(m)}`}
                  data-testid="deal-step"
                  data-step={stepOf(m)}
                  aria-current={stepOf(m) === "current" ? "step" : undefined}
                >
                  <span class="deal-step-dot" aria-hidden="true" />
                  <div class="deal-step-body">
                    <div class="deal-step-head">
                      <span class="deal-step-name">{m.name}</span>
                      <span class="deal-step-state small">{STEP_WORDS[stepOf(m)]}</span>
                    </div>
                    <p class="small muted">
                      <Show
                        when={m.status === "reached" && m.reachedAt}
                        fallback={m.dueDate ? `By ${formatDate(m.dueDate)}` : ""}
                      >
                        Reached {formatDate(localDate(m.reachedAt ?? 0, props.deal.timeZone))}
                      </Show>
                    </p>
                    <Show when={stepOf(m) === "current" && sharedOf(m.id).length > 0}>
                      <ul class="plain-list deal-step-tasks">
                        <For each={sharedOf(m.id)}>
                          {(task) => (
                            <li class="small">
                              <span class={`chip ${STATE_TONE[stateOf(task)]}`}>{STATE_WORDS[stateOf(task)]}</span>{" "}
                              {task.title}
                            </li>
                          )}
                        </For>
                      </ul>
                    </Show>
                  </div>
                </li>
              )}
            </For>
          </ol>
        </Show>
      </section>
    </div>
  );
}
