import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../app-env";
import { ApiError } from "../../errors";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const SAME_SITE_FETCH = new Set(["same-origin", "none"]);

/**
 * Cross-site request forgery guard for every state-changing request and every WebSocket
 * upgrade. A browser always sends `Origin` on these (and `Sec-Fetch-Site` on modern
 * ones), so a foreign value is refused. A request with neither header does not come from
 * a browser, so it carries no ambient cookie on a victim's behalf and is let through.
 */
export function isForeignRequest(request: Request): boolean {
  const origin = request.headers.get("Origin");
  if (origin !== null && origin !== new URL(request.url).origin) return true;
  const site = request.headers.get("Sec-Fetch-Site");
  return site !== null && !SAME_SITE_FETCH.has(site);
}

export const originCheck = createMiddleware<AppEnv>(async (c, next) => {
  const upgrade = c.req.header("Upgrade")?.toLowerCase() === "websocket";
  if ((upgrade || !SAFE_METHODS.has(c.req.method)) && isForeignRequest(c.req.raw)) {
    throw new ApiError(403, "foreign_origin", "Requests from other sites are not allowed.");
  }
  await next();
});
