/**
 * Sessions as Lucia documents them: the token is `<id>.<secret>`, the database keeps only
 * SHA-256(secret), lookups go by id and the secret is compared in constant time, and the
 * expiry slides forward with use.
 */
import { eq } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { SESSION_COOKIE_NAME, SESSION_REFRESH_THRESHOLD_MS, SESSION_TTL_MS } from "../../config";
import type { User } from "../../schema/core/api";
import { sessions, users } from "../../schema/d1";
import { constantTimeEqual, randomToken, sha256Hex, utf8 } from "./crypto";

export interface ValidatedSession {
  user: User;
  sessionId: string;
  expiresAt: number;
  /** True when the expiry moved, so the cookie must be sent again. */
  refreshed: boolean;
  token: string;
}

/** Creates a session for a user and returns its token (shown to the client once, in the cookie). */
export async function createSession(db: DrizzleD1Database, userId: string, now = Date.now()) {
  const id = randomToken();
  const secret = randomToken();
  const expiresAt = now + SESSION_TTL_MS;
  await db.insert(sessions).values({ id, userId, secretHash: await sha256Hex(secret), createdAt: now, expiresAt });
  return { token: `${id}.${secret}`, sessionId: id, expiresAt };
}

/** Resolves a token to its live session and user, sliding the expiry; null if it is not valid. */
export async function validateSessionToken(
  db: DrizzleD1Database,
  token: string,
  now = Date.now(),
  /**
   * False where the answer cannot carry a new cookie (a WebSocket upgrade): the expiry then slides on the next request.
   */
  slide = true,
): Promise<ValidatedSession | null> {
  const [id, secret, extra] = token.split(".");
  if (!id || !secret || extra !== undefined || id.length > 64 || secret.length > 64) return null;
  const row = await db
    .select({
      secretHash: sessions.secretHash,
      expiresAt: sessions.expiresAt,
      userId: users.id,
      email: users.email,
      name: users.name,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, id))
    .get();
  if (!row) return null;
  if (!constantTimeEqual(utf8(await sha256Hex(secret)), utf8(row.secretHash))) return null;
  if (row.expiresAt <= now) {
    await db.delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  let expiresAt = row.expiresAt;
  let refreshed = false;
  if (slide && expiresAt - now < SESSION_REFRESH_THRESHOLD_MS) {
    expiresAt = now + SESSION_TTL_MS;
    refreshed = true;
    await db.update(sessions).set({ expiresAt }).where(eq(sessions.id, id));
  }
  return {
    user: { id: row.userId, email: row.email, name: row.name },
    sessionId: id,
    expiresAt,
    refreshed,
    token,
  };
}

export async function invalidateSession(db: DrizzleD1Database, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** True when the request came over HTTPS, so the session cookie must be `Secure`. */
export const isHttps = (url: string): boolean => new URL(url).protocol === "https:";

/** `Set-Cookie` value for a session; Secure whenever the app is served over HTTPS. */
export function sessionCookie(token: string, expiresAt: number, secure: boolean, now = Date.now()): string {
  const maxAge = Math.max(0, Math.floor((expiresAt - now) / 1000));
  const secureFlag = secure ? "; Secure" : "";
  return `${SESSION_COOKIE_NAME}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secureFlag}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE_NAME}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? "; Secure" : ""}`;
}

/** Reads the session token from a Cookie header. */
export function readSessionToken(cookieHeader: string | null | undefined): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const eqAt = part.indexOf("=");
    if (eqAt < 0) continue;
    if (part.slice(0, eqAt).trim() === SESSION_COOKIE_NAME) return part.slice(eqAt + 1).trim() || null;
  }
  return null;
}
