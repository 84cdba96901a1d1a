/**
 * The Worker's HTTP app: the middleware every request passes, then every route of the JSON
 * API and the room WebSocket gate, mounted from their definitions (worker/routes/define.ts).
 * The OpenAPI document describes the same list, ROUTES.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { MAX_JSON_BODY_BYTES } from "../config";
import type { AppEnv } from "./app-env";
import { errorBody, handleError } from "./errors";
import kindRoutes from "./kinds";
import { originCheck } from "./middleware/origin-check";
import { requestId } from "./middleware/request-id";
import { securityHeaders } from "./middleware/security-headers";
import { session } from "./middleware/session";
import { referenceRoutes } from "./openapi";
import { authRoutes } from "./routes/auth";
import { commandRoutes } from "./routes/commands";
import { deadLetterRoutes } from "./routes/dead-letters";
import { mount, type RouteDef } from "./routes/define";
import { healthRoutes } from "./routes/health";
import { inviteRoutes } from "./routes/invites";
import { loginLinkRoutes } from "./routes/login-links";
import { memberRoutes } from "./routes/members";
import { notificationRoutes } from "./routes/notifications";
import { partyRoutes } from "./routes/parties";
import { photoRoutes } from "./routes/photos";
import { pushRoutes } from "./routes/push";
import { roomRoutes } from "./routes/rooms";

/** Every route the Worker serves, in the order it registers them and the document lists them. */
export const ROUTES: readonly RouteDef[] = [
  ...healthRoutes,
  ...authRoutes,
  ...loginLinkRoutes,
  ...roomRoutes,
  ...inviteRoutes,
  ...memberRoutes,
  ...commandRoutes,
  ...Object.values(kindRoutes).flat(),
  ...photoRoutes,
  ...notificationRoutes,
  ...pushRoutes,
  ...deadLetterRoutes,
  ...referenceRoutes(() => ROUTES),
  ...partyRoutes,
];

export const app = new Hono<AppEnv>();

app.use("*", requestId);
app.use("*", securityHeaders);
const jsonBodyLimit = bodyLimit({
  maxSize: MAX_JSON_BODY_BYTES,
  onError: (c) =>
    c.json(errorBody("payload_too_large", `Request bodies may be at most ${MAX_JSON_BODY_BYTES} bytes.`), 413),
});
/**
 * Photo, document and capture uploads have their own, larger limits (worker/routes/photos.ts, deal-documents.ts,
 * property/asset-documents.ts, property/captures.ts);
 * every other body is small JSON.
 */
const FILE_UPLOAD = /^\/api\/rooms\/[^/]+\/(photos|(tasks|assets)\/[^/]+\/documents)$/;
const CAPTURE_UPLOAD = /^\/api\/rooms\/[^/]+\/captures\/[^/]+\/[^/]+$/;
app.use("/api/*", (c, next) =>
  (c.req.method === "POST" && FILE_UPLOAD.test(c.req.path)) ||
  (c.req.method === "PUT" && CAPTURE_UPLOAD.test(c.req.path))
    ? next()
    : jsonBodyLimit(c, next),
);
app.use("*", originCheck);
app.use("*", session);

mount(app, ROUTES);

app.notFound((c) => c.json(errorBody("not_found", "No such route."), 404));
app.onError(handleError);
