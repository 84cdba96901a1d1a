import { createSignal, For, onMount } from "solid-js";
import { unwrap } from "solid-js/store";
import { sameValue } from "../../../../schema/core/edit-base";
import type { ProofKind, Task } from "../../../../schema/property/records";
import { describeSchedule, type Schedule, scheduleError } from "../../../../schema/property/recurrence";
import { schedulePreview } from "../../../../schema/property/schedule-preview";
import { errorMessage, fieldErrorsOf } from "../../api";
import { Alert } from "../../components/Alert";
import { ConflictNote, conflictId, createEditBase } from "../../components/EditConflict";
import { showToast } from "../../toast";
import { createScheduleState, ScheduleBuilder } from "./ScheduleBuilder";
import type { PropertyStore } from "./store";

/** A person a task can be assigned to. */
export interface Assignable {
  id: string;
  name: string;
}

/** What the form edits of a task. */
interface TaskValues {
  title: string;
  notes: string;
  assetId: string | null;
  assignee: string | null;
  schedule: Schedule;
  leadDays: number;
  proof: ProofKind | null;
}

const PROOF_CHOICES: { value: ProofKind | ""; label: string }[] = [
  { value: "", label: "No, marking it done is enough" },
  { value: "photo", label: "A photo" },
  { value: "audio", label: "A recording" },
  { value: "any", label: "A photo or a recording" },
];

/**
 * Add or edit a task, with a schedule builder that says in words when it falls due. An
 * edit sends only what its user changed, based on the task as the form opened it, so a
 * change someone else made meanwhile is kept, or shown to choose from when both changed it.
 */
export function TaskForm(props: {
  store: PropertyStore;
  task?: Task;
  people: Assignable[];
  presetAssetId?: string | null;
  /** A new task made of this inbox item, its title and notes filled in from it. */
  fromCapture?: { id: string; title: string; notes: string };
  onDone: (taskId: string | null) => void;
}) {
  const existing = props.task;
  const today = props.store.today();
  const sched = createScheduleState(existing?.schedule, today);

  const [title, setTitle] = createSignal(existing?.title ?? props.fromCapture?.title ?? "");
  const [notes, setNotes] = createSignal(existing?.notes ?? props.fromCapture?.notes ?? "");
  const [assetId, setAssetId] = createSignal(existing?.assetId ?? props.presetAssetId ?? "");
  const [assignee, setAssignee] = createSignal(existing?.assignee ?? "");
  const [leadDays, setLeadDays] = createSignal(existing?.leadDays ?? 1);
  const [proof, setProof] = createSignal<ProofKind | null>(existing?.proof ?? null);
  const [error, setError] = createSignal<string | null>(null);
  const [fields, setFields] = createSignal<Record<string, string>>({});
  const [busy, setBusy] = createSignal(false);
  let titleRef: HTMLInputElement | undefined;
  onMount(() => titleRef?.focus());

  // A saved rule the builder writes differently (BYMONTHDAY=01 as 1) is still the saved one until the user changes it.
  const shownSchedule = sched.schedule();
  const savedSchedule: Schedule = existing ? structuredClone(unwrap(existing.schedule)) : shownSchedule;
  const schedule = () => (sameValue(sched.schedule(), shownSchedule) ? savedSchedule : sched.schedule());
  const values = (): TaskValues => ({
    title: title(),
    notes: notes(),
    assetId: assetId() || null,
    assignee: assignee() || null,
    schedule: schedule(),
    leadDays: leadDays(),
    proof: proof(),
  });
  // The task as this form opened it: what an edit is based on.
  const edit = createEditBase<TaskValues>(values());
  const problem = () => scheduleError(sched.schedule(), props.store.timeZone());
  const words = () => (problem() ? null : schedulePreview(sched.schedule(), props.store.timeZone()));
  const assetName = (id: string | null) => (id ? (props.store.asset(id)?.name ?? "another asset") : "the whole home");
  const personName = (id: string | null) =>
    id ? (props.people.find((p) => p.id === id)?.name ?? "someone") : "everyone";

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setError(null);
    setFields({});
    if (problem()) {
      setFields({ schedule: problem() ?? "" });
      return;
    }
    if (edit.pending()) {
      setError("Someone else changed this task while you were editing it: choose which value to keep below.");
      return;
    }
    setBusy(true);
    try {
      const id = existing?.id ?? crypto.randomUUID();
      const { changes, base } = edit.diff(values());
      const capture = props.fromCapture;
      const result = existing
        ? await props.store.run("task.update", { id, ...changes, base }, existing.updatedAt)
        : capture
          ? await props.store.run("inbox.to_task", { id: capture.id, task: { id, ...values() } })
          : await props.store.run("task.create", { id, ...values() });
      if (result.status === "refused") {
        setError(errorMessage(result.error));
        if (!edit.take(result.error)) setFields(fieldErrorsOf(result.error.details));
        return;
      }
      showToast(
        result.status === "queued"
          ? "Saved on this device. It syncs when you are back online."
          : existing
            ? "Task saved."
            : "Task added.",
      );
      props.onDone(id);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="card record-form stack"
      onSubmit={submit}
      aria-labelledby="task-form-title"
      data-testid="task-form"
      noValidate
    >
      <h3 id="task-form-title">{existing ? "Edit task" : "New task"}</h3>
      <Alert message={error()} />
      <div class="field">
        <label for="task-title">What needs doing</label>
        <input
          ref={titleRef}
          id="task-title"
          value={title()}
          onInput={(e) => setTitle(e.currentTarget.value)}
          maxLength={120}
          required
          placeholder="e.g. Replace furnace filter"
          aria-invalid={fields().title ? "true" : undefined}
          aria-describedby={`task-title-error ${conflictId("task-title")}`}
          data-testid="task-title"
        />
        <span class="field-error" id="task-title-error">
          {fields().title}
        </span>
        <ConflictNote
          edit={edit}
          field="title"
          fieldId="task-title"
          label="the title"
          theirs={(v) => `“${v}”`}
          apply={setTitle}
        />
      </div>
      <div class="form-grid">
        <div class="field">
          <label for="task-asset">For</label>
          <select
            id="task-asset"
            value={assetId()}
            onChange={(e) => setAssetId(e.currentTarget.value)}
            aria-describedby={conflictId("task-asset")}
            data-testid="task-asset"
          >
            <option value="">The whole home</option>
            <For each={props.store.assets.filter((a) => !a.archived || a.id === assetId())}>
              {(a) => <option value={a.id}>{a.name}</option>}
            </For>
          </select>
          <ConflictNote
            edit={edit}
            field="assetId"
            fieldId="task-asset"
            label="what it is for"
            theirs={assetName}
            apply={(v) => setAssetId(v ?? "")}
          />
        </div>
        <div class="field">
          <label for="task-assignee">Who does it</label>
          <select
            id="task-assignee"
            value={assignee()}
            onChange={(e) => setAssignee(e.currentTarget.value)}
            aria-describedby={conflictId("task-assignee")}
            data-testid="task-assignee"
          >
            <option value="">Everyone</option>
            <For each={props.people}>{(p) => <option value={p.id}>{p.name}</option>}</For>
          </select>
          <ConflictNote
            edit={edit}
            field="assignee"
            fieldId="task-assignee"
            label="who does it"
            theirs={personName}
            apply={(v) => setAssignee(v ?? "")}
          />
        </div>
      </div>

      <ScheduleBuilder state={sched} words={words()} problem={problem()} fieldError={fields().schedule}>
        <ConflictNote
          edit={edit}
          field="schedule"
          fieldId="task-schedule"
          label="the schedule"
          theirs={describeSchedule}
          apply={sched.load}
        />
      </ScheduleBuilder>

      <div class="form-grid">
        <div class="field">
          <label for="task-lead">Remind</label>
          <div class="row nowrap">
            <input
              id="task-lead"
              type="number"
              min="0"
              max="60"
              inputMode="numeric"
              value={leadDays()}
              onInput={(e) => setLeadDays(Math.max(0, Math.min(60, Number(e.currentTarget.value) || 0)))}
              aria-describedby={conflictId("task-lead")}
              data-testid="task-lead"
            />
            <span class="muted">days before</span>
          </div>
          <ConflictNote
            edit={edit}
            field="leadDays"
            fieldId="task-lead"
            label="the reminder"
            theirs={(v) => (v === 0 ? "on the day" : `${v} ${v === 1 ? "day" : "days"} before`)}
            apply={setLeadDays}
          />
        </div>
        <div class="field">
          <label for="task-proof">Needs proof</label>
          <select
            id="task-proof"
            value={proof() ?? ""}
            onChange={(e) => setProof((e.currentTarget.value || null) as ProofKind | null)}
            data-testid="task-proof"
          >
            <For each={PROOF_CHOICES}>{(choice) => <option value={choice.value}>{choice.label}</option>}</For>
          </select>
        </div>
      </div>
      <div class="field">
        <label for="task-notes">Notes</label>
        <textarea
          id="task-notes"
          rows="3"
          value={notes()}
          onInput={(e) => setNotes(e.currentTarget.value)}
          placeholder="Filter size, where the shut-off valve is…"
          aria-describedby={conflictId("task-notes")}
          data-testid="task-notes"
        />
        <ConflictNote
          edit={edit}
          field="notes"
          fieldId="task-notes"
          label="the notes"
          theirs={(v) => (v ? `“${v}”` : "nothing")}
          apply={setNotes}
        />
      </div>
      <div class="row form-actions">
        <button type="submit" class="button button-primary" disabled={busy()} data-testid="task-save">
          {existing ? "Save task" : "Add task"}
        </button>
        <button type="button" class="button button-ghost" onClick={() => props.onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
