/**
 * The Haven Worker: one route table for the JSON API and the room WebSocket gate. The
 * static client is served by the assets binding before this code runs.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { MAX_JSON_BODY_BYTES } from "../config";
import type { AppEnv } from "./app-env";
import { errorBody, handleError } from "./errors";
import { originCheck } from "./middleware/origin-check";
import { securityHeaders } from "./middleware/security-headers";
import { session } from "./middleware/session";
import { authRoutes } from "./routes/auth";
import { inviteRoutes } from "./routes/invites";
import { loginLinkRoutes } from "./routes/login-links";
import { memberRoutes } from "./routes/members";
import { partyRoutes } from "./routes/parties";
import { roomRoutes } from "./routes/rooms";

const app = new Hono<AppEnv>();

app.use("*", securityHeaders);
app.use(
  "/api/*",
  bodyLimit({
    maxSize: MAX_JSON_BODY_BYTES,
    onError: (c) =>
      c.json(errorBody("payload_too_large", `Request bodies may be at most ${MAX_JSON_BODY_BYTES} bytes.`), 413),
  }),
);
app.use("*", originCheck);
app.use("*", session);

app.route("/api", authRoutes);
app.route("/api", loginLinkRoutes);
app.route("/api", roomRoutes);
app.route("/api", inviteRoutes);
app.route("/api", memberRoutes);
app.route("/parties", partyRoutes);

app.notFound((c) => c.json(errorBody("not_found", "No such route."), 404));
app.onError(handleError);

export default app;

export { DealRoom } from "../rooms/deal/DealRoom";
export { PropertyRoom } from "../rooms/property/PropertyRoom";
export { RateLimiter } from "./rate-limit/RateLimiter";
export { SiteRoom } from "../rooms/site/SiteRoom";
