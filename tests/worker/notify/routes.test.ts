import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { DeadLetter, NotificationPage } from "../../../schema/core/notifications";
import { addMember, api, createRoom, type ErrorJson, json, signup, upgrade, waitFor } from "../helpers";
import { HOSTILE_PUSH_ENDPOINTS } from "./hostile-endpoints";
import { notifyJob, runQueue } from "./support";

const P256DH = `B${"A".repeat(86)}`;
const AUTH = "A".repeat(22);
const prefs = { email: true, push: false, quietStart: "22:00", quietEnd: "07:00", timeZone: "Europe/Berlin" };

describe("notification routes", () => {
  it("all require a signed-in user", async () => {
    const calls: [string, string, unknown?][] = [
      ["GET", "/api/notifications"],
      ["POST", "/api/notifications/read", { all: true }],
      ["GET", "/api/notification-prefs"],
      ["PUT", "/api/notification-prefs", prefs],
      ["GET", "/api/push/key"],
      ["POST", "/api/push/subscriptions", { endpoint: "https://push.example/x", keys: { p256dh: P256DH, auth: AUTH } }],
      ["DELETE", "/api/push/subscriptions", { endpoint: "https://push.example/x" }],
    ];
    for (const [method, path, body] of calls) {
      const res = await api(path, { method, body });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
    expect((await upgrade("/api/notifications/live")).status).toBe(401);
  });

  it("lists newest first with the unread count, pages with nextBefore, and marks read", async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const keys: string[] = [];
    for (let i = 0; i < 3; i++) {
      const job = notifyJob(room.id, { title: `Reminder ${i}` });
      keys.push(job.key);
      await runQueue(job);
    }
    const first = await json<NotificationPage>(await api("/api/notifications?limit=2", { cookie: owner.cookie }));
    expect(first.unread).toBe(3);
    expect(first.notifications.map((n) => n.title)).toEqual(["Reminder 2", "Reminder 1"]);
    expect(first.nextBefore).not.toBeNull();
    const second = await json<NotificationPage>(
      await api(`/api/notifications?limit=2&before=${first.nextBefore}`, { cookie: owner.cookie }),
    );
    expect(second.notifications.map((n) => n.title)).toEqual(["Reminder 0"]);
    expect(second.nextBefore).toBeNull();

    const read = await api("/api/notifications/read", {
      cookie: owner.cookie,
      body: { ids: [first.notifications[0]?.id] },
    });
    expect(await json(read)).toEqual({ unread: 2 });
    // Another user's ids change nothing of theirs.
    const other = await signup();
    expect(
      await json(
        await api("/api/notifications/read", { cookie: other.cookie, body: { ids: [first.notifications[1]?.id] } }),
      ),
    ).toEqual({ unread: 0 });
    expect(await json(await api("/api/notifications/read", { cookie: owner.cookie, body: { all: true } }))).toEqual({
      unread: 0,
    });
    expect((await api("/api/notifications/read", { cookie: owner.cookie, body: { ids: ["not-an-id"] } })).status).toBe(
      400,
    );
    expect((await api("/api/notifications?limit=0", { cookie: owner.cookie })).status).toBe(400);
  });

  it("keeps preferences, with defaults before any are set, and refuses bad times and zones with details", async () => {
    const user = await signup();
    expect(await json(await api("/api/notification-prefs", { cookie: user.cookie }))).toEqual({
      prefs: { email: true, push: true, quietStart: null, quietEnd: null, timeZone: "UTC" },
      pushAvailable: true,
    });
    expect((await api("/api/notification-prefs", { method: "PUT", cookie: user.cookie, body: prefs })).status).toBe(
      200,
    );
    expect(
      (await json<{ prefs: unknown }>(await api("/api/notification-prefs", { cookie: user.cookie }))).prefs,
    ).toEqual(prefs);

    const bad = await api("/api/notification-prefs", {
      method: "PUT",
      cookie: user.cookie,
      body: { ...prefs, quietStart: "24:00", timeZone: "Mars/Olympus" },
    });
    expect(bad.status).toBe(400);
    const error = await json<ErrorJson>(bad);
    expect(error.error.code).toBe("validation_failed");
    const fields = (error.error.details as { fields: { path: string }[] }).fields.map((f) => f.path);
    expect(fields).toEqual(expect.arrayContaining(["quietStart", "timeZone"]));
    const half = await api("/api/notification-prefs", {
      method: "PUT",
      cookie: user.cookie,
      body: { ...prefs, quietEnd: null },
    });
    expect(half.status).toBe(400);
    expect(
      (await json<{ prefs: unknown }>(await api("/api/notification-prefs", { cookie: user.cookie }))).prefs,
    ).toEqual(prefs);
  });

  it("gives the VAPID public key and keeps push subscriptions, validated, idempotent, at most 10", async () => {
    const user = await signup();
    expect(await json(await api("/api/push/key", { cookie: user.cookie }))).toEqual({
      publicKey: env.VAPID_PUBLIC_KEY,
    });
    const subscribe = (endpoint: string, keys: Record<string, string> = { p256dh: P256DH, auth: AUTH }) =>
      api("/api/push/subscriptions", { cookie: user.cookie, body: { endpoint, keys } });
    const count = async () =>
      (
        await env.DB.prepare("SELECT count(*) AS n FROM push_subscriptions WHERE user_id = ?1")
          .bind(user.user.id)
          .first<{ n: number }>()
      )?.n;

    expect((await subscribe("https://fcm.googleapis.com/fcm/send/a")).status).toBe(204);
    expect((await subscribe("https://fcm.googleapis.com/fcm/send/a")).status).toBe(204);
    expect(await count()).toBe(1);

    for (const [endpoint, keys] of [
      [`https://fcm.googleapis.com/fcm/send/${"x".repeat(1000)}`, undefined],
      ["https://fcm.googleapis.com/fcm/send/c", { p256dh: "BAAA", auth: AUTH }],
      ["https://fcm.googleapis.com/fcm/send/c", { p256dh: P256DH, auth: "short" }],
    ] as const) {
      const res = await subscribe(endpoint, keys);
      expect(res.status, endpoint.slice(0, 40)).toBe(400);
    }
    expect(await count()).toBe(1);

    for (let i = 1; i < 10; i++) expect((await subscribe(`https://fcm.googleapis.com/fcm/send/${i}`)).status).toBe(204);
    const eleventh = await subscribe("https://fcm.googleapis.com/fcm/send/eleven");
    expect(eleventh.status).toBe(409);
    expect((await json<ErrorJson>(eleventh)).error.code).toBe("too_many_subscriptions");
    expect(
      (
        await api("/api/push/subscriptions", {
          method: "DELETE",
          cookie: user.cookie,
          body: { endpoint: "https://fcm.googleapis.com/fcm/send/a" },
        })
      ).status,
    ).toBe(204);
    expect(await count()).toBe(9);
  });

  it("refuses every endpoint that is not a known push service's with 400, on any host Haven runs on", async () => {
    const user = await signup();
    const stored = async () =>
      (
        await env.DB.prepare("SELECT count(*) AS n FROM push_subscriptions WHERE user_id = ?1")
          .bind(user.user.id)
          .first<{ n: number }>()
      )?.n;
    for (const endpoint of HOSTILE_PUSH_ENDPOINTS) {
      const res = await api("/api/push/subscriptions", {
        cookie: user.cookie,
        body: { endpoint, keys: { p256dh: P256DH, auth: AUTH } },
      });
      expect(res.status, endpoint).toBe(400);
      const error = await json<ErrorJson>(res);
      expect(error.error.code).toBe("validation_failed");
    }
    // Haven on localhost (local development) is no exception: the request's host decides nothing.
    for (const endpoint of ["http://127.0.0.1:9/send/local", "https://[::ffff:127.0.0.1]:9905/x"]) {
      const res = await SELF.fetch("http://localhost:8787/api/push/subscriptions", {
        method: "POST",
        headers: { Cookie: user.cookie, Origin: "http://localhost:8787", "Content-Type": "application/json" },
        body: JSON.stringify({ endpoint, keys: { p256dh: P256DH, auth: AUTH } }),
      });
      expect(res.status, endpoint).toBe(400);
    }
    expect(await stored()).toBe(0);
    const real = [
      "https://updates.push.services.mozilla.com/wpush/v2/gAAAA",
      "https://web.push.apple.com/QGuQyavXutnMH9x",
      "https://wns2-by3p.notify.windows.com/w/?token=BQYAAAB",
    ];
    for (const endpoint of real) {
      const res = await api("/api/push/subscriptions", {
        cookie: user.cookie,
        body: { endpoint, keys: { p256dh: P256DH, auth: AUTH } },
      });
      expect(res.status, endpoint).toBe(204);
    }
    expect(await stored()).toBe(real.length);
  });

  it("shows dead letters to room managers only, and sends one again exactly once", async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const editor = await addMember(owner, room, "editor");
    const outsider = await signup();
    const job = notifyJob(room.id, { title: "Sent again" });
    const { id } = await runQueue(job, { queueName: "haven-jobs-dlq" });

    const listing = await api(`/api/rooms/${room.id}/dead-letters`, { cookie: owner.cookie });
    expect(listing.status).toBe(200);
    const { deadLetters } = await json<{ deadLetters: DeadLetter[] }>(listing);
    expect(deadLetters).toEqual([
      expect.objectContaining({ id, type: "notify", key: job.key, body: job, retriedAt: null }),
    ]);
    expect((await api(`/api/rooms/${room.id}/dead-letters`, { cookie: editor.cookie })).status).toBe(403);
    expect((await api(`/api/rooms/${room.id}/dead-letters`, { cookie: outsider.cookie })).status).toBe(404);
    expect(
      (await api(`/api/rooms/${room.id}/dead-letters/${id}/retry`, { cookie: editor.cookie, method: "POST" })).status,
    ).toBe(403);

    const retried = await api(`/api/rooms/${room.id}/dead-letters/${id}/retry`, {
      cookie: owner.cookie,
      method: "POST",
    });
    expect(retried.status).toBe(202);
    const again = await api(`/api/rooms/${room.id}/dead-letters/${id}/retry`, { cookie: owner.cookie, method: "POST" });
    expect(again.status).toBe(409);
    expect((await json<ErrorJson>(again)).error.code).toBe("already_retried");
    expect(
      (await api(`/api/rooms/${room.id}/dead-letters/no-such-id/retry`, { cookie: owner.cookie, method: "POST" }))
        .status,
    ).toBe(404);

    // The job went back on the queue, and the queue's consumer delivered it to both members.
    let delivered = 0;
    const poll = setInterval(async () => {
      delivered =
        (
          await env.DB.prepare("SELECT count(*) AS n FROM notifications WHERE key = ?1")
            .bind(job.key)
            .first<{ n: number }>()
        )?.n ?? 0;
    }, 50);
    try {
      await waitFor(() => delivered === 2, "the retried job to be delivered", 10_000);
    } finally {
      clearInterval(poll);
    }
  });

  it("tells open notification sockets the unread count on connect and after each notify", async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const res = await upgrade("/api/notifications/live", { cookie: owner.cookie });
    expect(res.status).toBe(101);
    const socket = res.webSocket;
    if (!socket) throw new Error("no socket");
    const messages: unknown[] = [];
    socket.addEventListener("message", (event) => {
      messages.push(JSON.parse(String(event.data)));
    });
    socket.accept();
    await waitFor(() => messages.length === 1, "the unread count on connect");
    expect(messages[0]).toEqual({ type: "unread", count: 0 });

    await runQueue(notifyJob(room.id));
    await waitFor(() => messages.length === 2, "the unread count after a notify");
    expect(messages[1]).toEqual({ type: "unread", count: 1 });

    await api("/api/notifications/read", { cookie: owner.cookie, body: { all: true } });
    await waitFor(() => messages.length === 3, "the unread count after marking read");
    expect(messages[2]).toEqual({ type: "unread", count: 0 });

    // Signing out closes the session's notification sockets, as it does its room sockets.
    let closed: number | null = null;
    socket.addEventListener("close", (event) => {
      closed = event.code;
    });
    expect((await api("/api/auth/logout", { cookie: owner.cookie, method: "POST" })).status).toBe(204);
    await waitFor(() => closed !== null, "the socket closed on logout");
    expect(closed).toBe(4401);
    owner.cookie =
      (await api("/api/auth/login", { body: { email: owner.email, password: owner.password } })).headers
        .get("Set-Cookie")
        ?.split(";")[0] ?? "";

    expect(
      (await upgrade("/api/notifications/live", { cookie: owner.cookie, origin: "https://evil.example" })).status,
    ).toBe(403);
    expect((await api("/api/notifications/live", { cookie: owner.cookie })).status).toBe(426);
  });
});
