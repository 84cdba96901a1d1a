import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { awarenessFrame, encodeAwareness, isEmptyUpdate, parseClientFrame, syncFrame } from "./frames";

describe("parseClientFrame", () => {
  it("decodes sync step 1, step 2, updates and awareness", () => {
    const doc = new Y.Doc();
    doc.getText("t").insert(0, "hi");
    const update = Y.encodeStateAsUpdate(doc);
    expect(parseClientFrame(syncFrame(0, Y.encodeStateVector(doc)))).toMatchObject({
      ok: true,
      frame: { kind: "sync-step1" },
    });
    expect(parseClientFrame(syncFrame(1, update))).toEqual({ ok: true, frame: { kind: "update", update } });
    expect(parseClientFrame(syncFrame(2, update))).toEqual({ ok: true, frame: { kind: "update", update } });
    const entries = [
      { clientId: 7, clock: 3, state: { user: { name: "x" } } },
      { clientId: 8, clock: 1, state: null },
    ];
    expect(parseClientFrame(awarenessFrame(encodeAwareness(entries)))).toEqual({
      ok: true,
      frame: { kind: "awareness", entries },
    });
    expect(parseClientFrame(new Uint8Array([3]))).toEqual({ ok: true, frame: { kind: "query-awareness" } });
  });

  it.each([
    ["an empty frame", new Uint8Array([])],
    ["an unknown message type", new Uint8Array([7])],
    ["an unknown sync step", syncFrame(9, new Uint8Array([0, 0]))],
    ["a truncated update", new Uint8Array([0, 2, 50, 1, 2])],
    ["an update that is not Yjs", syncFrame(2, new Uint8Array([200, 200, 200, 200, 1]))],
    ["trailing bytes", new Uint8Array([...syncFrame(2, new Uint8Array([0, 0])), 1])],
    ["awareness state that is not an object", awarenessFrame(new Uint8Array([1, 1, 1, 1, 49]))],
  ])("refuses %s", (_label, frame) => {
    const result = parseClientFrame(frame);
    expect(result.ok).toBe(false);
  });

  it("recognises empty updates", () => {
    expect(isEmptyUpdate(Y.encodeStateAsUpdate(new Y.Doc()))).toBe(true);
    const doc = new Y.Doc();
    doc.getMap("m").set("k", 1);
    expect(isEmptyUpdate(Y.encodeStateAsUpdate(doc))).toBe(false);
  });
});
