/**
 * Liveness and readiness for load balancers and monitors (docs/operations.md). Neither needs a session, and
 * neither says more than ok or failed, with how long each check took: why a check failed is logged, not answered.
 */
import type { Context } from "hono";
import { HEALTH_CHECK_TIMEOUT_MS, HEALTH_READY_CACHE_MS } from "../../config";
import { kindStub } from "../../rooms/stubs";
import {
  HEALTH_CHECKS,
  type HealthCheck,
  livenessSchema,
  type Readiness,
  readinessSchema,
} from "../../schema/core/health";
import type { AppEnv } from "../app-env";
import { defineRoute, json, type RouteDef } from "./define";

const NO_STORE = { "Cache-Control": "no-store" };

const livenessRoute = defineRoute({
  method: "get",
  path: "/health",
  summary: "Liveness",
  description: "200 while the Worker runs. It reaches nothing else: use `/health/ready` for that.",
  tag: "Operations",
  auth: "none",
  ok: { 200: json("The Worker runs.", livenessSchema) },
  handler: liveness,
});
async function liveness(c: Context<AppEnv>): Promise<Response> {
  return c.json({ status: "ok" as const }, 200, NO_STORE);
}

/** Each dependency, reached the cheapest way that proves it: a query, a lookup of a key that is never there, a ping. */
const PROBES: Record<HealthCheck, (env: Env) => Promise<unknown>> = {
  d1: (env) => env.DB.prepare("SELECT 1").first(),
  r2: (env) => env.BLOBS.head("health/probe"),
  rooms: (env) => kindStub(env, "property", "health-probe").ping(),
};

async function probe(env: Env, check: HealthCheck): Promise<Readiness["checks"][HealthCheck]> {
  const start = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${HEALTH_CHECK_TIMEOUT_MS} ms`)), HEALTH_CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([PROBES[check](env), timeout]);
    return { status: "ok", ms: Date.now() - start };
  } catch (error) {
    console.log(JSON.stringify({ event: "health_check_failed", check, error: String(error).slice(0, 300) }));
    return { status: "failed", ms: Date.now() - start };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

const readinessRoute = defineRoute({
  method: "get",
  path: "/health/ready",
  summary: "Readiness",
  description:
    "Reaches D1, R2 and the rooms' Durable Objects, each within " +
    `${HEALTH_CHECK_TIMEOUT_MS} ms: 200 when all answer, 503 when any does not, with each one's status. The ` +
    `last answer stands for ${HEALTH_READY_CACHE_MS / 1000} s; callers in between get it.`,
  tag: "Operations",
  auth: "none",
  ok: {
    200: json("Every dependency answered.", readinessSchema),
    503: json("At least one dependency did not answer; the body says which.", readinessSchema),
  },
  handler: readiness,
});
async function checkAll(env: Env): Promise<Readiness> {
  const results = await Promise.all(HEALTH_CHECKS.map((check) => probe(env, check)));
  const checks = Object.fromEntries(HEALTH_CHECKS.map((check, i) => [check, results[i]])) as Readiness["checks"];
  return { status: results.every((r) => r.status === "ok") ? "ok" : "failed", checks };
}

/**
 * The route needs no session, so anyone may call it as often as they like: an isolate answers from the last
 * result for HEALTH_READY_CACHE_MS before it checks again. The result is kept, not the promise of it: a request
 * must not wait on another request's I/O (workerd cancels it).
 */
const lastChecked = new WeakMap<Env, { at: number; body: Readiness }>();

async function readiness(c: Context<AppEnv>): Promise<Response> {
  const last = lastChecked.get(c.env);
  let body = last && Date.now() - last.at < HEALTH_READY_CACHE_MS ? last.body : null;
  if (!body) {
    const started = Date.now();
    body = await checkAll(c.env);
    lastChecked.set(c.env, { at: started, body });
  }
  return c.json(body, body.status === "ok" ? 200 : 503, NO_STORE);
}

export const healthRoutes: readonly RouteDef[] = [livenessRoute, readinessRoute];
