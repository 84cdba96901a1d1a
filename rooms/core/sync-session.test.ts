import type { Connection } from "partyserver";
import { describe, expect, it } from "vitest";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { MAX_AWARENESS_FRAME_BYTES } from "../../config";
import { CLOSE, NOTICE_PREFIX } from "../../schema/core/messages";
import { fakeSocket, member } from "./fake-socket";
import { MESSAGE_AWARENESS, parseClientFrame, syncFrame } from "./frames";
import type { VerifiedMember } from "./identity";
import { Presence } from "./presence";
import { SyncSession } from "./sync-session";

function session() {
  const doc = new Y.Doc();
  doc.getText("t").insert(0, "hello");
  const document = {
    version: 1,
    usedBytes: 10,
    diff: (stateVector?: Uint8Array) => Y.encodeStateAsUpdate(doc, stateVector),
  };
  const pushed: Uint8Array[] = [];
  const commands: string[] = [];
  const updates = {
    push: (_connection: Connection, _who: VerifiedMember, update: Uint8Array) => {
      pushed.push(update);
    },
  };
  const sync = new SyncSession({
    roomId: () => "room-1",
    document: () => document,
    updates,
    presence: new Presence({ sockets: () => [], relay: () => undefined }),
    command: (_connection, _who, message) => commands.push(message),
  });
  return { sync, document, pushed, commands };
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
});
