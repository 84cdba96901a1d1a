/** Request and response bodies of a site's HTTP routes: ingest keys, the TTN webhook's answer, unclaimed sensors. */
import { z } from "zod";
import { DEFAULT_UNCLAIMED_PAGE, MAX_UNCLAIMED_PAGE } from "../../config";

export const createIngestKeyBody = z.object({ label: z.string().trim().min(1, "is required").max(80) }).strict();

export const ingestKeySchema = z
  .object({ id: z.string(), label: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable() })
  .strict();
/** A new key: the secret is in `key`, shown this once. */
export const newIngestKeySchema = ingestKeySchema.extend({ key: z.string() }).strict();
export const ingestKeyListSchema = z.object({ keys: z.array(ingestKeySchema) }).strict();

/**
 * What the webhook answers TTN: a reading stored, a retry dropped, an
 * unknown sensor kept for claiming, or an event that is not an uplink.
 */
export const ingestAnswerSchema = z
  .object({ status: z.enum(["stored", "duplicate", "unclaimed", "ignored"]) })
  .strict();

/**
 * `GET /api/rooms/:roomId/unclaimed-devices`: a page, newest first; `before` is the `nextCursor` of the page before.
 */
export const unclaimedQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(MAX_UNCLAIMED_PAGE).default(DEFAULT_UNCLAIMED_PAGE),
    before: z
      .string()
      .regex(/^\d{1,16}\.[0-9A-F]{16}$/, "is not a cursor from this list")
      .optional(),
  })
  .strict();

export const unclaimedListSchema = z
  .object({
    /** Pass as `before` for the next page; null on the last. */
    nextCursor: z.string().nullable(),
    devices: z.array(
      z
        .object({
          devEui: z.string(),
          deviceId: z.string(),
          firstSeenAt: z.string(),
          lastSeenAt: z.string(),
          uplinks: z.number(),
          lastValues: z.record(z.string(), z.unknown()),
        })
        .strict(),
    ),
  })
  .strict();

export const CHART_RESOLUTIONS = ["raw", "minute", "hour"] as const;
export type ChartResolution = (typeof CHART_RESOLUTIONS)[number];

/**
 * `GET /api/rooms/:roomId/units/:unitId/readings`: a window (epoch ms)
 * and, optionally, its resolution; chosen from the span when absent.
 */
export const readingsQuery = z
  .object({
    from: z.coerce.number().int().min(0),
    to: z.coerce.number().int().min(0),
    resolution: z.enum(CHART_RESOLUTIONS).optional(),
    /**
     * At most this many points: the window is cut into that many equal columns (as wide as
     * the chart is in pixels) and each gives its mean, lowest and highest. Without it, every
     * reading or rollup in the window.
     */
    points: z.coerce.number().int().min(1).max(10_000).optional(),
  })
  .strict()
  .refine((q) => q.to > q.from, { path: ["to"], message: "must be after from" })
  .refine((q) => q.to - q.from <= 400 * 24 * 60 * 60 * 1000, {
    path: ["to"],
    message: "is more than 400 days after from",
  });

/**
 * A unit's history for a chart, column by column (as uPlot takes it): times (epoch ms) and
 * temperatures, the mean with the lowest and highest of each bucket (all equal for raw
 * readings); the temperature rules' limits; and the alerts that overlap the window.
 */
export const readingsAnswerSchema = z
  .object({
    unitId: z.string(),
    resolution: z.enum(CHART_RESOLUTIONS),
    at: z.array(z.number()),
    mean: z.array(z.number()),
    min: z.array(z.number()),
    max: z.array(z.number()),
    limits: z
      .object({
        high: z.number().nullable(),
        highClear: z.number().nullable(),
        low: z.number().nullable(),
        lowClear: z.number().nullable(),
      })
      .strict(),
    alerts: z.array(
      z
        .object({
          id: z.string(),
          rule: z.string(),
          severity: z.string(),
          state: z.string(),
          startedAt: z.number(),
          clearedAt: z.number().nullable(),
        })
        .strict(),
    ),
  })
  .strict();
export type ReadingsAnswer = z.infer<typeof readingsAnswerSchema>;
