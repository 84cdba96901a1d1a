/**
 * The Haven Worker: one route table for the JSON API and the room WebSocket gate, and
 * the consumer of the jobs queue. The static client is served by the assets binding
 * before this code runs.
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
import { openApiRoutes } from "./openapi";
import { queue } from "./queue";
import { authRoutes } from "./routes/auth";
import { commandRoutes } from "./routes/commands";
import { inviteRoutes } from "./routes/invites";
import { loginLinkRoutes } from "./routes/login-links";
import { memberRoutes } from "./routes/members";
import { notificationRoutes } from "./routes/notifications";
import { partyRoutes } from "./routes/parties";
import { photoRoutes } from "./routes/photos";
import { roomRoutes } from "./routes/rooms";

const app = new Hono<AppEnv>();

app.use("*", requestId);
app.use("*", securityHeaders);
const jsonBodyLimit = bodyLimit({
  maxSize: MAX_JSON_BODY_BYTES,
  onError: (c) =>
    c.json(errorBody("payload_too_large", `Request bodies may be at most ${MAX_JSON_BODY_BYTES} bytes.`), 413),
});
/** Photo uploads have their own, larger limit (worker/routes/photos.ts); every other body is small JSON. */
const PHOTO_UPLOAD = /^\/api\/rooms\/[^/]+\/photos$/;
app.use("/api/*", (c, next) =>
  c.req.method === "POST" && PHOTO_UPLOAD.test(c.req.path) ? next() : jsonBodyLimit(c, next),
);
app.use("*", originCheck);
app.use("*", session);

app.route("/api", authRoutes);
app.route("/api", loginLinkRoutes);
app.route("/api", roomRoutes);
app.route("/api", inviteRoutes);
app.route("/api", memberRoutes);
app.route("/api", commandRoutes);
for (const routes of Object.values(kindRoutes).flat()) app.route("/api", routes);
app.route("/api", photoRoutes);
app.route("/api", notificationRoutes);
app.route("/api", openApiRoutes);
app.route("/parties", partyRoutes);

app.notFound((c) => c.json(errorBody("not_found", "No such route."), 404));
app.onError(handleError);

export default { fetch: app.fetch, queue } satisfies ExportedHandler<Env>;

export * from "./kinds";
export { UserHub } from "./notify/UserHub";
export { RateLimiter } from "./rate-limit/RateLimiter";
