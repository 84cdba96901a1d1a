import { env, runDurableObjectAlarm, runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MAX_PHOTOS_PER_ROOM, PHOTO_UPLOADS_PER_USER_MAX } from "../../../config";
import type { Room } from "../../../schema/core/api";
import type { RoomKind } from "../../../schema/core/roles";
import { api, createRoom, type ErrorJson, json, ORIGIN, signup } from "../helpers";

/** The smallest valid PNG: a 1×1 transparent pixel. */
const PNG = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="),
  (c) => c.charCodeAt(0),
);

const upload = (roomId: string, cookie: string) =>
  SELF.fetch(`${ORIGIN}/api/rooms/${roomId}/photos`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: ORIGIN, "Content-Type": "image/png" },
    body: PNG,
  });

const stubOf = (room: Room, kind: RoomKind = "property") => env[kind].get(env[kind].idFromName(room.id));
const objects = async (room: Room) => (await env.BLOBS.list({ prefix: `rooms/${room.id}/` })).objects.length;

describe("photo limits", () => {
  it("registers an upload as a command, with its audit row, for homes and sites alike", async () => {
    const alice = await signup("Alice");
    for (const kind of ["property", "site"] as const) {
      const room = await createRoom(alice, kind, `Photos ${kind}`);
      const res = await upload(room.id, alice.cookie);
      expect(res.status).toBe(201);
      const { photoId } = await json<{ photoId: string }>(res);
      const audit = await runInDurableObject(stubOf(room, kind), (_i, state) =>
        state.storage.sql.exec("SELECT command, subject, actor FROM audit_log").toArray(),
      );
      expect(audit).toEqual([{ command: "photo.register", subject: `photo:${photoId}`, actor: alice.user.id }]);
    }
    // No client can run the registration itself and claim an object that was never stored.
    const home = await createRoom(alice, "property", "Forged");
    const forged = await api(`/api/rooms/${home.id}/commands`, {
      cookie: alice.cookie,
      body: {
        name: "photo.register",
        args: { id: crypto.randomUUID(), contentType: "image/png", bytes: 1 },
        key: `k-${crypto.randomUUID()}`,
      },
    });
    expect([forged.status, (await json<ErrorJson>(forged)).error.code]).toEqual([400, "unknown_command"]);
  });

  it("limits uploads per person and room, and stores nothing past the limit", async () => {
    const alice = await signup("Alice");
    const room = await createRoom(alice, "property", "Flood");
    for (let i = 0; i < PHOTO_UPLOADS_PER_USER_MAX; i++) expect((await upload(room.id, alice.cookie)).status).toBe(201);
    const refused = await upload(room.id, alice.cookie);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await objects(room)).toBe(PHOTO_UPLOADS_PER_USER_MAX);
    // Another home of the same person has its own allowance.
    const other = await createRoom(alice, "property", "Other");
    expect((await upload(other.id, alice.cookie)).status).toBe(201);
  });

  it("refuses an upload past the room's photo quota with 413 quota_exceeded and deletes the object", async () => {
    const alice = await signup("Alice");
    const room = await createRoom(alice, "property", "Full");
    expect((await upload(room.id, alice.cookie)).status).toBe(201);
    await runInDurableObject(stubOf(room), (_i, state) => {
      for (let i = 1; i < MAX_PHOTOS_PER_ROOM; i++)
        state.storage.sql.exec(
          "INSERT INTO photos (id, content_type, bytes, uploaded_by, at) VALUES (?, 'image/png', 1, 'x', 0)",
          `seed-${i}`,
        );
    });
    const refused = await upload(room.id, alice.cookie);
    expect(refused.status).toBe(413);
    expect((await json<ErrorJson>(refused)).error.code).toBe("quota_exceeded");
    expect(await objects(room)).toBe(1);
  });

  it("deletes a photo nobody attached once it expires, from R2 too, and keeps attached ones", async () => {
    const alice = await signup("Alice");
    const room = await createRoom(alice, "property", "Expiry");
    const [loose, kept] = await Promise.all(
      [0, 1].map(async () => (await json<{ photoId: string }>(await upload(room.id, alice.cookie))).photoId),
    );
    const asset = await json<{ result: { id: string } }>(
      await api(`/api/rooms/${room.id}/commands`, {
        cookie: alice.cookie,
        body: { name: "asset.create", args: { name: "Boiler", category: "other" }, key: `k-${crypto.randomUUID()}` },
      }),
    );
    const attach = await api(`/api/rooms/${room.id}/commands`, {
      cookie: alice.cookie,
      body: { name: "asset.add_photo", args: { id: asset.result.id, photoId: kept }, key: `k-${crypto.randomUUID()}` },
    });
    expect(attach.status).toBe(200);
    // The expiry time comes: the jobs are moved to now rather than waiting a day.
    await runInDurableObject(stubOf(room), (_i, state) => {
      state.storage.sql.exec("UPDATE scheduled_jobs SET due_at = ? WHERE kind = 'photo.expire'", Date.now() - 1);
    });
    await runDurableObjectAlarm(stubOf(room));
    expect(await env.BLOBS.head(`rooms/${room.id}/photos/${loose}`)).toBeNull();
    expect((await api(`/api/rooms/${room.id}/photos/${loose}`, { cookie: alice.cookie })).status).toBe(404);
    expect(await env.BLOBS.head(`rooms/${room.id}/photos/${kept}`)).not.toBeNull();
    const rows = await runInDurableObject(stubOf(room), (_i, state) =>
      state.storage.sql.exec("SELECT id FROM photos").toArray(),
    );
    expect(rows).toEqual([{ id: kept }]);
  });
});
