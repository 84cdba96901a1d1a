/**
 * A stand-in for partyserver's `Connection`, for collaborators' unit tests: it keeps its
 * attachment, records what was sent and how it was closed. Only tests import it.
 */
import type { Connection } from "partyserver";
import { NOTICE_PREFIX, type ServerNotice } from "../../schema/core/messages";
import type { VerifiedMember } from "./identity";
import type { SocketState } from "./sockets";

export interface FakeSocket {
  connection: Connection;
  sent: (string | Uint8Array)[];
  closed: { code: number; reason: string } | null;
  /** The notices sent to it, parsed. */
  notices(): ServerNotice[];
  /** Its attachment as the room left it. */
  state(): SocketState;
}

export function member(userId: string, role = "editor"): VerifiedMember {
  return { userId, sessionId: `session-${userId}`, role, name: `Name ${userId}`, ip: null };
}

/**
 * An open socket admitted for `who`, asking for notices, speaking for `presence`, served `audience` (null: the
 * room's own document; left out, its attachment predates audiences).
 */
export function fakeSocket(who: VerifiedMember, presence: number[] = [], audience?: string | null): FakeSocket {
  const fake: FakeSocket = {
    sent: [],
    closed: null,
    notices: () =>
      fake.sent
        .filter((m): m is string => typeof m === "string" && m.startsWith(NOTICE_PREFIX))
        .map((m) => JSON.parse(m.slice(NOTICE_PREFIX.length)) as ServerNotice),
    state: () => socket.state as SocketState,
    connection: undefined as unknown as Connection,
  };
  const socket = {
    state: {
      member: who,
      notices: true,
      presence,
      ...(audience === undefined ? {} : { audience }),
    } satisfies SocketState as unknown,
    readyState: WebSocket.READY_STATE_OPEN as number,
    setState(state: unknown) {
      socket.state = state;
      return state;
    },
    send(message: string | Uint8Array) {
      fake.sent.push(message);
    },
    close(code: number, reason: string) {
      fake.closed = { code, reason };
      socket.readyState = WebSocket.READY_STATE_CLOSED;
    },
  };
  // The collaborators use only these members of a Connection.
  fake.connection = socket as unknown as Connection;
  return fake;
}
