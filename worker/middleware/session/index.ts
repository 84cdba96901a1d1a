import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv, Auth } from "../../app-env";
import { readSessionToken, sessionCookie, validateSessionToken } from "../../auth/session";
import { unauthorized } from "../../errors";

/** Resolves the session cookie into `c.var.auth` (null when absent or invalid). */
export const session = createMiddleware<AppEnv>(async (c, next) => {
  const token = readSessionToken(c.req.header("Cookie"));
  // A WebSocket upgrade is answered by the room with headers nobody may change, so it
  // cannot carry a refreshed cookie: its session is checked, not slid.
  const upgrade = c.req.header("Upgrade")?.toLowerCase() === "websocket";
  const validated = token ? await validateSessionToken(drizzle(c.env.DB), token, Date.now(), !upgrade) : null;
  c.set("auth", validated ? { user: validated.user, sessionId: validated.sessionId } : null);
  await next();
  if (validated?.refreshed && !c.res.headers.has("Set-Cookie")) {
    const secure = new URL(c.req.url).protocol === "https:";
    c.res.headers.append("Set-Cookie", sessionCookie(validated.token, validated.expiresAt, secure));
  }
});

/** The signed-in caller, or a 401. */
export function requireAuth(c: Context<AppEnv>): Auth {
  const auth = c.get("auth");
  if (!auth) throw unauthorized();
  return auth;
}
