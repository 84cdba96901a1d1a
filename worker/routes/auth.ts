/** /api/auth/* and /api/me: accounts and sessions. */
import { and, count, eq, gt, lt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { Hono } from "hono";
import { LOGIN_FAILURE_WINDOW_MS, LOGIN_MAX_FAILURES } from "../../config";
import { loginBody, signupBody } from "../../schema/api";
import { loginFailures, memberships, rooms, users } from "../../schema/d1";
import type { AppEnv } from "../app-env";
import { decoyPasswordHash, hashPassword, verifyPassword } from "../auth/password";
import { clearedSessionCookie, createSession, invalidateSession, sessionCookie } from "../auth/session";
import { ApiError } from "../errors";
import { readJson } from "../middleware/json-body";
import { requireAuth } from "../middleware/session";
import { roomStub } from "../room-access";

const isHttps = (url: string) => new URL(url).protocol === "https:";

export const authRoutes = new Hono<AppEnv>()
  .post("/auth/signup", async (c) => {
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
  })
  .post("/auth/login", async (c) => {
    const body = await readJson(c, loginBody);
    const db = drizzle(c.env.DB);
    const now = Date.now();
    const windowStart = now - LOGIN_FAILURE_WINDOW_MS;
    const failures = await db
      .select({ n: count() })
      .from(loginFailures)
      .where(and(eq(loginFailures.email, body.email), gt(loginFailures.at, windowStart)))
      .get();
    if ((failures?.n ?? 0) >= LOGIN_MAX_FAILURES) {
      throw new ApiError(429, "rate_limited", "Too many failed sign-in attempts. Try again in 15 minutes.");
    }
    const user = await db.select().from(users).where(eq(users.email, body.email)).get();
    // Unknown emails still pay for a hash check, so timing does not reveal which emails exist.
    const ok = await verifyPassword(body.password, user?.passwordHash ?? (await decoyPasswordHash()));
    if (!user || !ok) {
      await db.batch([
        db.delete(loginFailures).where(and(eq(loginFailures.email, body.email), lt(loginFailures.at, windowStart))),
        db.insert(loginFailures).values({ email: body.email, at: now }),
      ]);
      throw new ApiError(401, "invalid_credentials", "Email or password is incorrect.");
    }
    await db.delete(loginFailures).where(eq(loginFailures.email, body.email));
    const session = await createSession(db, user.id, now);
    c.header("Set-Cookie", sessionCookie(session.token, session.expiresAt, isHttps(c.req.url)));
    return c.json({ user: { id: user.id, email: user.email, name: user.name } });
  })
  .post("/auth/logout", async (c) => {
    const auth = requireAuth(c);
    const db = drizzle(c.env.DB);
    await invalidateSession(db, auth.sessionId);
    // Close this session's open sockets in every room the user belongs to.
    const joined = await db
      .select({ id: rooms.id, kind: rooms.kind })
      .from(memberships)
      .innerJoin(rooms, eq(rooms.id, memberships.roomId))
      .where(eq(memberships.userId, auth.user.id));
    await Promise.all(joined.map((room) => roomStub(c.env, room.kind, room.id).endSession(auth.sessionId)));
    c.header("Set-Cookie", clearedSessionCookie(isHttps(c.req.url)));
    return c.body(null, 204);
  })
  .get("/me", (c) => c.json({ user: requireAuth(c).user }));
