/**
 * Documents on a home's asset: upload (streamed to R2, typed by its bytes), the asset's list, download through
 * the Worker, removal; and every way to get it wrong storing nothing.
 */
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  ASSET_DOCUMENT_MAX_BYTES,
  ASSET_DOCUMENT_UPLOADS_PER_USER_MAX,
  ASSET_DOCUMENTS_PER_ASSET_MAX,
} from "../../../config";
import type { Asset } from "../../../schema/property/records";
import { type Account, addMember, api, createRoom, type ErrorJson, json, ORIGIN, RoomClient, signup } from "../helpers";

const PDF = new TextEncoder().encode(
  "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
);
const HTML = new TextEncoder().encode("<html><script>alert(1)</script></html>");

interface UploadOptions {
  kind?: string;
  title?: string;
  name?: string;
  id?: string;
  type?: string;
  cookie?: string | null;
}

function upload(roomId: string, assetId: string, who: Account | null, body: BodyInit, options: UploadOptions = {}) {
  const query = new URLSearchParams({
    kind: options.kind ?? "manual",
    title: options.title ?? "Dishwasher manual",
    name: options.name ?? "manual.pdf",
    ...(options.id ? { id: options.id } : {}),
  });
  const headers: Record<string, string> = { Origin: ORIGIN, "Content-Type": options.type ?? "application/pdf" };
  if (who) headers.Cookie = who.cookie;
  return SELF.fetch(`${ORIGIN}/api/rooms/${roomId}/assets/${assetId}/documents?${query}`, {
    method: "POST",
    headers,
    body,
  });
}

async function home() {
  const alice = await signup("Alice");
  const room = await createRoom(alice, "property", "Maple Street");
  const created = await api(`/api/rooms/${room.id}/commands`, {
    cookie: alice.cookie,
    body: { name: "asset.create", args: { name: "Dishwasher", category: "appliance" }, key: crypto.randomUUID() },
  });
  const asset = (await json<{ result: { id: string } }>(created)).result.id;
  return { alice, room, asset };
}

const objects = async (roomId: string) => (await env.BLOBS.list({ prefix: `rooms/${roomId}/asset-docs/` })).objects;

describe("documents on an asset", () => {
  it("stores a PDF under the room and document id, lists it, serves it to members, removes it", async () => {
    const { alice, room, asset } = await home();
    const res = await upload(room.id, asset, alice, PDF, { name: "uploads/../Bosch SMV 'manual'.pdf" });
    expect(res.status).toBe(201);
    const document = await json<{ id: string; name: string; size: number; type: string; kind: string }>(res);
    expect(document).toMatchObject({ kind: "manual", type: "application/pdf", size: PDF.byteLength });
    // The path is dropped from the name: it only ever names the download.
    expect(document.name).toBe("Bosch SMV 'manual'.pdf");
    const stored = await objects(room.id);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.key.startsWith(`rooms/${room.id}/asset-docs/${document.id}/`)).toBe(true);

    // The asset lists it, live, in the room's document.
    const client = await RoomClient.connect("property", room.id, alice.cookie);
    const listed = client.doc.getMap("assets").get(asset) as Asset;
    expect(listed.documents.map((d) => d.title)).toEqual(["Dishwasher manual"]);
    client.close();

    const viewer = await addMember(alice, room, "viewer");
    const served = await api(`/api/rooms/${room.id}/asset-documents/${document.id}`, { cookie: viewer.cookie });
    expect(served.status).toBe(200);
    expect(served.headers.get("Content-Type")).toBe("application/pdf");
    expect(served.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(served.headers.get("Content-Disposition")).toContain("attachment;");
    expect(served.headers.get("Content-Disposition")).toContain("filename*=UTF-8''Bosch%20SMV%20%27manual%27.pdf");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PDF);

    // A viewer may read but not remove; a keeper of the records may.
    const path = `/api/rooms/${room.id}/asset-documents/${document.id}`;
    expect((await api(path, { method: "DELETE", cookie: viewer.cookie })).status).toBe(403);
    expect((await api(path, { method: "DELETE", cookie: alice.cookie })).status).toBe(204);
    expect(await objects(room.id)).toHaveLength(0);
    expect((await api(path, { cookie: alice.cookie })).status).toBe(404);
    expect((await api(path, { method: "DELETE", cookie: alice.cookie })).status).toBe(404);
  });

  it("takes the type from the bytes: a WebP photo of a receipt, but never HTML sent as a PDF", async () => {
    const { alice, room, asset } = await home();
    const webp = new TextEncoder().encode("RIFF\u0010\u0000\u0000\u0000WEBPVP8 \u0004\u0000\u0000\u0000abcd");
    const res = await upload(room.id, asset, alice, webp, { kind: "receipt", title: "Receipt", name: "receipt.pdf" });
    expect(res.status).toBe(201);
    expect(await json<{ type: string; name: string }>(res)).toMatchObject({
      type: "image/webp",
      name: "receipt.pdf.webp",
    });

    const lie = await upload(room.id, asset, alice, HTML, { type: "application/pdf" });
    expect(lie.status).toBe(415);
    expect((await json<ErrorJson>(lie)).error.code).toBe("unsupported_media_type");
    expect((await upload(room.id, asset, alice, new Uint8Array([0x4d, 0x5a, 0x90, 0x00]))).status).toBe(415);
    expect((await upload(room.id, asset, alice, new TextEncoder().encode("%PDF"))).status).toBe(415);
    expect(await objects(room.id)).toHaveLength(1);
  });

  it("refuses an oversized body, an empty one and bad fields before storing anything", async () => {
    const { alice, room, asset } = await home();
    const big = new Uint8Array(ASSET_DOCUMENT_MAX_BYTES + 1);
    big.set(PDF);
    const oversized = await upload(room.id, asset, alice, big);
    expect(oversized.status).toBe(413);
    expect((await json<ErrorJson>(oversized)).error.code).toBe("payload_too_large");
    expect((await upload(room.id, asset, alice, new Uint8Array(0))).status).toBe(400);
    for (const bad of [
      { kind: "invoice" },
      { title: "" },
      { title: "a\nb" },
      { title: "x".repeat(121) },
      { id: "../x" },
    ]) {
      const res = await upload(room.id, asset, alice, PDF, bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect((await json<ErrorJson>(res)).error.code).toBe("validation_failed");
    }
    // A body shorter than its Content-Length says is refused, not stored cut short.
    const short = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(PDF);
        controller.close();
      },
    });
    const cut = await SELF.fetch(
      `${ORIGIN}/api/rooms/${room.id}/assets/${asset}/documents?kind=manual&title=Cut&name=cut.pdf`,
      {
        method: "POST",
        headers: { Cookie: alice.cookie, Origin: ORIGIN, "Content-Length": String(PDF.byteLength + 100) },
        body: short,
        duplex: "half",
      } as RequestInit,
    );
    expect(cut.status).toBe(400);
    expect((await json<ErrorJson>(cut)).error.message).toContain("Content-Length");
    // Path tricks in the asset's id or the document's never reach a key.
    expect((await upload(room.id, "..%2F..%2Fother", alice, PDF)).status).toBe(404);
    expect((await upload(room.id, "no-such-asset", alice, PDF)).status).toBe(404);
    expect((await api(`/api/rooms/${room.id}/asset-documents/..%2Fphotos`, { cookie: alice.cookie })).status).toBe(404);
    expect(await objects(room.id)).toHaveLength(0);
  });

  it("answers strangers, viewers and members without the capability, storing nothing", async () => {
    const { alice, room, asset } = await home();
    const stored = await json<{ id: string }>(await upload(room.id, asset, alice, PDF));
    const viewer = await addMember(alice, room, "viewer");
    const helper = await addMember(alice, room, "member");
    const stranger = await signup("Mallory");

    expect((await upload(room.id, asset, null, PDF)).status).toBe(401);
    expect((await upload(room.id, asset, stranger, PDF)).status).toBe(404);
    expect((await upload(room.id, asset, viewer, PDF)).status).toBe(403);
    expect((await upload(room.id, asset, helper, PDF)).status).toBe(403);
    const path = `/api/rooms/${room.id}/asset-documents/${stored.id}`;
    expect((await api(path)).status).toBe(401);
    expect((await api(path, { cookie: stranger.cookie })).status).toBe(404);
    expect((await api(path, { method: "DELETE", cookie: stranger.cookie })).status).toBe(404);
    expect((await api(path, { method: "DELETE", cookie: helper.cookie })).status).toBe(403);
    // Another home's member cannot fetch it through their own home either.
    const other = await createRoom(stranger, "property", "Cabin");
    expect((await api(`/api/rooms/${other.id}/asset-documents/${stored.id}`, { cookie: stranger.cookie })).status).toBe(
      404,
    );
    expect(await objects(room.id)).toHaveLength(1);
  });

  it("never replaces a stored document with a repeated id, and deletes the orphan object", async () => {
    const { alice, room, asset } = await home();
    const id = crypto.randomUUID();
    expect((await upload(room.id, asset, alice, PDF, { id })).status).toBe(201);
    const other = new TextEncoder().encode("%PDF-1.4\nsomething else entirely\n%%EOF\n");
    const again = await upload(room.id, asset, alice, other, { id, title: "Impostor" });
    expect(again.status).toBe(409);
    expect((await json<ErrorJson>(again)).error.code).toBe("conflict");
    const served = await api(`/api/rooms/${room.id}/asset-documents/${id}`, { cookie: alice.cookie });
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PDF);
    expect(await objects(room.id)).toHaveLength(1);
  });

  it("limits each person's uploads and the asset's documents, and an asset with documents is not deleted", async () => {
    // One person's window holds exactly one asset's worth: the next is refused by the one, then the other.
    expect(ASSET_DOCUMENT_UPLOADS_PER_USER_MAX).toBe(ASSET_DOCUMENTS_PER_ASSET_MAX);
    const { alice, room, asset } = await home();
    for (let i = 0; i < ASSET_DOCUMENTS_PER_ASSET_MAX; i++)
      expect((await upload(room.id, asset, alice, PDF, { title: `Page ${i}` })).status).toBe(201);
    const tooOften = await upload(room.id, asset, alice, PDF);
    expect(tooOften.status).toBe(429);
    expect((await json<ErrorJson>(tooOften)).error.code).toBe("rate_limited");
    const editor = await addMember(alice, room, "editor");
    const over = await upload(room.id, asset, editor, PDF);
    expect(over.status).toBe(413);
    expect((await json<ErrorJson>(over)).error.code).toBe("quota_exceeded");
    expect(await objects(room.id)).toHaveLength(ASSET_DOCUMENTS_PER_ASSET_MAX);
    const removed = await api(`/api/rooms/${room.id}/commands`, {
      cookie: alice.cookie,
      body: { name: "asset.delete", args: { id: asset }, key: crypto.randomUUID() },
    });
    expect(removed.status).toBe(409);
    // Deleting the home deletes its documents from R2.
    expect((await api(`/api/rooms/${room.id}`, { method: "DELETE", cookie: alice.cookie })).status).toBe(204);
    expect(await objects(room.id)).toHaveLength(0);
  });

  it("is only for homes: a deal answers as if there were no such room", async () => {
    const alice = await signup("Alice");
    const deal = await createRoom(alice, "deal", "12 Elm");
    expect((await upload(deal.id, "a1", alice, PDF)).status).toBe(404);
  });
});
