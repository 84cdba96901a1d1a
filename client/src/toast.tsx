/**
 * Short-lived notices that outlive the page that raised them ("You were removed from
 * this room" is raised in the room and read on the rooms list).
 */
import { createSignal, For } from "solid-js";

interface Toast {
  id: number;
  text: string;
  tone: "info" | "error";
}

/** Long enough to read two lines of text. */
const TOAST_VISIBLE_MS = 6000;

const [toasts, setToasts] = createSignal<Toast[]>([]);
let nextId = 1;

export function showToast(text: string, tone: Toast["tone"] = "info"): void {
  const id = nextId++;
  setToasts((all) => [...all.filter((t) => t.text !== text), { id, text, tone }]);
  setTimeout(() => dismiss(id), TOAST_VISIBLE_MS);
}

function dismiss(id: number): void {
  setToasts((all) => all.filter((t) => t.id !== id));
}

export function Toasts() {
  return (
    <div class="toasts" role="status" aria-live="polite">
      <For each={toasts()}>
        {(toast) => (
          <div class={`toast toast-${toast.tone}`} data-testid="toast">
            <span>{toast.text}</span>
            <button type="button" class="icon-button" aria-label="Dismiss notice" onClick={() => dismiss(toast.id)}>
              ×
            </button>
          </div>
        )}
      </For>
    </div>
  );
}
