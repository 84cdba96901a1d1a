/**
 * A home's front page: the house health dashboard, then tasks, assets and the shared
 * checklists as tabs. One task or asset has its own page (see manifest.tsx).
 */
import { createMemo, createSignal, For, Match, onCleanup, Show, Switch } from "solid-js";
import { filterTasks, isFiltered } from "../../../../schema/property/find";
import { byDue } from "../../../../schema/property/health";
import { ChecklistBoard } from "../../components/ChecklistBoard";
import { Icon } from "../../components/Icon";
import { TabList } from "../../components/TabList";
import type { RoomPageProps } from "../kind";
import { AssetsTab } from "./Assets";
import { CalendarFeed } from "./CalendarFeed";
import { createCaptureOutbox } from "./capture-outbox";
import { Dashboard } from "./Dashboard";
import { HomeTimeZone } from "./HomeTimeZone";
import { InboxTab } from "./Inbox";
import { TaskForm } from "./LazyTaskForm";
import type { PropertyStore } from "./store";
import { NoneFound, TaskFilters, useTaskFilter } from "./TaskFilters";
import { TaskRow } from "./TaskRow";

type Tab = "home" | "tasks" | "assets" | "inbox" | "checklists";
const TABS: { id: Tab; label: string }[] = [
  { id: "home", label: "Health" },
  { id: "tasks", label: "Tasks" },
  { id: "assets", label: "Assets" },
  { id: "inbox", label: "Inbox" },
  { id: "checklists", label: "Checklists" },
];

/** The tab each home was left on, so coming back from a task lands where the user was. */
const lastTab = new Map<string, Tab>();

export function PropertyRoom(props: RoomPageProps & { store: PropertyStore }) {
  const finding = useTaskFilter();
  // A link or reload with filters in its query opens on the list they filter.
  const [tab, setTabSignal] = createSignal<Tab>(
    finding.tab() === "tasks" || finding.tab() === "assets"
      ? (finding.tab() as Tab)
      : (lastTab.get(props.roomId) ?? "home"),
  );
  const [addingTask, setAddingTask] = createSignal(false);
  const [addingAsset, setAddingAsset] = createSignal(false);
  // Captures waiting in this browser are sent whichever tab is open.
  const outbox = createCaptureOutbox(props.roomId, props.store);
  onCleanup(outbox.dispose);
  const setTab = (next: Tab) => {
    lastTab.set(props.roomId, next);
    setTabSignal(next);
  };

  // One pass over the mirror per change of tasks or filter, however many lists read it.
  const foundTasks = createMemo(() =>
    filterTasks(props.store.tasks, finding.filter(), (id) => props.store.asset(id), props.store.today()),
  );
  const filtered = () => isFiltered(finding.filter());
  const activeTasks = createMemo(() =>
    foundTasks()
      .filter((t) => !t.archived)
      .sort(byDue),
  );
  const archivedTasks = () => foundTasks().filter((t) => t.archived);
  // A member ticks off only their own tasks: theirs come first, the rest are for reading.
  const myTasks = () => activeTasks().filter((t) => props.store.isMine(t));
  const otherTasks = () => activeTasks().filter((t) => !props.store.isMine(t));

  return (
    <div class="property">
      <TabList label="Home sections" tabs={TABS} current={tab()} onSelect={setTab} />
      <div class="tab-panel" id="tab-panel" role="tabpanel" aria-labelledby={`tab-${tab()}`}>
        <Switch>
          <Match when={tab() === "home"}>
            <Dashboard
              store={props.store}
              roomId={props.roomId}
              nameOf={props.nameOf}
              onAddTask={() => {
                setTab("tasks");
                setAddingTask(true);
              }}
              onAddAsset={() => {
                setTab("assets");
                setAddingAsset(true);
              }}
            />
          </Match>
          <Match when={tab() === "tasks"}>
            <div class="stack" data-testid="tasks-tab">
              <div class="board-head">
                <h2>Tasks</h2>
                <Show when={props.store.canWriteRecords() && !addingTask()}>
                  <button
                    type="button"
                    class="button button-primary"
                    onClick={() => setAddingTask(true)}
                    data-testid="add-task"
                  >
                    <Icon name="plus" />
                    Add task
                  </button>
                </Show>
              </div>
              <Show when={props.store.canWriteRecords()}>
                <CalendarFeed roomId={props.roomId} />
              </Show>
              <Show when={props.store.canManageHome()}>
                <HomeTimeZone store={props.store} />
              </Show>
              <Show when={addingTask()}>
                <TaskForm store={props.store} people={props.people} onDone={() => setAddingTask(false)} />
              </Show>
              <Show when={props.store.tasks.length > 0}>
                <TaskFilters state={finding} list="tasks" store={props.store} people={props.people} />
              </Show>
              <Show
                when={activeTasks().length > 0}
                fallback={
                  <Show
                    when={filtered()}
                    fallback={
                      <Show when={!addingTask()}>
                        <div class="card empty" data-testid="tasks-empty">
                          <h3>No maintenance planned yet</h3>
                          <p class="muted">
                            Change the furnace filter every 3 months, flush the water heater every year, clean the
                            gutters each fall… Add a task and Haven reminds whoever is on it.
                          </p>
                          <Show when={props.store.canWriteRecords()}>
                            <button type="button" class="button button-primary" onClick={() => setAddingTask(true)}>
                              <Icon name="plus" />
                              Add your first task
                            </button>
                          </Show>
                        </div>
                      </Show>
                    }
                  >
                    <NoneFound
                      noun="tasks"
                      onClear={() => finding.clear()}
                      testId="tasks-none-found"
                      clearTestId="filters-clear"
                    />
                  </Show>
                }
              >
                <Show
                  when={props.store.completesOwnOnly()}
                  fallback={
                    <ul class="task-list card" data-testid="task-list">
                      <For each={activeTasks()}>
                        {(task) => (
                          <TaskRow store={props.store} roomId={props.roomId} task={task} nameOf={props.nameOf} />
                        )}
                      </For>
                    </ul>
                  }
                >
                  <section class="stack" aria-labelledby="my-tasks-title">
                    <h3 id="my-tasks-title">Assigned to you</h3>
                    <Show
                      when={myTasks().length > 0}
                      fallback={
                        <p class="muted" data-testid="my-tasks-empty">
                          Nothing is assigned to you right now.
                        </p>
                      }
                    >
                      <ul class="task-list card" data-testid="my-task-list">
                        <For each={myTasks()}>
                          {(task) => (
                            <TaskRow store={props.store} roomId={props.roomId} task={task} nameOf={props.nameOf} />
                          )}
                        </For>
                      </ul>
                    </Show>
                  </section>
                  <Show when={otherTasks().length > 0}>
                    <section class="stack" aria-labelledby="other-tasks-title">
                      <h3 id="other-tasks-title">The rest of the home</h3>
                      <ul class="task-list card" data-testid="other-task-list">
                        <For each={otherTasks()}>
                          {(task) => (
                            <TaskRow store={props.store} roomId={props.roomId} task={task} nameOf={props.nameOf} />
                          )}
                        </For>
                      </ul>
                    </section>
                  </Show>
                </Show>
              </Show>
              <Show when={archivedTasks().length > 0}>
                <details class="archived-rooms">
                  <summary>Archived ({archivedTasks().length})</summary>
                  <ul class="task-list card">
                    <For each={archivedTasks()}>
                      {(task) => (
                        <TaskRow store={props.store} roomId={props.roomId} task={task} nameOf={props.nameOf} />
                      )}
                    </For>
                  </ul>
                </details>
              </Show>
            </div>
          </Match>
          <Match when={tab() === "assets"}>
            <AssetsTab
              store={props.store}
              roomId={props.roomId}
              finding={finding}
              adding={addingAsset()}
              setAdding={setAddingAsset}
            />
          </Match>
          <Match when={tab() === "inbox"}>
            <InboxTab
              store={props.store}
              roomId={props.roomId}
              outbox={outbox}
              people={props.people}
              nameOf={props.nameOf}
            />
          </Match>
          <Match when={tab() === "checklists"}>
            <ChecklistBoard store={props.roomStore} members={props.members} nameOf={props.nameOf} />
          </Match>
        </Switch>
      </div>
    </div>
  );
}
