import { describe, expect, it } from "vitest";
import { Audiences } from "./audiences";
import { fakeSocket, member } from "./fake-socket";

/** Audiences over fake sockets; no projection is loaded, so no storage is needed. */
function audiences(sockets: ReturnType<typeof fakeSocket>[]) {
  return new Audiences({
    roomId: () => "room-1",
    storage: () => {
      throw new Error("no storage in this test");
    },
    audiences: () => ["buyers"],
    audienceOf: (who) => (who.role === "buyer" ? "buyers" : null),
    serverRoots: () => ["tasks"],
    projectedOf: () => undefined,
    projectedAll: () => new Map(),
    sockets: () => sockets.map((s) => s.connection),
  });
}

describe("Audiences", () => {
  it("relays a frame of one document only to the sockets served it", () => {
    const agent = fakeSocket(member("al", "agent"), [], null);
    const buyer = fakeSocket(member("bea", "buyer"), [], "buyers");
    const routed = audiences([agent, buyer]);
    routed.relay(null, new Uint8Array([1]));
    routed.relay("buyers", new Uint8Array([2]));
    routed.relay("sellers", new Uint8Array([3]));
    expect(agent.sent).toEqual([new Uint8Array([1])]);
    expect(buyer.sent).toEqual([new Uint8Array([2])]);
  });

  it("serves a socket whose attachment predates audiences what its member's role gives now", () => {
    const oldBuyer = fakeSocket(member("bea", "buyer"));
    const oldAgent = fakeSocket(member("al", "agent"));
    const routed = audiences([oldBuyer, oldAgent]);
    expect([routed.of(oldBuyer.connection), routed.of(oldAgent.connection)]).toEqual(["buyers", null]);
    routed.relay(null, new Uint8Array([1]));
    expect(oldBuyer.sent).toEqual([]);
  });

  it("keeps the audience a socket was stored with, and knows none for a socket never admitted", () => {
    // Stored when the socket opened; a role change that would move it closes the socket instead.
    const stored = fakeSocket(member("bea", "agent"), [], "buyers");
    const stranger = fakeSocket(member("x"));
    stranger.connection.setState(null);
    const routed = audiences([stored, stranger]);
    expect(routed.of(stored.connection)).toBe("buyers");
    expect(routed.of(stranger.connection)).toBeUndefined();
    routed.relay(null, new Uint8Array([1]));
    expect(stranger.sent).toEqual([]);
    expect(routed.projection("sellers")).toBeNull();
  });
});
