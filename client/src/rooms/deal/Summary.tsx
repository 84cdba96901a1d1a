/**
 * The deal summary, the team's front page: days to closing, overdue and blocked counts, progress per milestone
 * (completed of total), who owes what (open tasks by assignee) and the key dates with "Move".
 */
import { A } from "@solidjs/router";
import { createMemo, For, Show } from "solid-js";
import type { Deal, DealTask } from "../../../../schema/deal/records";
import { formatDate } from "../../format";
import { DealStatus } from "./DealStatus";
import { KeyDates } from "./KeyDates";
import {
  assigneeKey,
  assigneeWords,
  daysBetween,
  dollars,
  dueInWords,
  STATE_TONE,
  STATE_WORDS,
  stateOf,
} from "./labels";
import { taskHref } from "./links";
import { NewMilestone, RenameMilestone } from "./Milestones";
import { SaveTemplate } from "./SaveTemplate";
import type { DealStore } from "./store";

interface Owed {
  key: string;
  who: string;
  tasks: DealTask[];
}

const byDue = (a: DealTask, b: DealTask) => (a.dueDate ?? "9999").localeCompare(b.dueDate ?? "9999");

export function Summary(props: {
  store: DealStore;
  roomId: string;
  deal: Deal;
  nameOf: (userId: string) => string | null;
}) {
  const count = (state: string) => props.store.tasks.filter((t) => stateOf(t) === state).length;
  const open = createMemo(() => props.store.tasks.filter((t) => stateOf(t) !== "COMPLETED"));
  const days = () => daysBetween(props.store.today(), props.deal.keyDates.closing);
  const owed = createMemo<Owed[]>(() => {
    const groups = new Map<string, Owed>();
    for (const task of [...open()].sort(byDue)) {
      const key = assigneeKey(task.assignee);
      const group = groups.get(key) ?? { key, who: assigneeWords(task.assignee, props.nameOf), tasks: [] };
      group.tasks.push(task);
      groups.set(key, group);
    }
    return [...groups.values()].sort((a, b) => b.tasks.length - a.tasks.length || a.who.localeCompare(b.who));
  });

  return (
    <div class="deal-summary" data-testid="deal-summary">
      <ul class="deal-stats" aria-label="At a glance">
        <li class="card deal-stat" data-testid="stat-closing">
          <span class="deal-stat-value">{Math.abs(days())}</span>
          <span class="deal-stat-label">
            {days() >= 0 ? (days() === 1 ? "day to closing" : "days to closing") : "days past closing"}
          </span>
        </li>
        <li class="card deal-stat" classList={{ "deal-stat-alarm": count("OVERDUE") > 0 }} data-testid="stat-overdue">
          <span class="deal-stat-value">{count("OVERDUE")}</span>
          <span class="deal-stat-label">overdue</span>
        </li>
        <li class="card deal-stat" classList={{ "deal-stat-warn": count("BLOCKED") > 0 }} data-testid="stat-blocked">
          <span class="deal-stat-value">{count("BLOCKED")}</span>
          <span class="deal-stat-label">blocked</span>
        </li>
        <li class="card deal-stat" data-testid="stat-open">
          <span class="deal-stat-value">{open().length}</span>
          <span class="deal-stat-label">open of {props.store.tasks.length} tasks</span>
        </li>
      </ul>

      <div class="deal-summary-grid">
        <section class="card deal-panel" aria-labelledby="progress-heading">
          <h2 id="progress-heading">Progress</h2>
          <Show when={props.store.orderedMilestones().length > 0} fallback={<p class="muted">No milestones yet.</p>}>
            <ul class="plain-list deal-progress" data-testid="milestone-progress">
              <For each={props.store.orderedMilestones()}>
                {(m) => {
                  const total = () => m.total ?? 0;
                  const done = () => m.completed ?? 0;
                  return (
                    <li class="deal-progress-row" data-testid="milestone-row" data-milestone-id={m.id}>
                      <div class="deal-progress-head">
                        <span class="deal-progress-name" data-testid="milestone-name">
                          {m.name}
                        </span>
                        <span class="small muted" data-testid="milestone-count">
                          {m.status === "reached" ? "Reached · " : ""}
                          {done()} of {total()}
                          <Show when={m.dueDate}>{(d) => ` · by ${formatDate(d())}`}</Show>
                        </span>
                      </div>
                      <progress
                        class="deal-progress-bar"
                        max={Math.max(total(), 1)}
                        value={done()}
                        aria-label={`${m.name}: ${done()} of ${total()} tasks done`}
                      />
                      <Show when={props.store.may("tasks.manage")}>
                        <RenameMilestone store={props.store} milestone={m} />
                      </Show>
                    </li>
                  );
                }}
              </For>
            </ul>
          </Show>
          <Show when={props.store.may("tasks.manage")}>
            <NewMilestone store={props.store} />
          </Show>
        </section>

        <div class="stack">
          <KeyDates store={props.store} deal={props.deal} />
          <section class="card deal-panel" aria-labelledby="deal-facts-heading">
            <h2 id="deal-facts-heading">The deal</h2>
            <dl class="deal-facts">
              <dt>Address</dt>
              <dd>{props.deal.address}</dd>
              <Show when={props.deal.purchasePrice !== undefined && props.deal.purchasePrice !== null}>
                <dt>Purchase price</dt>
                <dd data-testid="deal-price">{dollars(props.deal.purchasePrice ?? 0)}</dd>
              </Show>
              <Show when={props.deal.commission}>
                {(c) => (
                  <>
                    <dt>Commission</dt>
                    <dd data-testid="deal-commission">{c().percent}%</dd>
                  </>
                )}
              </Show>
              <For each={props.deal.parties ?? []}>
                {(party) => (
                  <>
                    <dt>{party.role}</dt>
                    <dd>
                      {party.name}
                      <Show when={party.email}>{(email) => <span class="muted"> · {email()}</span>}</Show>
                    </dd>
                  </>
                )}
              </For>
            </dl>
            <Show when={props.store.may("deal.edit")}>
              <DealStatus store={props.store} deal={props.deal} />
            </Show>
            <Show when={props.store.may("templates.save")}>
              <SaveTemplate roomId={props.roomId} dealTitle={props.deal.title} />
            </Show>
          </section>
        </div>
      </div>

      <section class="card deal-panel" aria-labelledby="owed-heading">
        <h2 id="owed-heading">Who owes what</h2>
        <Show when={owed().length > 0} fallback={<p class="muted">Every task is done.</p>}>
          <div class="deal-owed" data-testid="who-owes-what">
            <For each={owed()}>
              {(group) => (
                <section class="deal-owed-group" aria-label={group.who} data-testid="owed-group">
                  <h3 class="group-title">
                    {group.who} <span class="muted">({group.tasks.length})</span>
                  </h3>
                  <ul class="plain-list">
                    <For each={group.tasks}>
                      {(task) => (
                        <li class="deal-owed-task">
                          <A href={taskHref(props.roomId, task.id)} class="deal-task-link">
                            {task.title}
                          </A>
                          <span class="small muted">
                            <span class={`chip ${STATE_TONE[stateOf(task)]}`}>{STATE_WORDS[stateOf(task)]}</span>
                            <Show when={task.dueDate}>{(d) => ` ${dueInWords(props.store.today(), d())}`}</Show>
                          </span>
                        </li>
                      )}
                    </For>
                  </ul>
                </section>
              )}
            </For>
          </div>
        </Show>
      </section>
    </div>
  );
}
