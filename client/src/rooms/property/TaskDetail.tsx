import { A, useNavigate } from "@solidjs/router";
import { createSignal, onMount, Show } from "solid-js";
import { addDays } from "../../../../schema/property/dates";
import { isOverdue } from "../../../../schema/property/health";
import type { Task } from "../../../../schema/property/records";
import { errorMessage } from "../../api";
import { Alert } from "../../components/Alert";
import { Icon } from "../../components/Icon";
import { formatDate } from "../../format";
import { roomHref } from "../../links";
import { showToast } from "../../toast";
import { DeleteRecord } from "./DeleteRecord";
import { DoneForm } from "./DoneForm";
import { TaskForm } from "./LazyTaskForm";
import { dueWords } from "./labels";
import { assetHref } from "./links";
import { ProofPanel } from "./ProofPanel";
import type { PropertyStore } from "./store";
import type { Assignable } from "./TaskForm";
import { TaskHistory } from "./TaskHistory";
import { completeTask, PendingChip } from "./TaskRow";

/** /rooms/:id/tasks/:taskId: one task, its history and what can be done about it. */
export function TaskDetail(props: {
  store: PropertyStore;
  roomId: string;
  taskId: string;
  /**
   * From a reminder's link (`?complete=`): the due date it was sent for, or "1" for whatever is due now;
   * null when the page was not opened to mark the task done.
   */
  complete: string | null;
  people: Assignable[];
  nameOf: (userId: string) => string | null;
}) {
  const task = () => props.store.task(props.taskId);
  return (
    <Show
      when={task()}
      fallback={
        <div class="card empty" data-testid="task-missing">
          <h2>{props.store.loaded() ? "This task is not in this home" : "Loading task…"}</h2>
          <A href={roomHref(props.roomId)} class="button button-ghost">
            Back to the home
          </A>
        </div>
      }
    >
      {(t) => <TaskView {...props} task={t()} />}
    </Show>
  );
}

type Action = "done" | "skip" | "snooze" | null;

function TaskView(props: {
  store: PropertyStore;
  roomId: string;
  task: Task;
  /**
   * From a reminder's link (`?complete=`): the due date it was sent for, or "1" for whatever is due now;
   * null when the page was not opened to mark the task done.
   */
  complete: string | null;
  people: Assignable[];
  nameOf: (userId: string) => string | null;
}) {
  const [action, setAction] = createSignal<Action>(null);
  const [editing, setEditing] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  /** Set once the one-step completion from a reminder went through. */
  const [justDone, setJustDone] = createSignal(false);
  const today = () => props.store.today();
  const overdue = () => isOverdue(props.task, today());
  const pending = () => props.store.pendingFor(props.task.id);
  const open = () => !props.task.archived && props.task.nextDue !== null;
  const mayComplete = () => open() && props.store.canComplete(props.task);
  /** Completed by proof another member approves, not by "Mark done". */
  const needsProof = () => props.task.proof !== null;
  /** The reminder was for an occurrence that has been done (or skipped) since: "Mark done" would do the next one. */
  const movedOn = () =>
    props.complete !== null && props.complete !== "1" && props.complete !== props.task.occurrence && !justDone();
  const asset = () => (props.task.assetId ? props.store.asset(props.task.assetId) : undefined);
  let quickRef: HTMLButtonElement | undefined;
  onMount(() => quickRef?.focus());

  const run = async (change: () => Promise<boolean>) => {
    setBusy(true);
    setError(null);
    try {
      if (await change()) setAction(null);
    } finally {
      setBusy(false);
    }
  };

  const quickDone = () =>
    void run(async () => {
      const ok = await completeTask(props.store, props.task);
      if (ok) setJustDone(true);
      return ok;
    });

  const submitSkip = (e: SubmitEvent) => {
    e.preventDefault();
    const reason = String(new FormData(e.currentTarget as HTMLFormElement).get("reason") ?? "").trim();
    if (!reason) {
      setError("Say why it is skipped, so the household knows.");
      return;
    }
    void run(async () => {
      const result = await props.store.run(
        "task.skip",
        { id: props.task.id, occurrence: props.task.occurrence, reason },
        props.task.updatedAt,
      );
      if (result.status === "refused") {
        setError(errorMessage(result.error));
        return false;
      }
      showToast(
        result.status === "queued"
          ? "Skipped on this device. It syncs when you are back online."
          : "Skipped this time.",
      );
      return true;
    });
  };

  const submitSnooze = (e: SubmitEvent) => {
    e.preventDefault();
    const until = String(new FormData(e.currentTarget as HTMLFormElement).get("until") ?? "");
    void run(async () => {
      const result = await props.store.run(
        "task.snooze",
        { id: props.task.id, occurrence: props.task.occurrence, until },
        props.task.updatedAt,
      );
      if (result.status === "refused") {
        setError(errorMessage(result.error));
        return false;
      }
      showToast(
        result.status === "queued"
          ? "Snoozed on this device. It syncs when you are back online."
          : `Snoozed until ${formatDate(until)}.`,
      );
      return true;
    });
  };

  const setArchived = (archived: boolean) =>
    void run(async () => {
      const result = await props.store.run("task.archive", { id: props.task.id, archived }, props.task.updatedAt);
      if (result.status === "refused") {
        setError(errorMessage(result.error));
        return false;
      }
      showToast(archived ? "Task archived." : "Task brought back.");
      return true;
    });

  const navigate = useNavigate();
  /** Deletes the task with its history; once the room has done it, back to the home it was in. */
  const remove = () =>
    void run(async () => {
      const title = props.task.title;
      const result = await props.store.run("task.delete", { id: props.task.id });
      if (result.status === "refused") {
        setError(errorMessage(result.error));
        return false;
      }
      if (result.status === "queued") showToast(`“${title}” is deleted when you are back online.`);
      else {
        showToast(`“${title}” deleted.`);
        navigate(roomHref(props.roomId));
      }
      return true;
    });

  return (
    <article class="stack task-detail" data-testid="task-detail">
      <A href={roomHref(props.roomId)} class="back-link">
        ‹ Home
      </A>
      <Show when={movedOn()}>
        <section class="card quick-done quick-done-ok" data-testid="quick-done-moved">
          <p role="status">
            <Icon name="check" /> This reminder was for {formatDate(props.complete ?? "")}, and that has been dealt with
            <Show when={props.task.lastCompletedOn}>
              {(on) => (
                <>
                  : done {formatDate(on())}
                  <Show when={props.task.lastCompletedBy}>{(by) => <> by {props.nameOf(by()) ?? "someone"}</>}</Show>
                </>
              )}
            </Show>
            . {props.task.nextDue ? `Next due ${formatDate(props.task.nextDue)}.` : "Nothing more is due."}
          </p>
        </section>
      </Show>
      <Show when={props.complete !== null && !movedOn() && !needsProof() && (mayComplete() || justDone())}>
        <section
          class="card quick-done"
          classList={{ "quick-done-ok": justDone() }}
          aria-labelledby="quick-done-title"
          data-testid="quick-done"
        >
          <Show
            when={!justDone()}
            fallback={
              <p id="quick-done-title" role="status" data-testid="quick-done-result">
                <Icon name="check" /> Done, thank you.{" "}
                <Show
                  when={pending()?.sent === false}
                  fallback={props.task.nextDue ? `Next due ${formatDate(props.task.nextDue)}.` : "Nothing more is due."}
                >
                  It syncs when you are back online.
                </Show>
              </p>
            }
          >
            <h2 id="quick-done-title">{props.task.title}</h2>
            <p class="muted">{dueWords(props.task, today())}</p>
            <button
              ref={quickRef}
              type="button"
              class="button button-primary button-huge"
              disabled={busy() || pending() !== null}
              data-autofocus
              data-testid="quick-done-button"
              onClick={quickDone}
            >
              <Icon name="check" size={22} />
              Mark done
            </button>
          </Show>
        </section>
      </Show>

      <Show
        when={!editing()}
        fallback={
          <TaskForm store={props.store} task={props.task} people={props.people} onDone={() => setEditing(false)} />
        }
      >
        <section class="card task-card">
          <div class="task-card-head">
            <h2 data-testid="task-title-heading">{props.task.title}</h2>
            <span
              class="chip"
              classList={{ "chip-danger": overdue(), "chip-muted": !open() }}
              data-testid="task-detail-due"
            >
              {props.task.archived ? "Archived" : dueWords(props.task, today())}
            </span>
            <PendingChip store={props.store} taskId={props.task.id} />
          </div>
          <dl class="facts">
            <dt>Repeats</dt>
            <dd data-testid="task-schedule">{props.task.scheduleText}</dd>
            <dt>Next due</dt>
            <dd data-testid="task-next-due">{props.task.nextDue ? formatDate(props.task.nextDue) : "Nothing due"}</dd>
            <dt>For</dt>
            <dd>
              <Show when={asset()} fallback="The whole home">
                {(a) => <A href={assetHref(props.roomId, a().id)}>{a().name}</A>}
              </Show>
            </dd>
            <dt>Who</dt>
            <dd>{props.task.assignee ? (props.nameOf(props.task.assignee) ?? "Someone") : "Everyone"}</dd>
            <dt>Reminder</dt>
            <dd>
              {props.task.leadDays === 0
                ? "On the day"
                : `${props.task.leadDays} ${props.task.leadDays === 1 ? "day" : "days"} before`}
            </dd>
            <Show when={props.task.notes}>
              <dt>Notes</dt>
              <dd class="pre">{props.task.notes}</dd>
            </Show>
          </dl>
          <Alert message={error()} />
          <Show when={mayComplete() && pending() === null}>
            <div class="row action-row">
              <Show when={!needsProof()}>
                <button
                  type="button"
                  class="button button-primary"
                  aria-expanded={action() === "done"}
                  onClick={() => setAction(action() === "done" ? null : "done")}
                  data-testid="action-done"
                >
                  <Icon name="check" />
                  Mark done
                </button>
              </Show>
              <button
                type="button"
                class="button button-ghost"
                aria-expanded={action() === "skip"}
                onClick={() => setAction(action() === "skip" ? null : "skip")}
                data-testid="action-skip"
              >
                Skip
              </button>
              <button
                type="button"
                class="button button-ghost"
                aria-expanded={action() === "snooze"}
                onClick={() => setAction(action() === "snooze" ? null : "snooze")}
                data-testid="action-snooze"
              >
                <Icon name="clock" />
                Snooze
              </button>
            </div>
            <Show when={action() === "done"}>
              <DoneForm
                store={props.store}
                roomId={props.roomId}
                task={props.task}
                busy={busy()}
                run={run}
                onError={setError}
              />
            </Show>
            <Show when={action() === "skip"}>
              <form class="stack action-form" onSubmit={submitSkip}>
                <div class="field">
                  <label for="skip-reason">Why skip this time?</label>
                  <input
                    id="skip-reason"
                    name="reason"
                    maxLength={500}
                    required
                    placeholder="e.g. Done by the plumber last week"
                    autofocus
                    data-testid="skip-reason"
                  />
                </div>
                <button type="submit" class="button" disabled={busy()} data-testid="skip-submit">
                  Skip this time
                </button>
              </form>
            </Show>
            <Show when={action() === "snooze"}>
              <form class="stack action-form" onSubmit={submitSnooze}>
                <div class="field">
                  <label for="snooze-until">Remind again on</label>
                  <input
                    id="snooze-until"
                    name="until"
                    type="date"
                    required
                    min={addDays(today(), 1)}
                    value={addDays(today(), 7)}
                    data-testid="snooze-until"
                  />
                </div>
                <button type="submit" class="button" disabled={busy()} data-testid="snooze-submit">
                  Snooze
                </button>
              </form>
            </Show>
          </Show>
          <Show when={needsProof() && open()}>
            <ProofPanel store={props.store} roomId={props.roomId} task={props.task} mayComplete={mayComplete()} />
          </Show>
          <Show when={props.store.canWriteRecords()}>
            <div class="row record-admin">
              <button
                type="button"
                class="button button-ghost"
                onClick={() => setEditing(true)}
                data-testid="task-edit"
              >
                Edit
              </button>
              <button
                type="button"
                class="button button-ghost"
                disabled={busy()}
                onClick={() => setArchived(!props.task.archived)}
                data-testid="task-archive"
              >
                {props.task.archived ? "Bring back" : "Archive"}
              </button>
              <DeleteRecord
                label={`Delete task ${props.task.title}`}
                question={`Delete the task “${props.task.title}” and its history?`}
                blocked={null}
                disabled={busy()}
                onDelete={remove}
                testId="task-delete"
              />
            </div>
          </Show>
        </section>
      </Show>

      <TaskHistory roomId={props.roomId} task={props.task} />
    </article>
  );
}
