import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../app-env";
import { SECURITY_HEADERS } from "./policy";

/** Adds SECURITY_HEADERS to every response the Worker makes, except WebSocket handshakes (no document). */
export const securityHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (c.res.status === 101) return;
  // A response that came from a Durable Object has immutable headers: copy it first.
  const res = new Response(c.res.body, c.res);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.headers.set(name, value);
  c.res = res;
});
