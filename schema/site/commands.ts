/** The commands of a site room: its layout and sensors. Alert rules and the alert lifecycle arrive with their feature. */
import { z } from "zod";
import { fieldMappingSchema } from "./ttn";
import { UNIT_KINDS } from "./records";

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "is not an id");
const name = z.string().trim().min(1, "is required").max(120);
/** A LoRaWAN DevEUI: 16 hex digits, kept upper-case. */
export const devEui = z
  .string()
  .regex(/^[0-9A-Fa-f]{16}$/, "is not a DevEUI (16 hex digits)")
  .transform((value) => value.toUpperCase());

export const siteCommands = {
  "area.create": z.object({ id: id.optional(), name }).strict(),
  "area.rename": z.object({ id, name }).strict(),
  "unit.create": z.object({ id: id.optional(), areaId: id, name, kind: z.enum(UNIT_KINDS) }).strict(),
  "unit.rename": z.object({ id, name }).strict(),
  /** Puts a sensor in a unit (claiming it if it was heard from unassigned), with how to read its decoder's fields. */
  "device.assign": z.object({ devEui, unitId: id, name: name.optional(), mapping: fieldMappingSchema.nullable().default(null) }).strict(),
  "device.remove": z.object({ devEui }).strict(),
} as const;
