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
import { type Connection, type ConnectionContext, Server, type WSMessage } from "partyserver";
import { ALARM_MAX_JOBS } from "../../config";
import type { CommandEnvelope, CommandOutcome } from "../../schema/core/commands";
import { shapeCheckFor } from "../../schema/core/doc-shape";
import { CLOSE } from "../../schema/core/messages";
import { can, type RoomKind } from "../../schema/core/roles";
import { admitSocket } from "./admit";
import { Audiences } from "./audiences";
import { CommandRunner } from "./command-runner";
import type { AuditWriter, CommandTable, RoomEffects, RoomFacts, RoomStorage, Touched } from "./commands";
import type { VerifiedMember } from "./identity";
import { ListSummaryWriter } from "./list-summary";
import { log } from "./log";
import { type KindMigrations, migrateRoom } from "./migrate";
import coreMigrations from "./migrations/migrations.js";
import { RoomMirror } from "./mirror";
import { type NewPhoto, photoCommands } from "./photos";
import { Presence } from "./presence";
import { RoomDocument } from "./room-document";
import { findRoomName, rememberRoomName, storedRoomName } from "./room-name";
import { RoomSchedule } from "./room-schedule";
import type { DueJob } from "./schedule";
import { memberFromRequest, notify, type SocketState, stateOf } from "./sockets";
import { type SyncedDocument, SyncSession } from "./sync-session";
import { UpdateQueue } from "./update-queue";
import { type QuarantineEntry, YDocStore } from "./ydoc-store";

/**
 * The wiring of a room: partyserver's hooks and the Worker's RPC calls hand their work to
 * the collaborators (`SyncSession` with `UpdateQueue` and `Presence` for sockets,
 * `CommandRunner` with `RoomMirror` for commands and kinds' writes, `RoomSchedule` for the
 * alarm and outbox). Kinds extend it and fill in the protected members.
 */
export abstract class HavenRoom extends Server<Env> {
  static override options = { hibernate: true };

  /** Which kind of room this class serves; decides the roles it knows. */
  abstract readonly kind: RoomKind;
  /** This kind's own track of migrations (the core track is applied before it), and how older rooms carry over. */
  abstract readonly migrations: KindMigrations;
  /** This kind's commands, by name. */
  protected readonly commands: CommandTable = {};
  /** Document roots holding the mirror of this kind's records: only the room writes them. */
  protected readonly serverRoots: readonly string[] = [];
  /** Most bytes each server root's records may take in the document together (config.ts), within its quota. */
  protected readonly mirrorCaps: Readonly<Record<string, number>> = {};
  /** Writes each command's audit entry in its transaction; null: core's plain `audit_log` row. */
  protected readonly auditWriter: AuditWriter | null = null;

  /** A record as mirrored into `root`, or undefined when it no longer exists there. */
  protected mirrorOf(_root: string, _id: string): unknown {
    return undefined;
  }

  /** Every record of `root`, to rebuild the mirror when the room starts. */
  protected mirrorAll(_root: string): Map<string, unknown> {
    return new Map();
  }

  /** A record a command touched, as it stands after the handler's writes, read once for the audit and the mirror. */
  protected touchedRecord(touched: Readonly<Touched>, root: string, id: string): unknown {
    return this.#mirror.readAfter(touched, root, id);
  }

  /**
   * A record as the room's document holds it now: inside a command's transaction, its state before the command
   * (the mirror is written after commit). Undefined when it is not there or the room is not loaded.
   */
  protected mirrored(root: string, id: string): unknown {
    return this.#document?.mirrored(root, id);
  }

  /**
   * The audiences this kind keeps a projection for (docs/rooms.md, "Audiences and projections"): each its own
   * document holding the server roots with only what that audience may see. None by default.
   */
  protected readonly audiences: readonly string[] = [];

  /**
   * Which document a member is served: null the room's own (with its shared content and presence), or one of
   * `audiences`, whose projection their socket then gets instead, read-only. A pure function of the member, so a
   * role change can tell whether it changes what they see.
   */
  protected audienceOf(_member: VerifiedMember): string | null {
    return null;
  }

  /** `record` of `root` (in full, as mirrored) as `audience` may see it, or undefined when it may see nothing of it. */
  protected projectedOf(_audience: string, _root: string, _id: string, _record: unknown): unknown {
    return undefined;
  }

  /** Every record of `root` that `audience` may see, as it may see it, to rebuild its projection. */
  protected projectedAll(_audience: string, _root: string): Map<string, unknown> {
    return new Map();
  }

  /** Does one scheduled job (inside its transaction). A kind that schedules jobs handles their kinds here. */
  protected runJob(_effects: RoomEffects, job: DueJob): void {
    log("room.job_unknown", { level: "warn", room: this.name, job: job.id, kind: job.kind });
  }

  /** Whether a photo of this room is attached to anything. Kinds that take photos answer; by default all are kept. */
  protected photoInUse(_photoId: string): boolean {
    return true;
  }

  /**
   * The room's id: workerd's, or the one the room stored when it knew it (room-name.ts says why
   * workerd may not know it).
   */
  override get name(): string {
    if (this.ctx.id.name !== undefined) return this.ctx.id.name;
    this.#storedName ??= storedRoomName(this.ctx.storage);
    return this.#storedName ?? super.name;
  }
  #storedName: string | undefined;

  /** The id for a log line, which must not throw where the id is unknown. */
  #logName(): string {
    return this.ctx.id.name ?? this.#storedName ?? `unnamed:${this.ctx.id.toString()}`;
  }

  /** Drizzle over this room's SQLite, for kinds' tables. */
  protected get db(): DrizzleSqliteDODatabase {
    this.#db ??= drizzle(this.ctx.storage);
    return this.#db;
  }
  #db: DrizzleSqliteDODatabase | null = null;

  #roomStorage(): RoomStorage {
    const storage: RoomStorage = { roomId: this.name, storage: this.ctx.storage, db: this.db };
    if (this.auditWriter) storage.audit = this.auditWriter;
    return storage;
  }

  /** Null until loaded, and if loading failed. */
  #document: RoomDocument | null = null;
  /**
   * Open sockets, kept in memory so a relay does not ask the platform for every socket
   * and decode each one's attachment. Rebuilt from the platform once after the room wakes.
   */
  #openSockets: Set<Connection> | null = null;
  readonly #audiences = new Audiences({
    roomId: () => this.name,
    storage: () => this.ctx.storage,
    audiences: () => this.audiences,
    audienceOf: (member) => this.audienceOf(member),
    serverRoots: () => this.serverRoots,
    projectedOf: (audience, root, id, record) => this.projectedOf(audience, root, id, record),
    projectedAll: (audience, root) => this.projectedAll(audience, root),
    sockets: () => this.getConnections(),
  });
  /** Relays a frame of the room's own document: to the sockets served it, never to an audience's. */
  readonly #relay = (frame: Uint8Array): void => this.#audiences.relay(null, frame);
  readonly #ownSockets = (): Iterable<Connection> => this.#audiences.socketsOf(null);
  readonly #presence = new Presence({ sockets: this.#ownSockets, relay: this.#relay });
  readonly #updates = new UpdateQueue({
    roomId: () => this.name,
    document: () => this.#document,
    canWrite: (member) => this.#canWrite(member),
    sockets: this.#ownSockets,
    relay: this.#relay,
  });
  readonly #session = new SyncSession({
    roomId: () => this.name,
    audienceOf: (connection) => this.#audiences.of(connection),
    document: (connection) => this.#documentOf(connection),
    updates: this.#updates,
    presence: this.#presence,
    command: (connection, member, message) =>
      void this.#runner.fromSocket(connection, message, (envelope, bytes) => this.command(member, envelope, bytes)),
  });
  readonly #mirror = new RoomMirror({
    roomId: () => this.name,
    document: () => this.#document,
    serverRoots: () => this.serverRoots,
    caps: () => this.mirrorCaps,
    mirrorOf: (root, id) => this.mirrorOf(root, id),
    mirrorAll: (root) => this.mirrorAll(root),
    relay: this.#relay,
    projections: this.#audiences,
  });
  readonly #schedule = new RoomSchedule({
    storage: () => this.#roomStorage(),
    env: this.env,
    runJob: (effects, job) => this.runJob(effects, job),
    photoInUse: (photoId) => this.photoInUse(photoId),
  });
  /** Membership lives in D1, where the Worker keeps it: asked there, so the socket and HTTP paths check alike. */
  readonly #facts: RoomFacts = {
    isMember: async (userId) =>
      (await this.env.DB.prepare("SELECT 1 FROM memberships WHERE room_id = ? AND user_id = ?")
        .bind(this.name, userId)
        .first()) !== null,
    member: async (userId) =>
      await this.env.DB.prepare(
        "SELECT m.role AS role, u.name AS name FROM memberships m JOIN users u ON u.id = m.user_id " +
          "WHERE m.room_id = ? AND m.user_id = ?",
      )
        .bind(this.name, userId)
        .first<{ role: string; name: string }>(),
    roomId: () => this.name,
    d1: this.env.DB,
  };
  readonly #listSummary = new ListSummaryWriter();
  readonly #runner = new CommandRunner({
    kind: () => this.kind,
    storage: () => this.#roomStorage(),
    load: () => this.#load(),
    document: () => this.#document,
    facts: this.#facts,
    mirror: this.#mirror,
    schedule: this.#schedule,
    listed: () => this.#listSummary.write(this.env.DB, this.name, this.listSummary()),
  });

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
      if (this.ctx.id.name !== undefined) rememberRoomName(this.ctx.storage, this.ctx.id.name);
      migrateRoom(this.ctx.storage, coreMigrations, this.kind, this.migrations);
      this.#document = new RoomDocument(new YDocStore(this.ctx.storage), shapeCheckFor(this.serverRoots));
      this.#mirror.sync();
      await this.#schedule.armAlarm();
    } catch (err) {
      // Also when only the steps after the document failed: a half-loaded room must not pass for loaded.
      this.#document = null;
      log("room.load_failed", {
        level: "error",
        room: this.#logName(),
        error: err instanceof Error ? err.message : String(err),
      });
    }
    return this.#document;
  }

  /**
   * RPC: answers at once, without starting the room (no storage is read or made): proves the rooms' Durable
   * Objects can be reached, for `GET /health/ready`.
   */
  async ping(): Promise<"ok"> {
    return "ok";
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
        room: this.#logName(),
        error: err instanceof Error ? err.message : String(err),
      });
      connection.close(CLOSE.ROOM_UNAVAILABLE, "Could not open the room; try again");
    }
  }

  #open(connection: Connection, ctx: ConnectionContext, document: RoomDocument | null): void {
    admitSocket(connection, ctx, document, {
      roomId: () => this.name,
      socketsOfUser: (userId) => [...this.getConnections(`user:${userId}`)].length,
      audienceOf: (member) => this.audienceOf(member),
      projection: (audience) => this.#audiences.projection(audience),
      canWrite: (member) => this.#canWrite(member),
      present: () => this.#presence.present(),
      admitted: (socket) => this.#openSockets?.add(socket),
    });
  }

  /** Only members served the room's own document write to it: a projection is the room's to build. */
  #canWrite(member: VerifiedMember): boolean {
    return this.audienceOf(member) === null && can(this.kind, member.role, "doc.write");
  }

  /** The document a socket is served, once the room is loaded. */
  #documentOf(connection: Connection): SyncedDocument | null {
    if (!this.#document) return null;
    const audience = this.#audiences.of(connection);
    if (audience === undefined) return null;
    return audience === null ? this.#document : this.#audiences.projection(audience);
  }

  /** Each socket event of this room after the one before it has been handled (see webSocketMessage). */
  #inbound: Promise<void> = Promise.resolve();

  /**
   * partyserver awaits the room's start before each message. A message that wakes the room from hibernation
   * waits for the start while the next may not, so the two could be handled out of order: an edit would then reach
   * the room before the edit it builds on and be refused. Chained, every message and close is handled in the order
   * the socket delivered it, whatever partyserver awaits.
   */
  override webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    return this.#inOrder(() => super.webSocketMessage(ws, message));
  }

  override webSocketClose(ws: WebSocket, code: number, reason: string, wasClean: boolean): Promise<void> {
    return this.#inOrder(() => super.webSocketClose(ws, code, reason, wasClean));
  }

  #inOrder(handle: () => Promise<void>): Promise<void> {
    const handled = this.#inbound.then(handle);
    this.#inbound = handled.catch(() => undefined);
    return handled;
  }

  override onMessage(connection: Connection, message: WSMessage): void {
    this.#session.receive(connection, message);
  }

  override onClose(connection: Connection): void {
    const left = this.#presence.release(connection);
    this.#openSockets?.delete(connection);
    this.#presence.announceLeft(left);
  }

  /**
   * Runs a command for a verified member: the one path behind the socket and
   * `POST /api/rooms/:roomId/commands`. After it commits, the mirror is written and
   * relayed, the alarm set and the outbox sent.
   */
  async command(member: VerifiedMember, envelope: unknown, encodedBytes: number): Promise<CommandOutcome> {
    return this.#runner.run(this.commands, member, envelope, encodedBytes);
  }

  /**
   * RPC from the Worker's upload route: registers a photo it stored in R2 as the command
   * `photo.register`, through the runner (audit row, key, the uploader's capability, the
   * room's photo quota). A refusal means the Worker deletes the object again.
   */
  async registerPhoto(member: VerifiedMember, photo: NewPhoto): Promise<CommandOutcome> {
    const envelope = { name: "photo.register", args: photo, key: `photo.register:${photo.id}` };
    return this.#runner.execute(photoCommands(this.kind), member, envelope, 0);
  }

  /**
   * Runs a command of `commands`, a table of a kind's own that no client can name, for an RPC from the
   * Worker's routes (a document it stored, a download it serves): the same runner, audit row and key as
   * every command, with no allowance charged, since the route limits its own calls.
   */
  protected execute(
    commands: CommandTable,
    member: VerifiedMember,
    envelope: CommandEnvelope,
  ): Promise<CommandOutcome> {
    return this.#runner.execute(commands, member, envelope, 0);
  }

  /**
   * For kinds' own writes outside commands (a sensor's reading): `work` runs in one storage
   * transaction with the same effects a command has, then the mirror, alarm and outbox follow.
   */
  protected async transact<T>(work: (effects: RoomEffects) => T): Promise<T> {
    await this.ready();
    return this.#runner.transact(work);
  }

  /**
   * For a stream of small writes (sensor readings): like `transact`, but what they touched
   * is copied into the document together, within SENSOR_MIRROR_COALESCE_MS, and queued
   * messages are sent without the caller waiting for the queue.
   */
  protected async transactStreaming<T>(work: (effects: RoomEffects) => T): Promise<T> {
    await this.ready();
    return this.#runner.transactStreaming(work);
  }

  /**
   * partyserver's alarm entry point, first finding the id of a room that stored none when a cold
   * alarm woke it without one (room-name.ts).
   */
  override async alarm(): Promise<void> {
    if (this.ctx.id.name === undefined && storedRoomName(this.ctx.storage) === undefined) {
      const idFromName = (name: string) => this.env[this.kind].idFromName(name);
      const found = await findRoomName(this.env.DB, idFromName, this.kind, this.ctx.id);
      if (found !== undefined) rememberRoomName(this.ctx.storage, found);
    }
    await super.alarm();
  }

  /** Runs every due job, then mirrors, sends and re-arms. */
  override async onAlarm(): Promise<void> {
    // Thrown, not returned: the platform then retries the alarm, so a room that cannot load now
    // still runs its jobs later.
    if (!(await this.#load())) throw new Error("room unavailable; the alarm will be retried");
    const { touched, ran } = await this.#schedule.runDue();
    await this.#runner.afterCommit({ ...touched, enqueued: true });
    if (ran >= ALARM_MAX_JOBS) await this.ctx.storage.setAlarm(Date.now());
  }

  /**
   * The room's line in the rooms list, in its kind's shape (`Room` in schema/core/api.ts), or null for none
   * (yet): computed after each commit that changed records, written to D1 only when it changed.
   */
  protected listSummary(): object | null {
    return null;
  }

  /**
   * A member's role changed (`role`) or they left (null), after D1 recorded it: a kind ends here what
   * the member's old standing gave them outside their sockets (a home's calendar feed).
   */
  protected async onMemberChange(_userId: string, _role: string | null): Promise<void> {}

  /**
   * RPC from the Worker: a member's role changed; applies to their open sockets at once. A socket whose
   * audience the new role changes is closed: it holds a copy of a document the member may no longer be served,
   * and the client drops that copy and reconnects to the one it now may see.
   */
  async setMemberRole(userId: string, role: string): Promise<void> {
    await this.onMemberChange(userId, role);
    for (const connection of this.getConnections(`user:${userId}`)) {
      const state = stateOf(connection);
      if (!state) continue;
      const member = { ...state.member, role };
      const audience = this.audienceOf(member);
      if (audience !== this.#audiences.of(connection)) {
        connection.close(CLOSE.AUDIENCE_CHANGED, "What you may see in this room changed; reconnect");
        continue;
      }
      connection.setState({ ...state, member, audience } satisfies SocketState);
      notify(connection, { type: "access", role, canWrite: this.#canWrite(member) });
    }
  }

  /** RPC from the Worker: a member was removed; their sockets close now. */
  async revokeMember(userId: string): Promise<void> {
    await this.onMemberChange(userId, null);
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
    this.#updates.clear();
    this.#audiences.clear();
    await this.ctx.storage.deleteAll();
  }

  /** RPC from the Worker: stored state that failed to load and was set aside, for the room's admins. */
  async listQuarantine(): Promise<QuarantineEntry[]> {
    migrateRoom(this.ctx.storage, coreMigrations, this.kind, this.migrations);
    return new YDocStore(this.ctx.storage).listQuarantine();
  }

  override async onRequest(): Promise<Response> {
    return Response.json({ error: { code: "not_found", message: "Rooms speak WebSocket only." } }, { status: 404 });
  }
}
