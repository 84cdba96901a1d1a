import * as decoding from "lib0/decoding";
import { describe, expect, it } from "vitest";
import { MAX_PRESENCE_ENTRIES_PER_SOCKET } from "../../config";
import { type FakeSocket, fakeSocket, member } from "./fake-socket";
import { type AwarenessEntry, parseClientFrame } from "./frames";
import { Presence } from "./presence";

function presenceOf(sockets: FakeSocket[]) {
  const relayed: AwarenessEntry[][] = [];
  const presence = new Presence({
    sockets: () => sockets.filter((s) => s.closed === null).map((s) => s.connection),
    relay: (frame) => {
      const parsed = parseClientFrame(frame);
      if (parsed.ok && parsed.frame.kind === "awareness") relayed.push(parsed.frame.entries);
    },
  });
  return { presence, relayed };
}

const entry = (clientId: number, clock: number, state: Record<string, unknown> | null = {}): AwarenessEntry => ({
  clientId,
  clock,
  state,
});

/** Client ids in a frame `Presence` sends. */
function idsIn(frame: Uint8Array | null): number[] {
  if (!frame) return [];
  const parsed = parseClientFrame(frame);
  return parsed.ok && parsed.frame.kind === "awareness" ? parsed.frame.entries.map((e) => e.clientId) : [];
}

describe("Presence", () => {
  it("relays an entry under the sender's verified identity and notes it in the socket's attachment", () => {
    const ann = fakeSocket(member("ann"));
    const { presence, relayed } = presenceOf([ann]);
    presence.accept(ann.connection, ann.state(), [entry(7, 1, { user: { id: "mallory" }, editing: "nonsense" })]);
    expect(relayed).toEqual([
      [
        {
          clientId: 7,
          clock: 1,
          state: { user: expect.objectContaining({ id: "ann", name: "Name ann" }), editing: null },
        },
      ],
    ]);
    expect(ann.state().presence).toEqual([7]);
    expect(idsIn(presence.present())).toEqual([7]);
  });

  it("lets nobody else change or remove a person's entry", () => {
    const ann = fakeSocket(member("ann"));
    const bo = fakeSocket(member("bo"));
    const { presence, relayed } = presenceOf([ann, bo]);
    presence.accept(ann.connection, ann.state(), [entry(7, 1)]);
    presence.accept(bo.connection, bo.state(), [entry(7, 2), entry(7, 3, null)]);
    expect(relayed).toHaveLength(1);
    expect(bo.state().presence).toEqual([]);
    expect(idsIn(presence.present())).toEqual([7]);
  });

  it("hands an entry to the same person's new socket, taking it from the old one", () => {
    const old = fakeSocket(member("ann"));
    const fresh = fakeSocket(member("ann"));
    const { presence } = presenceOf([old, fresh]);
    presence.accept(old.connection, old.state(), [entry(7, 1)]);
    presence.accept(fresh.connection, fresh.state(), [entry(7, 2)]);
    expect(old.state().presence).toEqual([]);
    expect(fresh.state().presence).toEqual([7]);
    // The old socket closing no longer takes the entry away.
    expect(presence.release(old.connection)).toEqual([]);
  });

  it("lets one socket speak for a few entries at most", () => {
    const ann = fakeSocket(member("ann"));
    const { presence } = presenceOf([ann]);
    const many = Array.from({ length: MAX_PRESENCE_ENTRIES_PER_SOCKET + 3 }, (_, i) => entry(100 + i, 1));
    presence.accept(ann.connection, ann.state(), many);
    expect(ann.state().presence).toHaveLength(MAX_PRESENCE_ENTRIES_PER_SOCKET);
    expect(idsIn(presence.present())).toHaveLength(MAX_PRESENCE_ENTRIES_PER_SOCKET);
  });

  it("removes a closed socket's entries and tells the others", () => {
    const ann = fakeSocket(member("ann"));
    const bo = fakeSocket(member("bo"));
    const { presence, relayed } = presenceOf([ann, bo]);
    presence.accept(ann.connection, ann.state(), [entry(7, 1)]);
    presence.accept(bo.connection, bo.state(), [entry(8, 1)]);
    const left = presence.release(ann.connection);
    expect(left).toEqual([7]);
    presence.announceLeft(left);
    expect(relayed.at(-1)).toEqual([expect.objectContaining({ clientId: 7, state: null })]);
    expect(idsIn(presence.present())).toEqual([8]);
  });

  it("rebuilds ownership from attachments after waking, so a stranger still cannot take an entry", () => {
    // The attachment says ann's socket speaks for 7, as it would after hibernation.
    const ann = fakeSocket(member("ann"), [7]);
    const bo = fakeSocket(member("bo"));
    const { presence, relayed } = presenceOf([ann, bo]);
    presence.accept(bo.connection, bo.state(), [entry(7, 5)]);
    expect(relayed).toEqual([]);
    expect(bo.state().presence).toEqual([]);
  });

  it("answers a query with everyone present, and a new socket gets nothing while nobody is", () => {
    const ann = fakeSocket(member("ann"));
    const { presence } = presenceOf([ann]);
    expect(presence.present()).toBeNull();
    const empty = presence.everyone();
    const decoder = decoding.createDecoder(empty);
    expect(decoding.readVarUint(decoder)).toBe(1);
    expect(idsIn(empty)).toEqual([]);
  });
});
