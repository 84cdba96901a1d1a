import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { addChecklist, addItem, deleteChecklist, deleteItem, moveItem, readChecklists, renameChecklist, updateItem } from "./checklists";

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
});
