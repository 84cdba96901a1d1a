import { createRenderEffect, onCleanup } from "solid-js";
import * as Y from "yjs";
import { createTextUndo, type SharedSelection, undoShortcut } from "./textUndo";

/** Events after which the caret or selection may have moved. */
const SELECTION_EVENTS = ["focus", "keyup", "mouseup", "select"] as const;

/**
 * Binds an input to a shared Y.Text, both ways. What the user types becomes the smallest
 * delete-and-insert on the Y.Text (`edit`), so two people typing in one field merge
 * character by character. Remote changes rewrite the input's value and put the caret and
 * selection back where they were *in the text*: they are remembered as Yjs relative
 * positions, which move with insertions and deletions made anywhere else.
 *
 * Undo and redo in the field (Ctrl/Cmd+Z, Ctrl/Cmd+Shift+Z, Ctrl+Y) take back this
 * person's own typing in this text only, through its own history (see `textUndo.ts`); the
 * browser's history is not used, as a remote change would have emptied it. The room's
 * undo of structural changes ignores keys pressed in a field, so one key runs one undo.
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
    let caret: SharedSelection | null = null;
    // The selection right after this person's last keystroke, while they keep typing there.
    let typed: SharedSelection | null = null;
    const resolve = (selection: SharedSelection): { start: number; end: number } | null => {
      if (!ytext.doc) return null;
      const start = Y.createAbsolutePositionFromRelativePosition(selection.start, ytext.doc)?.index;
      if (start === undefined) return null;
      const end = Y.createAbsolutePositionFromRelativePosition(selection.end, ytext.doc)?.index ?? start;
      return { start, end };
    };
    const place = () => {
      if (document.activeElement !== el || !caret) return;
      const at = resolve(caret) ?? { start: el.value.length, end: el.value.length };
      el.setSelectionRange(at.start, at.end);
    };
    const remember = () => {
      if (document.activeElement !== el || el.selectionStart === null || el.selectionEnd === null) return;
      // Tied to the character left of each end (assoc -1): text others insert right at the
      // caret goes after it, so the next key typed lands after this person's own last one.
      caret = {
        start: Y.createRelativePositionFromTypeIndex(ytext, el.selectionStart, -1),
        end: Y.createRelativePositionFromTypeIndex(ytext, el.selectionEnd, -1),
      };
    };
    const history = createTextUndo(ytext, {
      read: () => caret,
      restore(selection) {
        caret = selection;
        place();
      },
    });
    const render = () => {
      const next = ytext.toString();
      if (el.value === next) return;
      el.value = next;
      fitHeight(el);
      place();
    };
    // Before the keystroke changes the field, so an undo step starts from the caret it was typed at.
    const onBeforeInput = () => remember();
    const onInput = () => {
      history.edit(() => edit(el.value, el.selectionEnd ?? el.value.length));
      fitHeight(el);
      remember();
      typed = caret;
    };
    const onSelection = () => {
      // The person moved the caret themselves (a click, an arrow key): what they type next
      // is an undo step of its own, as in the browser's own history.
      const at = typed && resolve(typed);
      if (typed && (!at || at.start !== el.selectionStart || at.end !== el.selectionEnd)) {
        history.split();
        typed = null;
      }
      remember();
    };
    const onKeyDown = (event: Event) => {
      const action = event instanceof KeyboardEvent ? undoShortcut(event) : null;
      if (!action) return;
      event.preventDefault();
      remember();
      typed = null;
      history[action]();
    };
    render();
    ytext.observe(render);
    el.addEventListener("beforeinput", onBeforeInput);
    el.addEventListener("input", onInput);
    el.addEventListener("keydown", onKeyDown);
    for (const type of SELECTION_EVENTS) el.addEventListener(type, onSelection);
    document.addEventListener("selectionchange", onSelection);
    onCleanup(() => {
      ytext.unobserve(render);
      history.destroy();
      el.removeEventListener("beforeinput", onBeforeInput);
      el.removeEventListener("input", onInput);
      el.removeEventListener("keydown", onKeyDown);
      for (const type of SELECTION_EVENTS) el.removeEventListener(type, onSelection);
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
