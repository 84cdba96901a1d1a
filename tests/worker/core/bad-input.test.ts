import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MAX_JSON_BODY_BYTES } from "../../../config";
import { api, createRoom, type ErrorJson, json, signup, uniqueEmail } from "../helpers";

const count = async (table: string) =>
  (await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>())?.n ?? 0;

async function expectError(res: Response, status: number, code: string): Promise<ErrorJson> {
  expect(res.status).toBe(status);
  expect(res.headers.get("Content-Type")).toContain("application/json");
  const body = await json<ErrorJson>(res);
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
  expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/);
  return body;
}

describe("bad input gets a clear JSON error and changes nothing", () => {
  it("malformed JSON", async () => {
    const before = await count("users");
    await expectError(
      await api("/api/auth/signup", {
        rawBody: '{"email": "a@b.c", "password": ',
        headers: { "Content-Type": "application/json" },
      }),
      400,
      "invalid_json",
    );
    expect(await count("users")).toBe(before);
  });

  it("a body not labelled as JSON", async () => {
    const alice = await signup();
    const before = await count("rooms");
    const body = JSON.stringify({ kind: "site", name: "x" });
    await expectError(
      await api("/api/rooms", { cookie: alice.cookie, rawBody: body, headers: { "Content-Type": "text/plain" } }),
      415,
      "unsupported_media_type",
    );
    await expectError(await api("/api/rooms", { cookie: alice.cookie, rawBody: body }), 415, "unsupported_media_type");
    expect(await count("rooms")).toBe(before);
  });

  it("JSON of the wrong shape", async () => {
    const alice = await signup();
    const before = await count("rooms");
    await expectError(await api("/api/rooms", { cookie: alice.cookie, body: [1, 2, 3] }), 400, "validation_failed");
    const body = await expectError(
      await api("/api/rooms", { cookie: alice.cookie, body: { kind: 3, name: ["x"] } }),
      400,
      "validation_failed",
    );
    expect(body.error.details).toMatchObject({
      fields: expect.arrayContaining([
        expect.objectContaining({ path: "kind" }),
        expect.objectContaining({ path: "name" }),
      ]),
    });
    expect(await count("rooms")).toBe(before);
  });

  it("an oversized body", async () => {
    const before = await count("users");
    const name = "x".repeat(MAX_JSON_BODY_BYTES + 1);
    await expectError(
      await api("/api/auth/signup", { body: { email: uniqueEmail(), password: "longenough", name } }),
      413,
      "payload_too_large",
    );
    expect(await count("users")).toBe(before);
  });

  it("an unknown route", async () => {
    await expectError(await api("/api/nothing-here"), 404, "not_found");
    await expectError(await api("/api/rooms/x/y/z", { method: "PUT", body: {} }), 404, "not_found");
  });

  it("a state-changing request from a foreign origin", async () => {
    const before = await count("users");
    await expectError(
      await api("/api/auth/signup", {
        origin: "https://evil.example",
        body: { email: uniqueEmail(), password: "longenough", name: "E" },
      }),
      403,
      "foreign_origin",
    );
    expect(await count("users")).toBe(before);

    const alice = await signup();
    const rooms = await count("rooms");
    await expectError(
      await api("/api/rooms", {
        cookie: alice.cookie,
        origin: "https://evil.example",
        body: { kind: "site", name: "x" },
      }),
      403,
      "foreign_origin",
    );
    await expectError(
      await api("/api/rooms", {
        cookie: alice.cookie,
        origin: null,
        headers: { "Sec-Fetch-Site": "cross-site" },
        body: { kind: "site", name: "x" },
      }),
      403,
      "foreign_origin",
    );
    expect(await count("rooms")).toBe(rooms);
    await expectError(
      await api("/api/auth/logout", { cookie: alice.cookie, origin: "http://haven.test.evil.example", method: "POST" }),
      403,
      "foreign_origin",
    );
    expect((await api("/api/me", { cookie: alice.cookie })).status).toBe(200);
  });

  it("identity headers forged on an API request are ignored", async () => {
    const alice = await signup();
    const room = await createRoom(alice);
    const mallory = await signup();
    const res = await api(`/api/rooms/${room.id}/members`, {
      cookie: mallory.cookie,
      headers: { "x-haven-user-id": alice.user.id, "x-haven-role": "owner" },
    });
    await expectError(res, 404, "room_not_found");
  });
});
