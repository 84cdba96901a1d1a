/**
 * A task's schedule as a builder: once, on a calendar (presets or an RFC 5545 rule of
 * one's own) or some time after it was last done. The state is its own so that a form
 * can load another schedule into it (the one someone else saved meanwhile).
 */
import { type Accessor, createMemo, createSignal, For, type JSX, Match, Show, Switch } from "solid-js";
import type { Schedule } from "../../../../schema/property/recurrence";
import { conflictId } from "../../components/EditConflict";

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

/** The builder's state, the schedule it makes, and a way to show a saved schedule in it. */
export function createScheduleState(initial: Schedule | undefined, today: string) {
  const [repeats, setRepeats] = createSignal<Repeats>("calendar");
  const [onceDate, setOnceDate] = createSignal(today);
  const [preset, setPreset] = createSignal<Preset>("monthly");
  const [monthDay, setMonthDay] = createSignal(Number(today.slice(8, 10)));
  const [yearMonth, setYearMonth] = createSignal(Number(today.slice(5, 7)));
  const [weekdays, setWeekdays] = createSignal<string[]>(["SA"]);
  const [rrule, setRrule] = createSignal("FREQ=MONTHLY;BYMONTHDAY=1");
  const [start, setStart] = createSignal(today);
  const [every, setEvery] = createSignal(3);
  const [unit, setUnit] = createSignal<Unit>("month");

  /** Shows `schedule` in the builder, each control as it would be had the user built it. */
  const load = (schedule: Schedule) => {
    setRepeats(schedule.type);
    if (schedule.type === "once") {
      setOnceDate(schedule.date);
      return;
    }
    setStart(schedule.start);
    if (schedule.type === "after_completion") {
      setEvery(schedule.every);
      setUnit(schedule.unit);
      return;
    }
    const fromRule = presetOf(schedule.rrule);
    setPreset(fromRule.preset);
    setRrule(schedule.rrule);
    if (fromRule.day !== undefined) setMonthDay(fromRule.day);
    if (fromRule.month !== undefined) setYearMonth(fromRule.month);
    if (fromRule.weekdays) setWeekdays(fromRule.weekdays);
  };
  if (initial) load(initial);

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

  const schedule: Accessor<Schedule> = createMemo((): Schedule => {
    switch (repeats()) {
      case "once":
        return { type: "once", date: onceDate() };
      case "calendar":
        return { type: "calendar", rrule: calendarRule(), start: start() };
      case "after_completion":
        return { type: "after_completion", every: every(), unit: unit(), start: start() };
    }
  });

  const toggleDay = (day: string) => {
    if (preset() === "every_other_week") setWeekdays([day]);
    else setWeekdays((days) => (days.includes(day) ? days.filter((d) => d !== day) : [...days, day]));
  };

  return {
    repeats,
    setRepeats,
    onceDate,
    setOnceDate,
    preset,
    setPreset,
    monthDay,
    setMonthDay,
    yearMonth,
    setYearMonth,
    weekdays,
    rrule,
    setRrule,
    start,
    setStart,
    every,
    setEvery,
    unit,
    setUnit,
    toggleDay,
    schedule,
    load,
  };
}

export type ScheduleState = ReturnType<typeof createScheduleState>;

/** The builder's controls, with the schedule in words (or what is wrong with it) below them. */
export function ScheduleBuilder(props: {
  state: ScheduleState;
  words: string | null;
  problem: string | null;
  fieldError: string | undefined;
  /** Shown at the end of the group: the conflict note when someone else changed the schedule. */
  children?: JSX.Element;
}) {
  const s = props.state;
  return (
    <fieldset class="schedule-builder" id="task-schedule" tabIndex={-1} aria-describedby={conflictId("task-schedule")}>
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
                checked={s.repeats() === value}
                onChange={() => s.setRepeats(value)}
                data-testid={`repeats-${value}`}
              />
              <span>{label}</span>
            </label>
          )}
        </For>
      </div>
      <Switch>
        <Match when={s.repeats() === "once"}>
          <div class="field">
            <label for="task-once-date">On</label>
            <input
              id="task-once-date"
              type="date"
              value={s.onceDate()}
              onInput={(e) => s.setOnceDate(e.currentTarget.value)}
              data-testid="task-once-date"
            />
          </div>
        </Match>
        <Match when={s.repeats() === "calendar"}>
          <div class="form-grid">
            <div class="field">
              <label for="task-preset">Pattern</label>
              <select
                id="task-preset"
                value={s.preset()}
                onChange={(e) => s.setPreset(e.currentTarget.value as Preset)}
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
                value={s.start()}
                onInput={(e) => s.setStart(e.currentTarget.value)}
                data-testid="task-start"
              />
            </div>
          </div>
          <Show when={s.preset() === "yearly"}>
            <div class="field">
              <label for="task-year-month">Month</label>
              <select
                id="task-year-month"
                value={String(s.yearMonth())}
                onChange={(e) => s.setYearMonth(Number(e.currentTarget.value))}
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
          <Show when={s.preset() === "monthly" || s.preset() === "yearly"}>
            <div class="field">
              <label for="task-month-day">Day of the month</label>
              <input
                id="task-month-day"
                type="number"
                min="1"
                max="31"
                inputMode="numeric"
                value={s.monthDay()}
                onInput={(e) => s.setMonthDay(Math.max(1, Math.min(31, Number(e.currentTarget.value) || 1)))}
              />
            </div>
          </Show>
          <Show when={s.preset() === "weekly" || s.preset() === "every_other_week"}>
            <fieldset class="weekday-picker">
              <legend class="small">{s.preset() === "weekly" ? "On these days" : "On"}</legend>
              <div class="row">
                <For each={WEEKDAYS}>
                  {([code, label]) => (
                    <label class="day-toggle">
                      <input
                        type={s.preset() === "weekly" ? "checkbox" : "radio"}
                        name="weekday"
                        checked={s.weekdays().includes(code)}
                        onChange={() => s.toggleDay(code)}
                      />
                      <span>{label}</span>
                    </label>
                  )}
                </For>
              </div>
            </fieldset>
          </Show>
          <Show when={s.preset() === "advanced"}>
            <div class="field">
              <label for="task-rrule">Rule (RFC 5545 RRULE)</label>
              <input
                id="task-rrule"
                class="mono"
                value={s.rrule()}
                onInput={(e) => s.setRrule(e.currentTarget.value)}
                spellcheck={false}
                autocomplete="off"
                data-testid="task-rrule"
              />
              <span class="hint">For example FREQ=MONTHLY;BYDAY=1SA (the first Saturday of every month).</span>
            </div>
          </Show>
        </Match>
        <Match when={s.repeats() === "after_completion"}>
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
                  value={s.every()}
                  onInput={(e) => s.setEvery(Math.max(1, Math.min(400, Number(e.currentTarget.value) || 1)))}
                  data-testid="task-every"
                />
                <select
                  aria-label="Unit"
                  value={s.unit()}
                  onChange={(e) => s.setUnit(e.currentTarget.value as Unit)}
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
                value={s.start()}
                onInput={(e) => s.setStart(e.currentTarget.value)}
                data-testid="task-start"
              />
            </div>
          </div>
        </Match>
      </Switch>
      <p class="schedule-words" aria-live="polite" data-testid="schedule-words">
        <Show
          when={props.words}
          fallback={
            <span class="field-error" data-testid="schedule-error">
              {props.problem ?? props.fieldError}
            </span>
          }
        >
          {(text) => <>{text()}</>}
        </Show>
      </p>
      {props.children}
    </fieldset>
  );
}
