/**
 * A room's sections as ARIA tabs: arrow keys move between them, and the panel after the
 * list is labelled by the chosen tab. Each tab's id and test id are `tab-<id>`.
 */
import { For } from "solid-js";

export function TabList<T extends string>(props: {
  label: string;
  class?: string;
  tabs: readonly { id: T; label: string }[];
  current: T;
  onSelect: (id: T) => void;
}) {
  const onKey = (e: KeyboardEvent) => {
    const list = props.tabs;
    const i = list.findIndex((t) => t.id === props.current);
    const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (step === 0) return;
    e.preventDefault();
    const next = list[(i + step + list.length) % list.length];
    if (!next) return;
    props.onSelect(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };
  return (
    <div class={props.class ? `tabs ${props.class}` : "tabs"} role="tablist" aria-label={props.label} onKeyDown={onKey}>
      <For each={props.tabs}>
        {(t) => (
          <button
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            class="tab"
            aria-selected={props.current === t.id}
            aria-controls="tab-panel"
            tabIndex={props.current === t.id ? 0 : -1}
            data-testid={`tab-${t.id}`}
            onClick={() => props.onSelect(t.id)}
          >
            {t.label}
          </button>
        )}
      </For>
    </div>
  );
}
