/**
 * Short-lived notices that outlive the page that raised them ("You were removed from
 * this room" is raised in the room and read on the rooms list).
 */
import { createSignal, For, Show } from "solid-js";

/** A button on a notice, e.g. "Undo" after a deletion. */
export interface ToastAction {
  label: string;
  run: () => void;
}

interface Toast {
  id: number;
  text: string;
  tone: "info" | "error";
  action?: ToastAction;
}

/** Long enough to read two lines of text. */
const TOAST_VISIBLE_MS = 6000;

const [toasts, setToasts] = createSignal<Toast[]>([]);
let nextId = 1;

export function showToast(text: string, tone: Toast["tone"] = "info", action?: ToastAction): void {
  const id = nextId++;
  setToasts((all) => [...all.filter((t) => t.text !== text), { id, text, tone, ...(action ? { action } : {}) }]);
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
            <Show when={toast.action}>
              {(action) => (
                <button
                  type="button"
                  class="button button-ghost toast-action"
                  data-testid="toast-action"
                  onClick={() => {
                    action().run();
                    dismiss(toast.id);
                  }}
                >
                  {action().label}
                </button>
              )}
            </Show>
            <button type="button" class="icon-button" aria-label="Dismiss notice" onClick={() => dismiss(toast.id)}>
              ×
            </button>
          </div>
        )}
      </For>
    </div>
  );
}
