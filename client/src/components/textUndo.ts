import * as Y from "yjs";
import { TEXT_UNDO_CAPTURE_MS } from "../../../config";

/** A selection in a shared text, as Yjs relative positions: it moves with edits made anywhere else. */
export interface SharedSelection {
  start: Y.RelativePosition;
  end: Y.RelativePosition;
}

/** What an undo shortcut asks for: Ctrl/Cmd+Z undoes, Ctrl/Cmd+Shift+Z and Ctrl+Y redo; null for any other key. */
export function undoShortcut(event: KeyboardEvent): "undo" | "redo" | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey || event.isComposing) return null;
  const key = event.key.toLowerCase();
  if (key === "z") return event.shiftKey ? "redo" : "undo";
  if (key === "y") return "redo";
  return null;
}

/**
 * One person's own typing in one shared text, to take back and redo. The browser's history
 * of a field is lost whenever a remote change rewrites its value, and would not tell this
 * person's keystrokes from a co-editor's anyway; a Y.UndoManager on the Y.Text does both.
 */
export interface TextUndo {
  /** Runs a local edit of the text as this person's typing: the only changes undo takes back. */
  edit(change: () => void): void;
  undo(): void;
  redo(): void;
  /** Ends the current undo step, so the next typing is a step of its own. */
  split(): void;
  destroy(): void;
}

/**
 * A per-binding undo history for `ytext`. `selection` reads this person's selection (as it
 * was before the change under way) and puts one back: each step remembers the selection
 * from before it, and undoing or redoing the step restores it, as y-prosemirror and
 * y-codemirror do.
 */
export function createTextUndo(
  ytext: Y.Text,
  selection: { read(): SharedSelection | null; restore(selection: SharedSelection): void },
): TextUndo {
  // Only this binding's own transactions are tracked: not the server's, the local copy's,
  // a co-editor's, nor the room's structural undo (which tracks origin null).
  const origin = { textUndo: true };
  const manager = new Y.UndoManager(ytext, {
    trackedOrigins: new Set([origin]),
    captureTimeout: TEXT_UNDO_CAPTURE_MS,
  });
  manager.on("stack-item-added", ({ stackItem }) => {
    const before = selection.read();
    if (before) stackItem.meta.set("selection", before);
  });
  manager.on("stack-item-popped", ({ stackItem }) => {
    const before: SharedSelection | undefined = stackItem.meta.get("selection");
    if (before) selection.restore(before);
  });
  // Typing right after an undo or redo is a new step, not part of an older one.
  const step = (run: () => unknown) => {
    run();
    manager.stopCapturing();
  };
  return {
    edit(change) {
      if (ytext.doc) ytext.doc.transact(change, origin);
      else change();
    },
    undo: () => step(() => manager.undo()),
    redo: () => step(() => manager.redo()),
    split: () => manager.stopCapturing(),
    destroy: () => manager.destroy(),
  };
}
