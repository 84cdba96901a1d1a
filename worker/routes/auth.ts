/** /api/auth/signup, login, logout and /api/me: accounts and sessions. */
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import {
  LOGIN_FAILURE_WINDOW_MS,
  LOGIN_MAX_FAILURES,
  LOGIN_PER_IP_MAX_ATTEMPTS,
  LOGIN_PER_IP_WINDOW_MS,
  SIGNUP_PER_IP_MAX_ATTEMPTS,
  SIGNUP_PER_IP_WINDOW_MS,
} from "../../config";
import { roomStub } from "../../rooms/stubs";
import { loginBody, signupBody } from "../../schema/core/api";
import { userBodySchema } from "../../schema/core/responses";
import { loginFailures, memberships, rooms, users } from "../../schema/d1";
import type { AppEnv } from "../app-env";
import { decoyPasswordHash, hashPassword, verifyPassword } from "../auth/password";
import { clearedSessionCookie, createSession, invalidateSession, isHttps, sessionCookie } from "../auth/session";
import { ApiError, rateLimited } from "../errors";
import { readJson } from "../middleware/json-body";
import { limitPerClient } from "../middleware/rate-limit";
import { requireAuth } from "../middleware/session";
import { userHub } from "../notify/UserHub";
import { rateLimited as rateLimitedCase } from "./common";
import { defineRoute, empty, json, type RouteDef } from "./define";

const loginPerClient = limitPerClient({
  bucket: "login",
  maxRequests: LOGIN_PER_IP_MAX_ATTEMPTS,
  windowMs: LOGIN_PER_IP_WINDOW_MS,
  message: "Too many sign-in attempts from your network. Try again later.",
});

const signupPerClient = limitPerClient({
  bucket: "signup",
  maxRequests: SIGNUP_PER_IP_MAX_ATTEMPTS,
  windowMs: SIGNUP_PER_IP_WINDOW_MS,
  message: "Too many accounts were created from your network. Try again later.",
});

/**
 * Counts a login attempt for `email` before its password is checked, in one statement:
 * the row is written only while fewer than LOGIN_MAX_FAILURES are in the window, so of
 * any number of parallel guesses at most that many reach the hash. Throws 429 when full.
 */
async function countLoginAttempt(db: D1Database, email: string, now: number): Promise<void> {
  const windowStart = now - LOGIN_FAILURE_WINDOW_MS;
  const [, counted] = await db.batch([
    db.prepare("DELETE FROM login_failures WHERE email = ?1 AND at <= ?2").bind(email, windowStart),
    db
      .prepare(
        "INSERT INTO login_failures (email, at) SELECT ?1, ?2 " +
          "WHERE (SELECT count(*) FROM login_failures WHERE email = ?1 AND at > ?3) < ?4",
      )
      .bind(email, now, windowStart, LOGIN_MAX_FAILURES),
  ]);
  if (counted?.meta.changes === 1) return;
  const oldest = await db
    .prepare("SELECT min(at) AS at FROM login_failures WHERE email = ?1")
    .bind(email)
    .first<{ at: number | null }>();
  const retryAfterSeconds = Math.max(1, Math.ceil(((oldest?.at ?? now) + LOGIN_FAILURE_WINDOW_MS - now) / 1000));
  throw rateLimited(
    "Too many failed sign-in attempts for this email. Try again later, or get a sign-in link by email.",
    retryAfterSeconds,
  );
}

const signupRoute = defineRoute({
  method: "post",
  path: "/api/auth/signup",
  summary: "Create an account and sign in",
  description: "Sets the `haven_session` cookie.",
  tag: "Accounts",
  auth: "none",
  body: { json: signupBody },
  ok: { 201: json("The new account; the session cookie is set.", userBodySchema) },
  errors: [[409, "email_taken", "An account with this email already exists."], rateLimitedCase],
  middleware: [signupPerClient],
  handler: signup,
});
async function signup(c: Context<AppEnv>): Promise<Response> {
  const body = await readJson(c, signupBody);
  const db = drizzle(c.env.DB);
  const passwordHash = await hashPassword(body.password);
  const user = { id: crypto.randomUUID(), email: body.email, name: body.name };
  const inserted = await db
    .insert(users)
    .values({ ...user, passwordHash, createdAt: Date.now() })
    .onConflictDoNothing({ target: users.email })
    .returning({ id: users.id });
  if (inserted.length === 0) {
    throw new ApiError(409, "email_taken", "An account with this email already exists.");
  }
  const session = await createSession(db, user.id);
  c.header("Set-Cookie", sessionCookie(session.token, session.expiresAt, isHttps(c.req.url)));
  return c.json({ user }, 201);
}

const loginRoute = defineRoute({
  method: "post",
  path: "/api/auth/login",
  summary: "Sign in with email and password",
  tag: "Accounts",
  auth: "none",
  body: { json: loginBody },
  ok: { 200: json("The account; the session cookie is set.", userBodySchema) },
  errors: [
    [401, "invalid_credentials", "Unknown email or wrong password (the same answer for both)."],
    rateLimitedCase,
  ],
  middleware: [loginPerClient],
  handler: login,
});
async function login(c: Context<AppEnv>): Promise<Response> {
  const body = await readJson(c, loginBody);
  const db = drizzle(c.env.DB);
  const now = Date.now();
  await countLoginAttempt(c.env.DB, body.email, now);
  const user = await db.select().from(users).where(eq(users.email, body.email)).get();
  // Unknown emails still pay for a hash check, so timing does not reveal which emails exist.
  const ok = await verifyPassword(body.password, user?.passwordHash ?? (await decoyPasswordHash()));
  if (!user || !ok) throw new ApiError(401, "invalid_credentials", "Email or password is incorrect.");
  await db.delete(loginFailures).where(eq(loginFailures.email, body.email));
  const session = await createSession(db, user.id, now);
  c.header("Set-Cookie", sessionCookie(session.token, session.expiresAt, isHttps(c.req.url)));
  return c.json({ user: { id: user.id, email: user.email, name: user.name } });
}

const logoutRoute = defineRoute({
  method: "post",
  path: "/api/auth/logout",
  summary: "Sign out",
  description: "Deletes the session and closes every socket it opened.",
  tag: "Accounts",
  auth: "session",
  ok: { 204: empty("Signed out; the cookie is cleared.") },
  handler: logout,
});
async function logout(c: Context<AppEnv>): Promise<Response> {
  const auth = requireAuth(c);
  const db = drizzle(c.env.DB);
  await invalidateSession(db, auth.sessionId);
  // Close this session's open sockets in every room the user belongs to.
  const joined = await db
    .select({ id: rooms.id, kind: rooms.kind })
    .from(memberships)
    .innerJoin(rooms, eq(rooms.id, memberships.roomId))
    .where(eq(memberships.userId, auth.user.id));
  await Promise.all([
    ...joined.map((room) => roomStub(c.env, room.kind, room.id).endSession(auth.sessionId)),
    userHub(c.env, auth.user.id).endSession(auth.sessionId),
  ]);
  c.header("Set-Cookie", clearedSessionCookie(isHttps(c.req.url)));
  return c.body(null, 204);
}

const meRoute = defineRoute({
  method: "get",
  path: "/api/me",
  summary: "The signed-in account",
  tag: "Accounts",
  auth: "session",
  ok: { 200: json("The account.", userBodySchema) },
  handler: me,
});
function me(c: Context<AppEnv>): Response {
  return c.json({ user: requireAuth(c).user });
}

export const authRoutes: readonly RouteDef[] = [signupRoute, loginRoute, logoutRoute, meRoute];
