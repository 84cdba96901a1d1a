/**
 * Documents on a home's asset (a manual, a receipt, a warranty) and what its upkeep cost: the shapes both
 * sides speak. A document's bytes are in R2 under the room and the document's id; the room lists each one
 * with its asset, so it is mirrored, and serves the bytes only through the Worker, to members.
 */
import { z } from "zod";
import { ASSET_DOCUMENT_MAX_BYTES, ASSET_DOCUMENT_NAME_MAX_CHARS, ASSET_DOCUMENT_TITLE_MAX_CHARS } from "../../config";
import { singleLineName } from "../core/text";

export const ASSET_DOCUMENT_KINDS = ["manual", "receipt", "warranty", "other"] as const;
export type AssetDocumentKind = (typeof ASSET_DOCUMENT_KINDS)[number];

/** The types an asset's document may be, by its first bytes. */
export const ASSET_DOCUMENT_TYPES = ["application/pdf", "image/jpeg", "image/png", "image/webp"] as const;
export type AssetDocumentType = (typeof ASSET_DOCUMENT_TYPES)[number];

/** Where a document's bytes live in R2: under the room (deleting the room deletes them) and the document. */
export const assetDocumentKey = (roomId: string, documentId: string, uploadId: string) =>
  `rooms/${roomId}/asset-docs/${documentId}/${uploadId}`;

/** One document as its asset lists it. */
export interface AssetDocument {
  id: string;
  kind: AssetDocumentKind;
  title: string;
  /** The file's name, as it is offered on download. */
  name: string;
  type: AssetDocumentType;
  size: number;
  uploadedBy: string;
  uploadedByName: string;
  uploadedAt: number;
}

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "is not an id");

/** The upload's query: the file's bytes are the body. */
export const assetDocumentUploadQuery = z.strictObject({
  kind: z.enum(ASSET_DOCUMENT_KINDS).describe("What the document is to the asset."),
  title: singleLineName(ASSET_DOCUMENT_TITLE_MAX_CHARS).describe("What the asset page shows it as."),
  name: singleLineName(ASSET_DOCUMENT_NAME_MAX_CHARS).describe("The file's name, as it is offered on download."),
  id: id
    .optional()
    .describe(
      "The document's id, chosen by the client and sent again on a retry: an id already stored is not stored twice.",
    ),
});

/** What the Worker's upload route registers with the room: the object it stored. */
export const newAssetDocument = z.strictObject({
  id,
  assetId: id,
  kind: z.enum(ASSET_DOCUMENT_KINDS),
  title: singleLineName(ASSET_DOCUMENT_TITLE_MAX_CHARS),
  name: singleLineName(ASSET_DOCUMENT_NAME_MAX_CHARS),
  type: z.enum(ASSET_DOCUMENT_TYPES),
  size: z.number().int().positive().max(ASSET_DOCUMENT_MAX_BYTES),
  r2Key: z.string().min(1).max(300),
});
export type NewAssetDocument = z.infer<typeof newAssetDocument>;

export const assetDocumentSchema = z
  .strictObject({
    id: z.string(),
    kind: z.enum(ASSET_DOCUMENT_KINDS),
    title: z.string(),
    name: z.string(),
    type: z.enum(ASSET_DOCUMENT_TYPES),
    size: z.number().int().meta({ description: "Bytes." }),
    uploadedBy: z.string(),
    uploadedByName: z.string(),
    uploadedAt: z.number().int().meta({ description: "Milliseconds since the epoch." }),
  })
  .meta({ id: "AssetDocument", description: "A document on an asset." });

/** One completion with a cost, as the asset page lists it. */
export const assetCostEntrySchema = z.strictObject({
  completionId: z.string(),
  taskId: z.string(),
  taskTitle: z.string(),
  on: z.string().meta({ description: "The local date it was done on (YYYY-MM-DD)." }),
  costCents: z.number().int().meta({ description: "In hundredths of `currency`." }),
  currency: z.string(),
});
export type AssetCostEntry = z.infer<typeof assetCostEntrySchema>;

/** `GET /api/rooms/:roomId/assets/:assetId/costs`: the last twelve months of an asset's upkeep costs. */
export const assetCostsSchema = z.strictObject({
  from: z
    .string()
    .meta({ description: "The first day counted (YYYY-MM-DD): a year before today, in the home's zone." }),
  to: z.string().meta({ description: "Today in the home's zone (YYYY-MM-DD), the last day counted." }),
  totals: z
    .array(z.strictObject({ currency: z.string(), cents: z.number().int() }))
    .meta({ description: "The sum per currency (one, unless the home changed its currency within the year)." }),
  entries: z.array(assetCostEntrySchema).meta({ description: "Each completion with a cost, newest first." }),
});
export type AssetCosts = z.infer<typeof assetCostsSchema>;
