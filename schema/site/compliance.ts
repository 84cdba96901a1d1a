/**
 * A site's compliance records, as its hash chain holds them (rooms/site/records.ts, docs/sites.md "Records an
 * inspector accepts"): what an inspector asks for under 21 CFR 117.305, the actual value, the time of the check,
 * who did it and what was done, each signed by the account that made it and dated by the room.
 */
import { z } from "zod";
import { auditHeadSchema, auditVerifySchema } from "../core/chain";
import type { PRODUCT_OUTCOMES } from "./records";

export const TEMPERATURE_SCALES = ["C", "F"] as const;
export type TemperatureScale = (typeof TEMPERATURE_SCALES)[number];
/** How each scale is written after a value. */
export const SCALE_SYMBOLS: Record<TemperatureScale, string> = { C: "°C", F: "°F" };

/** Who made a record and when the room took it, on every kind. */
interface Signed {
  id: string;
  /** When the room recorded it (ms since the epoch). */
  at: number;
  by: string;
  byName: string;
}

/** A reading taken by hand: the value as read, in the scale read, and in °C as judged. */
export interface ManualLogRecord extends Signed {
  kind: "manual_log";
  unitId: string;
  value: number;
  scale: TemperatureScale;
  celsius: number;
  /** When the check was made (ms): before `at` when the log was kept on a phone offline. */
  takenAt: number;
  note: string;
  photoId: string | null;
}

/** A manual log corrected: the new values and why; the record it corrects stays as it was. */
export interface CorrectionRecord extends Omit<ManualLogRecord, "kind"> {
  kind: "correction";
  /** The id of the record corrected (a manual log, or an earlier correction of it). */
  corrects: string;
  reason: string;
}

/** What was done about an alert, or about a reading logged by hand out of range. */
export interface CorrectiveActionRecord extends Signed {
  kind: "corrective_action";
  /** The alert it answers, or null for one answering a hand-logged reading. */
  alertId: string | null;
  /** The hand-logged reading it answers (its newest version), or null for one answering an alert. */
  manualLogId: string | null;
  unitId: string;
  /** The alert's rule; null for a hand-logged reading. */
  rule: string | null;
  /** What was found (the product's temperature, the door, the seal). */
  found: string;
  action: string;
  product: (typeof PRODUCT_OUTCOMES)[number];
  note: string;
  photoId: string | null;
}

/** A record checked by a second person (a manager), who says so: nobody verifies their own. */
export interface VerificationRecord extends Signed {
  kind: "verification";
  /** The id of the record verified. */
  verifies: string;
  note: string;
}

export type SiteRecord = ManualLogRecord | CorrectionRecord | CorrectiveActionRecord | VerificationRecord;

export interface SiteRecordsPage {
  head: { seq: number; hash: string };
  entries: { seq: number; prevHash: string; hash: string; content: SiteRecord }[];
}

export const siteRecordsVerifySchema = auditVerifySchema;
export type SiteRecordsVerifyReport = z.infer<typeof siteRecordsVerifySchema>;

export const siteRecordsQuery = z.object({
  after: z.coerce.number().int().min(0).default(0).meta({ description: "Records after this seq (0: from the first)." }),
  limit: z.coerce.number().int().min(1).max(1000).default(200).meta({ description: "At most this many." }),
});

export const siteRecordsPageSchema = z
  .strictObject({
    head: auditHeadSchema,
    entries: z.array(
      z.strictObject({
        seq: z.number().int().min(1),
        prevHash: z.string(),
        hash: z.string(),
        content: z.record(z.string(), z.unknown()),
      }),
    ),
  })
  .meta({ id: "SiteRecordsPage", description: "A page of a site's compliance records, each a link of its chain." });
