import { createRenderEffect } from "solid-js";

/**
 * Mirrors a value from the shared document into an input the user also types in.
 * A plain `value={…}` binding would move the caret to the end on every remote change,
 * or overwrite a draft in progress. "draft": while focused the user's text wins and is
 * committed on change. "live": remote changes show at once and the caret stays put.
 */
export function bindValue(el: HTMLInputElement, value: () => string, mode: "draft" | "live"): void {
  createRenderEffect(() => {
    const next = value();
    if (el.value === next) return;
    if (document.activeElement !== el) {
      el.value = next;
      return;
    }
    if (mode === "draft") return;
    const { selectionStart, selectionEnd } = el;
    el.value = next;
    if (selectionStart !== null && selectionEnd !== null) {
      el.setSelectionRange(Math.min(selectionStart, next.length), Math.min(selectionEnd, next.length));
    }
  });
}
