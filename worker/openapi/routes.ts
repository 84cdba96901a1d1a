/**
 * Every HTTP route the Worker serves, described once: the OpenAPI document and the docs
 * page are generated from this table, and the workerd suite checks both that it lists
 * exactly the routes the app registers and that real answers match it. Request schemas
 * are the ones the handlers validate with; response schemas are in schema/core/responses.
 *
 * The table is kept beside the handlers rather than inside them so that describing a
 * route never means editing its handler.
 */
import { z } from "zod";
import { MAX_JSON_BODY_BYTES, MAX_PHOTO_BYTES } from "../../config";
import type { QuarantineEntry } from "../../rooms/core/ydoc-store";
import {
  consumeLoginLinkBody,
  createInviteBody,
  createRoomBody,
  loginBody,
  loginLinkBody,
  signupBody,
  updateMemberBody,
  updateRoomBody,
} from "../../schema/core/api";
import { COMMAND_ERROR_STATUS, commandEnvelope } from "../../schema/core/commands";
import type { ErrorCode } from "../../schema/core/errors";
import {
  markReadBody,
  notificationPrefsBody,
  notificationsQuery,
  pushEndpointBody,
  pushSubscriptionBody,
} from "../../schema/core/notifications";
import { KIND_COMMANDS } from "../../schema/core/protocols";
import {
  apiErrorSchema,
  commandResultSchema,
  deadLetterListSchema,
  deadLetterRetrySchema,
  type Holds,
  inviteBodySchema,
  invitePreviewBodySchema,
  memberBodySchema,
  memberListSchema,
  notificationPageSchema,
  notificationPrefsResponseSchema,
  pendingInviteListSchema,
  pushKeySchema,
  type quarantineEntrySchema,
  quarantineListSchema,
  roomBodySchema,
  roomListSchema,
  type Same,
  unreadCountSchema,
  userBodySchema,
} from "../../schema/core/responses";
import { ROOM_KINDS } from "../../schema/core/roles";
import { taskHistoryQuery } from "../../schema/property/commands";
import {
  calendarFeedLinkSchema,
  calendarFeedStateSchema,
  photoCreatedSchema,
  taskHistorySchema,
} from "../../schema/property/responses";
import {
  createIngestKeyBody,
  ingestAnswerSchema,
  ingestKeyListSchema,
  newIngestKeySchema,
  readingsAnswerSchema,
  readingsQuery,
  unclaimedListSchema,
} from "../../schema/site/api";
import { PHOTO_TYPES } from "../routes/photos";

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

/** Sections of the document and of the docs page, in the order they are shown. */
export const TAGS = [
  { name: "Accounts", description: "Sign-up, sign-in and sessions." },
  { name: "Rooms", description: "Creating, listing, renaming, archiving and deleting rooms." },
  { name: "Invites", description: "Inviting people into a room and accepting invites." },
  { name: "Members", description: "Who is in a room, and with which role." },
  { name: "Commands", description: "Changing a room's records by command, and the queries beside them." },
  { name: "Homes", description: "A home's calendar feed and photos." },
  {
    name: "Sites",
    description:
      "A site's sensor ingestion from The Things Network, its ingest keys, unclaimed sensors and unit histories.",
  },
  { name: "Notifications", description: "The notification centre, preferences, Web Push and failed jobs." },
  { name: "Live", description: "WebSocket endpoints: room documents and the unread badge." },
  { name: "Reference", description: "This description of the API." },
] as const;
export type Tag = (typeof TAGS)[number]["name"];

/** A response with a JSON body, which must match `json`. */
export interface JsonResponse {
  description: string;
  json: z.ZodType;
}
/** A response whose body is not JSON (calendar text, image bytes, HTML, CSS). */
export interface MediaResponse {
  description: string;
  media: readonly [string, ...string[]];
  format: "text" | "binary";
}
/** A response with no body: 204, a bare 202, a 101 upgrade. */
export interface EmptyResponse {
  description: string;
}
export type ResponseDoc = JsonResponse | MediaResponse | EmptyResponse;

export const isJsonResponse = (doc: ResponseDoc): doc is JsonResponse => "json" in doc;
export const isMediaResponse = (doc: ResponseDoc): doc is MediaResponse => "media" in doc;

export type RequestBodyDoc =
  | { json: z.ZodType; description?: string }
  | { media: readonly [string, ...string[]]; description?: string };

export interface RouteDoc {
  method: HttpMethod;
  /** The full path in OpenAPI form: `/api/rooms/{roomId}`. */
  path: string;
  summary: string;
  description?: string;
  tag: Tag;
  /** `session`: the `haven_session` cookie is required (401 without it). */
  auth: "session" | "none";
  /** A WebSocket endpoint: 101 on success, and 426 for a plain request. */
  upgrade?: boolean;
  body?: RequestBodyDoc;
  query?: z.ZodObject;
  responses: Record<number, ResponseDoc>;
}

/** One documented error: its status, its `error.code` and when it happens. */
type ErrorCase = readonly [status: number, code: ErrorCode, when: string];

/** What each path parameter is; every `{name}` in a path must be listed here. */
export const PATH_PARAMS: Record<string, { schema: z.ZodType; description: string }> = {
  roomId: { schema: z.string(), description: "The room's id." },
  kind: { schema: z.enum(ROOM_KINDS), description: "The room's kind; it must be the room's own." },
  inviteId: {
    schema: z.string().regex(/^[0-9a-f]{64}$/),
    description: "A pending invite's id (the SHA-256 of its token).",
  },
  token: { schema: z.string(), description: "The token from an invite's link." },
  userId: { schema: z.string(), description: "The member's user id." },
  taskId: { schema: z.string(), description: "The task's id." },
  id: { schema: z.string(), description: "The dead letter's id." },
  file: {
    schema: z.string().regex(/^[A-Za-z0-9_-]{20,64}\.ics$/),
    description: "`<secret>.ics`, from the feed's URL.",
  },
  photoId: { schema: z.string(), description: "The photo's id." },
  keyId: { schema: z.string(), description: "The ingest key's id (never its secret)." },
  unitId: { schema: z.string(), description: "The unit's id." },
};

const unauthorized: ErrorCase = [401, "unauthorized", "No valid session."];
const roomNotFound: ErrorCase = [
  404,
  "room_not_found",
  "No such room, or the caller is not a member (the same answer for both).",
];
const forbidden = (when = "The caller's role lacks the capability."): ErrorCase => [403, "forbidden", when];
const notFound = (when: string): ErrorCase => [404, "not_found", when];
const rateLimited: ErrorCase = [
  429,
  "rate_limited",
  "Too many attempts; `Retry-After` and `details.retryAfterSeconds` say how many seconds to wait.",
];
const upgradeRequired: ErrorCase = [
  426,
  "upgrade_required",
  "A plain HTTP request: this endpoint speaks WebSocket only.",
];
const validationFailed = (when: string): ErrorCase => [400, "validation_failed", when];
/** The errors of every route under `/api/rooms/{roomId}` that needs a capability. */
const roomWith = (capability: string): ErrorCase[] => [
  roomNotFound,
  forbidden(`The caller's role lacks \`${capability}\`.`),
];

/** The cases every route of a kind shares, so the table lists only what is particular to a route. */
function sharedErrors(route: RouteSpec): ErrorCase[] {
  const cases: ErrorCase[] = [];
  if (route.body && "json" in route.body) {
    cases.push(
      [400, "invalid_json", "The body is not JSON."],
      validationFailed("A field is missing, of the wrong type or out of range; `details.fields` names each."),
      [413, "payload_too_large", `The body is over ${MAX_JSON_BODY_BYTES} bytes.`],
      [415, "unsupported_media_type", "The body was not sent with `Content-Type: application/json`."],
    );
  }
  if (route.auth === "session") cases.push(unauthorized);
  if (route.method !== "get" || route.upgrade)
    cases.push([403, "foreign_origin", "The request comes from another site."]);
  if (route.upgrade) cases.push(upgradeRequired);
  cases.push([500, "internal", "Our fault; nothing internal is ever sent."]);
  return cases;
}

interface RouteSpec extends Omit<RouteDoc, "responses"> {
  /** Successful answers by status. */
  ok: Record<number, ResponseDoc>;
  /** Errors particular to this route; the shared ones are added by sharedErrors. */
  errors?: readonly ErrorCase[];
}

/** Groups error cases by status into one response each, whose schema admits only the codes listed for it. */
function route(spec: RouteSpec): RouteDoc {
  const { ok, errors = [], ...rest } = spec;
  const byStatus = new Map<number, ErrorCase[]>();
  for (const errorCase of [...errors, ...sharedErrors(spec)]) {
    const status = errorCase[0];
    byStatus.set(status, [...(byStatus.get(status) ?? []), errorCase]);
  }
  const responses: Record<number, ResponseDoc> = { ...ok };
  for (const [status, cases] of [...byStatus].sort(([a], [b]) => a - b)) {
    const whens = new Map<ErrorCode, string[]>();
    for (const [, code, when] of cases) whens.set(code, [...new Set([...(whens.get(code) ?? []), when])]);
    responses[status] = {
      description: [...whens].map(([code, texts]) => `\`${code}\`: ${texts.join(" ")}`).join(" "),
      json: apiErrorSchema([...whens.keys()]),
    };
  }
  return { ...rest, responses };
}

const json = (description: string, schema: z.ZodType): JsonResponse => ({ description, json: schema });
const empty = (description: string): EmptyResponse => ({ description });

/** Every command's envelope, named and with its own arguments: every kind's, from the registry. */
const commandBody = z.union(
  KIND_COMMANDS.map(([name, args]) => commandEnvelope.extend({ name: z.literal(name), args }).meta({ title: name })),
);

const commandErrors: ErrorCase[] = Object.entries(COMMAND_ERROR_STATUS).map(
  ([code, status]): ErrorCase => [
    status,
    code as keyof typeof COMMAND_ERROR_STATUS,
    code === "forbidden"
      ? "The caller's role does not allow this command (or this record)."
      : "See the command's answer.",
  ],
);

/** The OpenAPI document is any JSON object; its own shape is checked by the test that reads it. */
const openApiDocumentSchema = z.looseObject({
  openapi: z.literal("3.1.0"),
  info: z.looseObject({ title: z.string() }),
  paths: z.record(z.string(), z.unknown()),
});

/** The table. Paths are full (with `/api` or `/parties`), as clients call them. */
export const ROUTES: readonly RouteDoc[] = [
  route({
    method: "post",
    path: "/api/auth/signup",
    summary: "Create an account and sign in",
    description: "Sets the `haven_session` cookie.",
    tag: "Accounts",
    auth: "none",
    body: { json: signupBody },
    ok: { 201: json("The new account; the session cookie is set.", userBodySchema) },
    errors: [[409, "email_taken", "An account with this email already exists."], rateLimited],
  }),
  route({
    method: "post",
    path: "/api/auth/login",
    summary: "Sign in with email and password",
    tag: "Accounts",
    auth: "none",
    body: { json: loginBody },
    ok: { 200: json("The account; the session cookie is set.", userBodySchema) },
    errors: [[401, "invalid_credentials", "Unknown email or wrong password (the same answer for both)."], rateLimited],
  }),
  route({
    method: "post",
    path: "/api/auth/login-link",
    summary: "Email a one-time sign-in link",
    description: "Always 202, so it never tells whether an account exists.",
    tag: "Accounts",
    auth: "none",
    body: { json: loginLinkBody },
    ok: { 202: empty("Accepted; a link is mailed if the address has an account.") },
    errors: [rateLimited],
  }),
  route({
    method: "post",
    path: "/api/auth/login-link/consume",
    summary: "Spend a sign-in link and sign in",
    tag: "Accounts",
    auth: "none",
    body: { json: consumeLoginLinkBody },
    ok: { 200: json("The account; the session cookie is set.", userBodySchema) },
    errors: [[410, "login_link_invalid", "The link was used, expired, or was never sent."]],
  }),
  route({
    method: "post",
    path: "/api/auth/logout",
    summary: "Sign out",
    description: "Deletes the session and closes every socket it opened.",
    tag: "Accounts",
    auth: "session",
    ok: { 204: empty("Signed out; the cookie is cleared.") },
  }),
  route({
    method: "get",
    path: "/api/me",
    summary: "The signed-in account",
    tag: "Accounts",
    auth: "session",
    ok: { 200: json("The account.", userBodySchema) },
  }),

  route({
    method: "post",
    path: "/api/rooms",
    summary: "Create a room",
    tag: "Rooms",
    auth: "session",
    body: { json: createRoomBody },
    ok: { 201: json("The new room; the caller is its owner.", roomBodySchema) },
  }),
  route({
    method: "get",
    path: "/api/rooms",
    summary: "The caller's rooms, newest first",
    tag: "Rooms",
    auth: "session",
    ok: { 200: json("The rooms.", roomListSchema) },
  }),
  route({
    method: "get",
    path: "/api/rooms/{roomId}",
    summary: "One room",
    tag: "Rooms",
    auth: "session",
    ok: { 200: json("The room, with the caller's role.", roomBodySchema) },
    errors: [roomNotFound],
  }),
  route({
    method: "patch",
    path: "/api/rooms/{roomId}",
    summary: "Rename, archive or restore a room",
    tag: "Rooms",
    auth: "session",
    body: { json: updateRoomBody, description: "At least one of `name` and `archived`." },
    ok: { 200: json("The room as it now is.", roomBodySchema) },
    errors: roomWith("room.manage"),
  }),
  route({
    method: "delete",
    path: "/api/rooms/{roomId}",
    summary: "Delete a room and everything in it",
    tag: "Rooms",
    auth: "session",
    ok: { 204: empty("Deleted; every open socket is closed.") },
    errors: roomWith("room.delete"),
  }),
  route({
    method: "get",
    path: "/api/rooms/{roomId}/quarantine",
    summary: "What the room set aside while loading",
    tag: "Rooms",
    auth: "session",
    ok: { 200: json("Quarantined pieces of stored state, newest first.", quarantineListSchema) },
    errors: roomWith("members.manage"),
  }),

  route({
    method: "post",
    path: "/api/rooms/{roomId}/invites",
    summary: "Invite someone by email",
    tag: "Invites",
    auth: "session",
    body: {
      json: createInviteBody,
      description: "`role` must be a role of the room's kind that the inviter could hold.",
    },
    ok: { 201: json("The invite, with its link; the link is also emailed.", inviteBodySchema) },
    errors: [
      ...roomWith("members.invite"),
      forbidden("The role is above the inviter's."),
      validationFailed("The role is not a role of this kind of room."),
    ],
  }),
  route({
    method: "get",
    path: "/api/rooms/{roomId}/invites",
    summary: "Pending invites, oldest first",
    tag: "Invites",
    auth: "session",
    ok: { 200: json("Invites not yet accepted and not expired.", pendingInviteListSchema) },
    errors: roomWith("members.manage"),
  }),
  route({
    method: "delete",
    path: "/api/rooms/{roomId}/invites/{inviteId}",
    summary: "Withdraw a pending invite",
    tag: "Invites",
    auth: "session",
    ok: { 204: empty("Withdrawn; its link stops working.") },
    errors: [
      ...roomWith("members.manage"),
      forbidden("The invite's role is above the caller's."),
      notFound("No such pending invite in this room."),
    ],
  }),
  route({
    method: "get",
    path: "/api/invites/{token}",
    summary: "Look up an invite before signing in",
    description: "Never tells the invited address.",
    tag: "Invites",
    auth: "none",
    ok: { 200: json("What the invite page shows.", invitePreviewBodySchema) },
    errors: [
      notFound("Unknown, withdrawn or used, or its maker may no longer grant it."),
      [410, "invite_expired", "The invite has expired."],
      rateLimited,
    ],
  }),
  route({
    method: "post",
    path: "/api/invites/{token}/accept",
    summary: "Accept an invite",
    tag: "Invites",
    auth: "session",
    ok: { 200: json("The room the caller has joined.", roomBodySchema) },
    errors: [
      forbidden("The invite was sent to another email address."),
      notFound("Unknown, withdrawn or used, or its maker may no longer grant it."),
      [410, "invite_expired", "The invite has expired."],
    ],
  }),

  route({
    method: "get",
    path: "/api/rooms/{roomId}/members",
    summary: "A room's members, in joining order",
    tag: "Members",
    auth: "session",
    ok: { 200: json("The members.", memberListSchema) },
    errors: roomWith("members.manage"),
  }),
  route({
    method: "patch",
    path: "/api/rooms/{roomId}/members/{userId}",
    summary: "Change a member's role",
    tag: "Members",
    auth: "session",
    body: { json: updateMemberBody },
    ok: { 200: json("The member with the new role.", memberBodySchema) },
    errors: [
      ...roomWith("members.manage"),
      forbidden("The member's role, or the new role, is above the caller's."),
      notFound("No such member."),
      validationFailed("The role is not a role of this kind of room."),
      [409, "last_owner", "The room's only owner cannot be demoted."],
    ],
  }),
  route({
    method: "delete",
    path: "/api/rooms/{roomId}/members/{userId}",
    summary: "Remove a member, or leave",
    description: "Any member may remove themselves; removing others needs `members.manage`.",
    tag: "Members",
    auth: "session",
    ok: { 204: empty("Removed; their open sockets are closed.") },
    errors: [
      ...roomWith("members.manage"),
      notFound("No such member."),
      [409, "last_owner", "The room's only owner cannot leave."],
    ],
  }),

  route({
    method: "post",
    path: "/api/rooms/{roomId}/commands",
    summary: "Run a command",
    description:
      "The same command, with the same answer, as one sent over the room's socket. A key the room has already run " +
      "returns its first answer with `replayed: true`.",
    tag: "Commands",
    auth: "session",
    body: {
      json: commandBody,
      description: "A command of the room's kind: homes (`property`) and sites have commands; deals do not yet.",
    },
    ok: { 200: json("The command ran (or had already run with this key).", commandResultSchema) },
    errors: [roomNotFound, ...commandErrors],
  }),
  route({
    method: "get",
    path: "/api/rooms/{roomId}/tasks/{taskId}/history",
    summary: "A task's completions and skips, newest first",
    tag: "Commands",
    auth: "session",
    query: taskHistoryQuery,
    ok: { 200: json("One page of the history.", taskHistorySchema) },
    errors: [
      ...roomWith("room.read"),
      notFound("No such task, or the room is not a home."),
      validationFailed("A query parameter is out of range."),
    ],
  }),

  route({
    method: "get",
    path: "/api/rooms/{roomId}/calendar-feed",
    summary: "Whether the home's calendar feed is on",
    tag: "Homes",
    auth: "session",
    ok: { 200: json("Whether a feed URL works.", calendarFeedStateSchema) },
    errors: [...roomWith("room.read"), notFound("The room is not a home.")],
  }),
  route({
    method: "post",
    path: "/api/rooms/{roomId}/calendar-feed",
    summary: "Turn the calendar feed on with a new secret URL",
    description: "Any earlier URL stops working.",
    tag: "Homes",
    auth: "session",
    ok: { 201: json("The feed's URL; its secret is shown this once.", calendarFeedLinkSchema) },
    errors: [...roomWith("records.write"), notFound("The room is not a home.")],
  }),
  route({
    method: "delete",
    path: "/api/rooms/{roomId}/calendar-feed",
    summary: "Turn the calendar feed off",
    tag: "Homes",
    auth: "session",
    ok: { 204: empty("Off; the URL stops working.") },
    errors: [...roomWith("records.write"), notFound("The room is not a home.")],
  }),
  route({
    method: "get",
    path: "/api/feeds/{roomId}/{file}",
    summary: "A home's calendar feed (iCalendar)",
    description: "For calendar apps, which send no cookies: the secret in the URL is the only credential.",
    tag: "Homes",
    auth: "none",
    ok: { 200: { description: "The home's due tasks as iCalendar events.", media: ["text/calendar"], format: "text" } },
    errors: [notFound("A wrong secret, a feed turned off and a room that is not a home look the same.")],
  }),
  route({
    method: "post",
    path: "/api/sites/{roomId}/ttn",
    summary: "The Things Network webhook: one uplink",
    description:
      "Set up in TTN as a webhook with the header `Authorization: Bearer <ingest key>`. TTN v3 uplink messages are " +
      "stored; other TTN events (join accepts, downlink events) are answered 200 and ignored, so TTN does not retry " +
      "them.",
    tag: "Sites",
    auth: "none",
    body: {
      json: z.looseObject({ end_device_ids: z.looseObject({ dev_eui: z.string() }) }),
      description: "A TTN v3 webhook message.",
    },
    ok: {
      200: json(
        "`stored`, `duplicate` (a retry, stored once), `unclaimed` (a sensor no unit has claimed yet) or `ignored`.",
        ingestAnswerSchema,
      ),
    },
    errors: [
      [401, "unauthorized", "No key, a wrong or revoked key, or a room that is not a site (all alike)."],
      [429, "rate_limited", "The sensor sends faster than a sensor should; `Retry-After` says when to try again."],
    ],
  }),
  route({
    method: "get",
    path: "/api/rooms/{roomId}/ingest-keys",
    summary: "A site's live ingest keys (never their secrets)",
    tag: "Sites",
    auth: "session",
    ok: { 200: json("The live keys, newest first.", ingestKeyListSchema) },
    errors: [...roomWith("site.configure"), notFound("The room is not a site.")],
  }),
  route({
    method: "post",
    path: "/api/rooms/{roomId}/ingest-keys",
    summary: "Make an ingest key",
    description:
      "The key is in the answer this once; only its SHA-256 is kept. Make a new one before revoking the old to " +
      "rotate without a gap.",
    tag: "Sites",
    auth: "session",
    body: { json: createIngestKeyBody },
    ok: { 201: json("The new key, with its secret.", newIngestKeySchema) },
    errors: [
      ...roomWith("site.configure"),
      notFound("The room is not a site."),
      [409, "too_many_keys", "The site has as many live keys as it may."],
    ],
  }),
  route({
    method: "delete",
    path: "/api/rooms/{roomId}/ingest-keys/{keyId}",
    summary: "Revoke an ingest key",
    tag: "Sites",
    auth: "session",
    ok: { 204: empty("Revoked; TTN's requests with it get 401 from now on.") },
    errors: [...roomWith("site.configure"), notFound("No such key, or the room is not a site.")],
  }),
  route({
    method: "get",
    path: "/api/rooms/{roomId}/unclaimed-devices",
    summary: "Sensors heard from that no unit has claimed",
    tag: "Sites",
    auth: "session",
    ok: { 200: json("Newest first, with their last values.", unclaimedListSchema) },
    errors: [...roomWith("site.configure"), notFound("The room is not a site.")],
  }),
  route({
    method: "get",
    path: "/api/rooms/{roomId}/units/{unitId}/readings",
    summary: "A unit's temperature history for a chart",
    description:
      "Columns (as uPlot takes them) of times and temperatures: raw readings for windows up to a day, per-minute " +
      "rollups up to 31 days, per-hour beyond, unless `resolution` says otherwise; with the temperature rules' " +
      "limits and the alerts overlapping the window.",
    tag: "Sites",
    auth: "session",
    query: readingsQuery,
    ok: { 200: json("The history, the limits and the alert periods.", readingsAnswerSchema) },
    errors: [
      roomNotFound,
      [400, "validation_failed", "A bad window, or one holding too many points at the resolution asked."],
      notFound("No such unit, or the room is not a site."),
    ],
  }),
  route({
    method: "post",
    path: "/api/rooms/{roomId}/photos",
    summary: "Upload a photo",
    description:
      `The body is the image itself, at most ${MAX_PHOTO_BYTES} bytes; ` +
      `its first bytes must match its Content-Type.`,
    tag: "Homes",
    auth: "session",
    body: { media: PHOTO_TYPES },
    ok: { 201: json("The stored photo's id, to attach by command.", photoCreatedSchema) },
    errors: [
      roomNotFound,
      forbidden("The caller's role may not add photos."),
      notFound("The room is not a home."),
      validationFailed("The body is not an image of the type its Content-Type names."),
      [413, "payload_too_large", `The photo is over ${MAX_PHOTO_BYTES} bytes.`],
      [415, "unsupported_media_type", "Not a JPEG, PNG or WebP Content-Type."],
    ],
  }),
  route({
    method: "get",
    path: "/api/rooms/{roomId}/photos/{photoId}",
    summary: "A photo's bytes",
    tag: "Homes",
    auth: "session",
    ok: { 200: { description: "The image, as uploaded.", media: PHOTO_TYPES, format: "binary" } },
    errors: [...roomWith("room.read"), notFound("No such photo.")],
  }),

  route({
    method: "get",
    path: "/api/notifications",
    summary: "The caller's notifications, newest first",
    tag: "Notifications",
    auth: "session",
    query: notificationsQuery,
    ok: { 200: json("One page, and the unread count.", notificationPageSchema) },
    errors: [validationFailed("A query parameter is malformed or out of range.")],
  }),
  route({
    method: "post",
    path: "/api/notifications/read",
    summary: "Mark notifications read",
    tag: "Notifications",
    auth: "session",
    body: { json: markReadBody, description: "Some by id, or `{ all: true }`." },
    ok: { 200: json("The unread count after marking.", unreadCountSchema) },
  }),
  route({
    method: "get",
    path: "/api/notification-prefs",
    summary: "The caller's notification preferences",
    tag: "Notifications",
    auth: "session",
    ok: { 200: json("The preferences (defaults if never set).", notificationPrefsResponseSchema) },
  }),
  route({
    method: "put",
    path: "/api/notification-prefs",
    summary: "Set the caller's notification preferences",
    tag: "Notifications",
    auth: "session",
    body: { json: notificationPrefsBody },
    ok: { 200: json("The preferences as stored.", notificationPrefsResponseSchema) },
  }),
  route({
    method: "get",
    path: "/api/push/key",
    summary: "The VAPID public key for Web Push",
    tag: "Notifications",
    auth: "session",
    ok: { 200: json("The key to pass as `applicationServerKey`.", pushKeySchema) },
    errors: [[404, "push_unavailable", "The server has no VAPID keys; Web Push is off."]],
  }),
  route({
    method: "post",
    path: "/api/push/subscriptions",
    summary: "Subscribe this browser to Web Push",
    tag: "Notifications",
    auth: "session",
    body: { json: pushSubscriptionBody(), description: "`PushSubscription.toJSON()` without `expirationTime`." },
    ok: { 204: empty("Subscribed (or its keys updated).") },
    errors: [
      [404, "push_unavailable", "The server has no VAPID keys; Web Push is off."],
      [409, "too_many_subscriptions", "The caller already has the most devices allowed."],
    ],
  }),
  route({
    method: "delete",
    path: "/api/push/subscriptions",
    summary: "Unsubscribe a browser from Web Push",
    tag: "Notifications",
    auth: "session",
    body: { json: pushEndpointBody },
    ok: { 204: empty("Unsubscribed, whether or not it was subscribed.") },
  }),
  route({
    method: "get",
    path: "/api/rooms/{roomId}/dead-letters",
    summary: "The room's jobs that failed every retry",
    tag: "Notifications",
    auth: "session",
    ok: { 200: json("Newest first.", deadLetterListSchema) },
    errors: roomWith("room.manage"),
  }),
  route({
    method: "post",
    path: "/api/rooms/{roomId}/dead-letters/{id}/retry",
    summary: "Send a failed job again",
    tag: "Notifications",
    auth: "session",
    ok: { 202: json("Queued again.", deadLetterRetrySchema) },
    errors: [
      ...roomWith("room.manage"),
      notFound("No such failed job in this room."),
      [409, "already_retried", "The job was already sent again."],
      [409, "not_retryable", "The stored job cannot be read."],
    ],
  }),

  route({
    method: "get",
    path: "/api/notifications/live",
    summary: "Live unread count (WebSocket)",
    description: 'Sends `{ "type": "unread", "count": n }` text frames whenever the caller\'s unread count changes.',
    tag: "Live",
    auth: "session",
    upgrade: true,
    ok: { 101: empty("Switching to WebSocket.") },
  }),
  route({
    method: "get",
    path: "/parties/{kind}/{roomId}",
    summary: "A room's live document (WebSocket)",
    description:
      "Speaks y-protocols sync and awareness; with `notices=1`, also JSON notices as `__YPS:` text frames. See " +
      "docs/api.md.",
    tag: "Live",
    auth: "session",
    upgrade: true,
    ok: { 101: empty("Switching to WebSocket.") },
    errors: [[404, "room_not_found", "No such room, the caller is not a member, or `kind` is not the room's."]],
  }),

  route({
    method: "get",
    path: "/api/openapi.json",
    summary: "This API as OpenAPI 3.1",
    tag: "Reference",
    auth: "none",
    ok: { 200: json("The OpenAPI document.", openApiDocumentSchema) },
  }),
  route({
    method: "get",
    path: "/api/docs",
    summary: "This API as a readable page",
    tag: "Reference",
    auth: "none",
    ok: { 200: { description: "The reference page.", media: ["text/html"], format: "text" } },
  }),
  route({
    method: "get",
    path: "/api/docs/style.css",
    summary: "The reference page's stylesheet",
    description: "A file of its own because the Content-Security-Policy allows no inline style.",
    tag: "Reference",
    auth: "none",
    ok: { 200: { description: "The stylesheet.", media: ["text/css"], format: "text" } },
  }),
];

/** The entry for a method and an OpenAPI path, or undefined. */
export function findRoute(method: string, path: string): RouteDoc | undefined {
  return ROUTES.find((r) => r.method === method.toLowerCase() && r.path === path);
}

/** Compile-time only: the quarantine schema infers exactly what the room returns. */
type _QuarantineMatchesRoom = Holds<Same<z.infer<typeof quarantineEntrySchema>, QuarantineEntry>>;
