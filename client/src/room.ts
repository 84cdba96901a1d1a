/**
 * The live state of one room: its Yjs document (synced over the room's WebSocket and kept
 * in IndexedDB so offline edits survive a reload), the people present, the connection
 * and what this user may do. Must be created inside a Solid owner; it tears itself down
 * when that owner is disposed.
 */
import { type Accessor, batch, createSignal, onCleanup } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import type { IndexeddbPersistence } from "y-indexeddb";
import YProvider from "y-partyserver/provider";
import { Awareness } from "y-protocols/awareness";
import * as Y from "yjs";
import type { Room, User } from "../../schema/core/api";
import type { Checklist, ItemPatch } from "../../schema/core/checklists";
import * as shape from "../../schema/core/checklists";
import {
  CLOSE,
  localCopyFits,
  NOTICES_PARAM,
  parseServerNotice,
  TERMINAL_CLOSE_CODES,
} from "../../schema/core/messages";
import { colorFor, type PresenceState } from "../../schema/core/presence";
import { can } from "../../schema/core/roles";
import { ApiError, getRoom } from "./api";
import { closeLocalCopy, localCopyAudience, openLocalCopy, recordLocalCopyAudience } from "./local-data";

/** `connecting`: not connected yet since the page opened the room; `reconnecting`: it was, and the link dropped. */
export type ConnectionState = "connecting" | "connected" | "reconnecting" | "offline";
/** Why the room stopped for good: the user must act (sign in again, or leave). */
export type RoomEnd = "session_ended" | "access_revoked";
export type EditingTarget = PresenceState["editing"];

/** One connected client, as its awareness state says. */
export interface Peer {
  clientId: number;
  userId: string;
  name: string;
  color: string;
  editing: EditingTarget;
  self: boolean;
}

export interface RoomStore {
  readonly checklists: Checklist[];
  /** True once the local copy or the server has supplied the document. */
  loaded: Accessor<boolean>;
  /**
   * The live document, for a room kind's own store to read its roots from; it changes when
   * the local copy is replaced, and is null while there is none.
   */
  doc: Accessor<Y.Doc | null>;
  connection: Accessor<ConnectionState>;
  role: Accessor<string>;
  canWrite: Accessor<boolean>;
  /** Which document the room serves this user: null its own, a name that audience's read-only projection. */
  audience: Accessor<string | null>;
  peers: Accessor<Peer[]>;
  ended: Accessor<RoomEnd | null>;
  /** The latest thing the server refused, for the user to read. */
  rejection: Accessor<string | null>;
  dismissRejection(): void;
  setEditing(target: EditingTarget): void;
  addChecklist(title: string): string | null;
  renameChecklist(checklistId: string, title: string, caret?: number): void;
  /**
   * The shared text behind a checklist's title (item null) or an
   * item, for an input to bind to; null before it is a Y.Text.
   */
  textField(checklistId: string, itemId: string | null): Y.Text | null;
  deleteChecklist(checklistId: string): void;
  addItem(checklistId: string, text: string): string | null;
  updateItem(checklistId: string, itemId: string, patch: ItemPatch): void;
  deleteItem(checklistId: string, itemId: string): void;
  /**
   * Takes back this user's last structural change (Ctrl/Cmd+Z outside a text field); other
   * people's changes stay. Typing is undone in its field (components/textUndo.ts).
   */
  undo(): void;
  redo(): void;
  moveItem(checklistId: string, itemId: string, toIndex: number): void;
}

/**
 * A refused WebSocket upgrade (401/403 before the room) looks like a plain network drop
 * to the browser. After this many failed attempts in a row we ask the API why.
 */
const PROBE_AFTER_FAILED_ATTEMPTS = 3;

interface Connection {
  doc: Y.Doc;
  persistence: IndexeddbPersistence;
  /** Outlives providers: peers drop a presence whose clock goes backwards. */
  awareness: Awareness;
  /** Replaced when the network comes back (see `goOnline`). */
  provider: YProvider;
  /** This user's own structural changes, to undo and redo; other people's are never undone here. */
  undo: Y.UndoManager;
  /** Which audience's document the local copy holds, as recorded; undefined when unknown. */
  audience: string | null | undefined;
  /** The copy was just made empty, so it may become any audience's. */
  fresh: boolean;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function parsePeer(clientId: number, state: unknown, selfClientId: number): Peer | null {
  if (typeof state !== "object" || state === null) return null;
  const { user, editing } = state as { user?: unknown; editing?: unknown };
  if (typeof user !== "object" || user === null) return null;
  const { id, name } = user as { id?: unknown; name?: unknown };
  if (typeof id !== "string" || typeof name !== "string") return null;
  let target: EditingTarget = null;
  if (typeof editing === "object" && editing !== null) {
    const { checklistId, itemId } = editing as { checklistId?: unknown; itemId?: unknown };
    if (typeof checklistId === "string" && typeof itemId === "string") target = { checklistId, itemId };
  }
  // The colour is derived, not read from the state, so it is the same on every screen.
  return { clientId, userId: id, name, color: colorFor(id), editing: target, self: clientId === selfClientId };
}

export function createRoomStore(room: Room, user: User): RoomStore {
  const [state, setState] = createStore<{ checklists: Checklist[] }>({ checklists: [] });
  const [loaded, setLoaded] = createSignal(false);
  const [everConnected, setEverConnected] = createSignal(false);
  /** Bumped whenever the local document is replaced, so bindings let go of the old one. */
  const [generation, setGeneration] = createSignal(0);
  const [socketUp, setSocketUp] = createSignal(false);
  const [online, setOnline] = createSignal(navigator.onLine);
  const [role, setRole] = createSignal(room.role);
  const [canWrite, setCanWrite] = createSignal(can(room.kind, room.role, "doc.write"));
  const [audience, setAudience] = createSignal<string | null>(null);
  const [peers, setPeers] = createSignal<Peer[]>([]);
  const [ended, setEnded] = createSignal<RoomEnd | null>(null);
  const [rejection, setRejection] = createSignal<string | null>(null);
  const [liveDoc, setLiveDoc] = createSignal<Y.Doc | null>(null);

  let conn: Connection | null = null;
  let failedAttempts = 0;
  let discardedOnce = false;
  let disposed = false;

  const presence = (): PresenceState => ({
    user: { id: user.id, name: user.name, color: colorFor(user.id) },
    editing: null,
  });

  function connect(doc: Y.Doc, awareness: Awareness): YProvider {
    const provider = new YProvider(window.location.host, room.id, doc, {
      party: room.kind,
      connect: true,
      awareness,
      // Opts in to the room's JSON notices (welcome, access, rejected); see docs/api.md.
      params: { [NOTICES_PARAM]: "1" },
      // The library guesses ws/wss from the host name; the page's own scheme is the truth.
      protocol: window.location.protocol === "https:" ? "wss" : "ws",
    });
    provider.on("synced", (synced: boolean) => {
      if (synced) setLoaded(true);
    });
    provider.on("status", ({ status }: { status: "connected" | "connecting" | "disconnected" }) => {
      setSocketUp(status === "connected");
      if (status === "connected") {
        failedAttempts = 0;
        setEverConnected(true);
      }
    });
    provider.on("custom-message", (raw: string) => onNotice(raw));
    provider.on("connection-close", (event: CloseEvent) => onClose(provider, event));
    return provider;
  }

  /** Opens the local copy and connects; `fresh` when the copy was just deleted, so it holds nothing yet. */
  function open(fresh = false): Connection {
    setGeneration((n) => n + 1);
    const doc = new Y.Doc();
    const persistence = openLocalCopy(room.id, doc);
    const awareness = new Awareness(doc);
    const refresh = () => setState("checklists", reconcile(shape.readChecklists(doc), { key: "id" }));
    const refreshPeers = () => {
      const list: Peer[] = [];
      awareness.getStates().forEach((value, clientId) => {
        const peer = parsePeer(clientId, value, doc.clientID);
        if (peer) list.push(peer);
      });
      setPeers(list);
    };
    doc.on("update", refresh);
    awareness.on("change", refreshPeers);
    // An empty local copy proves nothing about the room: wait for the server unless offline.
    persistence.on("synced", () => {
      if (doc.store.clients.size > 0 || !navigator.onLine) setLoaded(true);
    });
    awareness.setLocalState(presence());
    refresh();
    // Tracks only transactions this client makes (origin null): not the server's, not the local copy's,
    // and not typing in a text field, which that field's own history takes back (components/textUndo.ts).
    const undo = new Y.UndoManager(shape.checklistsRoot(doc), { captureTimeout: 500 });
    const held = fresh ? undefined : localCopyAudience(room.id);
    return { doc, persistence, awareness, provider: connect(doc, awareness), undo, audience: held, fresh };
  }

  /** Stops syncing; `forget` also deletes the local copy of the document. */
  async function close(target: Connection, forget: boolean): Promise<void> {
    target.provider.destroy();
    await closeLocalCopy(target.persistence, forget);
    // Destroying the doc destroys its awareness too.
    target.doc.destroy();
  }

  function onNotice(raw: string) {
    const notice = parseServerNotice(raw);
    if (!notice) return;
    switch (notice.type) {
      case "welcome":
        if (!copyFits(notice.audience)) return;
        setAudience(notice.audience);
        batch(() => {
          setRole(notice.role);
          setCanWrite(notice.canWrite);
        });
        break;
      case "access":
        batch(() => {
          setRole(notice.role);
          setCanWrite(notice.canWrite);
        });
        break;
      case "rejected":
        if (notice.reason === "read_only") setCanWrite(false);
        setRejection(`Your change was not saved. ${notice.message}`);
        // A full room may take the change later, once someone makes space: keep it here.
        if (notice.reason !== "quota_exceeded") void discardLocalChanges();
        break;
      case "quota":
        setRejection(
          `This room is nearly full: ${megabytes(notice.usedBytes)} of ${megabytes(notice.quotaBytes)} used. Delete ` +
            `what is no longer needed to keep adding.`,
        );
        break;
      case "rate_limited":
        setRejection(`${notice.message}. Reconnecting…`);
        break;
    }
  }

  /**
   * Whether the local copy holds the document the server serves this socket (`audience`). A copy of another
   * audience's is dropped before anything of the server's merges into it, and a fresh one connects.
   */
  function copyFits(audience: string | null): boolean {
    if (!conn) return false;
    if (!localCopyFits(conn.audience, audience, conn.fresh)) {
      void replaceLocalCopy();
      return false;
    }
    conn.audience = audience;
    conn.fresh = false;
    recordLocalCopyAudience(room.id, audience);
    return true;
  }

  /** Deletes the local copy and connects again with an empty one, which the server fills. */
  async function replaceLocalCopy() {
    if (!conn) return;
    const old = conn;
    conn = null;
    setLiveDoc(null);
    await close(old, true);
    if (!disposed && ended() === null) {
      setLoaded(false);
      conn = open(true);
      setLiveDoc(conn.doc);
    }
  }

  /**
   * The server will never apply this copy's unsynced changes, and the provider would
   * resend them on every reconnect: drop the local copy and load the server's. Done at
   * most once, so a server that keeps rejecting cannot make us loop.
   */
  async function discardLocalChanges() {
    if (discardedOnce || !conn) return;
    discardedOnce = true;
    await replaceLocalCopy();
  }

  function finish(reason: RoomEnd) {
    const target = conn;
    setEnded(reason);
    if (!target) return;
    target.provider.disconnect();
    // A removed member keeps no copy of a room they may no longer read.
    if (reason === "access_revoked") {
      conn = null;
      setLiveDoc(null);
      void close(target, true);
    }
  }

  function onClose(provider: YProvider, event: CloseEvent) {
    if (conn?.provider !== provider) return;
    if (TERMINAL_CLOSE_CODES.includes(event.code)) {
      finish(event.code === CLOSE.ACCESS_REVOKED ? "access_revoked" : "session_ended");
      return;
    }
    // The member's role now serves them another document: what this copy holds is not what they may see now.
    if (event.code === CLOSE.AUDIENCE_CHANGED) {
      setRejection("What you may see in this room changed, so it was loaded again.");
      void replaceLocalCopy();
      return;
    }
    // The room could not apply what this copy sent, and the provider would send it again on every reconnect.
    if (event.code === CLOSE.UPDATE_UNAPPLIABLE) {
      setRejection("This device's copy of the room could not be merged, so it was replaced with the room's.");
      void discardLocalChanges();
      return;
    }
    if (provider.wsconnected || !navigator.onLine) return;
    failedAttempts++;
    if (failedAttempts % PROBE_AFTER_FAILED_ATTEMPTS === 0) void probe(provider);
  }

  /** Asks the API whether a socket that keeps failing is being refused, and why. */
  async function probe(provider: YProvider) {
    try {
      await getRoom(room.id);
    } catch (error) {
      if (!(error instanceof ApiError) || conn?.provider !== provider) return;
      if (error.status === 401) finish("session_ended");
      else if (error.status === 403 || error.status === 404) finish("access_revoked");
    }
  }

  // A socket that lived through a network drop can stay half-open, silently losing frames
  // both ways, and the provider has no liveness check; closing it cleanly can hang until
  // the browser gives up on the closing handshake. So going offline stops the socket, and
  // coming back replaces the provider: the new socket's handshake exchanges whatever either
  // side missed, and the welcome restates this user's role.
  const goOffline = () => {
    setOnline(false);
    setSocketUp(false);
    conn?.provider.disconnect();
  };
  const goOnline = () => {
    setOnline(true);
    if (!conn || ended() !== null) return;
    const stale = conn.provider;
    // Without this, the stale socket's eventual close would wipe the peers that the
    // shared awareness has meanwhile learnt through the new socket.
    stale.wsconnected = false;
    stale.destroy();
    conn.provider = connect(conn.doc, conn.awareness);
  };
  window.addEventListener("online", goOnline);
  window.addEventListener("offline", goOffline);

  conn = open();
  setLiveDoc(conn.doc);

  onCleanup(() => {
    disposed = true;
    window.removeEventListener("online", goOnline);
    window.removeEventListener("offline", goOffline);
    if (conn) void close(conn, false);
    conn = null;
  });

  /** A deletion is an undo step of its own, so its notice's Undo brings back just that. */
  function deleteAsOwnStep(change: () => void): void {
    conn?.undo.stopCapturing();
    change();
    conn?.undo.stopCapturing();
  }

  /** Runs a document change if this user may write and the room is open. */
  function write<T>(change: (doc: Y.Doc) => T): T | null {
    if (!canWrite() || !conn) return null;
    return change(conn.doc);
  }

  return {
    get checklists() {
      return state.checklists;
    },
    loaded,
    doc: liveDoc,
    connection: () =>
      !online() ? "offline" : socketUp() ? "connected" : everConnected() ? "reconnecting" : "connecting",
    role,
    canWrite,
    audience,
    peers,
    ended,
    rejection,
    dismissRejection: () => setRejection(null),
    setEditing(target) {
      conn?.awareness.setLocalStateField("editing", target);
    },
    addChecklist: (title) => write((doc) => shape.addChecklist(doc, title)),
    renameChecklist: (id, title, caret) => void write((doc) => shape.renameChecklist(doc, id, title, caret)),
    textField: (listId, itemId) => {
      generation();
      return conn ? shape.textField(conn.doc, listId, itemId) : null;
    },
    deleteChecklist: (id) => void write((doc) => deleteAsOwnStep(() => shape.deleteChecklist(doc, id))),
    addItem: (listId, text) => write((doc) => shape.addItem(doc, listId, text)),
    updateItem: (listId, itemId, patch) => void write((doc) => shape.updateItem(doc, listId, itemId, patch)),
    deleteItem: (listId, itemId) => void write((doc) => deleteAsOwnStep(() => shape.deleteItem(doc, listId, itemId))),
    undo: () => void write(() => conn?.undo.undo()),
    redo: () => void write(() => conn?.undo.redo()),
    moveItem: (listId, itemId, toIndex) => void write((doc) => shape.moveItem(doc, listId, itemId, toIndex)),
  };
}
