/**
 * A deal's documents in what a buyer's and a viewer's sockets receive: only the documents they may see, never a
 * byte of the others, and at once when a task is shared, un-shared or deleted, or a document marked confidential.
 */
import { describe, expect, it } from "vitest";
import type { DealDocument } from "../../../schema/deal/records";
import { RoomClient, waitFor } from "../helpers";
import { newDeal, newTask, PDF, PNG, run, uploaded } from "./documents-helpers";

const rawText = (client: RoomClient) => client.binaries.map((frame) => new TextDecoder().decode(frame)).join("\n");
const documentIds = (client: RoomClient) => [...client.doc.getMap<DealDocument>("documents").keys()].sort();

describe("a deal's documents on a buyer's and a viewer's sockets", () => {
  it("carry only the documents of shared tasks, and follow the task's sharing live", async () => {
    const deal = await newDeal();
    const hiddenTask = await newTask(deal, { title: "Commission agreement" });
    const sharedTask = await newTask(deal, { title: "Home inspection", sharedWithBuyer: true });
    const internal = await uploaded(deal.room, deal.agent, hiddenTask, PDF, { name: "INTERNAL-DOC-ZQX.pdf" });
    const shared = await uploaded(deal.room, deal.agent, sharedTask, PNG, { name: "survey.png" });

    const buyer = await RoomClient.connect("deal", deal.room.id, deal.buyer.cookie);
    try {
      expect(documentIds(buyer)).toEqual([shared.documentId]);
      expect(buyer.doc.getMap<DealDocument>("documents").get(shared.documentId)).toMatchObject({
        name: "survey.png",
        status: "submitted",
      });
      expect(rawText(buyer)).not.toContain("INTERNAL-DOC-ZQX");

      await run(deal.room, deal.coordinator, "deal.task.update", {
        id: sharedTask,
        sharedWithBuyer: false,
        base: { sharedWithBuyer: true },
      });
      await waitFor(() => documentIds(buyer).length === 0, "the un-shared task's document to leave the buyer");
      await run(deal.room, deal.coordinator, "deal.task.update", {
        id: hiddenTask,
        sharedWithBuyer: true,
        base: { sharedWithBuyer: false },
      });
      await waitFor(
        () => documentIds(buyer).join() === internal.documentId,
        "the newly shared task's document to reach the buyer",
      );
      await run(deal.room, deal.coordinator, "deal.task.delete", { id: hiddenTask });
      await waitFor(() => documentIds(buyer).length === 0, "the deleted task's document to leave the buyer");
    } finally {
      buyer.close();
    }
  });

  it("take a document marked confidential away from a viewer at once, and leave it with the buyer", async () => {
    const deal = await newDeal();
    const taskId = await newTask(deal, { sharedWithBuyer: true });
    const { documentId } = await uploaded(deal.room, deal.agent, taskId, PDF, { name: "PRE-APPROVAL-ZQX.pdf" });
    const viewer = await RoomClient.connect("deal", deal.room.id, deal.viewer.cookie);
    const buyer = await RoomClient.connect("deal", deal.room.id, deal.buyer.cookie);
    try {
      expect(documentIds(viewer)).toEqual([documentId]);
      await run(deal.room, deal.coordinator, "deal.document.confidential", { documentId, confidential: true });
      await waitFor(() => documentIds(viewer).length === 0, "the confidential document to leave the viewer");
      const review = { documentId, decision: "return", comment: "CONFIDENTIAL-COMMENT-ZQX" };
      await run(deal.room, deal.coordinator, "deal.document.review", review);
      const returned = (d?: DealDocument) => d?.status === "returned";
      await waitFor(() => returned(buyer.doc.getMap<DealDocument>("documents").get(documentId)), "the return");
      expect(documentIds(viewer)).toEqual([]);
      expect(rawText(viewer)).not.toContain("CONFIDENTIAL-COMMENT-ZQX");
    } finally {
      viewer.close();
      buyer.close();
    }
  });
});
