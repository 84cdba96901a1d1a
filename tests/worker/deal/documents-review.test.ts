/**
 * Reviewing a deal's documents and downloading them: approve, return with a comment, resubmit keeping every
 * version; downloads only by roles that may see the document, each one in the audit log; the notifications
 * of a submission and a return, once each.
 */
import { describe, expect, it } from "vitest";
import { type ErrorJson, json } from "../helpers";
import {
  auditOf,
  commandRes,
  download,
  downloaded,
  JPEG,
  mirrored,
  newDeal,
  newTask,
  outboxKeys,
  PDF,
  PNG,
  run,
  storedObjects,
  upload,
  uploaded,
} from "./documents-helpers";

const errorOf = async (res: Response) => [res.status, (await json<ErrorJson>(res)).error.code];

describe("reviewing a deal's documents", () => {
  it("approves a submitted document once, and only a role with `documents.review` may", async () => {
    const deal = await newDeal();
    const taskId = await newTask(deal, { sharedWithBuyer: true, assignee: { kind: "role", role: "buyer" } });
    const { documentId } = await uploaded(deal.room, deal.buyer, taskId, PDF);
    for (const account of [deal.agent, deal.buyer, deal.viewer]) {
      const res = await commandRes(deal.room, account, "deal.document.review", { documentId, decision: "approve" });
      expect(await errorOf(res)).toEqual([403, "forbidden"]);
    }
    await run(deal.room, deal.coordinator, "deal.document.review", { documentId, decision: "approve" });
    const document = await mirrored(deal.room, deal.owner, documentId, (d) => d?.status === "approved");
    expect(document).toMatchObject({ reviewedBy: deal.coordinator.user.id, reviewComment: null });
    const twice = await commandRes(deal.room, deal.owner, "deal.document.review", {
      documentId,
      decision: "return",
      comment: "Too late",
    });
    expect(await errorOf(twice)).toEqual([409, "conflict"]);
    const unknown = await commandRes(deal.room, deal.owner, "deal.document.review", {
      documentId: "no-such-document",
      decision: "approve",
    });
    expect(await errorOf(unknown)).toEqual([404, "not_found"]);
  });

  it("returns a document with its comment, and a resubmission keeps every version downloadable", async () => {
    const deal = await newDeal();
    const taskId = await newTask(deal, { sharedWithBuyer: true, assignee: { kind: "role", role: "buyer" } });
    const { documentId } = await uploaded(deal.room, deal.buyer, taskId, PDF, { name: "pre-approval.pdf" });
    const noComment = await commandRes(deal.room, deal.coordinator, "deal.document.review", {
      documentId,
      decision: "return",
    });
    expect(await errorOf(noComment)).toEqual([400, "validation_failed"]);
    await run(deal.room, deal.coordinator, "deal.document.review", {
      documentId,
      decision: "return",
      comment: "The letter has expired; ask the lender for a new one.",
    });
    const returned = await mirrored(deal.room, deal.buyer, documentId, (d) => d?.status === "returned");
    expect(returned?.reviewComment).toBe("The letter has expired; ask the lender for a new one.");

    const second = await uploaded(deal.room, deal.buyer, taskId, JPEG, { name: "pre-approval.jpg", documentId });
    expect(second).toEqual({ documentId, version: 2 });
    const resubmitted = await mirrored(deal.room, deal.owner, documentId, (d) => d?.versions.length === 2);
    expect(resubmitted).toMatchObject({ status: "submitted", name: "pre-approval.jpg", type: "image/jpeg" });
    expect(resubmitted?.reviewComment).toBeNull();
    expect(resubmitted?.versions.map((v) => [v.version, v.name])).toEqual([
      [1, "pre-approval.pdf"],
      [2, "pre-approval.jpg"],
    ]);
    expect(await downloaded(deal.room, deal.buyer, documentId, 1)).toEqual(PDF);
    expect(await downloaded(deal.room, deal.buyer, documentId, 2)).toEqual(JPEG);
    expect(await errorOf(await download(deal.room, deal.buyer, documentId, 3))).toEqual([404, "not_found"]);
    expect(await storedObjects(deal.room)).toHaveLength(2);

    // A version goes to the document of its own task only.
    const otherTask = await newTask(deal, { sharedWithBuyer: true, assignee: { kind: "role", role: "buyer" } });
    const elsewhere = await upload(deal.room, deal.buyer, otherTask, PNG, { name: "x.png", documentId });
    expect(await errorOf(elsewhere)).toEqual([404, "not_found"]);
  });

  it("notifies reviewers of each submission and the uploader of a return, once per event", async () => {
    const deal = await newDeal();
    const taskId = await newTask(deal, { sharedWithBuyer: true, assignee: { kind: "role", role: "buyer" } });
    const key = `upload-${crypto.randomUUID()}`;
    const { documentId } = await uploaded(deal.room, deal.buyer, taskId, PDF, { key });
    await uploaded(deal.room, deal.buyer, taskId, PDF, { key });
    await run(deal.room, deal.coordinator, "deal.document.review", {
      documentId,
      decision: "return",
      comment: "Page 2 is missing",
    });
    await uploaded(deal.room, deal.buyer, taskId, PNG, { documentId, name: "scan.png" });
    const room = deal.room.id;
    expect((await outboxKeys(deal.room)).filter((k) => k.includes(":document_"))).toEqual([
      `deal:${room}:document_returned:${documentId}:1`,
      `deal:${room}:document_submitted:${documentId}:1`,
      `deal:${room}:document_submitted:${documentId}:2`,
    ]);
  });

  it("lets only a reviewer who sees confidential data mark a document confidential", async () => {
    const deal = await newDeal();
    const taskId = await newTask(deal, { sharedWithBuyer: true });
    const { documentId } = await uploaded(deal.room, deal.agent, taskId, PDF);
    const byAgent = await commandRes(deal.room, deal.agent, "deal.document.confidential", {
      documentId,
      confidential: true,
    });
    expect(await errorOf(byAgent)).toEqual([403, "forbidden"]);
    await run(deal.room, deal.coordinator, "deal.document.confidential", { documentId, confidential: true });
    expect((await mirrored(deal.room, deal.owner, documentId, (d) => d?.confidential === true))?.confidential).toBe(
      true,
    );
  });
});

describe("downloading a deal's documents", () => {
  it("serves a document only to roles that may see it, answering the rest as if it did not exist", async () => {
    const deal = await newDeal();
    const hiddenTask = await newTask(deal);
    const sharedTask = await newTask(deal, { sharedWithBuyer: true });
    const internal = await uploaded(deal.room, deal.agent, hiddenTask, PDF);
    const shared = await uploaded(deal.room, deal.agent, sharedTask, PNG, { name: "survey.png" });
    const missing = await download(deal.room, deal.buyer, "no-such-document");
    const notShared = await download(deal.room, deal.buyer, internal.documentId);
    expect(await errorOf(notShared)).toEqual([404, "not_found"]);
    expect(await json<ErrorJson>(missing)).toEqual(
      await json<ErrorJson>(await download(deal.room, deal.buyer, internal.documentId)),
    );
    expect(await errorOf(await download(deal.room, deal.viewer, internal.documentId))).toEqual([404, "not_found"]);
    expect(await downloaded(deal.room, deal.buyer, shared.documentId)).toEqual(PNG);
    expect(await downloaded(deal.room, deal.viewer, shared.documentId)).toEqual(PNG);

    // Confidential: a buyer sees confidential data (the manifest gives them `deal.read_confidential`), a viewer not.
    await run(deal.room, deal.coordinator, "deal.document.confidential", {
      documentId: shared.documentId,
      confidential: true,
    });
    expect(await errorOf(await download(deal.room, deal.viewer, shared.documentId))).toEqual([404, "not_found"]);
    expect(await downloaded(deal.room, deal.buyer, shared.documentId)).toEqual(PNG);

    // Un-sharing the task takes its documents away from the buyer at once.
    await run(deal.room, deal.coordinator, "deal.task.update", {
      id: sharedTask,
      sharedWithBuyer: false,
      base: { sharedWithBuyer: true },
    });
    expect(await errorOf(await download(deal.room, deal.buyer, shared.documentId))).toEqual([404, "not_found"]);
    expect(await downloaded(deal.room, deal.agent, shared.documentId)).toEqual(PNG);
  });

  it("records every download in the audit log, refused ones not", async () => {
    const deal = await newDeal();
    const taskId = await newTask(deal, { sharedWithBuyer: true });
    const { documentId } = await uploaded(deal.room, deal.coordinator, taskId, PDF);
    await downloaded(deal.room, deal.buyer, documentId);
    await downloaded(deal.room, deal.buyer, documentId);
    await downloaded(deal.room, deal.agent, documentId);
    expect((await download(deal.room, deal.buyer, documentId, 2)).status).toBe(404);
    expect(await auditOf(deal.room, "deal.document.download")).toEqual([
      { actor: deal.buyer.user.id, subject: `document:${documentId}:v1` },
      { actor: deal.buyer.user.id, subject: `document:${documentId}:v1` },
      { actor: deal.agent.user.id, subject: `document:${documentId}:v1` },
    ]);
    expect(await auditOf(deal.room, "deal.document.submit")).toEqual([
      { actor: deal.coordinator.user.id, subject: `document:${documentId}` },
    ]);
  });
});
