import { A } from "@solidjs/router";
import { createMemo, createSignal, For, type JSX, Show } from "solid-js";
import {
  completedThisMonth,
  DUE_SOON_DAYS,
  dueWithin,
  houseHealth,
  overdueTasks,
  WARRANTY_SOON_DAYS,
  warrantiesEnding,
} from "../../../../schema/property/health";
import type { Task } from "../../../../schema/property/records";
import { Icon, type IconName } from "../../components/Icon";
import { formatDate } from "../../format";
import { assetHref } from "./links";
import type { PropertyStore } from "./store";
import { TaskRow } from "./TaskRow";

function Stat(props: {
  label: string;
  value: number;
  icon: IconName;
  tone?: "danger" | "warn" | "success";
  testId: string;
}) {
  return (
    <div class="stat card" classList={{ [`stat-${props.tone}`]: props.tone !== undefined }} data-testid={props.testId}>
      <span class="stat-icon" aria-hidden="true">
        <Icon name={props.icon} size={18} />
      </span>
      <span class="stat-value" data-testid={`${props.testId}-value`}>
        {props.value}
      </span>
      <span class="stat-label">{props.label}</span>
    </div>
  );
}

/** Rows a dashboard list shows before "Show all": a glance, not the whole task list. */
const SHORT_LIST_ROWS = 8;

/** The first few tasks of a list, and a button for the rest. */
function ShortList(props: { items: Task[]; what: string; testId: string; children: (task: Task) => JSX.Element }) {
  const [all, setAll] = createSignal(false);
  const shown = createMemo(() => (all() ? props.items : props.items.slice(0, SHORT_LIST_ROWS)));
  return (
    <>
      <ul class="task-list" data-testid={props.testId}>
        <For each={shown()}>{(task) => props.children(task)}</For>
      </ul>
      <Show when={!all() && props.items.length > SHORT_LIST_ROWS}>
        <button
          type="button"
          class="button button-ghost"
          onClick={() => setAll(true)}
          data-testid={`${props.testId}-all`}
        >
          Show all {props.items.length} {props.what}
        </button>
      </Show>
    </>
  );
}

function Section(props: { title: string; id: string; children: JSX.Element }) {
  return (
    <section class="dash-section card" aria-labelledby={props.id}>
      <h3 id={props.id}>{props.title}</h3>
      {props.children}
    </section>
  );
}

/** The home's front page: how it is doing, and what needs doing next. */
export function Dashboard(props: {
  store: PropertyStore;
  roomId: string;
  nameOf: (userId: string) => string | null;
  onAddTask: () => void;
  onAddAsset: () => void;
}) {
  const today = () => props.store.today();
  // Memos: each walks every task once per change, however many places show the result.
  const health = createMemo(() => houseHealth(props.store.tasks, today()));
  const overdue = createMemo(() => overdueTasks(props.store.tasks, today()));
  const dueSoon = createMemo(() => dueWithin(props.store.tasks, today(), DUE_SOON_DAYS));
  const warranties = createMemo(() => warrantiesEnding(props.store.assets, today(), WARRANTY_SOON_DAYS));
  const done = () => completedThisMonth(props.store.home(), today());
  const tone = () =>
    health().score >= 90 ? "great" : health().score >= 70 ? "good" : health().score >= 50 ? "attention" : "risk";

  return (
    <div class="dashboard" data-testid="dashboard">
      <section class={`health card health-${tone()}`} aria-labelledby="health-title" data-testid="health">
        <div
          class="health-score"
          role="img"
          aria-label={`Health score ${health().score} out of 100`}
          style={{ "--score": String(health().score) }}
        >
          <span data-testid="health-score">{health().score}</span>
        </div>
        <div class="health-text">
          <h2 id="health-title">
            House health: <span data-testid="health-label">{health().label}</span>
          </h2>
          <p class="muted">
            <Show
              when={health().active > 0}
              fallback={
                props.store.tasks.length > 0
                  ? "Nothing is waiting: every task is done or archived."
                  : "No maintenance planned yet. Add the tasks that keep your home running."
              }
            >
              {health().active - health().overdue} of {health().active} active{" "}
              {health().active === 1 ? "task is" : "tasks are"} on time.
            </Show>
          </p>
        </div>
      </section>

      {/* biome-ignore lint/a11y/useSemanticElements: the figures
         are read as one group; a fieldset would imply a form */}
      <div class="stats" aria-label="This home at a glance" role="group">
        <Stat
          label="Overdue"
          value={overdue().length}
          icon="alert"
          tone={overdue().length > 0 ? "danger" : undefined}
          testId="stat-overdue"
        />
        <Stat label={`Due in ${DUE_SOON_DAYS} days`} value={dueSoon().length} icon="calendar" testId="stat-due-soon" />
        <Stat label="Done this month" value={done()} icon="check" tone="success" testId="stat-completed" />
        <Stat
          label="Warranties ending"
          value={warranties().length}
          icon="shield"
          tone={warranties().length > 0 ? "warn" : undefined}
          testId="stat-warranties"
        />
      </div>

      <Show when={props.store.tasks.length === 0 && props.store.assets.length === 0}>
        <div class="card empty" data-testid="dashboard-empty">
          <h3>Start with what keeps your home running</h3>
          <p class="muted">
            Add your furnace, water heater and other appliances, then the upkeep they need: filter changes, flushes,
            inspections. Haven reminds whoever is on it.
          </p>
          <Show when={props.store.canWriteRecords()}>
            <div class="row">
              <button type="button" class="button button-primary" onClick={() => props.onAddAsset()}>
                <Icon name="plus" />
                Add an asset
              </button>
              <button type="button" class="button button-ghost" onClick={() => props.onAddTask()}>
                <Icon name="plus" />
                Add a task
              </button>
            </div>
          </Show>
        </div>
      </Show>

      <div class="dash-grid">
        <Show when={overdue().length > 0}>
          <Section title="Overdue" id="dash-overdue">
            <ShortList items={overdue()} what="overdue tasks" testId="overdue-list">
              {(task) => <TaskRow store={props.store} roomId={props.roomId} task={task} nameOf={props.nameOf} />}
            </ShortList>
          </Section>
        </Show>
        <Show when={props.store.tasks.length > 0}>
          <Section title={`Due in the next ${DUE_SOON_DAYS} days`} id="dash-soon">
            <Show when={dueSoon().length > 0} fallback={<p class="muted">Nothing due in the next two weeks.</p>}>
              <ShortList items={dueSoon()} what="tasks due soon" testId="due-soon-list">
                {(task) => <TaskRow store={props.store} roomId={props.roomId} task={task} nameOf={props.nameOf} />}
              </ShortList>
            </Show>
          </Section>
        </Show>
        <Show when={warranties().length > 0}>
          <Section title={`Warranties ending within ${WARRANTY_SOON_DAYS} days`} id="dash-warranties">
            <ul class="plain-list">
              <For each={warranties()}>
                {(asset) => (
                  <li class="warranty-row">
                    <A href={assetHref(props.roomId, asset.id)}>{asset.name}</A>
                    <span class="chip chip-warn">Ends {formatDate(asset.warrantyEnd ?? "")}</span>
                  </li>
                )}
              </For>
            </ul>
          </Section>
        </Show>
      </div>
    </div>
  );
}
