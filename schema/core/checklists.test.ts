import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  addChecklist,
  addItem,
  checklistsRoot,
  deleteChecklist,
  deleteItem,
  editText,
  migrateTextFields,
  moveItem,
  readChecklists,
  renameChecklist,
  textField,
  updateItem,
} from "./checklists";

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe("checklists", () => {
  it("adds, edits, checks and deletes", () => {
    const doc = new Y.Doc();
    const list = addChecklist(doc, "  Garden  ");
    const item = addItem(doc, list, "Mow", { due: "2026-12-01" });
    expect(item).not.toBeNull();
    updateItem(doc, list, item as string, { done: true, assignee: "u1", text: "Mow lawn" });
    renameChecklist(doc, list, "Yard");
    expect(readChecklists(doc)).toEqual([
      {
        id: list,
        title: "Yard",
        order: 0,
        createdAt: expect.any(Number),
        items: [{ id: item, text: "Mow lawn", done: true, assignee: "u1", due: "2026-12-01", order: 0 }],
      },
    ]);
    deleteItem(doc, list, item as string);
    expect(readChecklists(doc)[0]?.items).toEqual([]);
    deleteChecklist(doc, list);
    expect(readChecklists(doc)).toEqual([]);
  });

  it("reorders items", () => {
    const doc = new Y.Doc();
    const list = addChecklist(doc, "L");
    const [a, b, c] = ["a", "b", "c"].map((t) => addItem(doc, list, t) as string);
    moveItem(doc, list, c as string, 0);
    expect(readChecklists(doc)[0]?.items.map((i) => i.text)).toEqual(["c", "a", "b"]);
    moveItem(doc, list, c as string, 1);
    expect(readChecklists(doc)[0]?.items.map((i) => i.text)).toEqual(["a", "c", "b"]);
    moveItem(doc, list, a as string, 5);
    expect(readChecklists(doc)[0]?.items.map((i) => i.text)).toEqual(["c", "b", "a"]);
    expect(b).toBeTruthy();
  });

  it("keeps both of two concurrent changes to the same item: a move and an edit", () => {
    const alice = new Y.Doc();
    const bob = new Y.Doc();
    const list = addChecklist(alice, "L");
    const first = addItem(alice, list, "first") as string;
    const second = addItem(alice, list, "second") as string;
    sync(alice, bob);
    moveItem(alice, list, second, 0);
    updateItem(bob, list, second, { text: "second, edited", done: true });
    sync(alice, bob);
    for (const doc of [alice, bob]) {
      expect(readChecklists(doc)[0]?.items.map((i) => [i.id, i.text, i.done])).toEqual([
        [second, "second, edited", true],
        [first, "first", false],
      ]);
    }
  });

  it("ignores a malformed due date and tolerates junk in the document", () => {
    const doc = new Y.Doc();
    const list = addChecklist(doc, "L");
    const item = addItem(doc, list, "x", { due: "tomorrow" }) as string;
    expect(readChecklists(doc)[0]?.items[0]?.due).toBeNull();
    updateItem(doc, list, item, { due: "2026-13-99x" });
    expect(readChecklists(doc)[0]?.items[0]?.due).toBeNull();
    doc.getMap("checklists").set("junk", "not a map" as never);
    expect(readChecklists(doc)).toHaveLength(1);
  });

  it("merges two people's concurrent edits of one item's text character by character", () => {
    const alice = new Y.Doc();
    const bob = new Y.Doc();
    const list = addChecklist(alice, "L");
    const item = addItem(alice, list, "Clean filters") as string;
    sync(alice, bob);
    updateItem(alice, list, item, { text: "Clean filters in hall", caret: 21 });
    updateItem(bob, list, item, { text: "Q3: Clean filters", caret: 4 });
    renameChecklist(alice, list, "L (alice)");
    renameChecklist(bob, list, "Bob's L");
    sync(alice, bob);
    for (const doc of [alice, bob]) {
      expect(readChecklists(doc)[0]?.items[0]?.text).toBe("Q3: Clean filters in hall");
      expect(readChecklists(doc)[0]?.title).toBe("Bob's L (alice)");
    }
  });

  it("places an ambiguous edit where the caret says it was typed", () => {
    const doc = new Y.Doc();
    const text = doc.getText("t");
    text.insert(0, "hall");
    editText(text, "halll", 100, 3);
    // The new "l" went in at index 2, so it hangs off the first "l", not the last.
    expect(text.toDelta()).toEqual([{ insert: "halll" }]);
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    editText(other.getText("t"), "hallxl", 100, 5);
    expect(other.getText("t").toString()).toBe("hallxl");
    editText(text, "hal", 100);
    expect(text.toString()).toBe("hal");
    editText(text, "x".repeat(10), 4);
    expect(text.toString()).toBe("xxxx");
  });

  it("turns plain-string titles and texts of older rooms into Y.Text with the same content, once", () => {
    const doc = new Y.Doc();
    const root = checklistsRoot(doc);
    const list = new Y.Map<unknown>();
    const items = new Y.Map<Y.Map<unknown>>();
    const item = new Y.Map<unknown>();
    item.set("text", "Old text");
    item.set("done", true);
    list.set("title", "Old title");
    list.set("order", 0);
    list.set("items", items);
    root.set("c1", list);
    items.set("i1", item);
    const before = readChecklists(doc);
    expect(textField(doc, "c1", null)).toBeNull();
    expect(migrateTextFields(doc)).toBe(true);
    expect(readChecklists(doc)).toEqual(before);
    expect(textField(doc, "c1", null)?.toString()).toBe("Old title");
    expect(textField(doc, "c1", "i1")?.toString()).toBe("Old text");
    expect(migrateTextFields(doc)).toBe(false);
  });
});
