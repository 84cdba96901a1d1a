import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../app-env";

/** The response header that tells a client which id its request was logged under. */
export const REQUEST_ID_HEADER = "X-Request-Id";

/**
 * Gives every request an id of the server's own (a client's X-Request-Id is not trusted: it would let one request
 * pose as another in the logs), puts it on the context for log lines, and returns it in X-Request-Id so a person
 * reporting a failure can quote it. Each request ends with one JSON log line: its id, method, the route it matched
 * (the pattern, never the path: a path can hold a secret, as a calendar feed's does), status and time taken.
 */
export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const id = crypto.randomUUID();
  const start = Date.now();
  c.set("requestId", id);
  await next();
  c.header(REQUEST_ID_HEADER, id);
  console.log(
    JSON.stringify({
      event: "request",
      requestId: id,
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      ms: Date.now() - start,
    }),
  );
});
