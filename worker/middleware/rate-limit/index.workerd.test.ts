import { env } from "cloudflare:test";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../../app-env";
import { handleError } from "../../errors";
import { clientKey, limitPerClient } from ".";

function limitedApp(maxRequests: number, windowMs = 60_000) {
  const app = new Hono<AppEnv>();
  app.onError(handleError);
  app.post(
    "/",
    limitPerClient({ bucket: `test-${crypto.randomUUID()}`, maxRequests, windowMs, message: "Slow down." }),
    (c) => c.text("ok"),
  );
  return (ip: string | null) =>
    app.request("/", { method: "POST", headers: ip ? { "CF-Connecting-IP": ip } : {} }, env);
}

describe("clientKey", () => {
  it("keys IPv4 by address and IPv6 by its /64", () => {
    expect(clientKey("203.0.113.7")).toBe("203.0.113.7");
    expect(clientKey("2001:db8:85a3:1:8a2e:370:7334:1")).toBe("2001:db8:85a3:1::/64");
    expect(clientKey("2001:DB8:85A3:0001:ffff::2")).toBe("2001:db8:85a3:1::/64");
    expect(clientKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(clientKey("::1")).toBe("0:0:0:0::/64");
    expect(clientKey("::ffff:198.51.100.4")).toBe("198.51.100.4");
  });

  it("puts clients without an address in one bucket", () => {
    expect(clientKey(undefined)).toBe("unknown");
    expect(clientKey(" ")).toBe("unknown");
  });

  it("keeps an address it cannot parse as it is, rather than merging it with others", () => {
    expect(clientKey("2001:db8:::1")).toBe("2001:db8:::1");
    expect(clientKey("2001:db8:1:2:3")).toBe("2001:db8:1:2:3");
    expect(clientKey("2001:db8:1:2:3:4:5:6:7")).toBe("2001:db8:1:2:3:4:5:6:7");
  });
});

describe("limitPerClient", () => {
  it("counts parallel requests from one client exactly and answers 429 with Retry-After", async () => {
    const call = limitedApp(5);
    const answers = await Promise.all(Array.from({ length: 12 }, () => call("192.0.2.10")));
    expect(answers.filter((res) => res.status === 200)).toHaveLength(5);
    const refused = answers.filter((res) => res.status === 429);
    expect(refused).toHaveLength(7);
    expect(refused[0]?.headers.get("Retry-After")).toMatch(/^(59|60)$/);
    expect(await refused[0]?.json()).toEqual({
      error: { code: "rate_limited", message: "Slow down.", details: { retryAfterSeconds: expect.any(Number) } },
    });
  });

  it("counts each client on its own, and an IPv6 /64 as one client", async () => {
    const call = limitedApp(1);
    expect((await call("192.0.2.20")).status).toBe(200);
    expect((await call("192.0.2.21")).status).toBe(200);
    expect((await call("2001:db8:1:2::a")).status).toBe(200);
    expect((await call("2001:db8:1:2::b")).status).toBe(429);
  });

  it("lets requests through again once the window has passed", async () => {
    const call = limitedApp(1, 300);
    expect((await call("192.0.2.30")).status).toBe(200);
    expect((await call("192.0.2.30")).status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await call("192.0.2.30")).status).toBe(200);
  });
});
