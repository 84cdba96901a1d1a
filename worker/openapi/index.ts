/** GET /api/openapi.json, /api/docs and its stylesheet: the API described by the route table in ./routes. */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { buildDocument, type OpenApiDocument } from "./document";
import { DOCS_STYLESHEET, renderDocsPage } from "./page";

/** Built on first use and kept for the isolate's life: the table cannot change while it runs. */
let built: { document: OpenApiDocument; page: string } | null = null;
function reference(): { document: OpenApiDocument; page: string } {
  if (!built) {
    const document = buildDocument();
    built = { document, page: renderDocsPage(document) };
  }
  return built;
}

export const openApiRoutes = new Hono<AppEnv>()
  .get("/openapi.json", (c) => c.json(reference().document))
  .get("/docs", (c) => c.html(reference().page))
  .get("/docs/style.css", (c) => c.body(DOCS_STYLESHEET, 200, { "Content-Type": "text/css; charset=utf-8" }));
