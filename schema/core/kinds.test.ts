import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { defineSharedRoots, type SharedRoot, shapeCheckFor } from "./doc-shape";
import { CORE_CAPABILITIES } from "./kind";
import { CAPABILITIES, KINDS, kindOf, ROOM_KINDS } from "./kinds";
import { photoCapabilities } from "./photos";
import { KIND_COMMANDS, PROTOCOLS } from "./protocols";

describe("the kind registry", () => {
  it("lists the kinds and every capability as before, core's first", () => {
    expect(ROOM_KINDS).toEqual(["property", "deal", "site"]);
    expect(CAPABILITIES).toEqual([
      ...CORE_CAPABILITIES,
      "records.write",
      "tasks.complete",
      "tasks.complete_own",
      "tasks.review",
      "deal.read_internal",
      "deal.read_confidential",
      "deal.edit",
      "tasks.manage",
      "tasks.create_assign",
      "tasks.complete_assigned",
      "documents.upload",
      "documents.upload_own",
      "documents.review",
      "audit.export",
      "templates.save",
      "site.configure",
      "alerts.handle",
    ]);
  });

  it("lets a kind's roles and photos use only core's capabilities and its own", () => {
    for (const kind of ROOM_KINDS) {
      const allowed = new Set<string>([...CORE_CAPABILITIES, ...kindOf(kind).capabilities]);
      for (const capabilities of Object.values(kindOf(kind).roles))
        for (const capability of capabilities) expect(allowed, `${kind}: ${capability}`).toContain(capability);
      for (const capability of photoCapabilities(kind)) expect(kindOf(kind).capabilities).toContain(capability);
    }
  });

  it("never gives two kinds the same capability or command", () => {
    const own = ROOM_KINDS.flatMap((kind) => KINDS[kind].capabilities);
    expect(new Set(own).size).toBe(own.length);
    const names = KIND_COMMANDS.map(([name]) => name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(["asset.create", "task.complete", "area.create", "alert.ack"]));
    expect(Object.keys(PROTOCOLS)).toEqual(ROOM_KINDS);
  });

  it("checks a kind's own shared root only in rooms of that kind", () => {
    const notes: SharedRoot = { define: (doc, name) => doc.getText(name), check: () => null };
    const doc = new Y.Doc();
    defineSharedRoots(doc, { notes });
    const changed: Y.Transaction[] = [];
    doc.on("afterTransaction", (transaction: Y.Transaction) => changed.push(transaction));
    doc.getText("notes").insert(0, "hello");
    const [transaction] = changed;
    if (!transaction) throw new Error("no transaction");
    expect(shapeCheckFor([], { notes })(doc, transaction)).toBeNull();
    expect(shapeCheckFor([])(doc, transaction)).toMatchObject({ reason: "invalid_shape" });
    expect(shapeCheckFor(["notes"], { notes })(doc, transaction)).toMatchObject({ reason: "server_owned" });
  });
});
