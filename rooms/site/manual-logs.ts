/**
 * Readings taken by hand, as records an inspector accepts: the value as read and its scale, the time of the check,
 * who made it, a note and a photo, appended to the site's records chain (./records.ts) and judged like a sensor's
 * reading. A wrong one is corrected by a new record naming it; nothing is edited or deleted.
 */
import {
  MANUAL_LOG_CLOCK_SKEW_MS,
  MANUAL_LOG_MAX_AGE_MS,
  MANUAL_LOG_MAX_CELSIUS,
  MANUAL_LOG_MIN_CELSIUS,
} from "../../config";
import {
  type CorrectionRecord,
  type CorrectiveActionRecord,
  type ManualLogRecord,
  SCALE_SYMBOLS,
  type TemperatureScale,
} from "../../schema/site/compliance";
import { type CommandContext, CommandError } from "../core/commands";
import { hasPhoto } from "../core/photos";
import { MANUAL_DEV_EUI } from "./common";
import { noteManualCheck } from "./manual-checks";
import { recordReading } from "./readings";
import { appendRecord, isNamedBy, recordById } from "./records";

export function toCelsius(value: number, scale: TemperatureScale): number {
  return scale === "C" ? value : Math.round(((value - 32) * 5 * 1000) / 9) / 1000;
}

const fromCelsius = (celsius: number, scale: TemperatureScale) => (scale === "C" ? celsius : (celsius * 9) / 5 + 32);

/** The value in °C, refused with the range in the scale it was read in when no thermometer could show it. */
function requireSaneValue(value: number, scale: TemperatureScale): number {
  const celsius = toCelsius(value, scale);
  if (celsius >= MANUAL_LOG_MIN_CELSIUS && celsius <= MANUAL_LOG_MAX_CELSIUS) return celsius;
  const [low, high] = [MANUAL_LOG_MIN_CELSIUS, MANUAL_LOG_MAX_CELSIUS].map((c) => Math.round(fromCelsius(c, scale)));
  throw new CommandError(
    "validation_failed",
    `A reading must be between ${low} and ${high} ${SCALE_SYMBOLS[scale]}; check the value and its scale.`,
    { fields: [{ path: "temperature", message: `is outside ${low} to ${high} ${SCALE_SYMBOLS[scale]}` }] },
  );
}

/** When the check was made: now unless the phone says, and then not in the future nor more than a day ago. */
function requireTakenAt(ctx: CommandContext, takenAt: number | undefined): number {
  if (takenAt === undefined) return ctx.now;
  if (takenAt > ctx.now + MANUAL_LOG_CLOCK_SKEW_MS)
    throw new CommandError("validation_failed", "The time of the check is in the future.", {
      fields: [{ path: "takenAt", message: "is in the future" }],
    });
  if (takenAt < ctx.now - MANUAL_LOG_MAX_AGE_MS)
    throw new CommandError(
      "validation_failed",
      "A reading may be logged up to a day after the check; an older one goes in as a note to its unit.",
      { fields: [{ path: "takenAt", message: "is more than a day ago" }] },
    );
  return Math.min(takenAt, ctx.now);
}

function requirePhoto(ctx: CommandContext, photoId: string | undefined): void {
  if (photoId && !hasPhoto(ctx.db, photoId))
    throw new CommandError("not_found", "No such photo in this site.", {
      fields: [{ path: "photoId", message: "is not a photo uploaded to this site" }],
    });
}

function requireNewId(ctx: CommandContext, id: string | undefined): string {
  if (id === undefined) return crypto.randomUUID();
  if (recordById(ctx.db, id)) throw new CommandError("conflict", "A record with this id is already kept.");
  return id;
}

/** The record as judged: in °C, at the time of the check. */
function judgeReading(ctx: CommandContext, record: ManualLogRecord | CorrectionRecord): void {
  recordReading(ctx, {
    devEui: MANUAL_DEV_EUI,
    unitId: record.unitId,
    at: record.takenAt,
    temperature: record.celsius,
    humidity: null,
    battery: null,
    doorOpen: null,
    rssi: null,
    snr: null,
  });
}

export function logReading(
  ctx: CommandContext,
  a: {
    id?: string;
    unitId: string;
    temperature: number;
    scale: TemperatureScale;
    takenAt?: number;
    note: string;
    photoId?: string;
  },
): ManualLogRecord {
  const celsius = requireSaneValue(a.temperature, a.scale);
  const takenAt = requireTakenAt(ctx, a.takenAt);
  requirePhoto(ctx, a.photoId);
  const record: ManualLogRecord = {
    kind: "manual_log",
    id: requireNewId(ctx, a.id),
    at: ctx.now,
    by: ctx.actor.userId,
    byName: ctx.actor.name,
    unitId: a.unitId,
    value: a.temperature,
    scale: a.scale,
    celsius,
    takenAt,
    note: a.note,
    photoId: a.photoId ?? null,
  };
  appendRecord(ctx, record);
  judgeReading(ctx, record);
  noteManualCheck(ctx, record.unitId, takenAt);
  return record;
}

/** The hand-logged reading (or correction of one) stored under `id`, or not_found naming `path`. */
function requireReadingRecord(ctx: CommandContext, id: string, path: string): ManualLogRecord | CorrectionRecord {
  const record = recordById(ctx.db, id);
  if (record?.kind === "manual_log" || record?.kind === "correction") return record;
  throw new CommandError("not_found", "No such hand-logged reading in this site.", {
    fields: [{ path, message: "is not a manual log of this site" }],
  });
}

export function correctReading(
  ctx: CommandContext,
  a: {
    id?: string;
    corrects: string;
    temperature: number;
    scale: TemperatureScale;
    takenAt?: number;
    note: string;
    reason: string;
  },
): CorrectionRecord {
  const original = requireReadingRecord(ctx, a.corrects, "corrects");
  if (isNamedBy(ctx.sql, { kind: "correction", field: "corrects" }, a.corrects))
    throw new CommandError("conflict", "This record was corrected already: correct its newest version.");
  const celsius = requireSaneValue(a.temperature, a.scale);
  const record: CorrectionRecord = {
    kind: "correction",
    id: requireNewId(ctx, a.id),
    at: ctx.now,
    by: ctx.actor.userId,
    byName: ctx.actor.name,
    unitId: original.unitId,
    value: a.temperature,
    scale: a.scale,
    celsius,
    takenAt: a.takenAt === undefined ? original.takenAt : requireTakenAt(ctx, a.takenAt),
    note: a.note,
    photoId: original.photoId,
    corrects: original.id,
    reason: a.reason,
  };
  appendRecord(ctx, record);
  return record;
}

/** A corrective action for a hand-logged reading (its newest version), appended to the chain once. */
export function actOnReading(
  ctx: CommandContext,
  a: {
    recordId: string;
    found: string;
    action: string;
    product: CorrectiveActionRecord["product"];
    note: string;
    photoId?: string;
  },
): CorrectiveActionRecord {
  const reading = requireReadingRecord(ctx, a.recordId, "recordId");
  if (isNamedBy(ctx.sql, { kind: "correction", field: "corrects" }, reading.id))
    throw new CommandError("conflict", "This reading was corrected: record the action against its newest version.");
  if (isNamedBy(ctx.sql, { kind: "corrective_action", field: "manualLogId" }, reading.id))
    throw new CommandError("conflict", "A corrective action is already recorded for this reading.");
  requirePhoto(ctx, a.photoId);
  const record: CorrectiveActionRecord = {
    kind: "corrective_action",
    id: crypto.randomUUID(),
    at: ctx.now,
    by: ctx.actor.userId,
    byName: ctx.actor.name,
    alertId: null,
    manualLogId: reading.id,
    unitId: reading.unitId,
    rule: null,
    found: a.found,
    action: a.action,
    product: a.product,
    note: a.note,
    photoId: a.photoId ?? null,
  };
  appendRecord(ctx, record);
  return record;
}
