/** Helpers for the workerd suite: API calls through the real Worker and a y-protocols room client. */
import { SELF } from "cloudflare:test";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import type { Invite, Room, User } from "../../schema/core/api";
import { NOTICE_PREFIX, parseServerNotice, type ServerNotice } from "../../schema/core/messages";
import type { RoomKind } from "../../schema/core/roles";

export const ORIGIN = "http://haven.test";

interface ApiOptions {
  method?: string;
  body?: unknown;
  rawBody?: string;
  cookie?: string;
  headers?: Record<string, string>;
  /** Origin header to send; defaults to the app's own on state-changing requests. */
  origin?: string | null;
  /** CF-Connecting-IP to send; defaults to the current test's own address, null sends none. */
  ip?: string | null;
}

/** A random address in 10.0.0.0/8, so each test counts against per-client limits on its own. */
export function randomClientIp(): string {
  const [a, b, c] = crypto.getRandomValues(new Uint8Array(3));
  return `10.${a}.${b}.${c}`;
}

let testClientIp = randomClientIp();

/** Gives the next test a client address of its own (tests/worker/setup.ts calls it before each test). */
export function useFreshClientIp(): void {
  testClientIp = randomClientIp();
}

/** Calls the Worker as a same-origin browser would. */
export function api(path: string, options: ApiOptions = {}): Promise<Response> {
  const method = options.method ?? (options.body !== undefined || options.rawBody !== undefined ? "POST" : "GET");
  const headers = new Headers(options.headers);
  if (options.cookie) headers.set("Cookie", options.cookie);
  const origin = options.origin === undefined ? (method === "GET" ? null : ORIGIN) : options.origin;
  if (origin) headers.set("Origin", origin);
  const ip = options.ip === undefined ? testClientIp : options.ip;
  if (ip) headers.set("CF-Connecting-IP", ip);
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(options.body);
  }
  return SELF.fetch(`${ORIGIN}${path}`, { method, headers, body });
}

export async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

export interface ErrorJson {
  error: { code: string; message: string; details?: unknown };
}

/** The session cookie pair (`name=value`) from a response. */
export function cookieFrom(response: Response): string {
  const header = response.headers.get("Set-Cookie");
  if (!header) throw new Error(`no Set-Cookie on ${response.status}`);
  return header.split(";")[0] ?? "";
}

let counter = 0;
export function uniqueEmail(prefix = "user"): string {
  counter += 1;
  return `${prefix}-${counter}-${crypto.randomUUID().slice(0, 8)}@example.com`;
}

export interface Account {
  user: User;
  cookie: string;
  email: string;
  password: string;
}

export async function signup(name = "Test User", email = uniqueEmail()): Promise<Account> {
  const password = "correct horse battery";
  const res = await api("/api/auth/signup", { body: { email, password, name } });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${await res.text()}`);
  const { user } = await json<{ user: User }>(res);
  return { user, cookie: cookieFrom(res), email, password };
}

export async function createRoom(owner: Account, kind: RoomKind = "property", name = "Test room"): Promise<Room> {
  const res = await api("/api/rooms", { cookie: owner.cookie, body: { kind, name } });
  if (res.status !== 201) throw new Error(`create room failed: ${res.status} ${await res.text()}`);
  return (await json<{ room: Room }>(res)).room;
}

export async function invite(owner: Account, roomId: string, email: string, role: string): Promise<Invite> {
  const res = await api(`/api/rooms/${roomId}/invites`, { cookie: owner.cookie, body: { email, role } });
  if (res.status !== 201) throw new Error(`invite failed: ${res.status} ${await res.text()}`);
  return (await json<{ invite: Invite }>(res)).invite;
}

/** Signs up a new account and makes it a member of the room with `role`. */
export async function addMember(owner: Account, room: Room, role: string, name = `A ${role}`): Promise<Account> {
  const account = await signup(name);
  const inv = await invite(owner, room.id, account.email, role);
  const res = await api(`/api/invites/${inv.token}/accept`, { cookie: account.cookie, method: "POST" });
  if (res.status !== 200) throw new Error(`accept failed: ${res.status} ${await res.text()}`);
  return account;
}

/** Opens a raw WebSocket to a room through the Worker; returns the HTTP response of the upgrade. */
export async function upgrade(
  path: string,
  options: { cookie?: string; origin?: string | null; headers?: Record<string, string> } = {},
) {
  const headers = new Headers(options.headers);
  headers.set("Upgrade", "websocket");
  if (options.cookie) headers.set("Cookie", options.cookie);
  const origin = options.origin === undefined ? ORIGIN : options.origin;
  if (origin) headers.set("Origin", origin);
  return SELF.fetch(`${ORIGIN}${path}`, { headers });
}

export const WAIT_MS = 5_000;

/** Resolves once `check` returns true, polling; rejects after `timeoutMs`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * A minimal y-protocols client over a workerd WebSocket, like y-websocket's provider:
 * syncs a local Y.Doc with the room and sends local changes as updates.
 */
export class RoomClient {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly notices: ServerNotice[] = [];
  synced = false;
  closed: { code: number; reason: string } | null = null;

  private constructor(readonly socket: WebSocket) {
    socket.accept();
    // Binary frames may arrive as Blobs; a promise chain keeps them in arrival order.
    let inbox = Promise.resolve();
    socket.addEventListener("message", (event) => {
      const data: unknown = event.data;
      inbox = inbox.then(async () => this.onMessage(data instanceof Blob ? await data.arrayBuffer() : data));
    });
    socket.addEventListener("close", (event) => {
      this.closed = { code: event.code, reason: event.reason };
    });
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin === this) return;
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      syncProtocol.writeUpdate(encoder, update);
      this.send(encoding.toUint8Array(encoder));
    });
    clearInterval((this.awareness as unknown as { _checkInterval: ReturnType<typeof setInterval> })._checkInterval);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeSyncStep1(encoder, this.doc);
    this.send(encoding.toUint8Array(encoder));
  }

  /** Binary frames and their bytes received so far. */
  received = { frames: 0, bytes: 0 };
  /** Every text frame received, as sent. */
  readonly texts: string[] = [];
  /** Every binary frame received, as sent: to search for bytes a socket must never get. */
  readonly binaries: Uint8Array[] = [];

  /** Connects and syncs; `query` is added to the URL (e.g. `_pk=...`). */
  static async connect(kind: RoomKind, roomId: string, cookie: string, query = ""): Promise<RoomClient> {
    const res = await upgrade(`/parties/${kind}/${roomId}?notices=1${query ? `&${query}` : ""}`, { cookie });
    if (res.status !== 101 || !res.webSocket) throw new Error(`upgrade refused: ${res.status} ${await res.text()}`);
    const client = new RoomClient(res.webSocket);
    await waitFor(() => client.synced || client.closed !== null, "initial sync");
    return client;
  }

  send(data: Uint8Array | string): void {
    if (this.closed === null) this.socket.send(data);
  }

  /** Publishes a presence state through awareness. */
  setPresence(state: Record<string, unknown>): void {
    this.awareness.setLocalState(state);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.doc.clientID]));
    this.send(encoding.toUint8Array(encoder));
  }

  private onMessage(data: unknown): void {
    if (typeof data === "string") {
      this.texts.push(data);
      const notice = data.startsWith(NOTICE_PREFIX) ? parseServerNotice(data.slice(NOTICE_PREFIX.length)) : null;
      if (notice) this.notices.push(notice);
      return;
    }
    const bytes = new Uint8Array(data as ArrayBuffer);
    this.binaries.push(bytes);
    this.received.frames += 1;
    this.received.bytes += bytes.byteLength;
    const decoder = decoding.createDecoder(bytes);
    const type = decoding.readVarUint(decoder);
    if (type === 0) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      const step = syncProtocol.readSyncMessage(decoder, encoder, this.doc, this);
      if (step === syncProtocol.messageYjsSyncStep2) this.synced = true;
      if (encoding.length(encoder) > 1) this.send(encoding.toUint8Array(encoder));
    } else if (type === 1) {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), this);
    }
  }

  /** Waits until the server closes this socket; returns code and reason. */
  async waitClosed(timeoutMs = WAIT_MS): Promise<{ code: number; reason: string }> {
    await waitFor(() => this.closed !== null, "socket close", timeoutMs);
    return this.closed as { code: number; reason: string };
  }

  close(): void {
    if (this.closed === null) this.socket.close(1000, "done");
  }
}
