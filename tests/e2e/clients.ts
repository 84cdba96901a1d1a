/** Node-side clients for the process-level tests: the HTTP API and stock y-websocket providers. */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import type { Room, User } from "../../schema/core/api";
import { dayWords } from "../../schema/core/day-words";
import type { RoomKind } from "../../schema/core/roles";
import { type DevServer, type DevServerOptions, startDevServer } from "../../scripts/dev-server";

/**
 * A `wrangler dev` server on a fresh state folder of its own. `start` may be called again
 * after a stop (the state folder stays); after the file's tests the server is killed and
 * the folder removed.
 */
export function useDevServer(
  name: string,
  options: Pick<DevServerOptions, "env"> = {},
): { start(): Promise<DevServer> } {
  const persistTo = mkdtempSync(join(tmpdir(), `haven-${name}-`));
  let current: DevServer | null = null;
  afterAll(async () => {
    await current?.stop("SIGKILL");
    rmSync(persistTo, { recursive: true, force: true });
  });
  return {
    async start() {
      current = await startDevServer({ ...options, persistTo });
      return current;
    },
  };
}

export interface Session {
  user: User;
  cookie: string;
}

async function post(url: string, path: string, body: unknown, cookie?: string): Promise<Response> {
  return fetch(`${url}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(cookie ? { Cookie: cookie } : {}) },
    body: JSON.stringify(body),
  });
}

export async function signup(url: string, name: string): Promise<Session> {
  const email = `${name.toLowerCase()}-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const res = await post(url, "/api/auth/signup", { email, password: "long enough password", name });
  if (res.status !== 201) throw new Error(`signup: ${res.status} ${await res.text()}`);
  const { user } = (await res.json()) as { user: User };
  return { user, cookie: (res.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "" };
}

export async function createRoom(url: string, owner: Session, kind: RoomKind, name: string): Promise<Room> {
  const res = await post(url, "/api/rooms", { kind, name }, owner.cookie);
  if (res.status !== 201) throw new Error(`create room: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { room: Room }).room;
}

/** Signs up `name` and makes them a member of `room` with `role`, through an invite as a person would. */
export async function addMember(url: string, owner: Session, room: Room, role: string, name: string): Promise<Session> {
  const person = await signup(url, name);
  const me = (await (await fetch(`${url}/api/me`, { headers: { Cookie: person.cookie } })).json()) as { user: User };
  const invited = await post(url, `/api/rooms/${room.id}/invites`, { email: me.user.email, role }, owner.cookie);
  if (invited.status !== 201) throw new Error(`invite: ${invited.status} ${await invited.text()}`);
  const { invite } = (await invited.json()) as { invite: { token: string } };
  const accepted = await post(url, `/api/invites/${invite.token}/accept`, {}, person.cookie);
  if (accepted.status !== 200) throw new Error(`accept: ${accepted.status} ${await accepted.text()}`);
  return person;
}

/**
 * Runs a room command through the HTTP API as `session` (with the Origin a browser sends) and returns its result;
 * anything but 200 throws with the server's answer.
 */
export async function command(
  url: string,
  session: Session,
  roomId: string,
  name: string,
  args: unknown,
): Promise<{ id: string }> {
  const res = await fetch(`${url}/api/rooms/${roomId}/commands`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Cookie: session.cookie, Origin: url },
    body: JSON.stringify({ name, args, key: crypto.randomUUID() }),
  });
  if (res.status !== 200) throw new Error(`${name}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { result: { id: string } }).result;
}

/** A stock y-websocket provider that carries the session cookie, as a browser would. */
export function connect(
  url: string,
  session: Session,
  kind: RoomKind,
  roomId: string,
  doc = new Y.Doc(),
): WebsocketProvider {
  const cookie = session.cookie;
  class CookieWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers: { Cookie: cookie } });
    }
  }
  return new WebsocketProvider(`${url.replace(/^http/, "ws")}/parties/${kind}`, roomId, doc, {
    WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
}

/** Polls until `check` holds; fails after `timeoutMs`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function whenSynced(provider: WebsocketProvider, timeoutMs = 30_000): Promise<void> {
  return waitFor(() => provider.synced, "sync", timeoutMs);
}

/**
 * The day `days` from today (negative: before it) in UTC, as a date input takes it ("2025-01-15") and
 * as a schedule's words write it ("January 15, 2025"). A month or more either side of today is past
 * or future in every time zone, on any day the suite runs.
 */
export function dayFromToday(days: number): { date: string; words: string } {
  const at = new Date(Date.now() + days * 24 * 60 * 60_000);
  const date = at.toISOString().slice(0, 10);
  return { date, words: dayWords(date) };
}
