/**
 * The base of every room: the authoritative Yjs document, stored durably in the room's
 * SQLite, served over y-protocols to verified members only. Room kinds extend it.
 *
 * Built on partyserver's `Server` rather than y-partyserver's `YServer`: YServer relays
 * every document change from its own update handler, so there is no step between
 * "applied" and "relayed" where the room can prove an update applies and store it first,
 * its document cannot be replaced after a failed apply, and it debounces a save hook
 * with a timer on every change. The y-protocols wire format is unchanged, so
 * y-partyserver's client provider and stock y-websocket clients both speak to it.
 */
import { type DrizzleSqliteDODatabase, drizzle } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import { type Connection, type ConnectionContext, Server, type WSMessage } from "partyserver";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import {
  ALARM_MAX_JOBS,
  COMMAND_BURST_PER_USER,
  COMMANDS_PER_SECOND_PER_USER,
  JOB_RETRY_DELAY_MS,
  MAX_AWARENESS_FRAME_BYTES,
  MAX_FRAME_BYTES,
  MAX_GROUP_UPDATES,
  MAX_JOB_FAILURES,
  MAX_LOG_ROW_BYTES,
  MAX_PRESENCE_ENTRIES_PER_SOCKET,
  MAX_SOCKETS_PER_USER_PER_ROOM,
  OUTBOX_BATCH,
  OUTBOX_KEEP_MS,
  OUTBOX_RETRY_DELAY_MS,
  ROOM_DOC_QUOTA_BYTES,
  ROOM_DOC_WARN_FRACTION,
  SENSOR_MIRROR_COALESCE_MS,
  SOCKET_MESSAGE_BURST,
  SOCKET_MESSAGES_PER_SECOND,
  SOCKET_SYNC_REPLY_BYTES_PER_MINUTE,
} from "../../config";
import {
  type CommandFrame,
  type CommandOutcome,
  type CommandResultNotice,
  MAX_COMMAND_BYTES,
} from "../../schema/core/commands";
import { shapeCheckFor } from "../../schema/core/doc-shape";
import {
  CLOSE,
  NOTICE_PREFIX,
  NOTICES_PARAM,
  type RejectionReason,
  type ServerNotice,
} from "../../schema/core/messages";
import { colorFor, presenceFromClient } from "../../schema/core/presence";
import { can, type RoomKind } from "../../schema/core/roles";
import {
  type CommandTable,
  inTransaction,
  type RoomEffects,
  type RoomStorage,
  runCommand,
  type Touched,
} from "./commands";
import {
  type AwarenessEntry,
  awarenessFrame,
  encodeAwareness,
  isEmptyUpdate,
  MESSAGE_AWARENESS,
  parseClientFrame,
  syncFrame,
} from "./frames";
import { IDENTITY_HEADERS, type VerifiedMember } from "./identity";
import type { RoomMigrations } from "./migrations";
import { RoomDocument } from "./room-document";
import { type DueJob, dueJobs, earliestDue, markSent, pruneSent, retryJob, stillDue, unsent } from "./schedule";
import { TokenBucket } from "./token-bucket";
import { type QuarantineEntry, YDocStore } from "./ydoc-store";

/** What the room keeps in each socket's attachment, so it survives hibernation. */
interface SocketState {
  member: VerifiedMember;
  notices: boolean;
  /** Awareness client ids this socket speaks for. */
  presence: number[];
}

/** Per-socket allowances, in memory: a room that wakes from hibernation starts them afresh. */
interface SocketLimits {
  messages: TokenBucket;
  syncReplies: TokenBucket;
  /** Document version at this socket's last sync answer; a repeated step 1 before the next change gets none. */
  answeredVersion: number;
}

interface QueuedUpdate {
  connection: Connection;
  update: Uint8Array;
}

const REFUSAL_MESSAGES: Record<RejectionReason, string> = {
  read_only: "You can view this room but not change it.",
  invalid_shape: "The change does not fit this room's document, so it was not applied.",
  server_owned:
    "Records such as tasks and assets change only through the app's actions, so this change was not applied.",
  quota_exceeded: "This room is full. Delete something to make space; your change is kept on this device.",
};

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

function stateOf(connection: Connection): SocketState | null {
  const state = connection.state as Partial<SocketState> | null;
  return state?.member
    ? { member: state.member, notices: state.notices === true, presence: state.presence ?? [] }
    : null;
}

/** Writes a mirrored record unless the document already holds the same value; undefined removes it. */
function setMirrored(map: Y.Map<unknown>, id: string, value: unknown): void {
  if (value === undefined) {
    if (map.has(id)) map.delete(id);
    return;
  }
  if (JSON.stringify(map.get(id)) !== JSON.stringify(value)) map.set(id, value);
}

function log(event: string, fields: Record<string, unknown>): void {
  console.log(JSON.stringify({ event, ...fields }));
}

export abstract class HavenRoom extends Server<Env> {
  static override options = { hibernate: true };

  /** Which kind of room this class serves; decides the roles it knows. */
  abstract readonly kind: RoomKind;
  /** This kind's migrations: the core tables plus its own, generated by drizzle-kit. */
  abstract readonly migrations: RoomMigrations;
  /** This kind's commands, by name. */
  protected readonly commands: CommandTable = {};
  /** Document roots holding the mirror of this kind's records: only the room writes them. */
  protected readonly serverRoots: readonly string[] = [];

  /** A record as mirrored into `root`, or undefined when it no longer exists there. */
  protected mirrorOf(_root: string, _id: string): unknown {
    return undefined;
  }

  /** Every record of `root`, to rebuild the mirror when the room starts. */
  protected mirrorAll(_root: string): Map<string, unknown> {
    return new Map();
  }

  /** Does one scheduled job (inside its transaction). A kind that schedules jobs handles their kinds here. */
  protected runJob(_effects: RoomEffects, job: DueJob): void {
    log("room.job_unknown", { level: "warn", room: this.name, job: job.id, kind: job.kind });
  }

  /** Drizzle over this room's SQLite, for kinds' tables. */
  protected get db(): DrizzleSqliteDODatabase {
    this.#db ??= drizzle(this.ctx.storage);
    return this.#db;
  }
  #db: DrizzleSqliteDODatabase | null = null;

  #roomStorage(): RoomStorage {
    return { roomId: this.name, storage: this.ctx.storage, db: this.db };
  }

  /** Null until loaded, and if loading failed. */
  #document: RoomDocument | null = null;
  /** The room's presence. Its own small doc only lends it a client id; states come from sockets. */
  readonly #awareness: awarenessProtocol.Awareness;
  /**
   * Open sockets, kept in memory so a relay does not ask the platform for every socket
   * and decode each one's attachment. Rebuilt from the platform once after the room wakes.
   */
  #openSockets: Set<Connection> | null = null;
  readonly #limits = new WeakMap<Connection, SocketLimits>();
  /**
   * Each socket's commands as one chain, by connection id, so they run and answer in the order they were sent:
   * an offline client replays its queue in order, and a retry with the same key must meet the first run's answer.
   * Keyed by id, not by object: a hibernatable socket may come back to the room as a new object.
   */
  readonly #socketCommands = new Map<string, Promise<void>>();
  /** Which user, through which socket, speaks for each presence entry. Rebuilt from attachments after waking. */
  #presenceOwners: Map<number, { userId: string; socket: Connection }> | null = null;
  #queue: QueuedUpdate[] = [];
  /** Commands each person may still run now, over the socket and HTTP together. In memory: a room that wakes starts them full. */
  readonly #commandAllowance = new Map<string, TokenBucket>();
  #queuedBytes = 0;
  #commitScheduled = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#awareness = new awarenessProtocol.Awareness(new Y.Doc());
    this.#awareness.setLocalState(null);
    // The room sets no timers: presence leaves when its socket closes.
    clearInterval((this.#awareness as unknown as { _checkInterval: ReturnType<typeof setInterval> })._checkInterval);
  }

  override async onStart(): Promise<void> {
    await this.#load();
  }

  /**
   * Loads the document unless it is loaded. A failure is logged and leaves the room up
   * without a document, so sockets get a clean close instead of runtime error text, and
   * the next connection tries again.
   */
  async #load(): Promise<RoomDocument | null> {
    if (this.#document) return this.#document;
    try {
      await migrate(this.db, this.migrations);
      this.#document = new RoomDocument(new YDocStore(this.ctx.storage), shapeCheckFor(this.serverRoots));
      this.#syncMirror();
      await this.#armAlarm();
    } catch (err) {
      log("room.load_failed", {
        level: "error",
        room: this.name,
        error: err instanceof Error ? err.message : String(err),
      });
    }
    return this.#document;
  }

  /** For kinds' RPC queries: the room loaded (its tables migrated), or an error the Worker answers 503 to. */
  protected async ready(): Promise<void> {
    if (!(await this.#load())) throw new Error("room unavailable");
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

  override async onConnect(connection: Connection, ctx: ConnectionContext): Promise<void> {
    try {
      this.#open(connection, ctx, await this.#load());
    } catch (err) {
      log("room.connect_failed", {
        level: "error",
        room: this.name,
        error: err instanceof Error ? err.message : String(err),
      });
      connection.close(CLOSE.ROOM_UNAVAILABLE, "Could not open the room; try again");
    }
  }

  #open(connection: Connection, ctx: ConnectionContext, document: RoomDocument | null): void {
    const member = memberFromRequest(ctx.request);
    if (!member) {
      connection.close(CLOSE.SESSION_ENDED, "Not signed in");
      return;
    }
    if (!document) {
      connection.close(CLOSE.ROOM_UNAVAILABLE, "This room cannot be opened right now");
      return;
    }
    if ([...this.getConnections(`user:${member.userId}`)].length > MAX_SOCKETS_PER_USER_PER_ROOM) {
      connection.close(
        CLOSE.RATE_LIMITED,
        `At most ${MAX_SOCKETS_PER_USER_PER_ROOM} connections per person to one room`,
      );
      return;
    }
    // Stock y-protocols clients read every frame as binary and fail on text notices.
    const notices = new URL(ctx.request.url).searchParams.get(NOTICES_PARAM) === "1";
    connection.setState({ member, notices, presence: [] } satisfies SocketState);
    this.#openSockets?.add(connection);
    const canWrite = this.#canWrite(member);
    this.#notify(connection, {
      type: "welcome",
      userId: member.userId,
      name: member.name,
      role: member.role,
      canWrite,
    });
    if (canWrite) this.#warnIfNearQuota(connection);
    connection.send(syncFrame(syncProtocol.messageYjsSyncStep1, document.stateVector()));
    const present = [...this.#awareness.getStates().keys()];
    if (present.length > 0)
      connection.send(awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(this.#awareness, present)));
  }

  #canWrite(member: VerifiedMember): boolean {
    return can(this.kind, member.role, "doc.write");
  }

  #notify(connection: Connection, notice: ServerNotice): void {
    if (!stateOf(connection)?.notices || connection.readyState !== WebSocket.READY_STATE_OPEN) return;
    connection.send(`${NOTICE_PREFIX}${JSON.stringify(notice)}`);
  }

  #limitsOf(connection: Connection): SocketLimits {
    let limits = this.#limits.get(connection);
    if (!limits) {
      limits = {
        messages: new TokenBucket(SOCKET_MESSAGE_BURST, SOCKET_MESSAGES_PER_SECOND),
        syncReplies: new TokenBucket(SOCKET_SYNC_REPLY_BYTES_PER_MINUTE, SOCKET_SYNC_REPLY_BYTES_PER_MINUTE / 60),
        answeredVersion: -1,
      };
      this.#limits.set(connection, limits);
    }
    return limits;
  }

  #closeRateLimited(connection: Connection, message: string): void {
    this.#notify(connection, { type: "rate_limited", message });
    connection.close(CLOSE.RATE_LIMITED, message);
  }

  override onMessage(connection: Connection, message: WSMessage): void {
    // Frames still arriving on a socket the room has closed cost nothing more.
    if (connection.readyState !== WebSocket.READY_STATE_OPEN) return;
    const state = stateOf(connection);
    if (!state) {
      connection.close(CLOSE.SESSION_ENDED, "Not signed in");
      return;
    }
    const limits = this.#limitsOf(connection);
    if (!limits.messages.take()) {
      this.#closeRateLimited(connection, "Too many messages; reconnect to continue");
      return;
    }
    if (typeof message === "string") {
      // Besides commands, the notice channel is one-way: clients have nothing else to say on it.
      if (!message.startsWith(NOTICE_PREFIX))
        connection.close(CLOSE.MALFORMED_FRAME, "Text frames are not part of the protocol");
      else {
        const { id } = connection;
        const member = state.member;
        // Counted as it arrives, not when its turn comes: a flood is limited by how fast it was sent.
        const allowed = this.#takeAllowance(member);
        const run: Promise<void> = (this.#socketCommands.get(id) ?? Promise.resolve())
          .then(() => this.#commandFromSocket(connection, member, message, allowed))
          .catch((err: unknown) => log("room.command_failed", { level: "error", room: this.name, error: String(err) }))
          .finally(() => {
            if (this.#socketCommands.get(id) === run) this.#socketCommands.delete(id);
          });
        this.#socketCommands.set(id, run);
      }
      return;
    }
    const bytes =
      message instanceof ArrayBuffer
        ? new Uint8Array(message)
        : new Uint8Array(message.buffer, message.byteOffset, message.byteLength);
    if (bytes.byteLength > MAX_FRAME_BYTES) {
      connection.close(CLOSE.FRAME_TOO_LARGE, `Frame exceeds ${MAX_FRAME_BYTES} bytes`);
      return;
    }
    // Presence frames have their own, far smaller bound: refuse before parsing their JSON.
    if (bytes[0] === MESSAGE_AWARENESS && bytes.byteLength > MAX_AWARENESS_FRAME_BYTES) {
      connection.close(CLOSE.FRAME_TOO_LARGE, `Presence frames may be at most ${MAX_AWARENESS_FRAME_BYTES} bytes`);
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
        this.#answerSyncStep1(connection, limits, frame.stateVector);
        return;
      case "update":
        this.#queueUpdate(connection, state.member, frame.update);
        return;
      case "awareness":
        this.#acceptAwareness(connection, state, frame.entries);
        return;
      case "query-awareness": {
        const ids = [...this.#awareness.getStates().keys()];
        connection.send(awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(this.#awareness, ids)));
        return;
      }
    }
  }

  /**
   * Answers "what do I lack?" with the document's integrated state minus the socket's,
   * once per document version: asking again before anything changed gets nothing new.
   * Every ask is charged to a per-socket byte allowance, answered or not, since each
   * answer is encoded and queued in the room's memory whether or not the client reads it.
   */
  #answerSyncStep1(connection: Connection, limits: SocketLimits, stateVector: Uint8Array): void {
    const document = this.#document;
    if (!document) return;
    if (limits.answeredVersion === document.version) {
      if (!limits.syncReplies.take(document.usedBytes))
        this.#closeRateLimited(connection, "Too many full syncs; reconnect to continue");
      return;
    }
    const reply = syncFrame(syncProtocol.messageYjsSyncStep2, document.diff(stateVector));
    if (!limits.syncReplies.take(reply.byteLength)) {
      this.#closeRateLimited(connection, "Too many full syncs; reconnect to continue");
      return;
    }
    limits.answeredVersion = document.version;
    connection.send(reply);
  }

  #queueUpdate(connection: Connection, member: VerifiedMember, update: Uint8Array): void {
    if (isEmptyUpdate(update)) return;
    if (!this.#canWrite(member)) {
      this.#refuse(connection, "read_only");
      return;
    }
    this.#queue.push({ connection, update });
    this.#queuedBytes += update.byteLength;
    if (this.#queuedBytes >= MAX_LOG_ROW_BYTES || this.#queue.length >= MAX_GROUP_UPDATES) {
      this.#commit();
      return;
    }
    if (!this.#commitScheduled) {
      this.#commitScheduled = true;
      // Group commit: updates arriving before the event loop turns are applied, written
      // as one row and relayed as one frame. A zero delay only yields the turn; it never
      // outlives it, so it does not hold the room awake.
      setTimeout(() => this.#commit(), 0);
    }
  }

  #refuse(connection: Connection, reason: RejectionReason): void {
    this.#notify(connection, { type: "rejected", reason, message: REFUSAL_MESSAGES[reason] });
  }

  /**
   * Commits the queued group: each update proven, the group written as one row, then
   * relayed as one frame. A socket whose update could not be applied at all is closed
   * (no honest client sends one), as is one whose update built on changes the room never
   * received (reconnecting resyncs it); other refusals get a notice and the socket stays.
   */
  #commit(): void {
    this.#commitScheduled = false;
    const queue = this.#queue;
    this.#queue = [];
    this.#queuedBytes = 0;
    const document = this.#document;
    if (!document || queue.length === 0) return;
    const usedBefore = document.usedBytes;
    let result: ReturnType<RoomDocument["commit"]>;
    try {
      result = document.commit(queue.map((q) => q.update));
    } catch (err) {
      log("room.store_failed", {
        level: "error",
        room: this.name,
        error: err instanceof Error ? err.message : String(err),
      });
      // Nothing was relayed. The senders still hold their edits and send them again when they resync.
      for (const { connection } of queue)
        connection.close(CLOSE.ROOM_UNAVAILABLE, "Could not save your change; reconnect to retry");
      return;
    }
    for (const [i, outcome] of result.outcomes.entries()) {
      const connection = queue[i]?.connection;
      if (outcome.ok || !connection || connection.readyState !== WebSocket.READY_STATE_OPEN) continue;
      log("room.update_refused", {
        level: "warn",
        room: this.name,
        user: stateOf(connection)?.member.userId,
        reason: outcome.reason,
        detail: outcome.detail,
      });
      if (outcome.reason === "unappliable") connection.close(CLOSE.UPDATE_UNAPPLIABLE, "Update could not be applied");
      else if (outcome.reason === "missing_dependencies")
        connection.close(CLOSE.RESYNC, "Update builds on changes the room never received; reconnect to resync");
      else this.#refuse(connection, outcome.reason);
    }
    if (!result.stored) return;
    this.#broadcast(syncFrame(syncProtocol.messageYjsUpdate, result.stored));
    const warnAt = ROOM_DOC_QUOTA_BYTES * ROOM_DOC_WARN_FRACTION;
    if (usedBefore < warnAt && document.usedBytes >= warnAt) {
      for (const socket of this.getConnections()) {
        const member = stateOf(socket)?.member;
        if (member && this.#canWrite(member)) this.#warnIfNearQuota(socket);
      }
    }
  }

  #warnIfNearQuota(connection: Connection): void {
    const used = this.#document?.usedBytes ?? 0;
    if (used >= ROOM_DOC_QUOTA_BYTES * ROOM_DOC_WARN_FRACTION)
      this.#notify(connection, { type: "quota", usedBytes: used, quotaBytes: ROOM_DOC_QUOTA_BYTES });
  }

  #broadcast(frame: Uint8Array): void {
    for (const socket of this.getConnections()) {
      try {
        socket.send(frame);
      } catch {
        // A socket that is closing misses this frame; it resyncs when it reconnects.
      }
    }
  }

  #owners(): Map<number, { userId: string; socket: Connection }> {
    if (!this.#presenceOwners) {
      this.#presenceOwners = new Map();
      for (const socket of this.getConnections()) {
        const state = stateOf(socket);
        for (const id of state?.presence ?? [])
          if (state) this.#presenceOwners.set(id, { userId: state.member.userId, socket });
      }
    }
    return this.#presenceOwners;
  }

  #setPresenceIds(socket: Connection, change: (ids: Set<number>) => void): void {
    const state = stateOf(socket);
    if (!state) return;
    const ids = new Set(state.presence);
    change(ids);
    socket.setState({ ...state, presence: [...ids] } satisfies SocketState);
  }

  /**
   * Presence under the verified identity. A presence entry belongs to the user whose
   * socket first spoke for it (kept in socket attachments, so it survives hibernation);
   * nobody else may change or remove it. Each socket speaks for a few entries at most,
   * and only the known fields of a state are kept.
   */
  #acceptAwareness(connection: Connection, state: SocketState, entries: AwarenessEntry[]): void {
    const owners = this.#owners();
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
    this.#broadcast(awarenessFrame(update));
  }

  override onClose(connection: Connection): void {
    const owners = this.#owners();
    const gone = (stateOf(connection)?.presence ?? []).filter((id) => owners.get(id)?.socket === connection);
    for (const id of gone) owners.delete(id);
    this.#openSockets?.delete(connection);
    const known = gone.filter((id) => this.#awareness.getStates().has(id));
    if (known.length === 0) return;
    awarenessProtocol.removeAwarenessStates(this.#awareness, known, null);
    this.#broadcast(awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(this.#awareness, known)));
  }

  /**
   * A command sent over the socket as `__YPS:{"type":"command","id",name,args,key}`; the
   * answer goes back to that socket only. Anything else on the channel is ignored.
   */
  async #commandFromSocket(
    connection: Connection,
    member: VerifiedMember,
    message: string,
    allowed: boolean,
  ): Promise<void> {
    // Three bytes at most per UTF-16 unit: anything longer is over the limit whatever it holds, and is not parsed.
    if (message.length > MAX_COMMAND_BYTES * 3) {
      connection.close(CLOSE.FRAME_TOO_LARGE, `Commands may be at most ${MAX_COMMAND_BYTES} bytes`);
      return;
    }
    let frame: Partial<CommandFrame>;
    try {
      frame = JSON.parse(message.slice(NOTICE_PREFIX.length)) as Partial<CommandFrame>;
    } catch {
      connection.close(CLOSE.MALFORMED_FRAME, "Malformed command");
      return;
    }
    if (frame?.type !== "command") return;
    if (typeof frame.id !== "number" || !Number.isSafeInteger(frame.id)) {
      connection.close(CLOSE.MALFORMED_FRAME, "A command needs a numeric id");
      return;
    }
    const { type: _type, id, ...envelope } = frame;
    let outcome: CommandOutcome;
    try {
      outcome = await this.command(
        member,
        envelope,
        new TextEncoder().encode(message).byteLength - NOTICE_PREFIX.length,
        allowed,
      );
    } catch (err) {
      log("room.command_failed", {
        level: "error",
        room: this.name,
        error: err instanceof Error ? err.message : String(err),
      });
      outcome = {
        ok: false,
        error: { code: "unavailable", message: "The room could not run that now; it will be retried." },
      };
    }
    if (connection.readyState !== WebSocket.READY_STATE_OPEN) return;
    connection.send(
      `${NOTICE_PREFIX}${JSON.stringify({ type: "command_result", id, ...outcome } satisfies CommandResultNotice)}`,
    );
  }

  /** Takes one of the person's commands from their allowance; false when it is spent. */
  #takeAllowance(member: VerifiedMember): boolean {
    let allowance = this.#commandAllowance.get(member.userId);
    if (!allowance) {
      allowance = new TokenBucket(COMMAND_BURST_PER_USER, COMMANDS_PER_SECOND_PER_USER);
      this.#commandAllowance.set(member.userId, allowance);
    }
    return allowance.take();
  }

  /**
   * Runs a command for a verified member: the one path behind the socket and
   * `POST /api/rooms/:roomId/commands`. After it commits, the mirror is written and
   * relayed, the alarm set and the outbox sent.
   */
  async command(
    member: VerifiedMember,
    envelope: unknown,
    encodedBytes: number,
    allowed = this.#takeAllowance(member),
  ): Promise<CommandOutcome> {
    if (!allowed) {
      return {
        ok: false,
        error: {
          code: "rate_limited",
          message: "Too many changes at once; they will be retried shortly.",
          details: { retryAfterSeconds: 1 },
        },
      };
    }
    const document = await this.#load();
    if (!document)
      return { ok: false, error: { code: "unavailable", message: "This room cannot be opened right now; try again." } };
    const { outcome, touched } = await runCommand(
      { ...this.#roomStorage(), kind: this.kind, commands: this.commands },
      member,
      envelope,
      encodedBytes,
    );
    if (touched) {
      try {
        await this.#afterCommit(touched);
      } catch (err) {
        // The command is committed and its answer stands; the mirror heals when the room next starts, the alarm on its next set.
        log("room.after_commit_failed", {
          level: "error",
          room: this.name,
          error: err instanceof Error ? err.message : String(err),
        });
      }
    }
    return outcome;
  }

  /**
   * For kinds' own writes outside commands (a sensor's reading): `work` runs in one storage
   * transaction with the same effects a command has, then the mirror, alarm and outbox follow.
   */
  protected async transact<T>(work: (effects: RoomEffects) => T): Promise<T> {
    await this.ready();
    const { value, touched } = inTransaction(this.#roomStorage(), Date.now(), work);
    await this.#afterCommit(touched);
    return value;
  }

  /**
   * For a stream of small writes (sensor readings): like `transact`, but what they touched
   * is copied into the document together, within SENSOR_MIRROR_COALESCE_MS, and queued
   * messages are sent without the caller waiting for the queue.
   */
  protected async transactStreaming<T>(work: (effects: RoomEffects) => T): Promise<T> {
    await this.ready();
    const { value, touched } = inTransaction(this.#roomStorage(), Date.now(), work);
    for (const [root, ids] of touched.records) {
      const into = this.#mirrorSoon.get(root) ?? new Set<string>();
      for (const id of ids) into.add(id);
      this.#mirrorSoon.set(root, into);
    }
    if (this.#mirrorSoon.size > 0 && this.#mirrorTimer === null) {
      this.#mirrorTimer = setTimeout(() => {
        this.#mirrorTimer = null;
        const records = this.#mirrorSoon;
        this.#mirrorSoon = new Map();
        void this.#afterCommit({ records, scheduled: false, enqueued: false });
      }, SENSOR_MIRROR_COALESCE_MS);
    }
    if (touched.enqueued) void this.#flushOutbox().catch(() => undefined);
    if (touched.scheduled || touched.enqueued) await this.#armAlarm();
    return value;
  }
  #mirrorSoon = new Map<string, Set<string>>();
  #mirrorTimer: ReturnType<typeof setTimeout> | null = null;

  /** Copies what a transaction touched into the document, relays it, and hands later work to the alarm and the queue. */
  async #afterCommit(touched: Touched): Promise<void> {
    if (touched.records.size > 0) {
      this.#writeMirror((doc) => {
        for (const [root, ids] of touched.records) {
          const map = doc.getMap(root);
          for (const id of ids) setMirrored(map, id, this.mirrorOf(root, id));
        }
      });
    }
    if (touched.enqueued) await this.#flushOutbox();
    if (touched.scheduled || touched.enqueued) await this.#armAlarm();
  }

  #writeMirror(change: (doc: Y.Doc) => void): void {
    const document = this.#document;
    if (!document) return;
    try {
      const update = document.write(change);
      if (update) this.#broadcast(syncFrame(syncProtocol.messageYjsUpdate, update));
    } catch (err) {
      // The records are committed; the mirror is rebuilt from them when the room next starts.
      log("room.mirror_failed", {
        level: "error",
        room: this.name,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }

  /** Makes the mirror equal the records: on start, after a crash between commit and mirror, or after a migration. */
  #syncMirror(): void {
    this.#writeMirror((doc) => {
      for (const root of this.serverRoots) {
        const map = doc.getMap(root);
        const records = this.mirrorAll(root);
        for (const id of [...map.keys()]) if (!records.has(id)) map.delete(id);
        for (const [id, value] of records) setMirrored(map, id, value);
      }
    });
  }

  /** Sets the alarm to the earliest due job, or soon while messages wait to be sent. */
  async #armAlarm(): Promise<void> {
    const due = earliestDue(this.db);
    const waiting = unsent(this.db, 1).length > 0 ? Date.now() + OUTBOX_RETRY_DELAY_MS : null;
    const at = due === null ? waiting : waiting === null ? due : Math.min(due, waiting);
    if (at === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(at);
  }

  /**
   * Sends waiting outbox messages to the queue, oldest first. A failure leaves them for the
   * alarm to retry. One flush at a time: a second caller waits for the running one and then
   * sends what is left, so no row is sent by two flushes at once.
   */
  #flushOutbox(): Promise<void> {
    const previous = this.#flushing;
    const next = previous.then(() => this.#sendOutbox());
    this.#flushing = next.catch(() => undefined);
    return next;
  }
  #flushing: Promise<void> = Promise.resolve();

  async #sendOutbox(): Promise<void> {
    for (;;) {
      const rows = unsent(this.db, OUTBOX_BATCH);
      if (rows.length === 0) return;
      try {
        await this.env.JOBS.sendBatch(
          rows.map((row) => ({ body: JSON.parse(row.body) as unknown, contentType: "json" as const })),
        );
      } catch (err) {
        log("room.outbox_send_failed", {
          level: "warn",
          room: this.name,
          count: rows.length,
          error: err instanceof Error ? err.message : String(err),
        });
        return;
      }
      markSent(
        this.db,
        rows.map((row) => row.key),
        Date.now(),
      );
      if (rows.length < OUTBOX_BATCH) return;
    }
  }

  /**
   * Runs every due job, each in its own transaction with its effects, so one failing job
   * neither blocks the others nor half-happens. Then mirrors, sends and re-arms.
   */
  override async onAlarm(): Promise<void> {
    // Thrown, not returned: the platform then retries the alarm, so a room that cannot load now still runs its jobs later.
    if (!(await this.#load())) throw new Error("room unavailable; the alarm will be retried");
    const now = Date.now();
    const all: Touched = { records: new Map(), scheduled: true, enqueued: false };
    let ran = 0;
    for (const job of dueJobs(this.db, now, ALARM_MAX_JOBS)) {
      try {
        const { touched } = inTransaction(this.#roomStorage(), now, (effects) => {
          // An earlier job in this run may have rescheduled this one.
          if (!stillDue(this.db, job)) return;
          effects.unschedule(job.id);
          this.runJob(effects, job);
        });
        for (const [root, ids] of touched.records) {
          const into = all.records.get(root) ?? new Set<string>();
          for (const id of ids) into.add(id);
          all.records.set(root, into);
        }
        all.enqueued ||= touched.enqueued;
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        if (job.failures + 1 >= MAX_JOB_FAILURES) {
          // Given up, loudly: a job that fails this often would only keep waking the room.
          log("room.job_abandoned", {
            level: "error",
            room: this.name,
            job: job.id,
            kind: job.kind,
            failures: job.failures + 1,
            error,
          });
          inTransaction(this.#roomStorage(), now, (effects) => effects.unschedule(job.id));
        } else {
          log("room.job_failed", {
            level: "error",
            room: this.name,
            job: job.id,
            kind: job.kind,
            failures: job.failures + 1,
            error,
          });
          retryJob(this.db, job, now + JOB_RETRY_DELAY_MS);
        }
      }
      ran += 1;
    }
    pruneSent(this.db, now - OUTBOX_KEEP_MS);
    await this.#afterCommit({ ...all, enqueued: true });
    if (ran >= ALARM_MAX_JOBS) await this.ctx.storage.setAlarm(Date.now());
  }

  /** RPC from the Worker: a member's role changed; applies to their open sockets at once. */
  async setMemberRole(userId: string, role: string): Promise<void> {
    for (const connection of this.getConnections(`user:${userId}`)) {
      const state = stateOf(connection);
      if (!state) continue;
      const member = { ...state.member, role };
      connection.setState({ ...state, member } satisfies SocketState);
      this.#notify(connection, { type: "access", role, canWrite: this.#canWrite(member) });
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

  /** RPC from the Worker: the room was deleted; its sockets close and everything it stored is erased. */
  async destroy(): Promise<void> {
    for (const connection of this.getConnections()) connection.close(CLOSE.ACCESS_REVOKED, "This room was deleted");
    this.#document = null;
    this.#queue = [];
    await this.ctx.storage.deleteAll();
  }

  /** RPC from the Worker: stored state that failed to load and was set aside, for the room's admins. */
  async listQuarantine(): Promise<QuarantineEntry[]> {
    await migrate(this.db, this.migrations);
    return new YDocStore(this.ctx.storage).listQuarantine();
  }

  override async onRequest(): Promise<Response> {
    return Response.json({ error: { code: "not_found", message: "Rooms speak WebSocket only." } }, { status: 404 });
  }
}
