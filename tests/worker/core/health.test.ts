/**
 * Liveness and readiness: both answer without a session; readiness reaches D1, R2 and the rooms, and says which
 * did not answer (an R2 that fails, a D1 that never answers) with 503, telling the caller nothing of why.
 */
import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { HEALTH_CHECK_TIMEOUT_MS } from "../../../config";
import { livenessSchema, readinessSchema } from "../../../schema/core/health";
import { app } from "../../../worker/app";
import { api, json, ORIGIN } from "../helpers";

const ready = (bindings: Env) => app.request(`${ORIGIN}/health/ready`, {}, bindings);

describe("health", () => {
  it("answers liveness and readiness without a session, and is never cached", async () => {
    const live = await api("/health");
    expect(live.status).toBe(200);
    expect(livenessSchema.parse(await live.json())).toEqual({ status: "ok" });
    const res = await api("/health/ready");
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const body = readinessSchema.parse(await json(res));
    expect(body.status).toBe("ok");
    expect(Object.values(body.checks).map((c) => c.status)).toEqual(["ok", "ok", "ok"]);
  });

  it("answers from its last check for 5 s, however often it is called", async () => {
    let asked = 0;
    const counted = {
      ...env,
      DB: {
        prepare: () => ({
          first: async () => {
            asked += 1;
            return 1;
          },
        }),
      },
    } as unknown as Env;
    for (let i = 0; i < 50; i++) expect((await ready(counted)).status).toBe(200);
    expect(asked).toBe(1);
  });

  it("says which dependency failed or did not answer in time, with 503, and logs why", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      const brokenR2 = { ...env, BLOBS: { head: () => Promise.reject(new Error("R2 is down")) } } as unknown as Env;
      const failed = await ready(brokenR2);
      expect(failed.status).toBe(503);
      const body = readinessSchema.parse(await failed.json());
      expect(body).toMatchObject({ status: "failed", checks: { d1: { status: "ok" }, r2: { status: "failed" } } });
      expect(JSON.stringify(body)).not.toContain("R2 is down");
      expect(log.mock.calls.flat().join("\n")).toContain("R2 is down");

      const silentD1 = { ...env, DB: { prepare: () => ({ first: () => new Promise(() => undefined) }) } };
      const started = Date.now();
      const slow = await ready(silentD1 as unknown as Env);
      expect(slow.status).toBe(503);
      expect(readinessSchema.parse(await slow.json()).checks.d1.status).toBe("failed");
      expect(Date.now() - started).toBeGreaterThanOrEqual(HEALTH_CHECK_TIMEOUT_MS - 50);
    } finally {
      log.mockRestore();
    }
  });
});
