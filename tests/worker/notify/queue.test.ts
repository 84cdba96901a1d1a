import { env } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import "../../support/provided-context";
import {
  createSubscriberKeys,
  decryptPushPayload,
  type ReceivedPushJson,
  receivedFromJson,
} from "../../support/push-crypto";
import { type Account, addMember, api, createRoom, signup } from "../helpers";
import { notifyJob, recordingEmail, runQueue } from "./support";

const rowsFor = async (key: string) =>
  (
    await env.DB.prepare("SELECT user_id AS userId, title, url, read_at AS readAt FROM notifications WHERE key = ?1")
      .bind(key)
      .all<{ userId: string; title: string; url: string; readAt: number | null }>()
  ).results;

const deliveries = async (key: string) =>
  (
    await env.DB.prepare(
      `SELECT n.user_id AS userId, d.channel, d.state, d.attempts, d.last_error AS lastError FROM ` +
        `notification_deliveries d\n` +
        `       JOIN notifications n ON n.id = d.notification_id WHERE n.key = ?1`,
    )
      .bind(key)
      .all<{ userId: string; channel: string; state: string; attempts: number; lastError: string | null }>()
  ).results;

const setPrefs = (account: Account, prefs: Record<string, unknown>) =>
  api("/api/notification-prefs", {
    method: "PUT",
    cookie: account.cookie,
    body: { email: true, push: true, quietStart: null, quietEnd: null, timeZone: "UTC", ...prefs },
  });

async function insertSubscription(userId: string, endpoint: string, keys: { p256dh: string; auth: string }) {
  await env.DB.prepare(
    "INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
  )
    .bind(crypto.randomUUID(), userId, endpoint, keys.p256dh, keys.auth, Date.now())
    .run();
}

/** What the test push service kept at `path`. */
async function receivedAt(path: string): Promise<ReceivedPushJson[]> {
  const response = await fetch(`${inject("pushEndpointUrl")}/__received?path=${encodeURIComponent(path)}`);
  return (await response.json()) as ReceivedPushJson[];
}

/** `HH:MM` in UTC, `minutes` from now. */
const utcClock = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString().slice(11, 16);

describe("notify jobs", () => {
  it("reach exactly the members whose role carries the audience's capability, in-app and by email", async () => {
    const owner = await signup("Owner");
    const room = await createRoom(owner);
    const admin = await addMember(owner, room, "admin");
    const editor = await addMember(owner, room, "editor");
    await signup("Outsider");
    const mail = recordingEmail();
    const job = notifyJob(room.id, { audience: { capability: "room.manage" } });

    const { id, result } = await runQueue(job, { env: { ...env, EMAIL: mail.binding } });

    expect(result.explicitAcks).toEqual([id]);
    expect(result.retryMessages).toEqual([]);
    const rows = await rowsFor(job.key);
    expect(rows.map((r) => r.userId).sort()).toEqual([owner.user.id, admin.user.id].sort());
    expect(rows.every((r) => r.readAt === null && r.title === job.title && r.url === job.url)).toBe(true);
    expect(mail.sent.map((m) => m.to).sort()).toEqual([owner.email, admin.email].sort());
    expect(mail.sent.map((m) => m.to)).not.toContain(editor.email);
    expect((await deliveries(job.key)).filter((d) => d.channel === "email" && d.state === "sent")).toHaveLength(2);
  });

  it("sends named people nothing once they have left the room", async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const editor = await addMember(owner, room, "editor");
    const former = await addMember(owner, room, "editor");
    expect(
      (await api(`/api/rooms/${room.id}/members/${former.user.id}`, { method: "DELETE", cookie: owner.cookie })).status,
    ).toBe(204);
    const stranger = await signup();
    const mail = recordingEmail();
    const job = notifyJob(room.id, { audience: { userIds: [editor.user.id, former.user.id, stranger.user.id] } });

    await runQueue(job, { env: { ...env, EMAIL: mail.binding } });

    expect((await rowsFor(job.key)).map((r) => r.userId)).toEqual([editor.user.id]);
    expect(mail.sent.map((m) => m.to)).toEqual([editor.email]);
  });

  it("delivers a key once: the same job twice makes one in-app row and one email", async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const mail = recordingEmail();
    const job = notifyJob(room.id);

    const first = await runQueue(job, { env: { ...env, EMAIL: mail.binding } });
    const second = await runQueue(job, { env: { ...env, EMAIL: mail.binding }, attempts: 2 });

    expect(first.result.explicitAcks).toEqual([first.id]);
    expect(second.result.explicitAcks).toEqual([second.id]);
    expect(await rowsFor(job.key)).toHaveLength(1);
    expect(mail.sent).toEqual([{ from: env.EMAIL_FROM, to: owner.email }]);
  });

  it("respects the channels a person turned off; in-app is always written", async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    expect((await setPrefs(owner, { email: false })).status).toBe(200);
    const mail = recordingEmail();
    const job = notifyJob(room.id);

    const { id, result } = await runQueue(job, { env: { ...env, EMAIL: mail.binding } });

    expect(result.explicitAcks).toEqual([id]);
    expect(await rowsFor(job.key)).toHaveLength(1);
    expect(mail.sent).toEqual([]);
  });

  it(
    "holds email during quiet hours: in-app at once, the job " + "retried when the window ends, others mailed now",
    async () => {
      const owner = await signup();
      const room = await createRoom(owner);
      const sleeper = await addMember(owner, room, "editor");
      expect((await setPrefs(sleeper, { quietStart: utcClock(-60), quietEnd: utcClock(120) })).status).toBe(200);
      const mail = recordingEmail();
      const job = notifyJob(room.id);

      const { id, result } = await runQueue(job, { env: { ...env, EMAIL: mail.binding } });

      expect(result.explicitAcks).toEqual([]);
      expect(result.retryMessages).toHaveLength(1);
      const [retry] = result.retryMessages;
      expect(retry?.msgId).toBe(id);
      // The window ends 120 minutes from now, to the minute.
      expect(retry?.delaySeconds).toBeGreaterThan(119 * 60 - 5);
      expect(retry?.delaySeconds).toBeLessThanOrEqual(120 * 60);
      expect((await rowsFor(job.key)).map((r) => r.userId).sort()).toEqual([owner.user.id, sleeper.user.id].sort());
      expect(mail.sent.map((m) => m.to)).toEqual([owner.email]);

      // The retry, still inside the window: the owner is not mailed again, the sleeper still waits.
      const again = await runQueue(job, { env: { ...env, EMAIL: mail.binding }, attempts: 2 });
      expect(again.result.retryMessages).toHaveLength(1);
      expect(mail.sent.map((m) => m.to)).toEqual([owner.email]);

      // Once the window is over, the sleeper gets the email and the job is done.
      expect((await setPrefs(sleeper, { quietStart: null, quietEnd: null })).status).toBe(200);
      const after = await runQueue(job, { env: { ...env, EMAIL: mail.binding }, attempts: 3 });
      expect(after.result.explicitAcks).toEqual([after.id]);
      expect(mail.sent.map((m) => m.to)).toEqual([owner.email, sleeper.email]);
    },
  );

  it("sends an urgent notice through quiet hours", async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const sleeper = await addMember(owner, room, "editor");
    expect((await setPrefs(sleeper, { quietStart: utcClock(-60), quietEnd: utcClock(120) })).status).toBe(200);
    const mail = recordingEmail();
    const job = notifyJob(room.id, { urgent: true, title: "Critical: Walk-in freezer too warm" });
    const { id, result } = await runQueue(job, { env: { ...env, EMAIL: mail.binding } });
    expect(result.explicitAcks).toEqual([id]);
    expect(mail.sent.map((m) => m.to).sort()).toEqual([owner.email, sleeper.email].sort());
  });

  it("reaches the holders of a role, or whoever carries the fallback capability when nobody holds it", async () => {
    const owner = await signup();
    const site = await createRoom(owner, "site", "Cold store");
    const manager = await addMember(owner, site, "manager");
    await addMember(owner, site, "viewer");
    const toManagers = notifyJob(site.id, { audience: { roles: ["manager"] } });
    await runQueue(toManagers, { env: { ...env, EMAIL: recordingEmail().binding } });
    expect((await rowsFor(toManagers.key)).map((r) => r.userId)).toEqual([manager.user.id]);
    const toStaff = notifyJob(site.id, { audience: { roles: ["staff"], orElse: "alerts.handle" } });
    await runQueue(toStaff, { env: { ...env, EMAIL: recordingEmail().binding } });
    expect((await rowsFor(toStaff.key)).map((r) => r.userId).sort()).toEqual([owner.user.id, manager.user.id].sort());
  });

  it("retries a failed send with exponential backoff and does not ack it; the next attempt sends once", async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const job = notifyJob(room.id);
    const broken = recordingEmail({ fail: true });

    const first = await runQueue(job, { env: { ...env, EMAIL: broken.binding }, attempts: 1 });
    expect(first.result.explicitAcks).toEqual([]);
    expect(first.result.retryMessages).toEqual([{ msgId: first.id, delaySeconds: 10 }]);
    const third = await runQueue(job, { env: { ...env, EMAIL: broken.binding }, attempts: 3 });
    expect(third.result.retryMessages).toEqual([{ msgId: third.id, delaySeconds: 40 }]);
    const late = await runQueue(job, { env: { ...env, EMAIL: broken.binding }, attempts: 9 });
    expect(late.result.retryMessages).toEqual([{ msgId: late.id, delaySeconds: 600 }]);
    expect(await deliveries(job.key)).toEqual([
      {
        userId: owner.user.id,
        channel: "email",
        state: "failed",
        attempts: 3,
        lastError: expect.stringContaining("mail relay unavailable"),
      },
    ]);
    expect(await rowsFor(job.key)).toHaveLength(1);

    const working = recordingEmail();
    const fixed = await runQueue(job, { env: { ...env, EMAIL: working.binding }, attempts: 4 });
    expect(fixed.result.explicitAcks).toEqual([fixed.id]);
    expect(working.sent).toHaveLength(1);
    expect((await deliveries(job.key))[0]?.state).toBe("sent");
  });

  it("records a job that can never succeed as a dead letter and acks it without retrying", async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const invalid = { type: "notify", key: `bad:${crypto.randomUUID()}`, roomId: room.id, title: "" };
    const bad = await runQueue(invalid);
    expect(bad.result.explicitAcks).toEqual([bad.id]);
    expect(bad.result.retryMessages).toEqual([]);
    const letter = await env.DB.prepare(
      "SELECT room_id AS roomId, type, key, body, error FROM dead_letters WHERE id = ?1",
    )
      .bind(bad.id)
      .first<{ roomId: string; type: string; key: string; body: string; error: string }>();
    expect(letter).toMatchObject({ roomId: room.id, type: "notify", key: invalid.key });
    expect(JSON.parse(letter?.body ?? "null")).toEqual(invalid);
    expect(letter?.error).toContain("Invalid job");

    const unknownCapability = await runQueue(notifyJob(room.id, { audience: { capability: "room.fly" } }));
    expect(unknownCapability.result.explicitAcks).toEqual([unknownCapability.id]);
    expect(
      await env.DB.prepare("SELECT error FROM dead_letters WHERE id = ?1")
        .bind(unknownCapability.id)
        .first<{ error: string }>(),
    ).toEqual({
      error: expect.stringContaining("room.fly"),
    });

    const garbage = await runQueue("not a job");
    expect(garbage.result.explicitAcks).toEqual([garbage.id]);
    expect(
      await env.DB.prepare("SELECT room_id AS roomId, type FROM dead_letters WHERE id = ?1").bind(garbage.id).first(),
    ).toEqual({ roomId: null, type: "unknown" });
  });

  it("keeps what the dead-letter queue hands over, with the last delivery error, and acks it", async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const job = notifyJob(room.id);
    await runQueue(job, { env: { ...env, EMAIL: recordingEmail({ fail: true }).binding } });

    const { id, result } = await runQueue(job, { queueName: "haven-jobs-dlq", attempts: 1 });

    expect(result.explicitAcks).toEqual([id]);
    const letter = await env.DB.prepare(
      "SELECT room_id AS roomId, type, key, error, retried_at AS retriedAt FROM dead_letters WHERE id = ?1",
    )
      .bind(id)
      .first();
    expect(letter).toEqual({
      roomId: room.id,
      type: "notify",
      key: job.key,
      error: expect.stringContaining("mail relay unavailable"),
      retriedAt: null,
    });
  });

  it("pushes to each of the person's devices, encrypted, and forgets none that worked", async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    expect((await setPrefs(owner, { email: false })).status).toBe(200);
    const keys = await createSubscriberKeys();
    const path = `/p-${crypto.randomUUID()}`;
    const endpoint = `${inject("pushEndpointUrl")}${path}`;
    await env.DB.prepare(
      "INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth, created_at) VALUES (?1, ?2, ?3, ?4, ?5, " +
        "?6)",
    )
      .bind(crypto.randomUUID(), owner.user.id, endpoint, keys.p256dh, keys.auth, Date.now())
      .run();
    const job = notifyJob(room.id);

    const { id, result } = await runQueue(job);

    expect(result.explicitAcks).toEqual([id]);
    const received = (await (
      await fetch(`${inject("pushEndpointUrl")}/__received?path=${encodeURIComponent(path)}`)
    ).json()) as ReceivedPushJson[];
    expect(received).toHaveLength(1);
    const push = receivedFromJson(received[0] as ReceivedPushJson);
    expect(JSON.parse(await decryptPushPayload(push.body, keys))).toEqual({
      title: job.title,
      body: job.body,
      url: job.url,
      tag: job.key,
    });
    expect(push.headers.topic).toBe("reminder");
    expect(push.vapid.publicKey).toBe(env.VAPID_PUBLIC_KEY);
    const sub = await env.DB.prepare("SELECT last_ok_at AS lastOkAt FROM push_subscriptions WHERE endpoint = ?1")
      .bind(endpoint)
      .first<{ lastOkAt: number | null }>();
    expect(sub?.lastOkAt).toBeTypeOf("number");
    expect((await deliveries(job.key)).map((d) => [d.channel, d.state])).toEqual([["push", "sent"]]);
  });
  it(
    "checks a stored endpoint again before sending: one that " + "is not a push service's is forgotten unsent",
    async () => {
      const owner = await signup();
      const room = await createRoom(owner);
      expect((await setPrefs(owner, { email: false })).status).toBe(200);
      const keys = await createSubscriberKeys();
      const path = `/p-${crypto.randomUUID()}`;
      // Stored before the endpoint rule, or by hand: the local push service would take it if it were sent.
      await insertSubscription(owner.user.id, `${inject("pushEndpointUrl")}${path}`, keys);
      await insertSubscription(owner.user.id, "https://[::ffff:127.0.0.1]:9905/push/x", keys);
      const job = notifyJob(room.id);

      // Without the test seam the local push service is a loopback address like any other.
      const { id, result } = await runQueue(job, { env: { ...env, PUSH_TEST_ORIGIN: undefined } });

      expect(result.explicitAcks).toEqual([id]);
      expect(await receivedAt(path)).toHaveLength(0);
      const left = await env.DB.prepare("SELECT count(*) AS n FROM push_subscriptions WHERE user_id = ?1")
        .bind(owner.user.id)
        .first<{ n: number }>();
      expect(left?.n).toBe(0);
      expect(await deliveries(job.key)).toEqual([
        expect.objectContaining({ channel: "push", state: "failed", lastError: expect.stringMatching(/push service/) }),
      ]);
    },
  );

  it("keeps a push service's status and never its body, up to the room's dead letters", async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    expect((await setPrefs(owner, { email: false })).status).toBe(200);
    const keys = await createSubscriberKeys();
    await insertSubscription(owner.user.id, `${inject("pushEndpointUrl")}/p-${crypto.randomUUID()}`, keys);
    const secret = "INTERNAL-ONLY token=s3cr3t";
    const failed = await fetch(
      `${inject("pushEndpointUrl")}/__fail-next?status=500&times=1&body=${encodeURIComponent(secret)}`,
      { method: "POST" },
    );
    expect(failed.status).toBe(204);
    const job = notifyJob(room.id);
    const { result } = await runQueue(job);
    expect(result.retryMessages).toHaveLength(1);
    const [delivery] = await deliveries(job.key);
    expect(delivery).toMatchObject({ channel: "push", state: "failed", lastError: "Push service answered 500" });

    await runQueue(job, { queueName: "haven-jobs-dlq" });
    const listing = await api(`/api/rooms/${room.id}/dead-letters`, { cookie: owner.cookie });
    expect(listing.status).toBe(200);
    const text = await listing.text();
    expect(text).toContain("Push service answered 500");
    expect(text).not.toContain("INTERNAL-ONLY");
    expect(text).not.toContain("s3cr3t");
  });
});
