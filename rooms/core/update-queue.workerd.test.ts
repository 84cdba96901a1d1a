import { describe, expect, it } from "vitest";
import { MAX_GROUP_UPDATES, ROOM_DOC_QUOTA_BYTES, ROOM_DOC_WARN_FRACTION } from "../../config";
import { CLOSE } from "../../schema/core/messages";
import { fakeSocket, member } from "./fake-socket";
import type { CommitResult } from "./room-document";
import { UpdateQueue } from "./update-queue";

/** A document that records each group it is asked to commit and answers with `answer`. */
function fakeDocument(answer: (updates: readonly Uint8Array[]) => CommitResult, usedBytes = 0) {
  const groups: Uint8Array[][] = [];
  const doc = {
    usedBytes,
    commit(updates: readonly Uint8Array[]): CommitResult {
      groups.push([...updates]);
      return answer(updates);
    },
  };
  return { doc, groups };
}

const stored = new Uint8Array([9, 9, 9]);
const accepted = (updates: readonly Uint8Array[]): CommitResult => ({
  outcomes: updates.map(() => ({ ok: true })),
  stored,
});

function queueWith(doc: ReturnType<typeof fakeDocument>["doc"], sockets: ReturnType<typeof fakeSocket>[] = []) {
  const relayed: Uint8Array[] = [];
  const queue = new UpdateQueue({
    roomId: () => "room-1",
    document: () => doc,
    canWrite: (who) => who.role !== "viewer",
    sockets: () => sockets.map((s) => s.connection),
    relay: (frame) => relayed.push(frame),
  });
  return { queue, relayed };
}

const update = (n: number) => new Uint8Array([1, n, 0, 0]);
const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("UpdateQueue", () => {
  it("commits the updates of one turn as one group and relays them as one frame", async () => {
    const { doc, groups } = fakeDocument(accepted);
    const { queue, relayed } = queueWith(doc);
    const ann = fakeSocket(member("ann"));
    queue.push(ann.connection, member("ann"), update(1));
    queue.push(ann.connection, member("ann"), update(2));
    expect(groups).toEqual([]);
    await turn();
    expect(groups).toEqual([[update(1), update(2)]]);
    expect(relayed).toHaveLength(1);
    expect(queue.size).toBe(0);
  });

  it("commits at once when the group is full, without waiting for the turn", () => {
    const { doc, groups } = fakeDocument(accepted);
    const { queue } = queueWith(doc);
    const ann = fakeSocket(member("ann"));
    for (let i = 0; i < MAX_GROUP_UPDATES; i++) queue.push(ann.connection, member("ann"), update(i % 250));
    expect(groups).toHaveLength(1);
    expect(groups[0]).toHaveLength(MAX_GROUP_UPDATES);
  });

  it("refuses a reader's update with a notice and ignores empty ones", async () => {
    const { doc, groups } = fakeDocument(accepted);
    const { queue } = queueWith(doc);
    const vic = fakeSocket(member("vic", "viewer"));
    queue.push(vic.connection, member("vic", "viewer"), update(1));
    queue.push(vic.connection, member("ann"), new Uint8Array([0, 0]));
    await turn();
    expect(groups).toEqual([]);
    expect(vic.notices()).toEqual([expect.objectContaining({ type: "rejected", reason: "read_only" })]);
    expect(vic.closed).toBeNull();
  });

  it("answers each refused update on its own socket: closed when unappliable or unsynced, told otherwise", () => {
    const { doc } = fakeDocument(() => ({
      outcomes: [
        { ok: false, reason: "unappliable", detail: "x" },
        { ok: false, reason: "missing_dependencies", detail: "x" },
        { ok: false, reason: "invalid_shape", detail: "x" },
        { ok: true },
      ],
      stored,
    }));
    const [a, b, c, d] = ["a", "b", "c", "d"].map((id) => fakeSocket(member(id)));
    const { queue, relayed } = queueWith(doc);
    for (const [i, s] of [a, b, c, d].entries()) if (s) queue.push(s.connection, member("x"), update(i));
    queue.commit();
    expect(a?.closed?.code).toBe(CLOSE.UPDATE_UNAPPLIABLE);
    expect(b?.closed?.code).toBe(CLOSE.RESYNC);
    expect(c?.closed).toBeNull();
    expect(c?.notices()).toEqual([expect.objectContaining({ type: "rejected", reason: "invalid_shape" })]);
    expect(d?.closed).toBeNull();
    expect(d?.notices()).toEqual([]);
    expect(relayed).toHaveLength(1);
  });

  it("closes every sender and relays nothing when the group cannot be stored", () => {
    const { doc } = fakeDocument(() => {
      throw new Error("disk full");
    });
    const ann = fakeSocket(member("ann"));
    const bo = fakeSocket(member("bo"));
    const { queue, relayed } = queueWith(doc);
    queue.push(ann.connection, member("ann"), update(1));
    queue.push(bo.connection, member("bo"), update(2));
    queue.commit();
    expect([ann.closed?.code, bo.closed?.code]).toEqual([CLOSE.ROOM_UNAVAILABLE, CLOSE.ROOM_UNAVAILABLE]);
    expect(relayed).toEqual([]);
  });

  it("warns writers, not readers, once the document crosses the warning line", () => {
    const warnAt = ROOM_DOC_QUOTA_BYTES * ROOM_DOC_WARN_FRACTION;
    const { doc } = fakeDocument((updates) => {
      doc.usedBytes = warnAt + 1;
      return accepted(updates);
    }, warnAt - 1);
    const ann = fakeSocket(member("ann"));
    const vic = fakeSocket(member("vic", "viewer"));
    const { queue } = queueWith(doc, [ann, vic]);
    queue.push(ann.connection, member("ann"), update(1));
    queue.commit();
    expect(ann.notices()).toEqual([expect.objectContaining({ type: "quota", usedBytes: warnAt + 1 })]);
    expect(vic.notices()).toEqual([]);
  });

  it("commits nothing without a document, and forgets what was queued when cleared", async () => {
    const { doc, groups } = fakeDocument(accepted);
    let loaded = false;
    const queue = new UpdateQueue({
      roomId: () => "room-1",
      document: () => (loaded ? doc : null),
      canWrite: () => true,
      sockets: () => [],
      relay: () => undefined,
    });
    const ann = fakeSocket(member("ann"));
    queue.push(ann.connection, member("ann"), update(1));
    await turn();
    loaded = true;
    queue.push(ann.connection, member("ann"), update(2));
    queue.clear();
    await turn();
    expect(groups).toEqual([]);
  });
});
