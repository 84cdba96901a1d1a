import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { CommandError, type Touched } from "./commands";
import { type MirrorHost, RoomMirror } from "./mirror";

/** A host over a plain Y.Doc and a table of records, counting how often each record is read for the mirror. */
function host(caps: Record<string, number> = {}) {
  const doc = new Y.Doc();
  const records = new Map<string, { title: string }>([["t1", { title: "Order the inspection" }]]);
  const reads: string[] = [];
  const relayed: Uint8Array[] = [];
  const followed: unknown[] = [];
  const room: MirrorHost = {
    roomId: () => "room-1",
    document: () => ({
      usedBytes: 0,
      write(change) {
        let update: Uint8Array | null = null;
        const keep = (u: Uint8Array) => {
          update = u;
        };
        doc.on("update", keep);
        doc.transact(() => change(doc));
        doc.off("update", keep);
        return update;
      },
    }),
    serverRoots: () => ["tasks"],
    caps: () => caps,
    mirrorOf: (_root, id) => {
      reads.push(id);
      return records.get(id);
    },
    mirrorAll: () => new Map(records),
    relay: (frame) => relayed.push(frame),
    projections: {
      write: (touched, recordOf) => {
        for (const [root, ids] of touched) for (const id of ids) followed.push(recordOf(root, id));
      },
      sync: () => undefined,
    },
  };
  return { room, doc, records, reads, relayed, followed };
}

const touching = (...ids: string[]): Touched => ({
  records: new Map([["tasks", new Set(ids)]]),
  scheduled: false,
  enqueued: false,
});

describe("RoomMirror", () => {
  it("writes what admit read in the same transaction and hands it to the projections, reading once", () => {
    const { room, doc, reads, relayed, followed } = host();
    const mirror = new RoomMirror(room);
    const touched = touching("t1");
    // The audit writer reads it first (comparing it with the mirror), then admit and write take the same value.
    expect(mirror.readAfter(touched, "tasks", "t1")).toEqual({ title: "Order the inspection" });
    mirror.admit(touched);
    mirror.write(touched.records);
    expect(reads).toEqual(["t1"]);
    expect(doc.getMap("tasks").get("t1")).toEqual({ title: "Order the inspection" });
    expect(relayed).toHaveLength(1);
    expect(followed).toEqual([{ title: "Order the inspection" }]);
  });

  it("reads again for records admit did not see: another transaction's, or after a refusal", () => {
    const { room, doc, records, reads } = host({ tasks: 120 });
    const mirror = new RoomMirror(room);
    mirror.admit(touching("t1"));
    records.set("t1", { title: "Renamed since" });
    // Another transaction's records (a rolled-back one never reaches write): read from the table now.
    mirror.write(touching("t1").records);
    expect(doc.getMap("tasks").get("t1")).toEqual({ title: "Renamed since" });

    // Refused as too big: nothing kept, so a later write of the same records reads them.
    records.set("t1", { title: "x".repeat(400) });
    const refused = touching("t1");
    expect(() => mirror.admit(refused)).toThrow(CommandError);
    records.set("t1", { title: "Short again" });
    mirror.write(refused.records);
    expect(doc.getMap("tasks").get("t1")).toEqual({ title: "Short again" });
    expect(reads).toEqual(["t1", "t1", "t1", "t1"]);
  });
});
