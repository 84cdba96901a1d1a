/**
 * The commands of a site room: its layout and sensors, alert
 * rules, escalation, retention, alerts and hand-logged readings.
 */
import { z } from "zod";
import { editBase } from "../core/edit-base";
import { TEMPERATURE_SCALES } from "./compliance";
import { PRODUCT_OUTCOMES, UNIT_KINDS } from "./records";
import { SITE_ROLE_NAMES } from "./roles";
import { RULE_KINDS, ruleSchemas } from "./rules";
import { fieldMappingSchema } from "./ttn";

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "is not an id");
/** How many alerts one bulk acknowledgement may take: a site's screenful, not the whole history. */
export const MAX_BULK_ACK = 50;
const name = z.string().trim().min(1, "is required").max(120);
/** A rename from a form: `base` holds the name the form was opened with (schema/core/edit-base.ts). */
const rename = z.object({ id, name, base: editBase({ name }) }).strict();
/** A LoRaWAN DevEUI: 16 hex digits, kept upper-case. */
export const devEui = z
  .string()
  .regex(/^[0-9A-Fa-f]{16}$/, "is not a DevEUI (16 hex digits)")
  .transform((value) => value.toUpperCase());

export const siteCommands = {
  "area.create": z.object({ id: id.optional(), name }).strict(),
  "area.rename": rename,
  "unit.create": z.object({ id: id.optional(), areaId: id, name, kind: z.enum(UNIT_KINDS) }).strict(),
  "unit.rename": rename,
  /** Puts a sensor in a unit (claiming it if it was heard from unassigned), with how to read its decoder's fields. */
  "device.assign": z
    .object({ devEui, unitId: id, name: name.optional(), mapping: fieldMappingSchema.nullable().default(null) })
    .strict(),
  "device.remove": z.object({ devEui }).strict(),
  /**
   * A new ingest key for TTN's webhook, given as the SHA-256 (hex) of its secret: the secret
   * never reaches the room, so neither the audit row nor the command's answer holds it.
   * `POST /api/rooms/:roomId/ingest-keys` makes the secret and sends this.
   */
  "ingestKey.create": z
    .object({
      label: z.string().trim().min(1, "is required").max(80),
      keyHash: z.string().regex(/^[0-9a-f]{64}$/, "is not a SHA-256 in hex"),
    })
    .strict(),
  /** Revokes an ingest key at once: TTN's requests with it get 401 from then on. */
  "ingestKey.revoke": z.object({ id: z.string().min(1).max(64) }).strict(),
  /**
   * Sets the rule of one kind for the site, an area or a unit; `rule: null` removes it, so
   * the scope inherits again. A rule's own fields are checked against its kind. With a
   * `base` (the rule's fields as the form showed them), `rule` holds only the fields the
   * form changed, set onto the rule in force at the scope now (schema/core/edit-base.ts).
   */
  "rule.set": z
    .object({
      scope: z.enum(["site", "area", "unit"]),
      /** The area's or unit's id; absent for the site. */
      scopeId: id.optional(),
      kind: z.enum(RULE_KINDS),
      rule: z.record(z.string(), z.unknown()).nullable(),
      base: z.record(z.string(), z.unknown()).optional(),
    })
    .strict()
    .superRefine((a, ctx) => {
      if ((a.scope === "site") !== (a.scopeId === undefined))
        ctx.addIssue({
          code: "custom",
          path: ["scopeId"],
          message: a.scope === "site" ? "is not taken for the site" : "is required for an area or a unit",
        });
      if (a.rule === null) {
        if (a.base) ctx.addIssue({ code: "custom", path: ["base"], message: "is only taken with a rule" });
        return;
      }
      const schema: z.ZodObject = ruleSchemas[a.kind];
      const parsed = (a.base ? schema.partial() : schema).safeParse(a.rule);
      if (!parsed.success)
        for (const issue of parsed.error.issues)
          ctx.addIssue({ code: "custom", path: ["rule", ...issue.path.map(String)], message: issue.message });
      for (const field of Object.keys(a.base ?? {}))
        if (!Object.hasOwn(schema.shape, field))
          ctx.addIssue({ code: "custom", path: ["base", field], message: "is not a field of this rule" });
    }),
  /** Who is notified while an alert is unacknowledged, and when: steps in order, the first at 0 minutes. */
  "escalation.set": z
    .object({
      steps: z
        .array(
          z
            .object({
              afterMinutes: z.number().int().min(0).max(1440),
              roles: z.array(z.enum(SITE_ROLE_NAMES)).min(1).max(6),
            })
            .strict(),
        )
        .min(1)
        .max(6),
    })
    .strict()
    .superRefine((a, ctx) => {
      a.steps.forEach((s, i) => {
        const previous = a.steps[i - 1];
        if (i === 0 && s.afterMinutes !== 0)
          ctx.addIssue({
            code: "custom",
            path: ["steps", 0, "afterMinutes"],
            message: "must be 0: the first step is notified when the alert is raised",
          });
        if (previous && s.afterMinutes <= previous.afterMinutes)
          ctx.addIssue({
            code: "custom",
            path: ["steps", i, "afterMinutes"],
            message: "must be later than the step before",
          });
      });
    }),
  /** How long readings are kept: raw (and per-minute) at least 30 days, per-hour at least as long as raw. */
  "site.retention": z
    .object({
      retentionDays: z.number().int().min(30).max(3650),
      rollupRetentionDays: z.number().int().min(30).max(36500),
    })
    .strict()
    .refine((a) => a.rollupRetentionDays >= a.retentionDays, {
      path: ["rollupRetentionDays"],
      message: "must be at least the raw readings' retention",
    }),
  /** Acknowledges an alert: escalation stops, and the note says who is on it. */
  "alert.ack": z.object({ id, note: z.string().trim().max(2000).default("") }).strict(),
  /**
   * Acknowledges several alerts with one note (a gateway down silences a whole room at once).
   * Unknown ids refuse the lot; ones already acknowledged are skipped and listed as such.
   */
  "alert.ackMany": z
    .object({
      ids: z
        .array(id)
        .min(1, "needs at least one alert")
        .max(MAX_BULK_ACK, `takes at most ${MAX_BULK_ACK} alerts at once`)
        .refine((ids) => new Set(ids).size === ids.length, "names an alert twice"),
      note: z.string().trim().max(2000).default(""),
    })
    .strict(),
  /** Records what was done about an alert (acknowledging it if nobody had). */
  "alert.resolve": z
    .object({
      id,
      found: z.string().trim().max(2000).default(""),
      action: z.string().trim().min(1, "is required").max(2000),
      product: z.enum(PRODUCT_OUTCOMES),
      note: z.string().trim().max(2000).default(""),
      photoId: id.optional(),
    })
    .strict(),
  /** What was done about a hand-logged reading out of range: a corrective action linked to it. */
  "reading.act": z
    .object({
      recordId: id,
      found: z.string().trim().min(1, "is required: say what was found").max(2000),
      action: z.string().trim().min(1, "is required").max(2000),
      product: z.enum(PRODUCT_OUTCOMES),
      note: z.string().trim().max(2000).default(""),
      photoId: id.optional(),
    })
    .strict(),
  /** A manager's check of a record (a reading, a correction, a corrective action), kept as a record of its own. */
  "record.verify": z.object({ recordId: id, note: z.string().trim().max(500).default("") }).strict(),
  /**
   * A reading taken by hand (a probe thermometer), kept as a compliance record and judged like a sensor's. `id` is
   * the phone's, so a log kept offline and sent twice is kept once; `takenAt` is when the check was made (the phone
   * sends it; a log sent later keeps its time). The value's range is checked in °C, after conversion.
   */
  "reading.log": z
    .object({
      id: id.optional(),
      unitId: id,
      temperature: z.number().finite(),
      scale: z.enum(TEMPERATURE_SCALES).default("C"),
      takenAt: z.number().int().positive().optional(),
      note: z.string().trim().max(500).default(""),
      photoId: id.optional(),
    })
    .strict(),
  /** A hand-logged reading corrected: a new record naming the one it corrects, with why; the original stays. */
  "reading.correct": z
    .object({
      id: id.optional(),
      corrects: id,
      temperature: z.number().finite(),
      scale: z.enum(TEMPERATURE_SCALES).default("C"),
      takenAt: z.number().int().positive().optional(),
      note: z.string().trim().max(500).default(""),
      reason: z.string().trim().min(1, "is required: say why the record was wrong").max(500),
    })
    .strict(),
} as const;
