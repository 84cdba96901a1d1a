/// <reference types="vite/client" />
/**
 * A route is defined once (worker/routes/define.ts) and both mounted and described from
 * that definition: the app registers exactly the defined routes, each with its own
 * middleware and named handler and nothing else, every definition answers at the path it
 * names, and the served OpenAPI document is the one built from the same list.
 */
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { app, ROUTES } from "../../../worker/app";
import type { AppEnv } from "../../../worker/app-env";
import { buildDocument } from "../../../worker/openapi/document";
import { defineRoute, empty, honoPath, mount, type RouteDef, type RouteHandler } from "../../../worker/routes/define";
import { api } from "../helpers";

/** The source of every route file, to find handlers written as arrows (a `const` arrow has a name too). */
const ROUTE_SOURCES = import.meta.glob<string>(["../../../worker/routes/**/*.ts", "../../../worker/openapi/*.ts"], {
  query: "?raw",
  import: "default",
  eager: true,
});
/** `handler: (c) =>`, `handler: async (c) =>`, `handler: function (c)`, or a `const` holding an arrow or function. */
const ARROW_HANDLER = new RegExp(
  String.raw`handler:\s*(async\s*)?(\(|function\s*\()` +
    String.raw`|(const|let)\s+\w+(\s*:\s*RouteHandler)?\s*=\s*(async\s*)?(function\b|\(c\b)`,
  "g",
);

/** The paths the app's own middleware is registered on (`app.use`), which Hono lists as method ALL. */
const MIDDLEWARE_PATHS = new Set(["/*", "/api/*"]);

interface Coverage {
  /** Registered on the app with no definition. */
  undescribed: string[];
  /** Defined but never registered. */
  unregistered: string[];
  /** Registered, but with other handlers than the definition's middleware and handler, in that order. */
  mismatched: string[];
}

/** Compares what `registered` serves with what `defs` describe. */
function coverage(registered: Hono<AppEnv>, defs: readonly RouteDef[]): Coverage {
  const result: Coverage = { undescribed: [], unregistered: [], mismatched: [] };
  const handlers = new Map<string, unknown[]>();
  for (const route of registered.routes) {
    if (route.method === "ALL" && MIDDLEWARE_PATHS.has(route.path)) continue;
    const key = `${route.method} ${route.path}`;
    handlers.set(key, [...(handlers.get(key) ?? []), route.handler]);
  }
  const described = new Map(defs.map((def) => [`${def.method.toUpperCase()} ${honoPath(def.path)}`, def]));
  for (const key of handlers.keys()) if (!described.has(key)) result.undescribed.push(key);
  for (const [key, def] of described) {
    const mounted = handlers.get(key);
    if (!mounted) result.unregistered.push(key);
    else if (!sameList(mounted, [...(def.middleware ?? []), def.handler])) result.mismatched.push(key);
  }
  return result;
}

const sameList = (a: readonly unknown[], b: readonly unknown[]): boolean =>
  a.length === b.length && a.every((item, i) => item === b[i]);

const NONE: Coverage = { undescribed: [], unregistered: [], mismatched: [] };

function probeHandler(c: Parameters<RouteHandler>[0]): Response {
  return c.body(null, 204);
}
const probe = (path: string, handler: RouteHandler = probeHandler): RouteDef =>
  defineRoute({
    method: "get",
    path,
    summary: "A probe",
    tag: "Reference",
    auth: "none",
    ok: { 204: empty("Nothing.") },
    handler,
  });

describe("the app's routes", () => {
  it("are exactly the defined ones, each with its own middleware and handler", () => {
    expect(coverage(app, ROUTES)).toEqual(NONE);
  });

  it("are each defined once", () => {
    const keys = ROUTES.map((r) => `${r.method} ${r.path}`);
    expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual([]);
  });

  it("answer where their definitions say (no 'No such route.')", async () => {
    for (const route of ROUTES) {
      const path = route.path.replace(/\{(\w+)\}/g, (_all, name: string) =>
        name === "kind" ? "property" : name === "file" ? `${"x".repeat(20)}.ics` : "unknown",
      );
      const res = await api(path, { method: route.method.toUpperCase() });
      const body = res.headers.get("Content-Type")?.startsWith("application/json")
        ? ((await res.json()) as { error?: { message?: string } })
        : null;
      expect(body?.error?.message, `${route.method} ${route.path}`).not.toBe("No such route.");
    }
  });

  it("are what the served OpenAPI document describes", async () => {
    const res = await api("/api/openapi.json");
    expect(await res.json()).toEqual(JSON.parse(JSON.stringify(buildDocument(ROUTES))));
  });
});

describe("the coverage check", () => {
  it("finds a route registered on the app without a definition", () => {
    const defs = [probe("/api/probe/{roomId}")];
    const probed = new Hono<AppEnv>();
    mount(probed, defs);
    expect(coverage(probed, defs)).toEqual(NONE);
    probed.get("/api/side-door", function sideDoor(c) {
      return c.body(null, 204);
    });
    expect(coverage(probed, defs).undescribed).toEqual(["GET /api/side-door"]);
  });

  it("finds a definition that is not mounted, and one mounted with another handler", () => {
    const mounted = probe("/api/probe");
    const probed = new Hono<AppEnv>();
    mount(probed, [mounted]);
    expect(coverage(probed, [mounted, probe("/api/never-mounted")]).unregistered).toEqual(["GET /api/never-mounted"]);
    function another(c: Parameters<RouteHandler>[0]): Response {
      return c.body(null, 204);
    }
    expect(coverage(probed, [probe("/api/probe", another)]).mismatched).toEqual(["GET /api/probe"]);
  });

  it("finds a second handler registered beside a definition's", () => {
    const defs = [probe("/api/probe")];
    const probed = new Hono<AppEnv>();
    mount(probed, defs);
    probed.get("/api/probe", function shadow(c) {
      return c.body(null, 204);
    });
    expect(coverage(probed, defs).mismatched).toEqual(["GET /api/probe"]);
  });
});

describe("mount", () => {
  it("refuses a definition without a handler", () => {
    const broken = { ...probe("/api/probe"), handler: undefined } as unknown as RouteDef;
    expect(() => mount(new Hono<AppEnv>(), [broken])).toThrow("get /api/probe has no handler");
  });

  it("refuses an anonymous arrow as a handler, so every handler has a name to follow", () => {
    const arrow = defineRoute({
      method: "get",
      path: "/api/probe",
      summary: "A probe",
      tag: "Reference",
      auth: "none",
      ok: { 204: empty("Nothing.") },
      handler: (c) => c.body(null, 204),
    });
    expect(() => mount(new Hono<AppEnv>(), [arrow])).toThrow("its handler must be a named function");
  });

  it("is given no arrow handler anywhere in the source", () => {
    const arrows = Object.entries(ROUTE_SOURCES).flatMap(([file, text]) =>
      [...text.matchAll(ARROW_HANDLER)].map((match) => `${file}: ${match[0]}`),
    );
    expect(arrows).toEqual([]);
    for (const arrow of [
      "handler: async (c) => c.json({})",
      "handler: function (c) {",
      "const createRoom = async (c: Context<AppEnv>) => {",
      "const createRoom: RouteHandler = (c) => c.json({})",
    ])
      expect(arrow).toMatch(ARROW_HANDLER);
    expect("handler: createRoom,").not.toMatch(ARROW_HANDLER);
  });

  it("turns OpenAPI paths into Hono's", () => {
    expect(honoPath("/api/rooms/{roomId}/invites/{inviteId}")).toBe("/api/rooms/:roomId/invites/:inviteId");
    expect(honoPath("/api/openapi.json")).toBe("/api/openapi.json");
  });
});
