/**
 * The JSON bodies a home's own routes answer with (task history, calendar feed, photos),
 * beside the shared ones in ../core/responses. Strict, as those are.
 */
import { z } from "zod";
import type { Holds, Same } from "../core/responses";
import { CAPTURE_PARTS } from "./inbox";
import type { Completion } from "./records";

export const completionSchema = z
  .strictObject({
    id: z.string(),
    taskId: z.string(),
    kind: z.enum(["done", "skipped"]),
    occurrence: z.string().nullable().meta({ description: "The occurrence it closed (YYYY-MM-DD)." }),
    on: z.string().meta({ description: "The local date it was done on (YYYY-MM-DD)." }),
    at: z.number().int().meta({ description: "When it was recorded, in milliseconds since the epoch." }),
    by: z.string(),
    byName: z.string(),
    note: z.string(),
    photoId: z.string().nullable(),
    costCents: z.number().int().nullable().meta({ description: "What it cost, in hundredths of `currency`." }),
    currency: z.string().nullable().meta({ description: "ISO 4217; null with no cost." }),
    captureId: z.uuid().nullable().meta({ description: "The inbox item approved as its proof; null without one." }),
    reviewedByName: z.string().nullable().meta({ description: "Who approved that proof." }),
  })
  .meta({ id: "Completion", description: "One completion or skip in a task's history." });

export const taskHistorySchema = z.strictObject({
  entries: z.array(completionSchema),
  next: z.string().nullable().meta({ description: "Pass as `before` for the next page; null on the last." }),
});

export const calendarFeedStateSchema = z.strictObject({ enabled: z.boolean() });

export const calendarFeedLinkSchema = z.strictObject({
  url: z.url().meta({ description: "The feed's https URL; its secret is shown this once." }),
  webcal: z
    .string()
    .startsWith("webcal:")
    .meta({ description: "The same URL as `webcal:`, which calendar apps open as a subscription." }),
});

export const photoCreatedSchema = z.strictObject({ photoId: z.uuid() });

export const stagedFileSchema = z
  .strictObject({
    captureId: z.uuid(),
    part: z.enum(CAPTURE_PARTS),
    bytes: z.number().int().positive(),
    sha256: z.string().meta({ description: "Hex SHA-256 of the bytes as stored." }),
  })
  .meta({ id: "StagedCaptureFile", description: "A capture's file, stored and waiting for `inbox.create`." });

/** Compile-time only: the schema infers exactly the record type the room returns. */
type _CompletionMatchesRecord = Holds<Same<z.infer<typeof completionSchema>, Completion>>;
