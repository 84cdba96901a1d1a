/**
 * GET /api/openapi.json, /api/docs and its stylesheet: the API described by the route
 * definitions the app mounts (worker/app.ts), these three among them.
 */
import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../app-env";
import { defineRoute, json, type RouteDef, type RouteDoc } from "../routes/define";
import { buildDocument, type OpenApiDocument } from "./document";
import { DOCS_STYLESHEET, renderDocsPage } from "./page";

/** The OpenAPI document is any JSON object; its own shape is checked by the test that reads it. */
const openApiDocumentSchema = z.looseObject({
  openapi: z.literal("3.1.0"),
  info: z.looseObject({ title: z.string() }),
  paths: z.record(z.string(), z.unknown()),
});

/**
 * The reference routes for the app whose routes `described` returns. A function, because
 * the list it describes holds these routes too.
 */
export function referenceRoutes(described: () => readonly RouteDoc[]): RouteDef[] {
  /** Built on first use and kept for the isolate's life: the routes cannot change while it runs. */
  let built: { document: OpenApiDocument; page: string } | null = null;
  function reference(): { document: OpenApiDocument; page: string } {
    if (!built) {
      const document = buildDocument(described());
      built = { document, page: renderDocsPage(document) };
    }
    return built;
  }

  function openApiJson(c: Context<AppEnv>): Response {
    return c.json(reference().document);
  }
  function docsPage(c: Context<AppEnv>): Response {
    return c.html(reference().page);
  }
  function docsStylesheet(c: Context<AppEnv>): Response {
    return c.body(DOCS_STYLESHEET, 200, { "Content-Type": "text/css; charset=utf-8" });
  }

  return [
    defineRoute({
      method: "get",
      path: "/api/openapi.json",
      summary: "This API as OpenAPI 3.1",
      tag: "Reference",
      auth: "none",
      ok: { 200: json("The OpenAPI document.", openApiDocumentSchema) },
      handler: openApiJson,
    }),
    defineRoute({
      method: "get",
      path: "/api/docs",
      summary: "This API as a readable page",
      tag: "Reference",
      auth: "none",
      ok: { 200: { description: "The reference page.", media: ["text/html"], format: "text" } },
      handler: docsPage,
    }),
    defineRoute({
      method: "get",
      path: "/api/docs/style.css",
      summary: "The reference page's stylesheet",
      description: "A file of its own because the Content-Security-Policy allows no inline style.",
      tag: "Reference",
      auth: "none",
      ok: { 200: { description: "The stylesheet.", media: ["text/css"], format: "text" } },
      handler: docsStylesheet,
    }),
  ];
}
