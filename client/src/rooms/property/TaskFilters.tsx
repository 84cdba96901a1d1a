/**
 * The tasks list's search box and filters, kept in the URL query so a link or a reload
 * shows the same list. The list itself narrows in memory (schema/property/find.ts).
 */
import { useSearchParams } from "@solidjs/router";
import { createMemo, For } from "solid-js";
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

/** The filter the URL names, and a way to change part of it (an empty value clears that part). */
export function useTaskFilter() {
  const [params, setParams] = useSearchParams();
  const filter = createMemo(() => readTaskFilter(params));
  const setFilter = (change: Partial<TaskFilter>) => {
    const next: Record<string, string | undefined> = { tab: "tasks" };
    for (const [key, value] of Object.entries(change)) next[key] = value === "" ? undefined : value;
    setParams(next, { replace: true });
  };
  const clear = () =>
    setParams({ q: undefined, category: undefined, location: undefined, assignee: undefined, due: undefined });
  return { filter, setFilter, clear, tab: () => params.tab };
}

export type TaskFilterState = ReturnType<typeof useTaskFilter>;

export function TaskFilters(props: {
  state: TaskFilterState;
  store: PropertyStore;
  people: { id: string; name: string }[];
}) {
  const f = () => props.state.filter();
  const locations = createMemo(() =>
    [...new Set(props.store.assets.map((a) => a.location.trim()).filter(Boolean))].sort((a, b) => a.localeCompare(b)),
  );
  return (
    <search class="task-filters card" aria-label="Find tasks" data-testid="task-filters">
      <div class="field task-search">
        <label for="task-q">Search</label>
        <input
          id="task-q"
          type="search"
          value={f().q}
          placeholder="Title, notes or asset"
          autocomplete="off"
          onInput={(e) => props.state.setFilter({ q: e.currentTarget.value })}
          data-testid="filter-q"
        />
      </div>
      <div class="field">
        <label for="task-f-category">Category</label>
        <select
          id="task-f-category"
          value={f().category}
          onChange={(e) => props.state.setFilter({ category: e.currentTarget.value as TaskFilter["category"] })}
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
          onChange={(e) => props.state.setFilter({ location: e.currentTarget.value })}
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
      <div class="field">
        <label for="task-f-assignee">Assignee</label>
        <select
          id="task-f-assignee"
          value={f().assignee}
          onChange={(e) => props.state.setFilter({ assignee: e.currentTarget.value })}
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
          onChange={(e) => props.state.setFilter({ due: e.currentTarget.value as TaskFilter["due"] })}
          data-testid="filter-due"
        >
          <For each={DUE_LABELS}>{([value, label]) => <option value={value}>{label}</option>}</For>
        </select>
      </div>
    </search>
  );
}
