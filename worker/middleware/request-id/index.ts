import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../app-env";

/** The response header that tells a client which id its request was logged under. */
export const REQUEST_ID_HEADER = "X-Request-Id";

/**
 * Gives every request an id of the server's own (a client's X-Request-Id is not trusted: it would let one request
 * pose as another in the logs), puts it on the context for log lines, and returns it in X-Request-Id so a person
 * reporting a failure can quote it.
 */
export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const id = crypto.randomUUID();
  c.set("requestId", id);
  await next();
  c.header(REQUEST_ID_HEADER, id);
});
