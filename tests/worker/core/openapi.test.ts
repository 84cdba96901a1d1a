/**
 * The route definitions against the running Worker: every real answer matches the schema
 * its definition documents for its status, the document holds together as OpenAPI 3.1,
 * and the docs page shows it all. That the app mounts exactly the defined routes is
 * route-coverage.test.ts.
 */
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { MAX_JSON_BODY_BYTES } from "../../../config";
import {
  inviteBodySchema,
  pendingInviteListSchema,
  roomBodySchema,
  userBodySchema,
} from "../../../schema/core/responses";
import { dealSummarySchema } from "../../../schema/deal/api";
import { documentSubmitted } from "../../../schema/deal/document-commands";
import { assetDocumentSchema } from "../../../schema/property/documents";
import { calendarFeedLinkSchema, photoCreatedSchema } from "../../../schema/property/responses";
import { newIngestKeySchema } from "../../../schema/site/api";
import { ROUTES } from "../../../worker/app";
import type { OpenApiDocument } from "../../../worker/openapi/document";
import { isJsonResponse, isMediaResponse, type RouteDef } from "../../../worker/routes/define";
import { ttnFixture } from "../../fixtures/ttn/load";
import { api, ORIGIN, signup, uniqueEmail, upgrade } from "../helpers";

/** The definition of a method and an OpenAPI path, or undefined. */
const findRoute = (method: string, path: string): RouteDef | undefined =>
  ROUTES.find((r) => r.method === method.toLowerCase() && r.path === path);

/** Every `(method path status)` a real answer was checked for. */
const exercised = new Set<string>();

/**
 * Asserts the answer has `status`, that the route's definition documents that status,
 * and that the body is what it says: JSON matching its schema, the named media
 * type, or nothing. Returns the JSON body (or null).
 */
async function check(res: Response, method: string, path: string, status: number): Promise<unknown> {
  const type = res.headers.get("Content-Type")?.split(";")[0]?.trim();
  const text = res.status === 101 || type?.startsWith("image/") ? "" : await res.clone().text();
  expect(res.status, `${method} ${path}: ${text}`).toBe(status);
  const route = findRoute(method, path);
  if (!route) throw new Error(`${method} ${path} is not defined`);
  const doc = route.responses[status];
  if (!doc) throw new Error(`${method} ${path} answered ${status}, which its definition does not document: ${text}`);
  exercised.add(`${method} ${path} ${status}`);
  if (isJsonResponse(doc)) {
    expect(type, `${method} ${path} ${status}`).toBe("application/json");
    const body: unknown = await res.json();
    const parsed = doc.json.safeParse(body);
    if (!parsed.success)
      throw new Error(
        `${method} ${path} ${status} does not match its schema:\n${z.prettifyError(parsed.error)}\n${text}`,
      );
    return body;
  }
  if (isMediaResponse(doc)) {
    expect(doc.media, `${method} ${path} ${status}`).toContain(type);
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(0);
    return null;
  }
  if (status === 101) {
    res.webSocket?.accept();
    res.webSocket?.close(1000, "done");
  } else {
    expect(text, `${method} ${path} ${status} has no body`).toBe("");
  }
  return null;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The smallest valid PNG: a 1×1 transparent pixel. */
const PNG = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="),
  (c) => c.charCodeAt(0),
);

const upload = (roomId: string, cookie: string, body: Uint8Array, type: string) =>
  SELF.fetch(`${ORIGIN}/api/rooms/${roomId}/photos`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: ORIGIN, "Content-Type": type },
    body,
  });

describe("real answers", () => {
  it("match the schema documented for their status, on every route", async () => {
    // Accounts.
    const email = uniqueEmail("alice");
    const password = "correct horse battery";
    const signedUp = await api("/api/auth/signup", { body: { email, password, name: "Alice" } });
    const alice = {
      ...userBodySchema.parse(await check(signedUp, "post", "/api/auth/signup", 201)),
      cookie: signedUp.headers.get("Set-Cookie")?.split(";")[0] ?? "",
    };
    await check(
      await api("/api/auth/signup", { body: { email, password, name: "Alice" } }),
      "post",
      "/api/auth/signup",
      409,
    );
    await check(
      await api("/api/auth/signup", { body: { email: "nope", password, name: "" } }),
      "post",
      "/api/auth/signup",
      400,
    );
    await check(
      await api("/api/auth/signup", { rawBody: "{", headers: { "Content-Type": "application/json" } }),
      "post",
      "/api/auth/signup",
      400,
    );
    await check(await api("/api/auth/login", { body: { email, password } }), "post", "/api/auth/login", 200);
    await check(
      await api("/api/auth/login", { body: { email, password: "wrong password" } }),
      "post",
      "/api/auth/login",
      401,
    );
    await check(await api("/api/me", { cookie: alice.cookie }), "get", "/api/me", 200);
    await check(await api("/api/me"), "get", "/api/me", 401);
    await check(await api("/api/auth/login-link", { body: { email } }), "post", "/api/auth/login-link", 202);
    await check(
      await api("/api/auth/login-link/consume", { body: { token: "abcdefgh" } }),
      "post",
      "/api/auth/login-link/consume",
      410,
    );
    const linkToken = `testtoken${crypto.randomUUID().replace(/[^a-z2-9]/g, "")}`.slice(0, 32);
    await env.DB.prepare("INSERT INTO login_links (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
      .bind(await sha256Hex(linkToken), alice.user.id, Date.now(), Date.now() + 60_000)
      .run();
    await check(
      await api("/api/auth/login-link/consume", { body: { token: linkToken } }),
      "post",
      "/api/auth/login-link/consume",
      200,
    );
    const leaving = await signup("Leaving");
    await check(
      await api("/api/auth/logout", { cookie: leaving.cookie, method: "POST" }),
      "post",
      "/api/auth/logout",
      204,
    );

    // Rooms, and the errors every route shares.
    const home = roomBodySchema.parse(
      await check(
        await api("/api/rooms", { cookie: alice.cookie, body: { kind: "property", name: "Maple Street" } }),
        "post",
        "/api/rooms",
        201,
      ),
    ).room;
    await check(
      await api("/api/rooms", { cookie: alice.cookie, rawBody: JSON.stringify({ kind: "deal", name: "x" }) }),
      "post",
      "/api/rooms",
      415,
    );
    await check(
      await api("/api/rooms", {
        cookie: alice.cookie,
        rawBody: JSON.stringify({ name: "x".repeat(MAX_JSON_BODY_BYTES) }),
        headers: { "Content-Type": "application/json" },
      }),
      "post",
      "/api/rooms",
      413,
    );
    await check(
      await api("/api/rooms", {
        cookie: alice.cookie,
        body: { kind: "deal", name: "x" },
        origin: "https://evil.example",
      }),
      "post",
      "/api/rooms",
      403,
    );
    await check(await api("/api/rooms", { cookie: alice.cookie }), "get", "/api/rooms", 200);
    await check(await api(`/api/rooms/${home.id}`, { cookie: alice.cookie }), "get", "/api/rooms/{roomId}", 200);
    await check(
      await api(`/api/rooms/${home.id}`, { cookie: alice.cookie, method: "PATCH", body: { archived: false } }),
      "patch",
      "/api/rooms/{roomId}",
      200,
    );
    await check(
      await api(`/api/rooms/${home.id}/quarantine`, { cookie: alice.cookie }),
      "get",
      "/api/rooms/{roomId}/quarantine",
      200,
    );
    const stranger = await signup("Mallory");
    await check(await api(`/api/rooms/${home.id}`, { cookie: stranger.cookie }), "get", "/api/rooms/{roomId}", 404);
    const doomed = roomBodySchema.parse(
      await check(
        await api("/api/rooms", { cookie: alice.cookie, body: { kind: "deal", name: "Doomed" } }),
        "post",
        "/api/rooms",
        201,
      ),
    ).room;
    await check(
      await api(`/api/rooms/${doomed.id}`, { cookie: alice.cookie, method: "DELETE" }),
      "delete",
      "/api/rooms/{roomId}",
      204,
    );

    // Invites and members.
    const bob = await signup("Bob");
    const invite = inviteBodySchema.parse(
      await check(
        await api(`/api/rooms/${home.id}/invites`, {
          cookie: alice.cookie,
          body: { email: bob.email, role: "viewer" },
        }),
        "post",
        "/api/rooms/{roomId}/invites",
        201,
      ),
    ).invite;
    await check(
      await api(`/api/rooms/${home.id}/invites`, { cookie: alice.cookie, body: { email: bob.email, role: "emperor" } }),
      "post",
      "/api/rooms/{roomId}/invites",
      400,
    );
    await check(await api(`/api/invites/${invite.token}`), "get", "/api/invites/{token}", 200);
    await check(
      await api(`/api/invites/${invite.token}/accept`, { cookie: stranger.cookie, method: "POST" }),
      "post",
      "/api/invites/{token}/accept",
      403,
    );
    await check(
      await api(`/api/invites/${invite.token}/accept`, { cookie: bob.cookie, method: "POST" }),
      "post",
      "/api/invites/{token}/accept",
      200,
    );
    await check(await api(`/api/invites/${invite.token}`), "get", "/api/invites/{token}", 404);
    await api(`/api/rooms/${home.id}/invites`, {
      cookie: alice.cookie,
      body: { email: uniqueEmail("carol"), role: "viewer" },
    });
    const pending = pendingInviteListSchema.parse(
      await check(
        await api(`/api/rooms/${home.id}/invites`, { cookie: alice.cookie }),
        "get",
        "/api/rooms/{roomId}/invites",
        200,
      ),
    );
    const withdrawn = pending.invites[0]?.id ?? "";
    await check(
      await api(`/api/rooms/${home.id}/invites/${withdrawn}`, { cookie: alice.cookie, method: "DELETE" }),
      "delete",
      "/api/rooms/{roomId}/invites/{inviteId}",
      204,
    );
    await check(
      await api(`/api/rooms/${home.id}/invites/${withdrawn}`, { cookie: alice.cookie, method: "DELETE" }),
      "delete",
      "/api/rooms/{roomId}/invites/{inviteId}",
      404,
    );
    await check(
      await api(`/api/rooms/${home.id}/members`, { cookie: alice.cookie }),
      "get",
      "/api/rooms/{roomId}/members",
      200,
    );
    await check(
      await api(`/api/rooms/${home.id}/members`, { cookie: bob.cookie }),
      "get",
      "/api/rooms/{roomId}/members",
      403,
    );
    const members = `/api/rooms/${home.id}/members`;
    await check(
      await api(`${members}/${bob.user.id}`, { cookie: alice.cookie, method: "PATCH", body: { role: "editor" } }),
      "patch",
      "/api/rooms/{roomId}/members/{userId}",
      200,
    );
    await check(
      await api(`${members}/${alice.user.id}`, { cookie: alice.cookie, method: "PATCH", body: { role: "admin" } }),
      "patch",
      "/api/rooms/{roomId}/members/{userId}",
      409,
    );

    // Commands and task history.
    const command = (name: string, args: unknown) =>
      api(`/api/rooms/${home.id}/commands`, { cookie: alice.cookie, body: { name, args, key: crypto.randomUUID() } });
    const created = (await check(
      await command("task.create", { title: "Clean filter", schedule: { type: "once", date: "2026-01-01" } }),
      "post",
      "/api/rooms/{roomId}/commands",
      200,
    )) as {
      result: { id: string };
    };
    await check(
      await command("task.complete", { id: created.result.id, occurrence: "2026-01-01" }),
      "post",
      "/api/rooms/{roomId}/commands",
      200,
    );
    await check(await command("house.paint", {}), "post", "/api/rooms/{roomId}/commands", 400);
    await check(
      await command("task.complete", { id: "no-such-task", occurrence: null }),
      "post",
      "/api/rooms/{roomId}/commands",
      404,
    );
    await check(
      await api(`/api/rooms/${home.id}/tasks/${created.result.id}/history?limit=10`, { cookie: alice.cookie }),
      "get",
      "/api/rooms/{roomId}/tasks/{taskId}/history",
      200,
    );
    await check(
      await api(`/api/rooms/${home.id}/tasks/${created.result.id}/history?limit=0`, { cookie: alice.cookie }),
      "get",
      "/api/rooms/{roomId}/tasks/{taskId}/history",
      400,
    );

    // A site: its keys, the TTN webhook, unclaimed sensors.
    const coldStore = roomBodySchema.parse(
      await check(
        await api("/api/rooms", { cookie: alice.cookie, body: { kind: "site", name: "Cold store" } }),
        "post",
        "/api/rooms",
        201,
      ),
    ).room;
    // Its compliance records, and their chain verified.
    const records = `/api/rooms/${coldStore.id}/records`;
    await check(await api(records, { cookie: alice.cookie }), "get", "/api/rooms/{roomId}/records", 200);
    await check(await api(`${records}?limit=0`, { cookie: alice.cookie }), "get", "/api/rooms/{roomId}/records", 400);
    await check(
      await api(`${records}/verify`, { cookie: alice.cookie }),
      "get",
      "/api/rooms/{roomId}/records/verify",
      200,
    );
    const madeKey = newIngestKeySchema.parse(
      await check(
        await api(`/api/rooms/${coldStore.id}/ingest-keys`, { cookie: alice.cookie, body: { label: "TTN" } }),
        "post",
        "/api/rooms/{roomId}/ingest-keys",
        201,
      ),
    );
    await check(
      await api(`/api/rooms/${coldStore.id}/ingest-keys`, { cookie: alice.cookie }),
      "get",
      "/api/rooms/{roomId}/ingest-keys",
      200,
    );
    const ttn = (key: string, body: unknown) =>
      api(`/api/sites/${coldStore.id}/ttn`, { body, headers: { Authorization: `Bearer ${key}` }, origin: null });
    const heard = ttnFixture("dragino-lht65");
    await check(await ttn(madeKey.key, heard), "post", "/api/sites/{roomId}/ttn", 200);
    await check(await ttn(madeKey.key, { ...heard, received_at: "yesterday" }), "post", "/api/sites/{roomId}/ttn", 400);
    await check(await ttn("nottherightkeyatall", heard), "post", "/api/sites/{roomId}/ttn", 401);
    await check(
      await api(`/api/rooms/${coldStore.id}/unclaimed-devices`, { cookie: alice.cookie }),
      "get",
      "/api/rooms/{roomId}/unclaimed-devices",
      200,
    );
    await check(
      await api(`/api/rooms/${coldStore.id}/unclaimed-devices?limit=0`, { cookie: alice.cookie }),
      "get",
      "/api/rooms/{roomId}/unclaimed-devices",
      400,
    );
    const siteCommand = (name: string, args: unknown) =>
      api(`/api/rooms/${coldStore.id}/commands`, {
        cookie: alice.cookie,
        body: { name, args, key: crypto.randomUUID() },
      });
    await siteCommand("area.create", { id: "kitchen", name: "Kitchen" });
    await siteCommand("unit.create", { id: "fridge", areaId: "kitchen", name: "Fridge", kind: "fridge" });
    const day = Date.now() - 24 * 60 * 60 * 1000;
    await check(
      await api(`/api/rooms/${coldStore.id}/units/fridge/readings?from=${day}&to=${Date.now()}`, {
        cookie: alice.cookie,
      }),
      "get",
      "/api/rooms/{roomId}/units/{unitId}/readings",
      200,
    );
    await check(
      await api(`/api/rooms/${coldStore.id}/units/fridge/readings?from=${Date.now()}&to=${day}`, {
        cookie: alice.cookie,
      }),
      "get",
      "/api/rooms/{roomId}/units/{unitId}/readings",
      400,
    );
    await check(
      await api(`/api/rooms/${coldStore.id}/units/no-such-unit/readings?from=${day}&to=${Date.now()}`, {
        cookie: alice.cookie,
      }),
      "get",
      "/api/rooms/{roomId}/units/{unitId}/readings",
      404,
    );
    await check(
      await api(`/api/rooms/${coldStore.id}/ingest-keys/${madeKey.id}`, { cookie: alice.cookie, method: "DELETE" }),
      "delete",
      "/api/rooms/{roomId}/ingest-keys/{keyId}",
      204,
    );
    await check(
      await api(`/api/rooms/${coldStore.id}/ingest-keys/${madeKey.id}`, { cookie: alice.cookie, method: "DELETE" }),
      "delete",
      "/api/rooms/{roomId}/ingest-keys/{keyId}",
      404,
    );

    // The calendar feed and photos.
    await check(
      await api(`/api/rooms/${home.id}/calendar-feed`, { cookie: alice.cookie }),
      "get",
      "/api/rooms/{roomId}/calendar-feed",
      200,
    );
    const feed = calendarFeedLinkSchema.parse(
      await check(
        await api(`/api/rooms/${home.id}/calendar-feed`, { cookie: alice.cookie, method: "POST" }),
        "post",
        "/api/rooms/{roomId}/calendar-feed",
        201,
      ),
    );
    const feedPath = new URL(feed.url).pathname;
    await check(await api(feedPath), "get", "/api/feeds/{roomId}/{file}", 200);
    await check(
      await api(`/api/rooms/${home.id}/calendar-feed`, { cookie: alice.cookie, method: "DELETE" }),
      "delete",
      "/api/rooms/{roomId}/calendar-feed",
      204,
    );
    await check(await api(feedPath), "get", "/api/feeds/{roomId}/{file}", 404);
    const photo = photoCreatedSchema.parse(
      await check(await upload(home.id, alice.cookie, PNG, "image/png"), "post", "/api/rooms/{roomId}/photos", 201),
    );
    await check(await upload(home.id, alice.cookie, PNG, "text/html"), "post", "/api/rooms/{roomId}/photos", 415);
    await check(
      await api(`/api/rooms/${home.id}/photos/${photo.photoId}`, { cookie: alice.cookie }),
      "get",
      "/api/rooms/{roomId}/photos/{photoId}",
      200,
    );
    await check(
      await api(`/api/rooms/${home.id}/photos/${crypto.randomUUID()}`, { cookie: alice.cookie }),
      "get",
      "/api/rooms/{roomId}/photos/{photoId}",
      404,
    );

    // A capture's files: one staged, then filed, then served.
    const captureId = crypto.randomUUID();
    const capturePath = `/api/rooms/${home.id}/captures/${captureId}/photo`;
    const putCapture = (body: Uint8Array) =>
      SELF.fetch(`${ORIGIN}${capturePath}`, { method: "PUT", headers: { Cookie: alice.cookie, Origin: ORIGIN }, body });
    const captureRoute = "/api/rooms/{roomId}/captures/{captureId}/{part}";
    await check(await putCapture(PNG), "put", captureRoute, 201);
    await check(await putCapture(PNG), "put", captureRoute, 409);
    await check(await putCapture(new TextEncoder().encode("PK\u0003\u0004")), "put", captureRoute, 415);
    await check(await api(capturePath, { cookie: alice.cookie }), "get", captureRoute, 404);
    await api(`/api/rooms/${home.id}/commands`, {
      cookie: alice.cookie,
      body: { name: "inbox.create", args: { id: captureId }, key: crypto.randomUUID() },
    });
    await check(await api(capturePath, { cookie: alice.cookie }), "get", captureRoute, 200);

    // An asset's documents and costs.
    const assetId = "openapi-boiler";
    await api(`/api/rooms/${home.id}/commands`, {
      cookie: alice.cookie,
      body: { name: "asset.create", args: { id: assetId, name: "Boiler", category: "hvac" }, key: crypto.randomUUID() },
    });
    const assetDocs = `/api/rooms/${home.id}/assets/${assetId}/documents?kind=manual&title=Manual&name=manual.pdf`;
    const uploadDocument = (body: Uint8Array) =>
      api(assetDocs, { cookie: alice.cookie, method: "POST", rawBody: new TextDecoder().decode(body) });
    const assetDocument = assetDocumentSchema.parse(
      await check(
        await uploadDocument(new TextEncoder().encode("%PDF-1.7\n%%EOF\n")),
        "post",
        "/api/rooms/{roomId}/assets/{assetId}/documents",
        201,
      ),
    );
    await check(
      await uploadDocument(new TextEncoder().encode("<html></html>")),
      "post",
      "/api/rooms/{roomId}/assets/{assetId}/documents",
      415,
    );
    const assetDocumentPath = `/api/rooms/${home.id}/asset-documents/${assetDocument.id}`;
    await check(
      await api(assetDocumentPath, { cookie: alice.cookie }),
      "get",
      "/api/rooms/{roomId}/asset-documents/{documentId}",
      200,
    );
    await check(
      await api(assetDocumentPath, { cookie: alice.cookie, method: "DELETE" }),
      "delete",
      "/api/rooms/{roomId}/asset-documents/{documentId}",
      204,
    );
    await check(
      await api(assetDocumentPath, { cookie: alice.cookie }),
      "get",
      "/api/rooms/{roomId}/asset-documents/{documentId}",
      404,
    );
    await check(
      await api(`/api/rooms/${home.id}/assets/${assetId}/costs`, { cookie: alice.cookie }),
      "get",
      "/api/rooms/{roomId}/assets/{assetId}/costs",
      200,
    );

    // A deal's documents.
    const dealRoom = roomBodySchema.parse(
      await check(
        await api("/api/rooms", { cookie: alice.cookie, body: { kind: "deal", name: "12 Elm St" } }),
        "post",
        "/api/rooms",
        201,
      ),
    ).room;
    const documentDay = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    const dealCommand = (name: string, args: unknown) =>
      api(`/api/rooms/${dealRoom.id}/commands`, {
        cookie: alice.cookie,
        body: { name, args, key: `k-${crypto.randomUUID()}` },
      });
    const keyDates = { acceptance: documentDay(-5), closing: documentDay(30) };
    expect(
      (await dealCommand("deal.create", { templateId: null, title: "12 Elm St", address: "12 Elm St", keyDates }))
        .status,
    ).toBe(200);
    expect(
      (await dealCommand("deal.task.create", { id: "inspection", title: "Inspection report", sharedWithBuyer: false }))
        .status,
    ).toBe(200);
    const documents = "/api/rooms/{roomId}/tasks/{taskId}/documents";
    const sendDocument = (roomId: string, body: Uint8Array) =>
      SELF.fetch(`${ORIGIN}/api/rooms/${roomId}/tasks/inspection/documents?name=report.pdf`, {
        method: "POST",
        headers: { Cookie: alice.cookie, Origin: ORIGIN },
        body,
      });
    const pdf = new TextEncoder().encode("%PDF-1.4\n%%EOF\n");
    const sent = documentSubmitted.parse(await check(await sendDocument(dealRoom.id, pdf), "post", documents, 201));
    await check(await sendDocument(dealRoom.id, new TextEncoder().encode("text")), "post", documents, 415);
    await check(await sendDocument(home.id, pdf), "post", documents, 404);
    const version = "/api/rooms/{roomId}/documents/{documentId}/versions/{version}";
    const versionPath = (documentId: string) => `/api/rooms/${dealRoom.id}/documents/${documentId}/versions/1`;
    await check(await api(versionPath(sent.documentId), { cookie: alice.cookie }), "get", version, 200);
    await check(await api(versionPath("unknown"), { cookie: alice.cookie }), "get", version, 404);

    // Notifications, preferences, Web Push and dead letters.
    const notificationId = crypto.randomUUID();
    await env.DB.prepare(
      "INSERT INTO notifications (id, user_id, room_id, key, title, body, url, topic, created_at, read_at) VALUES " +
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
    )
      .bind(
        notificationId,
        alice.user.id,
        home.id,
        `test:${notificationId}`,
        "Clean filter",
        "Due today.",
        `/rooms/${home.id}`,
        "reminder",
        Date.now(),
      )
      .run();
    await check(await api("/api/notifications?limit=5", { cookie: alice.cookie }), "get", "/api/notifications", 200);
    await check(
      await api("/api/notifications?before=nope", { cookie: alice.cookie }),
      "get",
      "/api/notifications",
      400,
    );
    await check(
      await api("/api/notifications/read", { cookie: alice.cookie, body: { ids: [notificationId] } }),
      "post",
      "/api/notifications/read",
      200,
    );
    await check(await api("/api/notification-prefs", { cookie: alice.cookie }), "get", "/api/notification-prefs", 200);
    const prefs = { email: true, push: false, quietStart: "22:00", quietEnd: "07:00", timeZone: "Europe/Berlin" };
    await check(
      await api("/api/notification-prefs", { cookie: alice.cookie, method: "PUT", body: prefs }),
      "put",
      "/api/notification-prefs",
      200,
    );
    await check(await api("/api/push/key", { cookie: alice.cookie }), "get", "/api/push/key", 200);
    const subscription = {
      endpoint: `https://fcm.googleapis.com/fcm/send/${crypto.randomUUID()}`,
      keys: { p256dh: `B${"A".repeat(86)}`, auth: "A".repeat(22) },
    };
    await check(
      await api("/api/push/subscriptions", { cookie: alice.cookie, body: subscription }),
      "post",
      "/api/push/subscriptions",
      204,
    );
    await check(
      await api("/api/push/subscriptions", {
        cookie: alice.cookie,
        method: "DELETE",
        body: { endpoint: subscription.endpoint },
      }),
      "delete",
      "/api/push/subscriptions",
      204,
    );
    const letterId = crypto.randomUUID();
    const job = {
      type: "notify",
      key: `test:${letterId}`,
      roomId: home.id,
      audience: { userIds: [alice.user.id] },
      title: "Retry me",
      body: "",
      url: "/",
      topic: "test",
    };
    await env.DB.prepare(
      "INSERT INTO dead_letters (id, room_id, type, key, body, error, attempts, created_at, retried_at) VALUES (?, " +
        "?, ?, ?, ?, ?, ?, ?, NULL)",
    )
      .bind(letterId, home.id, job.type, job.key, JSON.stringify(job), "Error: test", 5, Date.now())
      .run();
    await check(
      await api(`/api/rooms/${home.id}/dead-letters`, { cookie: alice.cookie }),
      "get",
      "/api/rooms/{roomId}/dead-letters",
      200,
    );
    await check(
      await api(`/api/rooms/${home.id}/dead-letters/${letterId}/retry`, { cookie: alice.cookie, method: "POST" }),
      "post",
      "/api/rooms/{roomId}/dead-letters/{id}/retry",
      202,
    );
    await check(
      await api(`/api/rooms/${home.id}/dead-letters/${letterId}/retry`, { cookie: alice.cookie, method: "POST" }),
      "post",
      "/api/rooms/{roomId}/dead-letters/{id}/retry",
      409,
    );

    // Deals: the read API and saved templates.
    const deal = roomBodySchema.parse(
      await check(
        await api("/api/rooms", { cookie: alice.cookie, body: { kind: "deal", name: "12 Elm St" } }),
        "post",
        "/api/rooms",
        201,
      ),
    ).room;
    const dealPath = `/api/rooms/${deal.id}/deal`;
    await check(await api(dealPath, { cookie: alice.cookie }), "get", "/api/rooms/{roomId}/deal", 404);
    const today = Date.now();
    const dealDay = (days: number) => new Date(today + days * 86_400_000).toISOString().slice(0, 10);
    await check(
      await api(`/api/rooms/${deal.id}/commands`, {
        cookie: alice.cookie,
        body: {
          name: "deal.create",
          key: crypto.randomUUID(),
          args: {
            templateId: "financed_purchase",
            title: "12 Elm St",
            address: "12 Elm St",
            keyDates: { acceptance: dealDay(-5), closing: dealDay(25) },
            commission: { percent: 2.5 },
          },
        },
      }),
      "post",
      "/api/rooms/{roomId}/commands",
      200,
    );
    const summary = dealSummarySchema.parse(
      await check(await api(dealPath, { cookie: alice.cookie }), "get", "/api/rooms/{roomId}/deal", 200),
    );
    await check(await api(dealPath, { cookie: stranger.cookie }), "get", "/api/rooms/{roomId}/deal", 404);
    await check(
      await api(`${dealPath}/timeline`, { cookie: alice.cookie }),
      "get",
      "/api/rooms/{roomId}/deal/timeline",
      200,
    );
    const someTask = summary.owes[0]?.tasks[0]?.id ?? "";
    await check(
      await api(`${dealPath}/tasks/${someTask}`, { cookie: alice.cookie }),
      "get",
      "/api/rooms/{roomId}/deal/tasks/{taskId}",
      200,
    );
    await check(
      await api(`${dealPath}/tasks/no-such`, { cookie: alice.cookie }),
      "get",
      "/api/rooms/{roomId}/deal/tasks/{taskId}",
      404,
    );
    await check(
      await api(`${dealPath}/templates`, { cookie: alice.cookie, body: { name: "Alice's financed" } }),
      "post",
      "/api/rooms/{roomId}/deal/templates",
      201,
    );
    await check(
      await api(`${dealPath}/templates`, { cookie: alice.cookie, body: { name: "" } }),
      "post",
      "/api/rooms/{roomId}/deal/templates",
      400,
    );
    await check(await api("/api/deal-templates", { cookie: alice.cookie }), "get", "/api/deal-templates", 200);
    await check(
      await api("/api/deal-templates?roomId=nope", { cookie: alice.cookie }),
      "get",
      "/api/deal-templates",
      404,
    );
    await check(await api("/api/rooms", { cookie: alice.cookie }), "get", "/api/rooms", 200);
    // Its audit log (the owner holds audit.export).
    const audit = `/api/rooms/${deal.id}/audit`;
    await check(await api(`${audit}?format=csv`, { cookie: alice.cookie }), "get", "/api/rooms/{roomId}/audit", 200);
    await check(await api(`${audit}?format=pdf`, { cookie: alice.cookie }), "get", "/api/rooms/{roomId}/audit", 400);
    await check(await api(`${audit}/head`, { cookie: alice.cookie }), "get", "/api/rooms/{roomId}/audit/head", 200);
    await check(await api(`${audit}/verify`, { cookie: alice.cookie }), "get", "/api/rooms/{roomId}/audit/verify", 200);
    await check(
      await api(`/api/rooms/${home.id}/audit/head`, { cookie: alice.cookie }),
      "get",
      "/api/rooms/{roomId}/audit/head",
      404,
    );

    // WebSockets.
    await check(
      await upgrade(`/parties/property/${home.id}`, { cookie: alice.cookie }),
      "get",
      "/parties/{kind}/{roomId}",
      101,
    );
    await check(
      await api(`/parties/property/${home.id}`, { cookie: alice.cookie }),
      "get",
      "/parties/{kind}/{roomId}",
      426,
    );
    await check(
      await upgrade(`/parties/deal/${home.id}`, { cookie: alice.cookie }),
      "get",
      "/parties/{kind}/{roomId}",
      404,
    );
    await check(
      await upgrade("/api/notifications/live", { cookie: alice.cookie }),
      "get",
      "/api/notifications/live",
      101,
    );
    await check(await upgrade("/api/notifications/live"), "get", "/api/notifications/live", 401);

    // Leaving last, as it ends Bob's access to the room.
    await check(
      await api(`${members}/${bob.user.id}`, { cookie: bob.cookie, method: "DELETE" }),
      "delete",
      "/api/rooms/{roomId}/members/{userId}",
      204,
    );
    await check(
      await api(`${members}/${bob.user.id}`, { cookie: alice.cookie, method: "DELETE" }),
      "delete",
      "/api/rooms/{roomId}/members/{userId}",
      404,
    );

    // Liveness and readiness.
    await check(await api("/health"), "get", "/health", 200);
    await check(await api("/health/ready"), "get", "/health/ready", 200);

    // The reference itself.
    await check(await api("/api/openapi.json"), "get", "/api/openapi.json", 200);
    await check(await api("/api/docs"), "get", "/api/docs", 200);
    await check(await api("/api/docs/style.css"), "get", "/api/docs/style.css", 200);

    const unexercised = ROUTES.filter((route) => {
      const success = Object.keys(route.responses)
        .map(Number)
        .find((status) => status < 300);
      return !exercised.has(`${route.method} ${route.path} ${success}`);
    }).map((route) => `${route.method} ${route.path}`);
    expect(unexercised, "routes whose success answer no check covered").toEqual([]);
  });
});

describe("the document", () => {
  it("is OpenAPI 3.1 with responses on every operation and every $ref resolving", async () => {
    const res = await api("/api/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as OpenApiDocument;
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.securitySchemes.session).toEqual(
      expect.objectContaining({ type: "apiKey", in: "cookie", name: "haven_session" }),
    );
    for (const [path, item] of Object.entries(doc.paths)) {
      const operations = Object.values(item);
      expect(operations.length, path).toBeGreaterThan(0);
      for (const op of operations)
        expect(Object.keys(op?.responses ?? {}).length, `${path} ${op?.operationId}`).toBeGreaterThan(0);
    }
    const refs: string[] = [];
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === "object") {
        for (const [key, inner] of Object.entries(value)) {
          if (key === "$ref" && typeof inner === "string") refs.push(inner);
          else walk(inner);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref, "a local reference").toMatch(/^#\//);
      const target = ref
        .slice(2)
        .split("/")
        .reduce<unknown>(
          (node, segment) =>
            node && typeof node === "object"
              ? (node as Record<string, unknown>)[segment.replace(/~1/g, "/").replace(/~0/g, "~")]
              : undefined,
          doc,
        );
      expect(target, ref).toBeDefined();
    }
  });
});

describe("the docs page", () => {
  it("shows every path, with a stylesheet of its own origin and no script", async () => {
    const res = await api("/api/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(res.headers.get("Content-Security-Policy")).toContain("default-src 'self'");
    const html = await res.text();
    for (const route of ROUTES) expect(html, route.path).toContain(`<code>${route.path}</code>`);
    expect(html).toMatch(/<main>/);
    expect(html).toMatch(/<h1>/);
    expect(html).not.toMatch(/<script|style=|<style/i);
    const stylesheet = /<link rel="stylesheet" href="([^"]+)">/.exec(html)?.[1] ?? "";
    expect(stylesheet).toMatch(/^\/[^/]/);
    const css = await api(stylesheet);
    expect(css.status).toBe(200);
    expect(css.headers.get("Content-Type")).toMatch(/^text\/css/);
  });
});
