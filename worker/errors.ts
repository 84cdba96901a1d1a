import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import { log } from "../rooms/core/log";
import type { ApiErrorBody } from "../schema/core/api";
import type { ErrorCode } from "../schema/core/errors";

/** An error meant for the client: its status, code and message are sent as they are. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Response headers that belong to this error, such as `Retry-After`. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const notFound = (what = "Not found"): ApiError => new ApiError(404, "not_found", what);
export const unauthorized = (): ApiError => new ApiError(401, "unauthorized", "Sign in to continue.");
export const forbidden = (message = "You do not have permission to do that."): ApiError =>
  new ApiError(403, "forbidden", message);

/** A 429 that tells the client, in `Retry-After` and in the body, how many seconds to wait. */
export const rateLimited = (message: string, retryAfterSeconds: number): ApiError =>
  new ApiError(429, "rate_limited", message, { retryAfterSeconds }, { "Retry-After": String(retryAfterSeconds) });

export function errorBody(code: ErrorCode, message: string, details?: unknown): ApiErrorBody {
  return details === undefined ? { error: { code, message } } : { error: { code, message, details } };
}

/** Validates `value` against `schema`; a mismatch becomes a 400 naming every bad field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({
    path: issue.path.join("."),
    message: issue.message,
  }));
  const summary = fields.map((f) => (f.path ? `${f.path} ${f.message}` : f.message)).join("; ");
  throw new ApiError(400, "validation_failed", `Invalid request: ${summary}`, { fields });
}

/** The one place errors become responses. Nothing but ApiError text reaches a client. */
export function handleError(err: Error, c: Context): Response {
  if (err instanceof ApiError) return c.json(errorBody(err.code, err.message, err.details), err.status, err.headers);
  log("request.failed", {
    level: "error",
    requestId: c.get("requestId"),
    method: c.req.method,
    // The route pattern, never the path: a path can hold a secret (a calendar feed's does).
    route: c.req.routePath,
    error: err.message,
    stack: err.stack,
  });
  return c.json(errorBody("internal", "Something went wrong on our side. Please try again."), 500);
}
