/**
 * The tasks list's search box and filters, kept in the URL query so a link or a reload
 * shows the same list. The list itself narrows in memory (schema/property/find.ts).
 */
import { useSearchParams } from "@solidjs/router";
import { createMemo, For, Show } from "solid-js";
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
      <div class="field">
        <label for="task-f-category">Category</label>
        <select
          id="task-f-category"
          value={f().category}
          onChange={(e) => set({ category: e.currentTarget.value as TaskFilter["category"] })}
          data-testid="filter-category"
        >
          <option value="">All categories</option>
          <For each={ASSET_CATEGORIES}>{(c) => <option value={c}>{CATEGORY_LABELS[c]}</option>}</For>
        </select>
      </div>
      <div class="field">
        <label for="task-f-location">Location</label>
        <select
          id="task-f-location"
          value={f().location}
          onChange={(e) => set({ location: e.currentTarget.value })}
          data-testid="filter-location"
        >
          <option value="">Anywhere</option>
          <For each={locations()}>
            {(l) => (
              <option value={l} selected={f().location === l}>
                {l}
              </option>
            )}
          </For>
        </select>
      </div>
      <Show when={props.list === "tasks"}>
        <div class="field">
          <label for="task-f-assignee">Assignee</label>
          <select
            id="task-f-assignee"
            value={f().assignee}
            onChange={(e) => set({ assignee: e.currentTarget.value })}
            data-testid="filter-assignee"
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
          </select>
        </div>
        <div class="field">
          <label for="task-f-due">Due</label>
          <select
            id="task-f-due"
            value={f().due}
            onChange={(e) => set({ due: e.currentTarget.value as TaskFilter["due"] })}
            data-testid="filter-due"
          >
            <For each={DUE_LABELS}>{([value, label]) => <option value={value}>{label}</option>}</For>
          </select>
        </div>
      </Show>
    </search>
  );
}
