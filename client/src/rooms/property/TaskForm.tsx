import { createMemo, createSignal, For, Match, onMount, Show, Switch } from "solid-js";
import type { Task } from "../../../../schema/property/records";
import { describeSchedule, type Schedule, scheduleError } from "../../../../schema/property/recurrence";
import { errorMessage, fieldErrorsOf } from "../../api";
import { Alert } from "../../components/Alert";
import { showToast } from "../../toast";
import type { PropertyStore } from "./store";

type Repeats = "once" | "calendar" | "after_completion";
type Preset = "monthly" | "quarterly" | "yearly" | "every_other_week" | "weekly" | "advanced";
type Unit = "day" | "week" | "month" | "year";

const WEEKDAYS = [
  ["MO", "Mon"],
  ["TU", "Tue"],
  ["WE", "Wed"],
  ["TH", "Thu"],
  ["FR", "Fri"],
  ["SA", "Sat"],
  ["SU", "Sun"],
] as const;

const PRESETS: { value: Preset; label: string }[] = [
  { value: "monthly", label: "Every month on day…" },
  { value: "quarterly", label: "Every 3 months on the 1st" },
  { value: "yearly", label: "Every year on a date" },
  { value: "every_other_week", label: "Every other week on a day" },
  { value: "weekly", label: "Weekly on chosen days" },
  { value: "advanced", label: "Advanced: my own rule" },
];

/** A person a task can be assigned to. */
export interface Assignable {
  id: string;
  name: string;
}

/** The builder's state read back from a saved calendar rule; rules no preset makes open under "Advanced". */
function presetOf(rrule: string): { preset: Preset; day?: number; month?: number; weekdays?: string[] } {
  let m = /^FREQ=MONTHLY;BYMONTHDAY=(\d{1,2})$/.exec(rrule);
  if (m) return { preset: "monthly", day: Number(m[1]) };
  if (rrule === "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1") return { preset: "quarterly" };
  m = /^FREQ=YEARLY;BYMONTH=(\d{1,2});BYMONTHDAY=(\d{1,2})$/.exec(rrule);
  if (m) return { preset: "yearly", month: Number(m[1]), day: Number(m[2]) };
  m = /^FREQ=WEEKLY;INTERVAL=2;BYDAY=([A-Z]{2})$/.exec(rrule);
  if (m?.[1]) return { preset: "every_other_week", weekdays: [m[1]] };
  m = /^FREQ=WEEKLY;BYDAY=([A-Z,]+)$/.exec(rrule);
  if (m?.[1]) return { preset: "weekly", weekdays: m[1].split(",") };
  return { preset: "advanced" };
}

/** Add or edit a task, with a schedule builder that says in words when it falls due. */
export function TaskForm(props: {
  store: PropertyStore;
  task?: Task;
  people: Assignable[];
  presetAssetId?: string | null;
  onDone: (taskId: string | null) => void;
}) {
  const existing = props.task;
  const today = props.store.today();
  const initial = existing?.schedule;
  const fromRule = initial?.type === "calendar" ? presetOf(initial.rrule) : null;

  const [title, setTitle] = createSignal(existing?.title ?? "");
  const [notes, setNotes] = createSignal(existing?.notes ?? "");
  const [assetId, setAssetId] = createSignal(existing?.assetId ?? props.presetAssetId ?? "");
  const [assignee, setAssignee] = createSignal(existing?.assignee ?? "");
  const [leadDays, setLeadDays] = createSignal(existing?.leadDays ?? 1);
  const [repeats, setRepeats] = createSignal<Repeats>(initial?.type ?? "calendar");
  const [onceDate, setOnceDate] = createSignal(initial?.type === "once" ? initial.date : today);
  const [preset, setPreset] = createSignal<Preset>(fromRule?.preset ?? "monthly");
  const [monthDay, setMonthDay] = createSignal(fromRule?.day ?? Number(today.slice(8, 10)));
  const [yearMonth, setYearMonth] = createSignal(fromRule?.month ?? Number(today.slice(5, 7)));
  const [weekdays, setWeekdays] = createSignal<string[]>(fromRule?.weekdays ?? ["SA"]);
  const [rrule, setRrule] = createSignal(initial?.type === "calendar" ? initial.rrule : "FREQ=MONTHLY;BYMONTHDAY=1");
  const [start, setStart] = createSignal(initial && initial.type !== "once" ? initial.start : today);
  const [every, setEvery] = createSignal(initial?.type === "after_completion" ? initial.every : 3);
  const [unit, setUnit] = createSignal<Unit>(initial?.type === "after_completion" ? initial.unit : "month");
  const [error, setError] = createSignal<string | null>(null);
  const [fields, setFields] = createSignal<Record<string, string>>({});
  const [busy, setBusy] = createSignal(false);
  let titleRef: HTMLInputElement | undefined;
  onMount(() => titleRef?.focus());

  const calendarRule = (): string => {
    switch (preset()) {
      case "monthly":
        return `FREQ=MONTHLY;BYMONTHDAY=${monthDay()}`;
      case "quarterly":
        return "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1";
      case "yearly":
        return `FREQ=YEARLY;BYMONTH=${yearMonth()};BYMONTHDAY=${monthDay()}`;
      case "every_other_week":
        return `FREQ=WEEKLY;INTERVAL=2;BYDAY=${weekdays()[0] ?? "SA"}`;
      case "weekly":
        return `FREQ=WEEKLY;BYDAY=${weekdays().length > 0 ? weekdays().join(",") : "SA"}`;
      case "advanced":
        return rrule().trim();
    }
  };

  const schedule = createMemo((): Schedule => {
    switch (repeats()) {
      case "once":
        return { type: "once", date: onceDate() };
      case "calendar":
        return { type: "calendar", rrule: calendarRule(), start: start() };
      case "after_completion":
        return { type: "after_completion", every: every(), unit: unit(), start: start() };
    }
  });
  const problem = () => scheduleError(schedule(), props.store.timeZone());
  const words = () => (problem() ? null : describeSchedule(schedule()));

  const toggleDay = (day: string) => {
    if (preset() === "every_other_week") setWeekdays([day]);
    else setWeekdays((days) => (days.includes(day) ? days.filter((d) => d !== day) : [...days, day]));
  };

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setError(null);
    setFields({});
    if (problem()) {
      setFields({ schedule: problem() ?? "" });
      return;
    }
    const base = {
      title: title(),
      notes: notes(),
      assetId: assetId() || null,
      assignee: assignee() || null,
      schedule: schedule(),
      leadDays: leadDays(),
    };
    setBusy(true);
    try {
      const id = existing?.id ?? crypto.randomUUID();
      const result = existing
        ? await props.store.run("task.update", { id, ...base }, existing.updatedAt)
        : await props.store.run("task.create", { id, ...base });
      if (result.status === "refused") {
        setError(errorMessage(result.error));
        setFields(fieldErrorsOf(result.error.details));
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
          aria-describedby="task-title-error"
          data-testid="task-title"
        />
        <span class="field-error" id="task-title-error">
          {fields().title}
        </span>
      </div>
      <div class="form-grid">
        <div class="field">
          <label for="task-asset">For</label>
          <select
            id="task-asset"
            value={assetId()}
            onChange={(e) => setAssetId(e.currentTarget.value)}
            data-testid="task-asset"
          >
            <option value="">The whole home</option>
            <For each={props.store.assets.filter((a) => !a.archived || a.id === assetId())}>
              {(a) => <option value={a.id}>{a.name}</option>}
            </For>
          </select>
        </div>
        <div class="field">
          <label for="task-assignee">Who does it</label>
          <select
            id="task-assignee"
            value={assignee()}
            onChange={(e) => setAssignee(e.currentTarget.value)}
            data-testid="task-assignee"
          >
            <option value="">Everyone</option>
            <For each={props.people}>{(p) => <option value={p.id}>{p.name}</option>}</For>
          </select>
        </div>
      </div>

      <fieldset class="schedule-builder">
        <legend>Repeats</legend>
        <div class="segmented" role="radiogroup" aria-label="Repeats">
          <For
            each={
              [
                ["once", "Once"],
                ["calendar", "On a calendar"],
                ["after_completion", "After last done"],
              ] as const
            }
          >
            {([value, label]) => (
              <label class="segment">
                <input
                  type="radio"
                  name="repeats"
                  value={value}
                  checked={repeats() === value}
                  onChange={() => setRepeats(value)}
                  data-testid={`repeats-${value}`}
                />
                <span>{label}</span>
              </label>
            )}
          </For>
        </div>
        <Switch>
          <Match when={repeats() === "once"}>
            <div class="field">
              <label for="task-once-date">On</label>
              <input
                id="task-once-date"
                type="date"
                value={onceDate()}
                onInput={(e) => setOnceDate(e.currentTarget.value)}
                data-testid="task-once-date"
              />
            </div>
          </Match>
          <Match when={repeats() === "calendar"}>
            <div class="form-grid">
              <div class="field">
                <label for="task-preset">Pattern</label>
                <select
                  id="task-preset"
                  value={preset()}
                  onChange={(e) => setPreset(e.currentTarget.value as Preset)}
                  data-testid="task-preset"
                >
                  <For each={PRESETS}>{(p) => <option value={p.value}>{p.label}</option>}</For>
                </select>
              </div>
              <div class="field">
                <label for="task-start">Starting</label>
                <input
                  id="task-start"
                  type="date"
                  value={start()}
                  onInput={(e) => setStart(e.currentTarget.value)}
                  data-testid="task-start"
                />
              </div>
            </div>
            <Show when={preset() === "yearly"}>
              <div class="field">
                <label for="task-year-month">Month</label>
                <select
                  id="task-year-month"
                  value={String(yearMonth())}
                  onChange={(e) => setYearMonth(Number(e.currentTarget.value))}
                >
                  <For each={Array.from({ length: 12 }, (_, i) => i + 1)}>
                    {(m) => (
                      <option value={String(m)}>
                        {new Date(2000, m - 1, 1).toLocaleDateString(undefined, { month: "long" })}
                      </option>
                    )}
                  </For>
                </select>
              </div>
            </Show>
            <Show when={preset() === "monthly" || preset() === "yearly"}>
              <div class="field">
                <label for="task-month-day">Day of the month</label>
                <input
                  id="task-month-day"
                  type="number"
                  min="1"
                  max="31"
                  inputMode="numeric"
                  value={monthDay()}
                  onInput={(e) => setMonthDay(Math.max(1, Math.min(31, Number(e.currentTarget.value) || 1)))}
                />
              </div>
            </Show>
            <Show when={preset() === "weekly" || preset() === "every_other_week"}>
              <fieldset class="weekday-picker">
                <legend class="small">{preset() === "weekly" ? "On these days" : "On"}</legend>
                <div class="row">
                  <For each={WEEKDAYS}>
                    {([code, label]) => (
                      <label class="day-toggle">
                        <input
                          type={preset() === "weekly" ? "checkbox" : "radio"}
                          name="weekday"
                          checked={weekdays().includes(code)}
                          onChange={() => toggleDay(code)}
                        />
                        <span>{label}</span>
                      </label>
                    )}
                  </For>
                </div>
              </fieldset>
            </Show>
            <Show when={preset() === "advanced"}>
              <div class="field">
                <label for="task-rrule">Rule (RFC 5545 RRULE)</label>
                <input
                  id="task-rrule"
                  class="mono"
                  value={rrule()}
                  onInput={(e) => setRrule(e.currentTarget.value)}
                  spellcheck={false}
                  autocomplete="off"
                  data-testid="task-rrule"
                />
                <span class="hint">For example FREQ=MONTHLY;BYDAY=1SA (the first Saturday of every month).</span>
              </div>
            </Show>
          </Match>
          <Match when={repeats() === "after_completion"}>
            <div class="form-grid">
              <div class="field">
                <label for="task-every">Every</label>
                <div class="row nowrap">
                  <input
                    id="task-every"
                    type="number"
                    min="1"
                    max="400"
                    inputMode="numeric"
                    value={every()}
                    onInput={(e) => setEvery(Math.max(1, Math.min(400, Number(e.currentTarget.value) || 1)))}
                    data-testid="task-every"
                  />
                  <select
                    aria-label="Unit"
                    value={unit()}
                    onChange={(e) => setUnit(e.currentTarget.value as Unit)}
                    data-testid="task-unit"
                  >
                    <option value="day">days</option>
                    <option value="week">weeks</option>
                    <option value="month">months</option>
                    <option value="year">years</option>
                  </select>
                </div>
                <span class="hint">after it was last done</span>
              </div>
              <div class="field">
                <label for="task-start">First due</label>
                <input
                  id="task-start"
                  type="date"
                  value={start()}
                  onInput={(e) => setStart(e.currentTarget.value)}
                  data-testid="task-start"
                />
              </div>
            </div>
          </Match>
        </Switch>
        <p class="schedule-words" aria-live="polite" data-testid="schedule-words">
          <Show
            when={words()}
            fallback={
              <span class="field-error" data-testid="schedule-error">
                {problem() ?? fields().schedule}
              </span>
            }
          >
            {(text) => <>{text()}</>}
          </Show>
        </p>
      </fieldset>

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
              data-testid="task-lead"
            />
            <span class="muted">days before</span>
          </div>
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
