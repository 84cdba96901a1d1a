/**
 * The `notify` job: one in-app row per recipient at once, then email and Web Push as each
 * recipient allows. Idempotent by key: the in-app row is unique per user and key, and a
 * channel is recorded as sent right after it is sent, so a retried job only does what is
 * still missing. Quiet hours hold email and push (the job is retried when they end) unless
 * the job is urgent (a critical alert); a failed send retries the job with backoff, and
 * after the last retry it goes to the dead-letter queue. Every push endpoint is checked again
 * before it is sent to (schema/core/push-endpoint.ts), and a push service's answer is kept as
 * its status alone.
 */
import { NOTIFY_SEND_CONCURRENCY, PUSH_TTL_SECONDS, QUIET_HOURS_MAX_DELAY_SECONDS } from "../../config";
import type { NotifyJob } from "../../schema/core/jobs";
import { CAPABILITIES, type Capability, can } from "../../schema/core/roles";
import { sendNotificationMail } from "../email/notification";
import { secondsUntilQuietEnds } from "../notify/quiet-hours";
import {
  deleteSubscription,
  deliveryStates,
  insertNotifications,
  markSubscriptionOk,
  type Recipient,
  recordDelivery,
  roomRecipients,
  type StoredSubscription,
  subscriptionsOf,
  unreadCounts,
} from "../notify/store";
import { userHub } from "../notify/UserHub";
import { vapidKeys } from "../notify/vapid";
import { PushEndpointRefused, sendWebPush, type VapidKeys, WebPushError } from "../notify/web-push";
import { backoffSeconds, type JobOutcome, JobRejected } from "./outcome";

const isCapability = (value: string): value is Capability => (CAPABILITIES as readonly string[]).includes(value);

/** Whether a channel's send worked; `retry` when trying again later may help. */
type SendResult = { ok: true } | { ok: false; retry: boolean };

/** Who the job is for: members whose role carries the capability, or the named users who are still members. */
function withCapability(members: Recipient[], capability: string): Recipient[] {
  if (!isCapability(capability)) throw new JobRejected(`Unknown capability "${capability}" in the audience.`);
  return members.filter((member) => can(member.kind, member.role, capability));
}

function audienceOf(job: NotifyJob, members: Recipient[]): Recipient[] {
  if ("capability" in job.audience) {
    const left = new Set(job.audience.except ?? []);
    return withCapability(members, job.audience.capability).filter((member) => !left.has(member.userId));
  }
  if ("roles" in job.audience) {
    const roles = new Set(job.audience.roles);
    const holders = members.filter((member) => roles.has(member.role));
    return holders.length === 0 && job.audience.orElse !== undefined
      ? withCapability(members, job.audience.orElse)
      : holders;
  }
  const named = new Set(job.audience.userIds);
  const found = members.filter((member) => named.has(member.userId));
  // Named people who have all left the room: the notice goes to those who can act on it instead of to nobody.
  return found.length === 0 && job.audience.orElse !== undefined ? withCapability(members, job.audience.orElse) : found;
}

/** Runs the tasks, at most `limit` at a time, and answers their results in order. */
async function inBatches<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < tasks.length; i += limit) {
    results.push(...(await Promise.all(tasks.slice(i, i + limit).map((task) => task()))));
  }
  return results;
}

/**
 * Tells each user's open tabs their new unread count. Best effort: the rows are stored, and a tab reads them on load.
 */
export async function tellHubs(env: Env, userIds: string[]): Promise<void> {
  const counts = await unreadCounts(env.DB, userIds);
  const told = await Promise.allSettled(userIds.map((userId) => userHub(env, userId).notify(counts.get(userId) ?? 0)));
  told.forEach((result, i) => {
    if (result.status === "rejected") {
      console.log(
        JSON.stringify({ event: "user_hub_notify_failed", userId: userIds[i], error: String(result.reason) }),
      );
    }
  });
}

function logFailure(job: NotifyJob, channel: string, userId: string, error: string): void {
  console.log(
    JSON.stringify({ event: "notify_channel_failed", key: job.key, roomId: job.roomId, channel, userId, error }),
  );
}

async function sendEmail(env: Env, job: NotifyJob, recipient: Recipient, notificationId: string): Promise<SendResult> {
  try {
    await sendNotificationMail(env.EMAIL, {
      from: env.EMAIL_FROM,
      to: recipient.email,
      title: job.title,
      body: job.body,
      url: `${env.APP_ORIGIN}${job.url}`,
      roomName: recipient.roomName,
      settingsUrl: `${env.APP_ORIGIN}/settings/notifications`,
    });
  } catch (error) {
    logFailure(job, "email", recipient.userId, String(error));
    await recordDelivery(env.DB, notificationId, "email", { sent: false, error: String(error) }, Date.now());
    return { ok: false, retry: true };
  }
  await recordDelivery(env.DB, notificationId, "email", { sent: true }, Date.now());
  return { ok: true };
}

/**
 * Pushes to each of the recipient's devices. The channel counts as sent once any device
 * took it (the others still show it in-app); a device the push service calls gone is
 * forgotten; the job is retried only when no device took it and one may later.
 */
async function sendPush(
  env: Env,
  vapid: VapidKeys,
  job: NotifyJob,
  recipient: Recipient,
  notificationId: string,
  devices: StoredSubscription[],
): Promise<SendResult> {
  const payload = { title: job.title, body: job.body, url: job.url, tag: job.key };
  let delivered = false;
  let lastError: string | null = null;
  let mayRetry = false;
  for (const device of devices) {
    try {
      const outcome = await sendWebPush(
        { endpoint: device.endpoint, keys: { p256dh: device.p256dh, auth: device.auth } },
        payload,
        vapid,
        {
          ttlSeconds: PUSH_TTL_SECONDS,
          ...(job.topic ? { topic: job.topic } : {}),
          ...(env.PUSH_TEST_ORIGIN ? { testOrigin: env.PUSH_TEST_ORIGIN } : {}),
        },
      );
      if (outcome.ok) {
        delivered = true;
        await markSubscriptionOk(env.DB, device.id, Date.now());
      } else if (outcome.gone) {
        await deleteSubscription(env.DB, device.id);
      } else {
        lastError = outcome.message;
        mayRetry ||= outcome.retryable;
      }
    } catch (error) {
      // Stored under an older rule, or by hand: an endpoint Haven may not post to is forgotten unsent.
      if (error instanceof PushEndpointRefused) await deleteSubscription(env.DB, device.id);
      // WebPushError: this subscription or payload can never make a push; anything else may pass.
      lastError = String(error);
      mayRetry ||= !(error instanceof WebPushError);
    }
  }
  if (delivered) {
    await recordDelivery(env.DB, notificationId, "push", { sent: true }, Date.now());
    return { ok: true };
  }
  if (lastError === null) return { ok: true };
  logFailure(job, "push", recipient.userId, lastError);
  await recordDelivery(env.DB, notificationId, "push", { sent: false, error: lastError }, Date.now());
  return { ok: false, retry: mayRetry };
}

/** Handles one notify job; `attempts` is the queue's count for this message, 1 the first time. */
export async function handleNotify(env: Env, job: NotifyJob, attempts: number): Promise<JobOutcome> {
  const now = Date.now();
  const recipients = audienceOf(job, await roomRecipients(env.DB, job.roomId));
  if (recipients.length === 0) return { done: true };
  const userIds = recipients.map((r) => r.userId);

  const written = await insertNotifications(env.DB, job, userIds, now);
  if (written.length > 0) await tellHubs(env, written);

  const states = await deliveryStates(env.DB, job.key, userIds);
  const vapid = vapidKeys(env);
  const devices = vapid
    ? await subscriptionsOf(
        env.DB,
        recipients.filter((r) => r.wantsPush).map((r) => r.userId),
      )
    : [];

  const sends: (() => Promise<SendResult>)[] = [];
  let heldSeconds = 0;
  for (const recipient of recipients) {
    const state = states.get(recipient.userId);
    if (!state) continue;
    const mine = devices.filter((d) => d.userId === recipient.userId);
    const email = recipient.wantsEmail && !state.sent.has("email");
    const push = vapid !== null && recipient.wantsPush && !state.sent.has("push") && mine.length > 0;
    if (!email && !push) continue;
    const quiet = job.urgent
      ? 0
      : secondsUntilQuietEnds(now, {
          start: recipient.quietStart,
          end: recipient.quietEnd,
          timeZone: recipient.timeZone,
        });
    if (quiet > 0) {
      const hold = Math.min(quiet, QUIET_HOURS_MAX_DELAY_SECONDS);
      heldSeconds = heldSeconds === 0 ? hold : Math.min(heldSeconds, hold);
      continue;
    }
    if (email) sends.push(() => sendEmail(env, job, recipient, state.notificationId));
    if (push && vapid) sends.push(() => sendPush(env, vapid, job, recipient, state.notificationId, mine));
  }

  const results = await inBatches(sends, NOTIFY_SEND_CONCURRENCY);
  const failed = results.filter((r) => !r.ok && r.retry).length;
  console.log(
    JSON.stringify({
      event: "notify_job",
      key: job.key,
      roomId: job.roomId,
      attempts,
      recipients: recipients.length,
      written: written.length,
      sends: sends.length,
      failed,
      heldSeconds,
    }),
  );
  const waits = [...(failed > 0 ? [backoffSeconds(attempts)] : []), ...(heldSeconds > 0 ? [heldSeconds] : [])];
  if (waits.length === 0) return { done: true };
  return { done: false, delaySeconds: Math.min(...waits), reason: failed > 0 ? "send_failed" : "quiet_hours" };
}
