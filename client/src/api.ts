/**
 * Every HTTP call the client makes. The session rides the HttpOnly `haven_session`
 * cookie, so requests only need `credentials: "same-origin"`.
 */

import type { z } from "zod";
import type {
  ApiErrorBody,
  CreateInviteBody,
  CreateRoomBody,
  Invite,
  InvitePreview,
  LoginBody,
  Member,
  PendingInvite,
  Room,
  SignupBody,
  UpdateRoomBody,
  User,
} from "../../schema/core/api";
import type { DeadLetter, NotificationPage, NotificationPrefs } from "../../schema/core/notifications";
import type { AssetCosts, AssetDocument, AssetDocumentKind } from "../../schema/property/documents";
import type { Completion } from "../../schema/property/records";
import type {
  ChartResolution,
  ingestKeySchema,
  newIngestKeySchema,
  ReadingsAnswer,
  unclaimedListSchema,
} from "../../schema/site/api";
import type { SiteRecordsPage, SiteRecordsVerifyReport } from "../../schema/site/compliance";

/** An API failure carrying the server's code and message; status 0 means the network failed. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

const NETWORK_MESSAGE = "Can't reach Haven. Check your connection and try again.";

let unauthorizedHandler: (() => void) | null = null;

/**
 * Called when a request that needs a session gets 401, i.e. the session ended while the
 * app was open. Auth routes are excluded: their 401 means "wrong password".
 */
export function onUnauthorized(handler: () => void): void {
  unauthorizedHandler = handler;
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== "object" || value === null || !("error" in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === "object" && error !== null && typeof (error as { message?: unknown }).message === "string";
}

async function readJson(response: Response): Promise<unknown> {
  try {
    const data: unknown = await response.json();
    return data;
  } catch {
    return null;
  }
}

/** The request's headers and body: JSON for plain values, the bytes as they are (with their own type) for a Blob. */
function encodeBody(body: unknown): { headers: Record<string, string>; body: BodyInit | null } {
  if (body === undefined) return { headers: { accept: "application/json" }, body: null };
  if (body instanceof Blob) return { headers: { accept: "application/json", "content-type": body.type }, body };
  return { headers: { accept: "application/json", "content-type": "application/json" }, body: JSON.stringify(body) };
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { method, credentials: "same-origin", ...encodeBody(body) });
  } catch {
    throw new ApiError(0, "network", NETWORK_MESSAGE);
  }
  if (response.status === 204) return undefined as T;
  const data = await readJson(response);
  if (response.ok) return data as T;
  if (response.status === 401 && !path.startsWith("/api/auth/") && path !== "/api/me") unauthorizedHandler?.();
  if (isErrorBody(data)) {
    throw new ApiError(response.status, data.error.code, data.error.message, data.error.details);
  }
  throw new ApiError(
    response.status,
    "http_error",
    `Something went wrong (HTTP ${response.status}). Please try again.`,
  );
}

const seg = encodeURIComponent;

/** The signed-in user, or null when there is no session. */
export async function getMe(): Promise<User | null> {
  try {
    return (await request<{ user: User }>("GET", "/api/me")).user;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export async function signup(body: SignupBody): Promise<User> {
  return (await request<{ user: User }>("POST", "/api/auth/signup", body)).user;
}

export async function login(body: LoginBody): Promise<User> {
  return (await request<{ user: User }>("POST", "/api/auth/login", body)).user;
}

/** Asks for a one-time sign-in link by email. The answer is the same whether or not the account exists. */
export async function requestLoginLink(email: string): Promise<void> {
  await request<null>("POST", "/api/auth/login-link", { email });
}

/** Spends a sign-in link's token and signs in. */
export async function consumeLoginLink(token: string): Promise<User> {
  return (await request<{ user: User }>("POST", "/api/auth/login-link/consume", { token })).user;
}

export async function logout(): Promise<void> {
  try {
    await request<void>("POST", "/api/auth/logout");
  } catch (error) {
    // 401: the session had already ended, which is what the user asked for.
    if (!(error instanceof ApiError && error.status === 401)) throw error;
  }
}

export async function listRooms(): Promise<Room[]> {
  return (await request<{ rooms: Room[] }>("GET", "/api/rooms")).rooms;
}

export async function createRoom(body: CreateRoomBody): Promise<Room> {
  return (await request<{ room: Room }>("POST", "/api/rooms", body)).room;
}

export async function getRoom(roomId: string): Promise<Room> {
  return (await request<{ room: Room }>("GET", `/api/rooms/${seg(roomId)}`)).room;
}

export async function updateRoom(roomId: string, body: UpdateRoomBody): Promise<Room> {
  return (await request<{ room: Room }>("PATCH", `/api/rooms/${seg(roomId)}`, body)).room;
}

export async function deleteRoom(roomId: string): Promise<void> {
  await request<null>("DELETE", `/api/rooms/${seg(roomId)}`);
}

export async function createInvite(roomId: string, body: CreateInviteBody): Promise<Invite> {
  return (await request<{ invite: Invite }>("POST", `/api/rooms/${seg(roomId)}/invites`, body)).invite;
}

export async function listInvites(roomId: string): Promise<PendingInvite[]> {
  return (await request<{ invites: PendingInvite[] }>("GET", `/api/rooms/${seg(roomId)}/invites`)).invites;
}

export async function revokeInvite(roomId: string, inviteId: string): Promise<void> {
  await request<void>("DELETE", `/api/rooms/${seg(roomId)}/invites/${seg(inviteId)}`);
}

/** Who invited the link's holder to which room, before they sign in; never the invited email. */
export async function getInvite(token: string): Promise<InvitePreview> {
  return (await request<{ invite: InvitePreview }>("GET", `/api/invites/${seg(token)}`)).invite;
}

export async function acceptInvite(token: string): Promise<Room> {
  return (await request<{ room: Room }>("POST", `/api/invites/${seg(token)}/accept`)).room;
}

export async function listMembers(roomId: string): Promise<Member[]> {
  return (await request<{ members: Member[] }>("GET", `/api/rooms/${seg(roomId)}/members`)).members;
}

export async function updateMemberRole(roomId: string, userId: string, role: string): Promise<Member> {
  const path = `/api/rooms/${seg(roomId)}/members/${seg(userId)}`;
  return (await request<{ member: Member }>("PATCH", path, { role })).member;
}

export async function removeMember(roomId: string, userId: string): Promise<void> {
  await request<void>("DELETE", `/api/rooms/${seg(roomId)}/members/${seg(userId)}`);
}

/** A message fit to show the user for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return "Something went wrong. Please try again.";
}

/**
 * Per-field messages from a 400's `details`. Haven's worker sends
 * `{ fields: [{ path: "email", message }] }`; zod's flattened form
 * (`{ fieldErrors: { email: ["…"] } }`), a bare list of issues and a plain
 * `{ field: "…" }` map are read too, so a change of error shape degrades to the
 * form-level message instead of losing the field.
 */
export function fieldErrorsOf(details: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (field: unknown, message: unknown) => {
    const text = Array.isArray(message) ? message.find((m) => typeof m === "string") : message;
    if (typeof field === "string" && typeof text === "string" && !(field in out)) out[field] = text;
  };
  if (Array.isArray(details)) {
    for (const issue of details) {
      if (typeof issue === "object" && issue !== null) {
        const { path, message } = issue as { path?: unknown; message?: unknown };
        put(Array.isArray(path) ? path[0] : path, message);
      }
    }
  } else if (typeof details === "object" && details !== null) {
    const record = details as Record<string, unknown>;
    const fields = record.fieldErrors ?? record.fields ?? record.issues ?? record;
    if (Array.isArray(fields)) return fieldErrorsOf(fields);
    if (typeof fields === "object" && fields !== null) {
      for (const [field, message] of Object.entries(fields)) put(field, message);
    }
  }
  return out;
}

/** A command's answer: what it made or changed, and whether its key had already run. */
export interface CommandAnswer {
  result: unknown;
  replayed: boolean;
}

/** Runs a room command; the same `key` and arguments again is a no-op that answers as the first time did. */
export async function postCommand(
  roomId: string,
  command: { name: string; args: unknown; key: string },
): Promise<CommandAnswer> {
  return request<CommandAnswer>("POST", `/api/rooms/${seg(roomId)}/commands`, command);
}

/** A task's completions and skips, newest first; pass `next` as `before` for the page after. */
export async function getTaskHistory(
  roomId: string,
  taskId: string,
  before?: string,
): Promise<{ entries: Completion[]; next: string | null }> {
  const query = before ? `?before=${encodeURIComponent(before)}` : "";
  return request("GET", `/api/rooms/${seg(roomId)}/tasks/${seg(taskId)}/history${query}`);
}

export async function listNotifications(before?: string): Promise<NotificationPage> {
  return request<NotificationPage>("GET", `/api/notifications${before ? `?before=${encodeURIComponent(before)}` : ""}`);
}

/** Marks some notifications (or all) read; answers the unread count left. */
export async function markNotificationsRead(which: { ids: string[] } | { all: true }): Promise<number> {
  return (await request<{ unread: number }>("POST", "/api/notifications/read", which)).unread;
}

export interface PrefsAnswer {
  prefs: NotificationPrefs;
  /** False when this server has no Web Push keys. */
  pushAvailable: boolean;
}

export async function getNotificationPrefs(): Promise<PrefsAnswer> {
  return request<PrefsAnswer>("GET", "/api/notification-prefs");
}

export async function saveNotificationPrefs(prefs: NotificationPrefs): Promise<PrefsAnswer> {
  return request<PrefsAnswer>("PUT", "/api/notification-prefs", prefs);
}

/** The server's VAPID public key (base64url), for `PushManager.subscribe`. */
export async function getPushKey(): Promise<string> {
  return (await request<{ publicKey: string }>("GET", "/api/push/key")).publicKey;
}

export async function addPushSubscription(subscription: PushSubscriptionJSON): Promise<void> {
  await request<void>("POST", "/api/push/subscriptions", subscription);
}

export async function removePushSubscription(endpoint: string): Promise<void> {
  await request<void>("DELETE", "/api/push/subscriptions", { endpoint });
}

/**
 * Uploads one image (JPEG, PNG or WebP, within the server's size
 * limit) to a home or a site; attach the id with a command.
 */
export async function uploadPhoto(roomId: string, image: Blob): Promise<string> {
  return (await request<{ photoId: string }>("POST", `/api/rooms/${seg(roomId)}/photos`, image)).photoId;
}

/** Where a home's photo is served, for an `<img>`. */
export function photoUrl(roomId: string, photoId: string): string {
  return `/api/rooms/${seg(roomId)}/photos/${seg(photoId)}`;
}

/**
 * Uploads one file to a home's asset as a document (the Worker takes PDF, JPEG, PNG or WebP by its bytes and
 * enforces the size limit); the asset's mirror lists it once stored.
 */
export async function uploadAssetDocument(
  roomId: string,
  assetId: string,
  file: File,
  fields: { kind: AssetDocumentKind; title: string },
): Promise<AssetDocument> {
  const query = new URLSearchParams({ kind: fields.kind, title: fields.title, name: file.name || fields.title });
  return request<AssetDocument>("POST", `/api/rooms/${seg(roomId)}/assets/${seg(assetId)}/documents?${query}`, file);
}

/** Where an asset's document downloads from (through the Worker, to members). */
export function assetDocumentUrl(roomId: string, documentId: string): string {
  return `/api/rooms/${seg(roomId)}/asset-documents/${seg(documentId)}`;
}

export async function removeAssetDocument(roomId: string, documentId: string): Promise<void> {
  await request<void>("DELETE", assetDocumentUrl(roomId, documentId));
}

/** What an asset's upkeep cost over the last 12 months. */
export async function getAssetCosts(roomId: string, assetId: string): Promise<AssetCosts> {
  return request<AssetCosts>("GET", `/api/rooms/${seg(roomId)}/assets/${seg(assetId)}/costs`);
}

/** A calendar feed's address, shown once when it is made. */
export interface CalendarFeedLink {
  url: string;
  webcal: string;
}

export async function getCalendarFeed(roomId: string): Promise<boolean> {
  return (await request<{ enabled: boolean }>("GET", `/api/rooms/${seg(roomId)}/calendar-feed`)).enabled;
}

/** Makes a new secret feed address; any earlier one stops working. */
export async function createCalendarFeed(roomId: string): Promise<CalendarFeedLink> {
  return request<CalendarFeedLink>("POST", `/api/rooms/${seg(roomId)}/calendar-feed`);
}

export async function deleteCalendarFeed(roomId: string): Promise<void> {
  await request<void>("DELETE", `/api/rooms/${seg(roomId)}/calendar-feed`);
}

export async function listDeadLetters(roomId: string): Promise<DeadLetter[]> {
  return (await request<{ deadLetters: DeadLetter[] }>("GET", `/api/rooms/${seg(roomId)}/dead-letters`)).deadLetters;
}

/** Puts a failed job back on the queue once; answers when it was retried. */
export async function retryDeadLetter(roomId: string, id: string): Promise<string> {
  return (await request<{ retriedAt: string }>("POST", `/api/rooms/${seg(roomId)}/dead-letters/${seg(id)}/retry`))
    .retriedAt;
}

/** A page of a site's compliance records after `after` (oldest first), and the head it was read against. */
export async function getSiteRecords(roomId: string, after: number, limit: number): Promise<SiteRecordsPage> {
  const query = new URLSearchParams({ after: String(after), limit: String(limit) });
  return request<SiteRecordsPage>("GET", `/api/rooms/${seg(roomId)}/records?${query}`);
}

/** Whether the site's records chain is intact, or its first broken link. */
export async function verifySiteRecords(roomId: string): Promise<SiteRecordsVerifyReport> {
  return request<SiteRecordsVerifyReport>("GET", `/api/rooms/${seg(roomId)}/records/verify`);
}

/**
 * A site's unit history for a chart: a window in epoch ms, at the resolution the
 * server picks for its span unless given, in at most `points` columns if given.
 */
export async function getReadings(
  roomId: string,
  unitId: string,
  from: number,
  to: number,
  options: { resolution?: ChartResolution; points?: number } = {},
): Promise<ReadingsAnswer> {
  const query = new URLSearchParams({ from: String(Math.floor(from)), to: String(Math.ceil(to)) });
  if (options.resolution) query.set("resolution", options.resolution);
  if (options.points) query.set("points", String(options.points));
  return request<ReadingsAnswer>("GET", `/api/rooms/${seg(roomId)}/units/${seg(unitId)}/readings?${query}`);
}

export type IngestKey = z.infer<typeof ingestKeySchema>;
export type NewIngestKey = z.infer<typeof newIngestKeySchema>;
export type UnclaimedDevice = z.infer<typeof unclaimedListSchema>["devices"][number];

/** A site's live ingest keys (never their secrets). */
export async function listIngestKeys(roomId: string): Promise<IngestKey[]> {
  return (await request<{ keys: IngestKey[] }>("GET", `/api/rooms/${seg(roomId)}/ingest-keys`)).keys;
}

/** A new ingest key; its secret is in `key`, shown this once. */
export async function createIngestKey(roomId: string, label: string): Promise<NewIngestKey> {
  return request<NewIngestKey>("POST", `/api/rooms/${seg(roomId)}/ingest-keys`, { label });
}

export async function revokeIngestKey(roomId: string, keyId: string): Promise<void> {
  await request<void>("DELETE", `/api/rooms/${seg(roomId)}/ingest-keys/${seg(keyId)}`);
}

/** Sensors the site has heard from that no unit has claimed, newest first. */
export async function listUnclaimedDevices(roomId: string): Promise<UnclaimedDevice[]> {
  return (await request<{ devices: UnclaimedDevice[] }>("GET", `/api/rooms/${seg(roomId)}/unclaimed-devices`)).devices;
}
