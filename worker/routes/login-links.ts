/**
 * /api/auth/login-link: one-time sign-in links by email, the way back in for an account
 * whose logins are locked (or whose password is forgotten). Asking always answers 202,
 * so it never tells whether an account exists; the link is spent only by an explicit
 * POST from the page it opens, never by opening it, so mail scanners that fetch links
 * cannot use it up.
 */
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { z } from "zod";
import {
  LOGIN_LINK_PER_EMAIL_MAX_SENT,
  LOGIN_LINK_PER_IP_MAX_REQUESTS,
  LOGIN_LINK_PER_IP_WINDOW_MS,
  LOGIN_LINK_TOKEN_BYTES,
  LOGIN_LINK_TTL_MS,
} from "../../config";
import { consumeLoginLinkBody, loginLinkBody, type User } from "../../schema/core/api";
import { userBodySchema } from "../../schema/core/responses";
import { users } from "../../schema/d1";
import type { AppEnv } from "../app-env";
import { randomToken, sha256Hex } from "../auth/crypto";
import { createSession, isHttps, sessionCookie } from "../auth/session";
import { sendSignInLink } from "../email/sign-in-link";
import { ApiError } from "../errors";
import { readJson } from "../middleware/json-body";
import { limitPerClient } from "../middleware/rate-limit";
import { rateLimited } from "./common";
import { defineRoute, empty, json, type RouteDef } from "./define";

const linkRequestsPerClient = limitPerClient({
  bucket: "login-link",
  maxRequests: LOGIN_LINK_PER_IP_MAX_REQUESTS,
  windowMs: LOGIN_LINK_PER_IP_WINDOW_MS,
  message: "Too many sign-in links were asked for from your network. Try again later.",
});

/** The configured sender; a bad value is our misconfiguration, so it fails loudly as a 500. */
const senderAddress = z.email();

const invalidLink = () =>
  new ApiError(
    410,
    "login_link_invalid",
    "This sign-in link is not valid: it was used, it expired, or it was never sent.",
  );

const askRoute = defineRoute({
  method: "post",
  path: "/api/auth/login-link",
  summary: "Email a one-time sign-in link",
  description: "Always 202, so it never tells whether an account exists.",
  tag: "Accounts",
  auth: "none",
  body: { json: loginLinkBody },
  ok: { 202: empty("Accepted; a link is mailed if the address has an account.") },
  errors: [rateLimited],
  middleware: [linkRequestsPerClient],
  handler: askForLoginLink,
});
async function askForLoginLink(c: Context<AppEnv>): Promise<Response> {
  const { email } = await readJson(c, loginLinkBody);
  const from = senderAddress.parse(c.env.EMAIL_FROM);
  const token = randomToken(LOGIN_LINK_TOKEN_BYTES);
  const now = Date.now();
  // One statement finds the account, checks the per-account cap and stores the link,
  // so parallel requests cannot exceed the cap. No account, or the cap reached: no row.
  const [, stored] = await c.env.DB.batch([
    c.env.DB.prepare("DELETE FROM login_links WHERE expires_at <= ?1").bind(now),
    c.env.DB.prepare(
      `INSERT INTO login_links (token_hash, user_id, created_at, expires_at)
       SELECT ?1, id, ?2, ?3 FROM users
       WHERE email = ?4 AND (SELECT count(*) FROM login_links WHERE user_id = users.id AND created_at > ?5) < ?6`,
    ).bind(
      await sha256Hex(token),
      now,
      now + LOGIN_LINK_TTL_MS,
      email,
      now - LOGIN_LINK_TTL_MS,
      LOGIN_LINK_PER_EMAIL_MAX_SENT,
    ),
  ]);
  if (stored?.meta.changes === 1) {
    const mail = {
      from,
      to: email,
      url: `${new URL(c.req.url).origin}/signin/${token}`,
      ttlMinutes: LOGIN_LINK_TTL_MS / 60_000,
    };
    // Sent after the answer, so its time does not tell whether the account exists.
    c.executionCtx.waitUntil(
      sendSignInLink(c.env.EMAIL, mail).catch((error: unknown) => {
        console.error(
          JSON.stringify({
            event: "login_link_email_failed",
            ray: c.req.header("CF-Ray") ?? null,
            error: String(error),
          }),
        );
      }),
    );
  }
  return c.body(null, 202);
}

const consumeRoute = defineRoute({
  method: "post",
  path: "/api/auth/login-link/consume",
  summary: "Spend a sign-in link and sign in",
  tag: "Accounts",
  auth: "none",
  body: { json: consumeLoginLinkBody },
  ok: { 200: json("The account; the session cookie is set.", userBodySchema) },
  errors: [[410, "login_link_invalid", "The link was used, expired, or was never sent."]],
  handler: consumeLoginLink,
});
async function consumeLoginLink(c: Context<AppEnv>): Promise<Response> {
  const { token } = await readJson(c, consumeLoginLinkBody);
  const tokenHash = await sha256Hex(token);
  const now = Date.now();
  // One transaction: the link is deleted (spent) only while unexpired, and the same
  // statements clear the account's login lock and its other outstanding links.
  const live = "SELECT user_id FROM login_links WHERE token_hash = ?1 AND expires_at > ?2";
  const [, , spent] = await c.env.DB.batch([
    c.env.DB.prepare(`DELETE FROM login_failures WHERE email = (SELECT email FROM users WHERE id = (${live}))`).bind(
      tokenHash,
      now,
    ),
    c.env.DB.prepare(`DELETE FROM login_links WHERE user_id = (${live}) AND token_hash != ?1`).bind(tokenHash, now),
    c.env.DB.prepare("DELETE FROM login_links WHERE token_hash = ?1 AND expires_at > ?2 RETURNING user_id").bind(
      tokenHash,
      now,
    ),
  ]);
  const userId = z.object({ user_id: z.string() }).safeParse(spent?.results[0]);
  if (!userId.success) throw invalidLink();
  const db = drizzle(c.env.DB);
  const user: User | undefined = await db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(eq(users.id, userId.data.user_id))
    .get();
  if (!user) throw invalidLink();
  const session = await createSession(db, user.id, now);
  c.header("Set-Cookie", sessionCookie(session.token, session.expiresAt, isHttps(c.req.url)));
  return c.json({ user });
}

export const loginLinkRoutes: readonly RouteDef[] = [askRoute, consumeRoute];
