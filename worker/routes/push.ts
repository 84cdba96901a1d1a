/** Web Push: the server's VAPID key, and the caller's subscriptions (one per browser profile). */
import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { PUSH_SUBSCRIPTIONS_PER_USER_MAX } from "../../config";
import { pushEndpointBody, pushSubscriptionBody } from "../../schema/core/notifications";
import { pushKeySchema } from "../../schema/core/responses";
import { pushSubscriptions } from "../../schema/d1";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { readJson } from "../middleware/json-body";
import { requireAuth } from "../middleware/session";
import { vapidKeys } from "../notify/vapid";
import { defineRoute, empty, json, type RouteDef } from "./define";

const pushUnavailable = () =>
  new ApiError(404, "push_unavailable", "Push notifications are not set up on this server.");

const pushKeyRoute = defineRoute({
  method: "get",
  path: "/api/push/key",
  summary: "The VAPID public key for Web Push",
  tag: "Notifications",
  auth: "session",
  ok: { 200: json("The key to pass as `applicationServerKey`.", pushKeySchema) },
  errors: [[404, "push_unavailable", "The server has no VAPID keys; Web Push is off."]],
  handler: pushKey,
});
function pushKey(c: Context<AppEnv>): Response {
  requireAuth(c);
  const vapid = vapidKeys(c.env);
  if (!vapid) throw pushUnavailable();
  return c.json({ publicKey: vapid.publicKey });
}

const subscribePushRoute = defineRoute({
  method: "post",
  path: "/api/push/subscriptions",
  summary: "Subscribe this browser to Web Push",
  tag: "Notifications",
  auth: "session",
  body: { json: pushSubscriptionBody(), description: "`PushSubscription.toJSON()` without `expirationTime`." },
  ok: { 204: empty("Subscribed (or its keys updated).") },
  errors: [
    [404, "push_unavailable", "The server has no VAPID keys; Web Push is off."],
    [409, "too_many_subscriptions", "The caller already has the most devices allowed."],
  ],
  handler: subscribePush,
});
async function subscribePush(c: Context<AppEnv>): Promise<Response> {
  const { user } = requireAuth(c);
  if (!vapidKeys(c.env)) throw pushUnavailable();
  const body = await readJson(c, pushSubscriptionBody(c.env.PUSH_TEST_ORIGIN));
  // An endpoint belongs to one browser profile: whoever subscribes it last receives its
  // pushes. The count and the write are one statement, so parallel subscribes cannot pass the cap.
  const result = await c.env.DB.prepare(
    `INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth, created_at)
     SELECT ?1, ?2, ?3, ?4, ?5, ?6
     WHERE (SELECT count(*) FROM push_subscriptions WHERE user_id = ?2 AND endpoint <> ?3) < ?7
     ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth`,
  )
    .bind(
      crypto.randomUUID(),
      user.id,
      body.endpoint,
      body.keys.p256dh,
      body.keys.auth,
      Date.now(),
      PUSH_SUBSCRIPTIONS_PER_USER_MAX,
    )
    .run();
  if (result.meta.changes === 0) {
    throw new ApiError(
      409,
      "too_many_subscriptions",
      `At most ${PUSH_SUBSCRIPTIONS_PER_USER_MAX} devices may receive push notifications. Turn them off on one ` +
        `you no longer use.`,
    );
  }
  return c.body(null, 204);
}

const unsubscribePushRoute = defineRoute({
  method: "delete",
  path: "/api/push/subscriptions",
  summary: "Unsubscribe a browser from Web Push",
  tag: "Notifications",
  auth: "session",
  body: { json: pushEndpointBody },
  ok: { 204: empty("Unsubscribed, whether or not it was subscribed.") },
  handler: unsubscribePush,
});
async function unsubscribePush(c: Context<AppEnv>): Promise<Response> {
  const { user } = requireAuth(c);
  const body = await readJson(c, pushEndpointBody);
  await drizzle(c.env.DB)
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.userId, user.id), eq(pushSubscriptions.endpoint, body.endpoint)));
  return c.body(null, 204);
}

export const pushRoutes: readonly RouteDef[] = [pushKeyRoute, subscribePushRoute, unsubscribePushRoute];
