import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { LOGIN_LINK_PER_EMAIL_MAX_SENT, LOGIN_LINK_PER_IP_MAX_REQUESTS, LOGIN_MAX_FAILURES } from "../../../config";
import type { User } from "../../../schema/core/api";
import { api, cookieFrom, type ErrorJson, json, randomClientIp, signup, uniqueEmail } from "../helpers";

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Stores a link for `userId` with a token the test knows, as the request route would after mailing it. */
async function plantLink(userId: string, expiresInMs = 15 * 60 * 1000): Promise<string> {
  const token = `testtoken${crypto.randomUUID().replace(/[^a-z2-9]/g, "")}`.slice(0, 32);
  const now = Date.now();
  await env.DB.prepare("INSERT INTO login_links (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
    .bind(await sha256Hex(token), userId, now, now + expiresInMs)
    .run();
  return token;
}

const linksOf = async (userId: string) =>
  (
    await env.DB.prepare("SELECT token_hash, expires_at - created_at AS ttl FROM login_links WHERE user_id = ?")
      .bind(userId)
      .all<{ token_hash: string; ttl: number }>()
  ).results;

async function lockOut(email: string): Promise<void> {
  for (let i = 0; i < LOGIN_MAX_FAILURES; i++) {
    await api("/api/auth/login", { ip: randomClientIp(), body: { email, password: `wrong-${i}` } });
  }
}

describe("asking for a sign-in link", () => {
  it(
    "answers 202 alike for an account and for an unknown email, " +
      "storing a hashed 15-minute link only for the account",
    async () => {
      const account = await signup();
      const known = await api("/api/auth/login-link", { body: { email: account.email.toUpperCase() } });
      const unknown = await api("/api/auth/login-link", { body: { email: uniqueEmail("nobody") } });
      expect(known.status).toBe(202);
      expect(unknown.status).toBe(202);
      expect(await known.text()).toBe(await unknown.text());
      const links = await linksOf(account.user.id);
      expect(links).toHaveLength(1);
      expect(links[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(links[0]?.ttl).toBe(15 * 60 * 1000);
    },
  );

  it("mails one account at most a few links per 15 minutes, and still answers 202", async () => {
    const account = await signup();
    for (let i = 0; i < LOGIN_LINK_PER_EMAIL_MAX_SENT + 2; i++) {
      expect((await api("/api/auth/login-link", { ip: randomClientIp(), body: { email: account.email } })).status).toBe(
        202,
      );
    }
    expect(await linksOf(account.user.id)).toHaveLength(LOGIN_LINK_PER_EMAIL_MAX_SENT);
  });

  it("refuses one client past its limit with 429 and Retry-After", async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < LOGIN_LINK_PER_IP_MAX_REQUESTS + 1; i++) {
      last = await api("/api/auth/login-link", { body: { email: uniqueEmail() } });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([...Array<number>(LOGIN_LINK_PER_IP_MAX_REQUESTS).fill(202), 429]);
    expect(Number(last?.headers.get("Retry-After"))).toBeGreaterThan(0);
  });

  it("answers 400 for a bad email and 415 for a body that is not JSON", async () => {
    expect((await api("/api/auth/login-link", { body: { email: "not an email" } })).status).toBe(400);
    const form = await api("/api/auth/login-link", {
      rawBody: "email=a%40b.c",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(415);
    expect((await json<ErrorJson>(form)).error.code).toBe("unsupported_media_type");
  });
});

describe("using a sign-in link", () => {
  it("signs a locked-out owner in and clears the lock", async () => {
    const account = await signup("Locked Out");
    await lockOut(account.email);
    expect((await api("/api/auth/login", { body: { email: account.email, password: account.password } })).status).toBe(
      429,
    );

    const token = await plantLink(account.user.id);
    const res = await api("/api/auth/login-link/consume", { body: { token } });
    expect(res.status).toBe(200);
    expect((await json<{ user: User }>(res)).user).toEqual(account.user);
    expect(res.headers.get("Set-Cookie")).toContain("HttpOnly");
    expect((await api("/api/me", { cookie: cookieFrom(res) })).status).toBe(200);
    expect((await api("/api/auth/login", { body: { email: account.email, password: account.password } })).status).toBe(
      200,
    );
  });

  it("works once, and spends the account's other outstanding links with it", async () => {
    const account = await signup();
    const token = await plantLink(account.user.id);
    const other = await plantLink(account.user.id);
    expect((await api("/api/auth/login-link/consume", { body: { token } })).status).toBe(200);
    const again = await api("/api/auth/login-link/consume", { body: { token } });
    expect(again.status).toBe(410);
    expect((await json<ErrorJson>(again)).error.code).toBe("login_link_invalid");
    expect((await api("/api/auth/login-link/consume", { body: { token: other } })).status).toBe(410);
    expect(await linksOf(account.user.id)).toHaveLength(0);
  });

  it("is spent by one of two parallel uses only", async () => {
    const account = await signup();
    const token = await plantLink(account.user.id);
    const answers = await Promise.all([1, 2, 3].map(() => api("/api/auth/login-link/consume", { body: { token } })));
    expect(answers.map((res) => res.status).sort()).toEqual([200, 410, 410]);
  });

  it("refuses an expired or unknown link and sets no cookie", async () => {
    const account = await signup();
    const expired = await plantLink(account.user.id, -1);
    for (const token of [expired, "abcdefghijkmnpqrstuvwxyz23456789"]) {
      const res = await api("/api/auth/login-link/consume", { body: { token } });
      expect(res.status).toBe(410);
      expect(res.headers.get("Set-Cookie")).toBeNull();
    }
  });

  it("is not spent by opening it: a GET (a mail scanner's prefetch) changes nothing", async () => {
    const account = await signup();
    const token = await plantLink(account.user.id);
    expect((await api(`/api/auth/login-link/consume?token=${token}`)).status).toBe(404);
    expect((await api(`/api/auth/login-link/${token}`)).status).toBe(404);
    expect(await linksOf(account.user.id)).toHaveLength(1);
    expect((await api("/api/auth/login-link/consume", { body: { token } })).status).toBe(200);
  });
});
