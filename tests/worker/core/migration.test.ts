import { abortAllDurableObjects, env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { checklistsRoot, readChecklists, textField } from "../../../schema/core/checklists";
import { createRoom, RoomClient, signup, waitFor } from "../helpers";

describe("rooms written before text merged", () => {
  it("turn plain-string titles and item texts into Y.Text on load, once, keeping every character", async () => {
    const alice = await signup();
    const room = await createRoom(alice);
    const first = await RoomClient.connect("property", room.id, alice.cookie);
    first.close();
    // What an older Haven stored: plain strings where people type.
    const legacy = new Y.Doc();
    const list = new Y.Map<unknown>();
    const items = new Y.Map<Y.Map<unknown>>();
    const item = new Y.Map<unknown>();
    checklistsRoot(legacy).set("c1", list);
    list.set("title", "Before winter");
    list.set("order", 0);
    list.set("createdAt", 1);
    list.set("items", items);
    items.set("i1", item);
    item.set("text", "Bleed radiators");
    item.set("done", false);
    item.set("order", 0);
    const update = Y.encodeStateAsUpdate(legacy);
    const stub = () => env.property.get(env.property.idFromName(room.id));
    await runInDurableObject(stub(), (_instance, state) =>
      state.storage.sql.exec('INSERT INTO ydoc_updates ("update") VALUES (?)', update.slice().buffer),
    );
    await abortAllDurableObjects();

    const a = await RoomClient.connect("property", room.id, alice.cookie);
    expect(readChecklists(a.doc)).toEqual(readChecklists(legacy));
    expect(textField(a.doc, "c1", null)?.toString()).toBe("Before winter");
    expect(textField(a.doc, "c1", "i1")?.toString()).toBe("Bleed radiators");
    // The migration is stored like any change: a reload finds Y.Text and does not migrate again.
    textField(a.doc, "c1", "i1")?.insert(0, "Q3: ");
    const b = await RoomClient.connect("property", room.id, alice.cookie);
    await waitFor(() => readChecklists(b.doc)[0]?.items[0]?.text === "Q3: Bleed radiators", "the merged edit");
    a.close();
    b.close();
    await abortAllDurableObjects();
    const c = await RoomClient.connect("property", room.id, alice.cookie);
    expect(readChecklists(c.doc)[0]?.items[0]?.text).toBe("Q3: Bleed radiators");
    expect(textField(c.doc, "c1", "i1")).toBeInstanceOf(Y.Text);
    c.close();
  });
});
