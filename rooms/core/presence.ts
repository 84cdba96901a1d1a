/**
 * The room's presence (y-protocols awareness) under verified identities. A presence entry
 * belongs to the user whose socket first spoke for it; which entries a socket speaks for
 * is kept in its attachment, so ownership survives hibernation. Knows nothing of Durable
 * Objects: the room hands it its sockets and a relay.
 */
import type { Connection } from "partyserver";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { MAX_PRESENCE_ENTRIES_PER_SOCKET } from "../../config";
import { colorFor, presenceFromClient } from "../../schema/core/presence";
import { type AwarenessEntry, awarenessFrame, encodeAwareness } from "./frames";
import { type SocketState, stateOf } from "./sockets";

/** What presence needs of the room. */
export interface PresenceHost {
  /** Every open socket served the room's own document (only those have presence). */
  sockets(): Iterable<Connection>;
  /** Sends a frame to every socket served the room's own document. */
  relay(frame: Uint8Array): void;
}

/** An awareness frame naming nobody: the answer to a socket that may see no one's presence. */
export function emptyPresence(): Uint8Array {
  return awarenessFrame(encodeAwareness([]));
}

interface Owner {
  userId: string;
  socket: Connection;
}

export class Presence {
  /** Its own small doc only lends it a client id; states come from sockets. */
  readonly #awareness: awarenessProtocol.Awareness;
  /** Which user, through which socket, speaks for each entry. Rebuilt from attachments after waking. */
  #owners: Map<number, Owner> | null = null;

  constructor(private readonly host: PresenceHost) {
    this.#awareness = new awarenessProtocol.Awareness(new Y.Doc());
    this.#awareness.setLocalState(null);
    // The room sets no timers: presence leaves when its socket closes.
    clearInterval((this.#awareness as unknown as { _checkInterval: ReturnType<typeof setInterval> })._checkInterval);
  }

  /** Every present entry as one frame, or null when nobody is present (a new socket then gets nothing). */
  present(): Uint8Array | null {
    return this.#awareness.getStates().size > 0 ? this.everyone() : null;
  }

  /** Every present entry as one frame, even when empty: the answer to a query. */
  everyone(): Uint8Array {
    const ids = [...this.#awareness.getStates().keys()];
    return awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(this.#awareness, ids));
  }

  #ownersOf(): Map<number, Owner> {
    if (!this.#owners) {
      this.#owners = new Map();
      for (const socket of this.host.sockets()) {
        const state = stateOf(socket);
        for (const id of state?.presence ?? [])
          if (state) this.#owners.set(id, { userId: state.member.userId, socket });
      }
    }
    return this.#owners;
  }

  #setPresenceIds(socket: Connection, change: (ids: Set<number>) => void): void {
    const state = stateOf(socket);
    if (!state) return;
    const ids = new Set(state.presence);
    change(ids);
    socket.setState({ ...state, presence: [...ids] } satisfies SocketState);
  }

  /**
   * Entries a socket sent: nobody may change or remove another user's entry, each socket
   * speaks for a few entries at most, and only the known fields of a state are kept.
   */
  accept(connection: Connection, state: SocketState, entries: AwarenessEntry[]): void {
    const owners = this.#ownersOf();
    const { member } = state;
    const mine = new Set(state.presence);
    const accepted: AwarenessEntry[] = [];
    for (const entry of entries) {
      const owner = owners.get(entry.clientId);
      if (owner && owner.userId !== member.userId) continue;
      if (entry.state === null) {
        if (owner) {
          owners.delete(entry.clientId);
          if (owner.socket !== connection) this.#setPresenceIds(owner.socket, (ids) => ids.delete(entry.clientId));
        }
        mine.delete(entry.clientId);
        accepted.push(entry);
        continue;
      }
      if (!mine.has(entry.clientId)) {
        if (mine.size >= MAX_PRESENCE_ENTRIES_PER_SOCKET) continue;
        // The same person's new socket (a reconnect) takes the entry over from the old one.
        if (owner && owner.socket !== connection)
          this.#setPresenceIds(owner.socket, (ids) => ids.delete(entry.clientId));
        owners.set(entry.clientId, { userId: member.userId, socket: connection });
        mine.add(entry.clientId);
      }
      const user = { id: member.userId, name: member.name, color: colorFor(member.userId) };
      accepted.push({ ...entry, state: { user, ...presenceFromClient(entry.state) } });
    }
    if (mine.size !== state.presence.length || state.presence.some((id) => !mine.has(id))) {
      connection.setState({ ...state, presence: [...mine] } satisfies SocketState);
    }
    if (accepted.length === 0) return;
    const update = encodeAwareness(accepted);
    awarenessProtocol.applyAwarenessUpdate(this.#awareness, update, connection);
    this.host.relay(awarenessFrame(update));
  }

  /**
   * A socket closed: the entries it still owned stop being its. Returns those still
   * present, for `announceLeft` once the socket is no longer among the open ones.
   */
  release(connection: Connection): number[] {
    const owners = this.#ownersOf();
    const gone = (stateOf(connection)?.presence ?? []).filter((id) => owners.get(id)?.socket === connection);
    for (const id of gone) owners.delete(id);
    return gone.filter((id) => this.#awareness.getStates().has(id));
  }

  /** Removes released entries and tells everyone they left. */
  announceLeft(ids: number[]): void {
    if (ids.length === 0) return;
    awarenessProtocol.removeAwarenessStates(this.#awareness, ids, null);
    this.host.relay(awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(this.#awareness, ids)));
  }
}
