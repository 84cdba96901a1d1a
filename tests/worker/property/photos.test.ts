import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { addMember, api, createRoom, type ErrorJson, json, ORIGIN, signup } from "../helpers";

/** The smallest valid PNG: a 1×1 transparent pixel. */
const PNG = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="),
  (c) => c.charCodeAt(0),
);

function upload(roomId: string, cookie: string, body: Uint8Array, type = "image/png") {
  return SELF.fetch(`${ORIGIN}/api/rooms/${roomId}/photos`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: ORIGIN, "Content-Type": type },
    body,
  });
}

describe("photos", () => {
  it("stores an image in R2, attaches it to an asset and a completion, and serves it to members only", async () => {
    const alice = await signup("Alice");
    const room = await createRoom(alice, "property", "Maple Street");
    const res = await upload(room.id, alice.cookie, PNG);
    expect(res.status).toBe(201);
    const { photoId } = await json<{ photoId: string }>(res);
    expect(await env.BLOBS.head(`rooms/${room.id}/photos/${photoId}`)).not.toBeNull();

    const command = (name: string, args: unknown) =>
      api(`/api/rooms/${room.id}/commands`, { cookie: alice.cookie, body: { name, args, key: crypto.randomUUID() } });
    const asset = await json<{ result: { id: string } }>(
      await command("asset.create", { name: "Dishwasher", category: "appliance" }),
    );
    expect((await command("asset.add_photo", { id: asset.result.id, photoId })).status).toBe(200);
    const task = await json<{ result: { id: string } }>(
      await command("task.create", {
        title: "Clean filter",
        assetId: asset.result.id,
        schedule: { type: "once", date: "2026-01-01" },
      }),
    );
    expect(
      (
        await command("task.complete", {
          id: task.result.id,
          occurrence: "2026-01-01",
          photoId,
          note: "Filter was greasy",
        })
      ).status,
    ).toBe(200);

    const served = await api(`/api/rooms/${room.id}/photos/${photoId}`, { cookie: alice.cookie });
    expect(served.headers.get("Content-Type")).toBe("image/png");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PNG);
    const stranger = await signup("Mallory");
    expect((await api(`/api/rooms/${room.id}/photos/${photoId}`, { cookie: stranger.cookie })).status).toBe(404);

    // A photo of another home cannot be attached here.
    const other = await createRoom(alice, "property", "Cabin");
    const elsewhere = await json<{ photoId: string }>(await upload(other.id, alice.cookie, PNG));
    const refused = await command("asset.add_photo", { id: asset.result.id, photoId: elsewhere.photoId });
    expect(refused.status).toBe(404);

    // Deleting the home deletes its photos from R2 too.
    expect((await api(`/api/rooms/${room.id}`, { method: "DELETE", cookie: alice.cookie })).status).toBe(204);
    expect((await env.BLOBS.list({ prefix: `rooms/${room.id}/` })).objects).toHaveLength(0);
    expect((await env.BLOBS.list({ prefix: `rooms/${other.id}/` })).objects).toHaveLength(1);
  });

  it("refuses what is not an image, a lying type, an oversized body and a viewer, storing nothing", async () => {
    const alice = await signup("Alice");
    const room = await createRoom(alice, "property", "Maple Street");
    const viewer = await addMember(alice, room, "viewer");
    const html = new TextEncoder().encode("<script>alert(1)</script>");
    expect((await upload(room.id, alice.cookie, html, "text/html")).status).toBe(415);
    const lying = await upload(room.id, alice.cookie, html, "image/png");
    expect(lying.status).toBe(400);
    expect((await json<ErrorJson>(lying)).error.code).toBe("validation_failed");
    expect((await upload(room.id, alice.cookie, PNG, "image/jpeg")).status).toBe(400);
    expect((await upload(room.id, alice.cookie, new Uint8Array(9 * 1024 * 1024).fill(0x89))).status).toBe(413);
    expect((await upload(room.id, viewer.cookie, PNG)).status).toBe(403);
    expect((await env.BLOBS.list({ prefix: `rooms/${room.id}/` })).objects).toHaveLength(0);
  });
});
