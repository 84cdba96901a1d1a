/**
 * The base of every room: the authoritative Yjs document, stored durably in the room's
 * SQLite, served over y-protocols to verified members only. Room kinds extend it.
 */
import { drizzle } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import type { Connection, ConnectionContext, WSMessage } from "partyserver";
import { YServer } from "y-partyserver";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { MAX_FRAME_BYTES } from "../config";
import migrations from "../migrations/room/migrations.js";
import { CLOSE, NOTICES_PARAM, type ServerNotice } from "../schema/messages";
import { colorFor } from "../schema/presence";
import { can, type RoomKind } from "../schema/roles";
import { awarenessFrame, encodeAwareness, isEmptyUpdate, parseClientFrame, syncFrame, type AwarenessEntry } from "./frames";
import { IDENTITY_HEADERS, type VerifiedMember } from "./identity";
import { LOAD_ORIGIN, YDocStore } from "./ydoc-store";

/** Transaction origin of updates clients sent: they are already in the log when applied. */
const CLIENT_ORIGIN = Symbol("haven-client");

/** Client updates accepted in the current turn, waiting to be written and relayed together. */
interface PendingBatch {
  updates: Uint8Array[];
  bytes: number;
  senders: Set<Connection>;
}

type ConnectionState = { member?: VerifiedMember; notices?: boolean } & Record<string, unknown>;


/** Identity the Worker verified and passed in headers; the Worker strips these from any client. */
function memberFromRequest(request: Request): VerifiedMember | null {
  const h = request.headers;
  const userId = h.get(IDENTITY_HEADERS.userId);
  const sessionId = h.get(IDENTITY_HEADERS.sessionId);
  const role = h.get(IDENTITY_HEADERS.role);
  const name = h.get(IDENTITY_HEADERS.name);
  if (!userId || !sessionId || !role || name === null) return null;
  return { userId, sessionId, role, name: decodeURIComponent(name) };
}

export abstract class HavenRoom extends YServer<Env> {
  static override options = { hibernate: true };

  /** Which kind of room this class serves; decides the roles it knows. */
  abstract readonly kind: RoomKind;

  #store: YDocStore | null = null;
  /**
   * Which socket speaks for each awareness client id, so one socket cannot overwrite or
   * remove another's presence. In memory only, like the awareness states themselves.
   */
  readonly #awarenessOwners = new Map<number, string>();
  /**
   * Open sockets, kept in memory so a relay does not ask the platform for every socket
   * and decode each one's attachment, as partyserver's hibernating iterator does on every
   * call. Rebuilt from the platform once after the room wakes.
   */
  #openSockets: Set<Connection> | null = null;
  #batch: PendingBatch | null = null;

  override async onLoad(): Promise<void> {
    const db = drizzle(this.ctx.storage);
    await migrate(db, migrations);
    const store = new YDocStore(db, this.ctx.storage);
    store.load(this.document);
    this.#store = store;
    // Changes the room makes itself (not a client's, not the load) are logged here. This
    // handler is registered before y-partyserver's relay, so the write comes first.
    this.document.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin !== LOAD_ORIGIN && origin !== CLIENT_ORIGIN) this.#persist(update);
    });
  }

  #persist(update: Uint8Array): void {
    if (!this.#store) throw new Error("room storage is not loaded");
    this.#store.append(update);
    if (this.#store.needsCompaction) this.#store.compact(this.document);
  }

  /** Every open socket (or, with a tag, those carrying it). Hot: called for each relay. */
  override getConnections<TState = unknown>(tag?: string): Iterable<Connection<TState>> {
    if (tag !== undefined) return super.getConnections<TState>(tag);
    this.#openSockets ??= new Set(super.getConnections());
    return this.#liveSockets(this.#openSockets) as Iterable<Connection<TState>>;
  }

  *#liveSockets(sockets: Set<Connection>): Generator<Connection> {
    for (const socket of sockets) {
      if (socket.readyState === WebSocket.READY_STATE_OPEN) yield socket;
      else if (socket.readyState === WebSocket.READY_STATE_CLOSED) sockets.delete(socket);
    }
  }

  override getConnectionTags(_connection: Connection, ctx: ConnectionContext): string[] {
    const member = memberFromRequest(ctx.request);
    return member ? [`user:${member.userId}`, `session:${member.sessionId}`] : [];
  }

  override onConnect(connection: Connection, ctx: ConnectionContext): void {
    const member = memberFromRequest(ctx.request);
    if (!member) {
      connection.close(CLOSE.SESSION_ENDED, "Not signed in");
      return;
    }
    // Stock y-protocols clients read every frame as binary and fail on text notices.
    const notices = new URL(ctx.request.url).searchParams.get(NOTICES_PARAM) === "1";
    connection.setState((prev: ConnectionState | null) => ({ ...prev, member, notices }));
    this.#openSockets?.add(connection);
    this.#notify(connection, { type: "welcome", userId: member.userId, name: member.name, role: member.role, canWrite: this.#canWrite(member) });
    super.onConnect(connection, ctx);
  }

  #member(connection: Connection): VerifiedMember | null {
    return (connection.state as ConnectionState | null)?.member ?? null;
  }

  #canWrite(member: VerifiedMember): boolean {
    return can(this.kind, member.role, "doc.write");
  }

  #notify(connection: Connection, notice: ServerNotice): void {
    if ((connection.state as ConnectionState | null)?.notices) this.sendCustomMessage(connection, JSON.stringify(notice));
  }

  override onMessage(connection: Connection, message: WSMessage): void {
    const member = this.#member(connection);
    if (!member) {
      connection.close(CLOSE.SESSION_ENDED, "Not signed in");
      return;
    }
    if (typeof message === "string") {
      // y-partyserver's custom-message channel; clients have nothing to say on it yet.
      if (!message.startsWith("__YPS:")) connection.close(CLOSE.MALFORMED_FRAME, "Text frames are not part of the protocol");
      return;
    }
    const bytes = message instanceof ArrayBuffer ? new Uint8Array(message) : new Uint8Array(message.buffer, message.byteOffset, message.byteLength);
    if (bytes.byteLength > MAX_FRAME_BYTES) {
      connection.close(CLOSE.FRAME_TOO_LARGE, `Frame exceeds ${MAX_FRAME_BYTES} bytes`);
      return;
    }
    const parsed = parseClientFrame(bytes);
    if (!parsed.ok) {
      connection.close(CLOSE.MALFORMED_FRAME, `Malformed frame: ${parsed.reason}`.slice(0, 120));
      return;
    }
    const frame = parsed.frame;
    switch (frame.kind) {
      case "sync-step1":
        connection.send(syncFrame(syncProtocol.messageYjsSyncStep2, Y.encodeStateAsUpdate(this.document, frame.stateVector)));
        return;
      case "update":
        this.#acceptUpdate(connection, member, frame.update);
        return;
      case "awareness":
        this.#acceptAwareness(connection, member, frame.entries);
        return;
      case "query-awareness": {
        const ids = [...this.document.awareness.getStates().keys()];
        connection.send(awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(this.document.awareness, ids)));
        return;
      }
    }
  }

  #acceptUpdate(connection: Connection, member: VerifiedMember, update: Uint8Array): void {
    if (isEmptyUpdate(update)) return;
    if (!this.#canWrite(member)) {
      this.#notify(connection, { type: "rejected", reason: "read_only", message: "You can view this room but not change it." });
      return;
    }
    if (this.#batch && this.#batch.bytes + update.byteLength > MAX_FRAME_BYTES) this.#commitBatch();
    if (!this.#batch) {
      this.#batch = { updates: [], bytes: 0, senders: new Set() };
      // Group commit: updates arriving before the event loop turns are written as one row
      // and relayed as one frame. A zero delay only yields the turn; it never outlives it,
      // so it does not hold the room awake.
      setTimeout(() => this.#commitBatch(), 0);
    }
    this.#batch.updates.push(update);
    this.#batch.bytes += update.byteLength;
    this.#batch.senders.add(connection);
  }

  /** Writes the waiting updates as one, then applies them, which relays them. Never the other way round. */
  #commitBatch(): void {
    const batch = this.#batch;
    this.#batch = null;
    if (!batch || !this.#store) return;
    const update = batch.updates.length === 1 ? (batch.updates[0] as Uint8Array) : Y.mergeUpdates(batch.updates);
    try {
      this.#store.append(update);
    } catch (err) {
      console.error("room could not store updates", err);
      // Nothing was applied or relayed. The senders still hold their edits and send them
      // again when they resync after reconnecting.
      for (const sender of batch.senders) sender.close(1011, "Could not save your change; reconnect to retry");
      return;
    }
    Y.applyUpdate(this.document, update, CLIENT_ORIGIN);
    if (this.#store.needsCompaction) this.#store.compact(this.document);
  }

  #acceptAwareness(connection: Connection, member: VerifiedMember, entries: AwarenessEntry[]): void {
    const owned = entries.filter((entry) => {
      const owner = this.#awarenessOwners.get(entry.clientId);
      return owner === undefined || owner === connection.id;
    });
    if (owned.length === 0) return;
    for (const entry of owned) {
      if (entry.state === null) this.#awarenessOwners.delete(entry.clientId);
      else this.#awarenessOwners.set(entry.clientId, connection.id);
    }
    // Presence names the person the server verified, whatever the client claimed.
    const verified = owned.map((entry) =>
      entry.state === null
        ? entry
        : { ...entry, state: { ...entry.state, user: { id: member.userId, name: member.name, color: colorFor(member.userId) } } },
    );
    const update = encodeAwareness(verified);
    awarenessProtocol.applyAwarenessUpdate(this.document.awareness, update, connection);
    const frame = awarenessFrame(update);
    for (const peer of this.getConnections()) {
      try {
        peer.send(frame);
      } catch {
        // A socket that is closing misses presence; it gets the full state when it reconnects.
      }
    }
  }

  override onClose(connection: Connection, code: number, reason: string, wasClean: boolean): void {
    for (const [clientId, owner] of this.#awarenessOwners) {
      if (owner === connection.id) this.#awarenessOwners.delete(clientId);
    }
    this.#openSockets?.delete(connection);
    super.onClose(connection, code, reason, wasClean);
  }

  /** RPC from the Worker: a member's role changed; applies to their open sockets at once. */
  async setMemberRole(userId: string, role: string): Promise<void> {
    for (const connection of this.getConnections(`user:${userId}`)) {
      const member = this.#member(connection);
      if (!member) continue;
      const updated = { ...member, role };
      connection.setState((prev: ConnectionState | null) => ({ ...prev, member: updated }));
      this.#notify(connection, { type: "access", role, canWrite: this.#canWrite(updated) });
    }
  }

  /** RPC from the Worker: a member was removed; their sockets close now. */
  async revokeMember(userId: string): Promise<void> {
    for (const connection of this.getConnections(`user:${userId}`)) {
      connection.close(CLOSE.ACCESS_REVOKED, "You no longer have access to this room");
    }
  }

  /** RPC from the Worker: a session ended (logout); its sockets close now. */
  async endSession(sessionId: string): Promise<void> {
    for (const connection of this.getConnections(`session:${sessionId}`)) {
      connection.close(CLOSE.SESSION_ENDED, "Signed out");
    }
  }

  override async onRequest(): Promise<Response> {
    return Response.json({ error: { code: "not_found", message: "Rooms speak WebSocket only." } }, { status: 404 });
  }
}
