import type { Connection } from "partyserver";
import { describe, expect, it } from "vitest";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { MAX_AWARENESS_FRAME_BYTES } from "../../config";
import { CLOSE, NOTICE_PREFIX } from "../../schema/core/messages";
import { fakeSocket, member } from "./fake-socket";
import {
  awarenessFrame,
  encodeAwareness,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  parseClientFrame,
  syncFrame,
} from "./frames";
import type { VerifiedMember } from "./identity";
import { emptyPresence, Presence } from "./presence";
import { stateOf } from "./sockets";
import { SyncSession } from "./sync-session";

function documentHolding(text: string) {
  const doc = new Y.Doc();
  doc.getText("t").insert(0, text);
  return {
    version: 1,
    usedBytes: 10,
    diff: (stateVector?: Uint8Array) => Y.encodeStateAsUpdate(doc, stateVector),
  };
}

/** What a reply frame from the session holds, applied to an empty document. */
function textOf(frame: string | Uint8Array | undefined): string {
  const parsed = parseClientFrame(frame as Uint8Array);
  if (!parsed.ok || parsed.frame.kind !== "update") throw new Error("not an update frame");
  const doc = new Y.Doc();
  Y.applyUpdate(doc, parsed.frame.update);
  return doc.getText("t").toString();
}

function session() {
  const document = documentHolding("hello");
  const projection = documentHolding("for buyers");
  const pushed: Uint8Array[] = [];
  const commands: string[] = [];
  const updates = {
    push: (_connection: Connection, _who: VerifiedMember, update: Uint8Array) => {
      pushed.push(update);
    },
  };
  const relayed: Uint8Array[] = [];
  const presence = new Presence({ sockets: () => [], relay: (frame) => relayed.push(frame) });
  const sync = new SyncSession({
    roomId: () => "room-1",
    audienceOf: (connection) => stateOf(connection)?.audience ?? null,
    document: (connection) => (stateOf(connection)?.audience === "buyers" ? projection : document),
    updates,
    presence,
    command: (_connection, _who, message) => commands.push(message),
  });
  return { sync, document, pushed, commands, presence, relayed };
}

const step1 = syncFrame(syncProtocol.messageYjsSyncStep1, Y.encodeStateVector(new Y.Doc()));

describe("SyncSession", () => {
  it("answers sync step 1 once per document version", () => {
    const { sync, document } = session();
    const ann = fakeSocket(member("ann"));
    sync.receive(ann.connection, step1);
    sync.receive(ann.connection, step1);
    expect(ann.sent).toHaveLength(1);
    const reply = parseClientFrame(ann.sent[0] as Uint8Array);
    expect(reply).toMatchObject({ ok: true, frame: { kind: "update" } });
    document.version = 2;
    sync.receive(ann.connection, step1);
    expect(ann.sent).toHaveLength(2);
  });

  it("hands updates to the queue and commands to the runner", () => {
    const { sync, pushed, commands } = session();
    const ann = fakeSocket(member("ann"));
    sync.receive(ann.connection, syncFrame(syncProtocol.messageYjsUpdate, Y.encodeStateAsUpdate(new Y.Doc())));
    const command = `${NOTICE_PREFIX}{"type":"command","id":1}`;
    sync.receive(ann.connection, command);
    expect(pushed).toHaveLength(1);
    expect(commands).toEqual([command]);
  });

  it("closes a socket for text that is not a notice, a malformed frame, or an oversized presence frame", () => {
    const { sync } = session();
    const text = fakeSocket(member("ann"));
    sync.receive(text.connection, "hello");
    expect(text.closed?.code).toBe(CLOSE.MALFORMED_FRAME);
    const junk = fakeSocket(member("ann"));
    sync.receive(junk.connection, new Uint8Array([7, 7, 7]));
    expect(junk.closed?.code).toBe(CLOSE.MALFORMED_FRAME);
    const big = fakeSocket(member("ann"));
    const frame = new Uint8Array(MAX_AWARENESS_FRAME_BYTES + 1);
    frame[0] = MESSAGE_AWARENESS;
    sync.receive(big.connection, frame);
    expect(big.closed?.code).toBe(CLOSE.FRAME_TOO_LARGE);
  });

  it("closes a socket the room never admitted, and ignores one already closed", () => {
    const { sync, pushed } = session();
    const stranger = fakeSocket(member("ann"));
    stranger.connection.setState(null);
    sync.receive(stranger.connection, step1);
    expect(stranger.closed?.code).toBe(CLOSE.SESSION_ENDED);
    const closed = fakeSocket(member("bo"));
    closed.connection.close(1000, "bye");
    sync.receive(closed.connection, "hello");
    expect(closed.closed?.code).toBe(1000);
    expect(pushed).toEqual([]);
  });

  it("answers a projected socket's sync step 1 from its projection, never from the room's document", () => {
    const { sync } = session();
    const buyer = fakeSocket(member("bea", "buyer"), [], "buyers");
    const agent = fakeSocket(member("al"), [], null);
    sync.receive(buyer.connection, step1);
    sync.receive(agent.connection, step1);
    expect(textOf(buyer.sent[0])).toBe("for buyers");
    expect(textOf(agent.sent[0])).toBe("hello");
  });

  it("refuses a projected socket's update as read-only, applying nothing", () => {
    const { sync, pushed } = session();
    const buyer = fakeSocket(member("bea", "buyer"), [], "buyers");
    const change = new Y.Doc();
    change.getText("t").insert(0, "mine");
    sync.receive(buyer.connection, syncFrame(syncProtocol.messageYjsUpdate, Y.encodeStateAsUpdate(change)));
    expect(pushed).toEqual([]);
    expect(buyer.notices()).toMatchObject([{ type: "rejected", reason: "read_only" }]);
    expect(buyer.closed).toBeNull();
    // An honest client's empty sync step 2 is no write, and gets no refusal.
    sync.receive(buyer.connection, syncFrame(syncProtocol.messageYjsUpdate, Y.encodeStateAsUpdate(new Y.Doc())));
    expect(buyer.notices()).toHaveLength(1);
  });

  it("takes no presence from a projected socket and answers its query with nobody", () => {
    const { sync, presence, relayed } = session();
    const agent = fakeSocket(member("al"), [], null);
    const buyer = fakeSocket(member("bea", "buyer"), [], "buyers");
    const entry = (clientId: number) => encodeAwareness([{ clientId, clock: 1, state: { editing: null } }]);
    sync.receive(agent.connection, awarenessFrame(entry(1)));
    expect(relayed).toHaveLength(1);
    sync.receive(buyer.connection, awarenessFrame(entry(2)));
    expect(relayed).toHaveLength(1);
    expect(buyer.state().presence).toEqual([]);

    const query = new Uint8Array([MESSAGE_QUERY_AWARENESS]);
    sync.receive(buyer.connection, query);
    expect(buyer.sent).toEqual([emptyPresence()]);
    sync.receive(agent.connection, query);
    expect(agent.sent.at(-1)).toEqual(presence.everyone());
    expect(presence.everyone()).not.toEqual(emptyPresence());
  });
});
