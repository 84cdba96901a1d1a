/**
 * A route is one definition: what it is (method, path, summary, auth, request and response
 * schemas, its error cases) and the named function that answers it, side by side in the
 * file of its concern. The app mounts the definitions (worker/app.ts) and the OpenAPI
 * document is built from the same list (worker/openapi/document.ts), so what is served and
 * what is described cannot drift apart; tests/worker/core/openapi.test.ts checks both ways.
 */
import type { Context, Hono, MiddlewareHandler } from "hono";
import type { z } from "zod";
import type { ErrorCode } from "../../schema/core/errors";
import { apiErrorSchema } from "../../schema/core/responses";
import type { AppEnv } from "../app-env";
import { type ErrorCase, sharedErrors } from "./common";

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

/** Sections of the document and of the docs page, in the order they are shown. */
export const TAGS = [
  { name: "Accounts", description: "Sign-up, sign-in and sessions." },
  { name: "Rooms", description: "Creating, listing, renaming, archiving and deleting rooms." },
  { name: "Invites", description: "Inviting people into a room and accepting invites." },
  { name: "Members", description: "Who is in a room, and with which role." },
  { name: "Commands", description: "Changing a room's records by command, and the queries beside them." },
  { name: "Homes", description: "A home's calendar feed and photos." },
  { name: "Deals", description: "A deal's documents: uploads against its tasks, and downloads." },
  {
    name: "Deals",
    description: "A deal's summary, buyer timeline and task pages, each as the caller's role may see it; templates.",
  },
  {
    name: "Sites",
    description:
      "A site's sensor ingestion from The Things Network, its ingest keys, unclaimed sensors, unit histories " +
      "and compliance records.",
  },
  { name: "Notifications", description: "The notification centre, preferences, Web Push and failed jobs." },
  { name: "Live", description: "WebSocket endpoints: room documents and the unread badge." },
  { name: "Operations", description: "Liveness and readiness, for load balancers and monitors." },
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

export const json = (description: string, schema: z.ZodType): JsonResponse => ({ description, json: schema });
export const empty = (description: string): EmptyResponse => ({ description });

export type RequestBodyDoc =
  | { json: z.ZodType; description?: string }
  | { media: readonly [string, ...string[]]; description?: string };

/** What the OpenAPI document says of a route. */
export interface RouteDoc {
  method: HttpMethod;
  /** The full path in OpenAPI form, as clients call it: `/api/rooms/{roomId}`. Hono's form is derived. */
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

/**
 * Answers a request. A named function (`async function createRoom(c) {…}`), never an
 * arrow, so a stack trace or a reader can follow a request to it; mount refuses others.
 */
export type RouteHandler = (c: Context<AppEnv>) => Response | Promise<Response>;

/** A route as the app mounts it and the document describes it. */
export interface RouteDef extends RouteDoc {
  /** Run after the app's own middleware, before the handler: a rate limit, the photo body limit. */
  middleware?: readonly MiddlewareHandler<AppEnv>[];
  handler: RouteHandler;
}

/** What a definition is written as: its successes, and only the errors particular to it. */
export interface RouteSpec extends Omit<RouteDef, "responses"> {
  /** Successful answers by status. */
  ok: Record<number, ResponseDoc>;
  /** Errors particular to this route; the shared ones (common.ts sharedErrors) are added here. */
  errors?: readonly ErrorCase[];
}

/** Groups error cases by status into one response each, whose schema admits only the codes listed for it. */
export function defineRoute(spec: RouteSpec): RouteDef {
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

/** `/api/rooms/{roomId}` → `/api/rooms/:roomId`. */
export const honoPath = (path: string): string => path.replace(/\{(\w+)\}/g, ":$1");

/** The name an arrow or anonymous function written as `handler: …` gets: not a name a reader can search for. */
const UNNAMED = new Set(["", "handler"]);

/** Registers every definition on `app`, in order: its own middleware first, then its handler. */
export function mount(app: Hono<AppEnv>, defs: readonly RouteDef[]): void {
  for (const def of defs) {
    const where = `${def.method} ${def.path}`;
    if (typeof def.handler !== "function") throw new Error(`${where} has no handler`);
    if (UNNAMED.has(def.handler.name)) throw new Error(`${where}: its handler must be a named function`);
    const method = def.method.toUpperCase();
    const path = honoPath(def.path);
    for (const middleware of def.middleware ?? []) app.on(method, path, middleware);
    app.on(method, path, def.handler);
  }
}

/**
 * A path parameter of the route being answered. Handlers are typed for any path, so Hono
 * cannot know it is there; mount registered the route with it, so it always is.
 */
export function pathParam(c: Context<AppEnv>, name: string): string {
  const value = c.req.param(name);
  if (value === undefined) throw new Error(`${c.req.routePath} has no path parameter ${name}`);
  return value;
}
