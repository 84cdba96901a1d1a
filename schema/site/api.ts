/** Request and response bodies of a site's HTTP routes: ingest keys, the TTN webhook's answer, unclaimed sensors. */
import { z } from "zod";

export const createIngestKeyBody = z.object({ label: z.string().trim().min(1, "is required").max(80) }).strict();

export const ingestKeySchema = z.object({ id: z.string(), label: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable() }).strict();
/** A new key: the secret is in `key`, shown this once. */
export const newIngestKeySchema = ingestKeySchema.extend({ key: z.string() }).strict();
export const ingestKeyListSchema = z.object({ keys: z.array(ingestKeySchema) }).strict();

/** What the webhook answers TTN: a reading stored, a retry dropped, an unknown sensor kept for claiming, or an event that is not an uplink. */
export const ingestAnswerSchema = z.object({ status: z.enum(["stored", "duplicate", "unclaimed", "ignored"]) }).strict();

export const unclaimedListSchema = z
  .object({
    devices: z.array(
      z.object({ devEui: z.string(), deviceId: z.string(), firstSeenAt: z.string(), lastSeenAt: z.string(), uplinks: z.number(), lastValues: z.record(z.string(), z.unknown()) }).strict(),
    ),
  })
  .strict();
