import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  LOGIN_FAILURE_WINDOW_MS,
  LOGIN_MAX_FAILURES,
  LOGIN_PER_IP_MAX_ATTEMPTS,
  SIGNUP_PER_IP_MAX_ATTEMPTS,
  SIGNUP_PER_IP_WINDOW_MS,
} from "../../../config";
import type { User } from "../../../schema/core/api";
import { api, cookieFrom, type ErrorJson, json, randomClientIp, signup, uniqueEmail } from "../helpers";

const userCount = async () => (await env.DB.prepare("SELECT count(*) AS n FROM users").first<{ n: number }>())?.n ?? 0;

describe("signup", () => {
  it("creates an account, sets an HttpOnly session cookie and returns the user", async () => {
    const email = uniqueEmail();
    const res = await api("/api/auth/signup", {
      body: { email: email.toUpperCase(), password: "longenough", name: " Ada " },
    });
    expect(res.status).toBe(201);
    const { user } = await json<{ user: User }>(res);
    expect(user).toEqual({ id: expect.any(String), email, name: "Ada" });
    const cookie = res.headers.get("Set-Cookie") ?? "";
    expect(cookie).toMatch(/^haven_session=[a-z0-9]+\.[a-z0-9]+;/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    const me = await api("/api/me", { cookie: cookieFrom(res) });
    expect(await json(me)).toEqual({ user });
  });

  it("stores only a salted slow hash of the password", async () => {
    const { user } = await signup();
    const row = await env.DB.prepare("SELECT password_hash FROM users WHERE id = ?")
      .bind(user.id)
      .first<{ password_hash: string }>();
    expect(row?.password_hash).toMatch(/^pbkdf2-sha256\$100000\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
  });

  it("answers 409 when the email is taken, in any letter case", async () => {
    const { email } = await signup();
    const before = await userCount();
    const res = await api("/api/auth/signup", {
      body: { email: email.toUpperCase(), password: "longenough", name: "B" },
    });
    expect(res.status).toBe(409);
    expect((await json<ErrorJson>(res)).error.code).toBe("email_taken");
    expect(await userCount()).toBe(before);
  });

  it.each([
    ["an invalid email", { email: "not-an-email", password: "longenough", name: "A" }, "email"],
    ["a short password", { email: uniqueEmail(), password: "short", name: "A" }, "password"],
    ["a missing name", { email: uniqueEmail(), password: "longenough" }, "name"],
    ["a number for a name", { email: uniqueEmail(), password: "longenough", name: 7 }, "name"],
  ])("answers 400 for %s and creates nothing", async (_label, body, field) => {
    const before = await userCount();
    const res = await api("/api/auth/signup", { body });
    expect(res.status).toBe(400);
    const { error } = await json<ErrorJson>(res);
    expect(error.code).toBe("validation_failed");
    expect(error.message).toContain(field);
    expect(res.headers.get("Set-Cookie")).toBeNull();
    expect(await userCount()).toBe(before);
  });
});

describe("signup limits", () => {
  it("refuses a burst of signups from one client past its limit, with Retry-After", async () => {
    const ip = randomClientIp();
    const answers = await Promise.all(
      Array.from({ length: SIGNUP_PER_IP_MAX_ATTEMPTS + 10 }, () =>
        api("/api/auth/signup", { ip, body: { email: uniqueEmail("burst"), password: "longenough", name: "Bot" } }),
      ),
    );
    expect(answers.filter((res) => res.status === 201)).toHaveLength(SIGNUP_PER_IP_MAX_ATTEMPTS);
    const refused = answers.filter((res) => res.status === 429);
    expect(refused).toHaveLength(10);
    const retryAfter = Number(refused[0]?.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThan(SIGNUP_PER_IP_WINDOW_MS / 1000 - 60);
    expect((await json<ErrorJson>(refused[0] as Response)).error.code).toBe("rate_limited");
    expect(
      (
        await api("/api/auth/signup", {
          ip: randomClientIp(),
          body: { email: uniqueEmail(), password: "longenough", name: "Human" },
        })
      ).status,
    ).toBe(201);
  });

  it("puts clients without CF-Connecting-IP in one shared bucket", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < SIGNUP_PER_IP_MAX_ATTEMPTS + 1; i++) {
      statuses.push(
        (
          await api("/api/auth/signup", {
            ip: null,
            body: { email: uniqueEmail("local"), password: "longenough", name: "Tool" },
          })
        ).status,
      );
    }
    expect(statuses).toEqual([...Array<number>(SIGNUP_PER_IP_MAX_ATTEMPTS).fill(201), 429]);
  });
});

describe("login", () => {
  it("signs in with the right password", async () => {
    const account = await signup("Lin");
    const res = await api("/api/auth/login", { body: { email: account.email, password: account.password } });
    expect(res.status).toBe(200);
    expect((await json<{ user: User }>(res)).user.id).toBe(account.user.id);
    expect((await api("/api/me", { cookie: cookieFrom(res) })).status).toBe(200);
  });

  it("gives the same 401 for an unknown email and a wrong password", async () => {
    const account = await signup();
    const wrong = await api("/api/auth/login", { body: { email: account.email, password: "wrong password" } });
    const unknown = await api("/api/auth/login", { body: { email: uniqueEmail(), password: "wrong password" } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  it("answers 429 after 10 failures for an email within 15 minutes, even with the right password", async () => {
    const account = await signup();
    for (let i = 0; i < 10; i++) {
      expect((await api("/api/auth/login", { body: { email: account.email, password: `nope-${i}` } })).status).toBe(
        401,
      );
    }
    const blocked = await api("/api/auth/login", { body: { email: account.email, password: account.password } });
    expect(blocked.status).toBe(429);
    expect((await json<ErrorJson>(blocked)).error.code).toBe("rate_limited");
    expect(blocked.headers.get("Set-Cookie")).toBeNull();
  });

  it("counts parallel guesses before checking any password: the right one among 30 at once is refused", async () => {
    const account = await signup();
    const guesses = Array.from({ length: 29 }, (_, i) => `wrong-guess-${i}`);
    // Each guess from its own address, so only the per-email count can stop them.
    const answers = await Promise.all(
      [...guesses, account.password].map((password) =>
        api("/api/auth/login", { ip: randomClientIp(), body: { email: account.email, password } }),
      ),
    );
    const statuses = answers.map((res) => res.status);
    const rightOne = answers[29];
    if (rightOne?.status === 200) {
      // The right password was among the first ten checked (a loaded machine may order them so): its success forgets
      // the failures before it, as a successful login does, so at most ten more wrong ones were checked after it.
      expect(statuses.filter((s) => s === 401).length).toBeLessThan(2 * LOGIN_MAX_FAILURES);
      return;
    }
    expect(statuses.filter((s) => s === 401)).toHaveLength(LOGIN_MAX_FAILURES);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30 - LOGIN_MAX_FAILURES);
    // Otherwise it got no session.
    expect(rightOne?.status).toBe(429);
    expect(rightOne?.headers.get("Set-Cookie")).toBeNull();
    expect((await api("/api/auth/login", { body: { email: account.email, password: account.password } })).status).toBe(
      429,
    );
  });

  it("tells a locked-out client when to try again", async () => {
    const account = await signup();
    for (let i = 0; i < LOGIN_MAX_FAILURES; i++)
      await api("/api/auth/login", { body: { email: account.email, password: `nope-${i}` } });
    const blocked = await api("/api/auth/login", { body: { email: account.email, password: account.password } });
    expect(blocked.status).toBe(429);
    const retryAfter = Number(blocked.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThan(LOGIN_FAILURE_WINDOW_MS / 1000 - 60);
    expect(retryAfter).toBeLessThanOrEqual(LOGIN_FAILURE_WINDOW_MS / 1000);
    expect((await json<ErrorJson>(blocked)).error.details).toEqual({ retryAfterSeconds: retryAfter });
  });

  it("refuses password spraying: one client trying many emails gets 429 past its limit", async () => {
    const ip = randomClientIp();
    const statuses: number[] = [];
    for (let i = 0; i < LOGIN_PER_IP_MAX_ATTEMPTS + 5; i++) {
      statuses.push(
        (await api("/api/auth/login", { ip, body: { email: uniqueEmail("sprayed"), password: "Summer2026!" } })).status,
      );
    }
    expect(statuses.slice(0, LOGIN_PER_IP_MAX_ATTEMPTS).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(LOGIN_PER_IP_MAX_ATTEMPTS).every((s) => s === 429)).toBe(true);
    const account = await signup();
    const blocked = await api("/api/auth/login", { ip, body: { email: account.email, password: account.password } });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("Retry-After"))).toBeGreaterThan(0);
    // Another client is not affected.
    expect(
      (
        await api("/api/auth/login", {
          ip: randomClientIp(),
          body: { email: account.email, password: account.password },
        })
      ).status,
    ).toBe(200);
  });

  it("counts parallel logins from one client exactly", async () => {
    const ip = randomClientIp();
    const answers = await Promise.all(
      Array.from({ length: LOGIN_PER_IP_MAX_ATTEMPTS + 10 }, () =>
        api("/api/auth/login", { ip, body: { email: uniqueEmail(), password: "whatever1" } }),
      ),
    );
    expect(answers.filter((res) => res.status === 401)).toHaveLength(LOGIN_PER_IP_MAX_ATTEMPTS);
    expect(answers.filter((res) => res.status === 429)).toHaveLength(10);
  });

  it("counts only failures inside the window", async () => {
    const account = await signup();
    const old = Date.now() - 16 * 60 * 1000;
    for (let i = 0; i < 10; i++) {
      await env.DB.prepare("INSERT INTO login_failures (email, at) VALUES (?, ?)").bind(account.email, old).run();
    }
    const res = await api("/api/auth/login", { body: { email: account.email, password: account.password } });
    expect(res.status).toBe(200);
  });
});

describe("sessions", () => {
  it("logout answers 204 and the token never works again", async () => {
    const account = await signup();
    const res = await api("/api/auth/logout", { cookie: account.cookie, method: "POST" });
    expect(res.status).toBe(204);
    expect(res.headers.get("Set-Cookie")).toContain("Max-Age=0");
    expect((await api("/api/me", { cookie: account.cookie })).status).toBe(401);
  });

  it("keeps only a SHA-256 hash of the session secret", async () => {
    const account = await signup();
    const [id, secret] = account.cookie.split("=")[1]?.split(".") ?? [];
    const row = await env.DB.prepare("SELECT secret_hash FROM sessions WHERE id = ?")
      .bind(id)
      .first<{ secret_hash: string }>();
    expect(row?.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row?.secret_hash).not.toContain(secret);
  });

  it("rejects a token whose secret is wrong", async () => {
    const account = await signup();
    const [name, token] = account.cookie.split("=");
    const forged = `${name}=${token?.split(".")[0]}.aaaaaaaaaaaaaaaaaaaaaaaa`;
    expect((await api("/api/me", { cookie: forged })).status).toBe(401);
  });

  it("slides the expiry forward when a session is used late in its life", async () => {
    const account = await signup();
    const id = account.cookie.split("=")[1]?.split(".")[0];
    const soon = Date.now() + 60 * 60 * 1000;
    await env.DB.prepare("UPDATE sessions SET expires_at = ? WHERE id = ?").bind(soon, id).run();
    const res = await api("/api/me", { cookie: account.cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get("Set-Cookie")).toMatch(/Max-Age=259(1|2)\d{3}/);
    const row = await env.DB.prepare("SELECT expires_at FROM sessions WHERE id = ?")
      .bind(id)
      .first<{ expires_at: number }>();
    expect(row?.expires_at).toBeGreaterThan(Date.now() + 29 * 24 * 60 * 60 * 1000);
  });

  it("refuses an expired session", async () => {
    const account = await signup();
    const id = account.cookie.split("=")[1]?.split(".")[0];
    await env.DB.prepare("UPDATE sessions SET expires_at = ? WHERE id = ?")
      .bind(Date.now() - 1, id)
      .run();
    expect((await api("/api/me", { cookie: account.cookie })).status).toBe(401);
  });

  it("GET /api/me without a session is 401 JSON", async () => {
    const res = await api("/api/me");
    expect(res.status).toBe(401);
    expect(await json<ErrorJson>(res)).toEqual({ error: { code: "unauthorized", message: "Sign in to continue." } });
  });
});
