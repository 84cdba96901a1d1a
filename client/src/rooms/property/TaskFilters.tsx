/**
 * The tasks list's search box and filters, kept in the URL query so a link or a reload
 * shows the same list. The list itself narrows in memory (schema/property/find.ts).
 */
import { useSearchParams } from "@solidjs/router";
import { createMemo, For, type JSX, Show } from "solid-js";
import { readTaskFilter, type TaskFilter, UNASSIGNED } from "../../../../schema/property/find";
import { ASSET_CATEGORIES } from "../../../../schema/property/records";
import { CATEGORY_LABELS } from "./labels";
import type { PropertyStore } from "./store";

const DUE_LABELS = [
  ["", "Any time"],
  ["overdue", "Overdue"],
  ["week", "This week"],
  ["month", "This month"],
  ["none", "No date"],
] as const;

// Locations and people arrive after the first draw: their options mark themselves selected, as a
// select's value set before its option exists is lost.

/** The lists the filters narrow; the query's `tab` names the one they were set on. */
export type FilteredList = "tasks" | "assets";

/** The filter the URL names, and a way to change part of it (an empty value clears that part). */
export function useTaskFilter() {
  const [params, setParams] = useSearchParams();
  const filter = createMemo(() => readTaskFilter(params));
  const setFilter = (change: Partial<TaskFilter>, list: FilteredList) => {
    const next: Record<string, string | undefined> = { tab: list };
    for (const [key, value] of Object.entries(change)) next[key] = value === "" ? undefined : value;
    setParams(next, { replace: true });
  };
  const clear = () =>
    setParams({ q: undefined, category: undefined, location: undefined, assignee: undefined, due: undefined });
  return { filter, setFilter, clear, tab: () => params.tab };
}

export type TaskFilterState = ReturnType<typeof useTaskFilter>;

/** One filter: a labelled select whose options come from the caller. */
function FilterSelect(props: {
  id: string;
  label: string;
  value: string;
  testId: string;
  onChange: (value: string) => void;
  children: JSX.Element;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value}
        onChange={(e) => props.onChange(e.currentTarget.value)}
        data-testid={props.testId}
      >
        {props.children}
      </select>
    </div>
  );
}

/** Said in place of a list that its filters leave empty, with a way back to all of it. */
export function NoneFound(props: {
  noun: "tasks" | "assets";
  onClear: () => void;
  testId: string;
  clearTestId: string;
}) {
  return (
    <div class="card empty" data-testid={props.testId}>
      <h3>No {props.noun} match these filters</h3>
      <p class="muted">Try other words, or show every {props.noun === "tasks" ? "task" : "asset"} again.</p>
      <button type="button" class="button button-ghost" onClick={() => props.onClear()} data-testid={props.clearTestId}>
        Clear filters
      </button>
    </div>
  );
}

/** The search and filters above a list; an asset list has no assignee or due date to filter by. */
export function TaskFilters(props: {
  state: TaskFilterState;
  list: FilteredList;
  store: PropertyStore;
  people: { id: string; name: string }[];
}) {
  const f = () => props.state.filter();
  const set = (change: Partial<TaskFilter>) => props.state.setFilter(change, props.list);
  const locations = createMemo(() =>
    [...new Set(props.store.assets.map((a) => a.location.trim()).filter(Boolean))].sort((a, b) => a.localeCompare(b)),
  );
  return (
    <search
      class="task-filters card"
      classList={{ "asset-filters": props.list === "assets" }}
      aria-label={props.list === "tasks" ? "Find tasks" : "Find assets"}
      data-testid="task-filters"
    >
      <div class="field task-search">
        <label for="task-q">Search</label>
        <input
          id="task-q"
          type="search"
          value={f().q}
          placeholder={props.list === "tasks" ? "Title, notes or asset" : "Name, make, model or notes"}
          autocomplete="off"
          onInput={(e) => set({ q: e.currentTarget.value })}
          data-testid="filter-q"
        />
      </div>
      <FilterSelect
        id="task-f-category"
        label="Category"
        value={f().category}
        testId="filter-category"
        onChange={(category) => set({ category: category as TaskFilter["category"] })}
      >
        <option value="">All categories</option>
        <For each={ASSET_CATEGORIES}>{(c) => <option value={c}>{CATEGORY_LABELS[c]}</option>}</For>
      </FilterSelect>
      <FilterSelect
        id="task-f-location"
        label="Location"
        value={f().location}
        testId="filter-location"
        onChange={(location) => set({ location })}
      >
        <option value="">Anywhere</option>
        <For each={locations()}>
          {(l) => (
            <option value={l} selected={f().location === l}>
              {l}
            </option>
          )}
        </For>
      </FilterSelect>
      <Show when={props.list === "tasks"}>
        <FilterSelect
          id="task-f-assignee"
          label="Assignee"
          value={f().assignee}
          testId="filter-assignee"
          onChange={(assignee) => set({ assignee })}
        >
          <option value="">Anyone</option>
          <option value={UNASSIGNED}>Everyone (unassigned)</option>
          <For each={props.people}>
            {(p) => (
              <option value={p.id} selected={f().assignee === p.id}>
                {p.name}
              </option>
            )}
          </For>
        </FilterSelect>
        <FilterSelect
          id="task-f-due"
          label="Due"
          value={f().due}
          testId="filter-due"
          onChange={(due) => set({ due: due as TaskFilter["due"] })}
        >
          <For each={DUE_LABELS}>{([value, label]) => <option value={value}>{label}</option>}</For>
        </FilterSelect>
      </Show>
    </search>
  );
}
