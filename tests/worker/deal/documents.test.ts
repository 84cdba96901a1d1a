/**
 * Uploading a deal's documents: what is stored (the type its bytes are, never the one declared), what is
 * refused with nothing stored (wrong type, over the limit, a task one may not see or not one's own), and a
 * retried upload that stores nothing twice.
 */

import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DEAL_DOCUMENT_MAX_BYTES, DEAL_DOCUMENT_UPLOADS_PER_USER_MAX } from "../../../config";
import { api, createRoom, type ErrorJson, json, ORIGIN, signup } from "../helpers";
import {
  commandRes,
  downloaded,
  EXE,
  JPEG,
  mirrored,
  newDeal,
  newTask,
  PDF,
  PNG,
  storedObjects,
  upload,
  uploaded,
} from "./documents-helpers";

const errorOf = async (res: Response) => [res.status, (await json<ErrorJson>(res)).error.code];

describe("uploading a deal's documents", () => {
  it("stores a PDF, a JPEG and a PNG in R2 under the deal, and mirrors each with its version", async () => {
    const deal = await newDeal();
    const taskId = await newTask(deal);
    const files = [
      ["inspection.pdf", PDF, "application/pdf"],
      ["id.jpg", JPEG, "image/jpeg"],
      ["survey.png", PNG, "image/png"],
    ] as const;
    for (const [name, bytes, type] of files) {
      const { documentId, version } = await uploaded(deal.room, deal.coordinator, taskId, bytes, { name });
      expect(version).toBe(1);
      const document = await mirrored(deal.room, deal.owner, documentId, (d) => d !== undefined);
      expect(document).toMatchObject({ taskId, name, type, size: bytes.byteLength, status: "submitted" });
      expect(document?.versions).toEqual([
        expect.objectContaining({ version: 1, name, type, uploadedBy: deal.coordinator.user.id }),
      ]);
      expect(JSON.stringify(document)).not.toContain("rooms/");
      expect(await downloaded(deal.room, deal.coordinator, documentId)).toEqual(bytes);
    }
    expect(await storedObjects(deal.room)).toHaveLength(3);
  });

  it("keeps a deal's files under the room in R2, so deleting the deal deletes them", async () => {
    const deal = await newDeal();
    const taskId = await newTask(deal);
    await uploaded(deal.room, deal.coordinator, taskId, PDF);
    expect(await storedObjects(deal.room)).toHaveLength(1);
    expect((await api(`/api/rooms/${deal.room.id}`, { method: "DELETE", cookie: deal.owner.cookie })).status).toBe(204);
    expect(await storedObjects(deal.room)).toEqual([]);
  });

  it("takes the type from the bytes: a PNG named .pdf and sent as a PDF is a PNG", async () => {
    const deal = await newDeal();
    const taskId = await newTask(deal);
    const res = await upload(deal.room, deal.coordinator, taskId, PNG, { name: "scan.pdf" }, "application/pdf");
    expect(res.status).toBe(201);
    const { documentId } = await json<{ documentId: string }>(res);
    const served = await api(`/api/rooms/${deal.room.id}/documents/${documentId}/versions/1`, {
      cookie: deal.coordinator.cookie,
    });
    expect(served.headers.get("Content-Type")).toBe("image/png");
    expect(served.headers.get("Content-Disposition")).toContain('filename="scan.pdf.png"');
    expect(served.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PNG);
  });

  it("refuses an executable, text and HTML with 415 whatever they claim, storing nothing", async () => {
    const deal = await newDeal();
    const taskId = await newTask(deal);
    const text = new TextEncoder().encode("Inspection: all fine");
    const html = new TextEncoder().encode("<html><script>alert(1)</script></html>");
    for (const [bytes, name, type] of [
      [EXE, "setup.pdf", "application/pdf"],
      [text, "report.pdf", "application/pdf"],
      [html, "letter.png", "image/png"],
      [new Uint8Array(0), "empty.pdf", "application/pdf"],
    ] as const) {
      const res = await upload(deal.room, deal.coordinator, taskId, bytes, { name }, type);
      expect(await errorOf(res)).toEqual([415, "unsupported_media_type"]);
    }
    expect(await storedObjects(deal.room)).toEqual([]);
  });

  it("refuses a file over the limit with 413, storing nothing", async () => {
    const deal = await newDeal();
    const taskId = await newTask(deal);
    const big = new Uint8Array(DEAL_DOCUMENT_MAX_BYTES + 1);
    big.set(PDF);
    expect(await errorOf(await upload(deal.room, deal.coordinator, taskId, big))).toEqual([413, "payload_too_large"]);
    // Exactly at the limit is taken.
    expect((await upload(deal.room, deal.coordinator, taskId, big.subarray(0, DEAL_DOCUMENT_MAX_BYTES))).status).toBe(
      201,
    );
    expect(await storedObjects(deal.room)).toHaveLength(1);
  });

  it("answers a task a buyer may not see as if it did not exist, and a role without upload with 403", async () => {
    const deal = await newDeal();
    // Not shared, so not the buyer's to see: not found, before whether it is their own is asked.
    const hidden = await newTask(deal);
    const res = await upload(deal.room, deal.buyer, hidden, PDF);
    const missing = await upload(deal.room, deal.buyer, "no-such-task", PDF);
    expect(await errorOf(res)).toEqual([404, "not_found"]);
    expect(await json<ErrorJson>(missing)).toEqual(
      await json<ErrorJson>(await upload(deal.room, deal.buyer, hidden, PDF)),
    );
    const shared = await newTask(deal, { sharedWithBuyer: true });
    expect(await errorOf(await upload(deal.room, deal.viewer, shared, PDF))).toEqual([403, "forbidden"]);
    expect(await storedObjects(deal.room)).toEqual([]);
  });

  it("lets `documents.upload_own` upload only to tasks assigned to oneself or one's role", async () => {
    const deal = await newDeal();
    const mine = await newTask(deal, { sharedWithBuyer: true, assignee: { kind: "user", userId: deal.buyer.user.id } });
    const myRole = await newTask(deal, { sharedWithBuyer: true, assignee: { kind: "role", role: "buyer" } });
    const theirs = await newTask(deal, {
      sharedWithBuyer: true,
      assignee: { kind: "user", userId: deal.agent.user.id },
    });
    const nobodys = await newTask(deal, { sharedWithBuyer: true });
    expect((await upload(deal.room, deal.buyer, mine, PDF)).status).toBe(201);
    expect((await upload(deal.room, deal.buyer, myRole, PDF)).status).toBe(201);
    expect(await errorOf(await upload(deal.room, deal.buyer, theirs, PDF))).toEqual([403, "forbidden"]);
    expect(await errorOf(await upload(deal.room, deal.buyer, nobodys, PDF))).toEqual([403, "forbidden"]);
    // `documents.upload` covers any task one can see, assigned or not.
    expect((await upload(deal.room, deal.agent, nobodys, PDF)).status).toBe(201);
    expect(await storedObjects(deal.room)).toHaveLength(3);
  });

  it("stores a retried upload once: the same key answers alike, another file under it is refused", async () => {
    const deal = await newDeal();
    const taskId = await newTask(deal);
    const key = `upload-${crypto.randomUUID()}`;
    const first = await uploaded(deal.room, deal.coordinator, taskId, PDF, { key });
    const again = await uploaded(deal.room, deal.coordinator, taskId, PDF, { key });
    expect(again).toEqual(first);
    const document = await mirrored(deal.room, deal.owner, first.documentId, (d) => d !== undefined);
    expect(document?.versions).toHaveLength(1);
    expect(await storedObjects(deal.room)).toHaveLength(1);
    const other = await upload(deal.room, deal.coordinator, taskId, PNG, { key, name: "survey.png" });
    expect(await errorOf(other)).toEqual([409, "key_reused"]);
    const renamed = await upload(deal.room, deal.coordinator, taskId, PDF, { key, name: "renamed.pdf" });
    expect(await errorOf(renamed)).toEqual([409, "key_reused"]);
    // The first upload's object is kept; nothing of the refused ones is.
    expect(await storedObjects(deal.room)).toHaveLength(1);
    expect(await downloaded(deal.room, deal.coordinator, first.documentId)).toEqual(PDF);
  });

  it("refuses a missing or malformed name, document id or key, and an unknown version, storing nothing", async () => {
    const deal = await newDeal();
    const taskId = await newTask(deal);
    const bad = (query: Readonly<Record<string, string>>) =>
      SELF.fetch(`${ORIGIN}/api/rooms/${deal.room.id}/tasks/${taskId}/documents?${new URLSearchParams(query)}`, {
        method: "POST",
        headers: { Cookie: deal.coordinator.cookie, Origin: ORIGIN },
        body: PDF,
      });
    for (const query of [
      {},
      { name: "" },
      { name: "../secret.pdf" },
      { name: "a\r\nX-Evil: 1.pdf" },
      { name: "a.pdf", documentId: "not an id" },
      { name: "a.pdf", key: "short" },
      { name: "a.pdf", extra: "1" },
    ] as Record<string, string>[])
      expect(await errorOf(await bad(query)), JSON.stringify(query)).toEqual([400, "validation_failed"]);
    expect(await storedObjects(deal.room)).toEqual([]);
    const { documentId } = await uploaded(deal.room, deal.coordinator, taskId, PDF);
    for (const version of ["0", "2", "x", "1.5", "99999999999999999999"]) {
      const res = await api(`/api/rooms/${deal.room.id}/documents/${documentId}/versions/${version}`, {
        cookie: deal.coordinator.cookie,
      });
      expect(await errorOf(res), version).toEqual([404, "not_found"]);
    }
  });

  it("limits uploads per person and deal, storing nothing past the limit", async () => {
    const deal = await newDeal();
    const taskId = await newTask(deal);
    for (let i = 0; i < DEAL_DOCUMENT_UPLOADS_PER_USER_MAX; i++)
      expect((await upload(deal.room, deal.coordinator, taskId, PNG, { name: `p${i}.png` })).status).toBe(201);
    const refused = await upload(deal.room, deal.coordinator, taskId, PNG, { name: "one-more.png" });
    expect(await errorOf(refused)).toEqual([429, "rate_limited"]);
    expect(await storedObjects(deal.room)).toHaveLength(DEAL_DOCUMENT_UPLOADS_PER_USER_MAX);
    // Someone else in the same deal has their own allowance.
    expect((await upload(deal.room, deal.agent, taskId, PNG, { name: "agent.png" })).status).toBe(201);
  });

  it("is for deals only, and its registration is not a command any client can send", async () => {
    const alice = await signup("Alice");
    const home = await createRoom(alice, "property", "Maple Street");
    const res = await upload(home, alice, "some-task", PDF);
    expect(await errorOf(res)).toEqual([404, "room_not_found"]);
    expect((await env.BLOBS.list({ prefix: `rooms/${home.id}/` })).objects).toEqual([]);

    const deal = await newDeal();
    const taskId = await newTask(deal);
    const forged = await commandRes(deal.room, deal.coordinator, "deal.document.submit", {
      documentId: "forged",
      taskId,
      resubmit: false,
      version: {
        r2Key: `rooms/${home.id}/photos/x`,
        name: "x.pdf",
        type: "application/pdf",
        size: 1,
        sha256: "0".repeat(64),
      },
    });
    expect(await errorOf(forged)).toEqual([400, "unknown_command"]);
  });
});
