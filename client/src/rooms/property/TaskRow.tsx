import { A } from "@solidjs/router";
import { createSignal, Show } from "solid-js";
import { isOverdue } from "../../../../schema/property/health";
import type { Task } from "../../../../schema/property/records";
import { errorMessage } from "../../api";
import { Icon } from "../../components/Icon";
import { formatDate } from "../../format";
import { showToast } from "../../toast";
import { dueWords } from "./labels";
import { taskHref } from "./links";
import type { PropertyStore } from "./store";

const PENDING_WORDS: Record<string, string> = {
  "task.complete": "Done",
  "task.skip": "Skipped",
  "task.snooze": "Snoozed",
  "task.undo_complete": "Not done",
};

/** "Done — syncing" while a change made here has not reached the room, "Done — waiting to sync" while offline. */
export function PendingChip(props: { store: PropertyStore; taskId: string }) {
  const pending = () => props.store.pendingFor(props.taskId);
  return (
    <Show when={pending()}>
      {(change) => (
        <span
          class="chip chip-warn"
          data-testid="task-pending"
          title="Saved on this device; the home updates when it reaches Haven"
        >
          {PENDING_WORDS[change().name] ?? "Changed"} — {change().sent ? "syncing" : "waiting to sync"}
        </span>
      )}
    </Show>
  );
}

/** Marks a task done today, through the queue, so it works offline too; `photoId` names a photo already uploaded. */
export async function completeTask(
  store: PropertyStore,
  task: Task,
  note = "",
  photoId: string | null = null,
  cost: number | null = null,
): Promise<boolean> {
  const result = await store.run(
    "task.complete",
    { id: task.id, occurrence: task.occurrence, on: store.today(), note, photoId, cost },
    task.updatedAt,
  );
  if (result.status === "refused") {
    showToast(errorMessage(result.error), "error");
    return false;
  }
  if (result.status === "queued") {
    showToast(`“${task.title}” marked done on this device. It syncs when you are back online.`);
    return true;
  }
  const completionId = completionOf(result.answer.result);
  showToast(
    `“${task.title}” marked done.`,
    "info",
    completionId ? { label: "Undo", run: () => void undoComplete(store, task, completionId) } : undefined,
  );
  return true;
}

/** The id of the completion `task.complete` answered with, if it says. */
function completionOf(result: unknown): string | null {
  if (typeof result !== "object" || result === null || !("completionId" in result)) return null;
  return typeof result.completionId === "string" ? result.completionId : null;
}

/** Takes back a completion just made here (the toast's "Undo"); the room refuses it once the task moved on. */
async function undoComplete(store: PropertyStore, task: Task, completionId: string): Promise<void> {
  const result = await store.run("task.undo_complete", { id: task.id, completionId }, null);
  if (result.status === "refused") showToast(errorMessage(result.error), "error");
  else showToast(`“${task.title}” is not done after all.`);
}

/** One task in a list: what, when, for whom, and a one-tap "Done" for those who may. */
export function TaskRow(props: {
  store: PropertyStore;
  roomId: string;
  task: Task;
  nameOf: (userId: string) => string | null;
}) {
  const [busy, setBusy] = createSignal(false);
  const overdue = () => isOverdue(props.task, props.store.today());
  const asset = () => (props.task.assetId ? props.store.asset(props.task.assetId) : undefined);
  const pending = () => props.store.pendingFor(props.task.id) !== null;
  const done = async () => {
    setBusy(true);
    try {
      await completeTask(props.store, props.task);
    } finally {
      setBusy(false);
    }
  };
  return (
    <li
      class="task-row"
      classList={{ "task-overdue": overdue() && !pending(), "task-archived": props.task.archived }}
      data-testid="task-row"
      data-task-id={props.task.id}
    >
      <div class="task-main">
        <A href={taskHref(props.roomId, props.task.id)} class="task-title" data-testid="task-link">
          {props.task.title}
        </A>
        <p class="task-meta small">
          <span class="task-due" data-testid="task-due">
            <Icon name={overdue() ? "alert" : "calendar"} />
            {props.task.archived ? "Archived" : dueWords(props.task, props.store.today())}
          </span>
          <span class="muted">{props.task.scheduleText}</span>
          <Show when={asset()}>{(a) => <span class="muted">· {a().name}</span>}</Show>
          <span class="muted">
            · {props.task.assignee ? (props.nameOf(props.task.assignee) ?? "Someone") : "Everyone"}
          </span>
          <Show when={props.task.lastCompletedOn}>
            {(on) => <span class="muted">· Last done {formatDate(on())}</span>}
          </Show>
        </p>
        <PendingChip store={props.store} taskId={props.task.id} />
      </div>
      <Show
        when={!props.task.archived && props.task.nextDue !== null && props.store.canComplete(props.task) && !pending()}
      >
        <button
          type="button"
          class="button button-ghost task-done"
          disabled={busy()}
          aria-label={`Mark “${props.task.title}” done`}
          data-testid="task-done"
          onClick={done}
        >
          <Icon name="check" />
          Done
        </button>
      </Show>
    </li>
  );
}
