import { createRenderEffect, onCleanup } from "solid-js";
import * as Y from "yjs";

/**
 * Binds an input to a shared Y.Text, both ways. What the user types becomes the smallest
 * delete-and-insert on the Y.Text (`edit`), so two people typing in one field merge
 * character by character. Remote changes rewrite the input's value and put the caret and
 * selection back where they were *in the text*: they are remembered as Yjs relative
 * positions, which move with insertions and deletions made anywhere else.
 */
export function bindText(
  el: HTMLInputElement | HTMLTextAreaElement,
  source: () => Y.Text | null,
  fallback: () => string,
  edit: (next: string, caret: number) => void,
): void {
  createRenderEffect(() => {
    const ytext = source();
    if (!ytext) {
      // A field not yet migrated to Y.Text: show it; the first edit turns it into one.
      if (el.value !== fallback()) el.value = fallback();
      fitHeight(el);
      return;
    }
    let caret: { start: Y.RelativePosition; end: Y.RelativePosition } | null = null;
    const remember = () => {
      if (document.activeElement !== el || el.selectionStart === null || el.selectionEnd === null) return;
      // Tied to the character left of each end (assoc -1): text others insert right at the
      // caret goes after it, so the next key typed lands after this person's own last one.
      caret = {
        start: Y.createRelativePositionFromTypeIndex(ytext, el.selectionStart, -1),
        end: Y.createRelativePositionFromTypeIndex(ytext, el.selectionEnd, -1),
      };
    };
    const render = () => {
      const next = ytext.toString();
      if (el.value === next) return;
      const focused = document.activeElement === el;
      el.value = next;
      fitHeight(el);
      if (!focused || !caret || !ytext.doc) return;
      const start = Y.createAbsolutePositionFromRelativePosition(caret.start, ytext.doc)?.index ?? next.length;
      const end = Y.createAbsolutePositionFromRelativePosition(caret.end, ytext.doc)?.index ?? start;
      el.setSelectionRange(start, end);
    };
    const onInput = () => {
      edit(el.value, el.selectionEnd ?? el.value.length);
      fitHeight(el);
      remember();
    };
    const onSelection = () => remember();
    render();
    ytext.observe(render);
    el.addEventListener("input", onInput);
    for (const type of ["focus", "keyup", "mouseup", "select"]) el.addEventListener(type, onSelection);
    document.addEventListener("selectionchange", onSelection);
    onCleanup(() => {
      ytext.unobserve(render);
      el.removeEventListener("input", onInput);
      for (const type of ["focus", "keyup", "mouseup", "select"]) el.removeEventListener(type, onSelection);
      document.removeEventListener("selectionchange", onSelection);
    });
  });
}

/** A textarea as tall as its text, for browsers without CSS `field-sizing: content`. */
function fitHeight(el: HTMLInputElement | HTMLTextAreaElement): void {
  if (!(el instanceof HTMLTextAreaElement) || CSS.supports("field-sizing", "content")) return;
  el.style.height = "auto";
  el.style.height = `${el.scrollHeight}px`;
}
