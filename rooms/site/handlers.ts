/** A site room's commands: its layout and which sensor is in which unit. */
import { desc, eq } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import { siteCommands } from "../../schema/site/commands";
import type { Unit, UnitKind } from "../../schema/site/records";
import { type CommandContext, CommandError, type CommandTable, command } from "../core/commands";
import { areas, devices, readings, unclaimedDevices, units } from "./tables";

const newId = () => crypto.randomUUID();

function requireArea(ctx: CommandContext, id: string, path = "areaId"): void {
  if (!ctx.db.select({ id: areas.id }).from(areas).where(eq(areas.id, id)).get()) {
    throw new CommandError("not_found", "No such area in this site.", { fields: [{ path, message: "is not an area of this site" }] });
  }
}

function requireUnit(ctx: CommandContext, id: string, path = "unitId"): void {
  if (!ctx.db.select({ id: units.id }).from(units).where(eq(units.id, id)).get()) {
    throw new CommandError("not_found", "No such unit in this site.", { fields: [{ path, message: "is not a unit of this site" }] });
  }
}

/** A unit as mirrored: its sensors and its latest reading. */
export function unitRecord(db: DrizzleSqliteDODatabase, id: string): Unit | undefined {
  const row = db.select().from(units).where(eq(units.id, id)).get();
  if (!row) return undefined;
  const sensors = db.select({ devEui: devices.devEui }).from(devices).where(eq(devices.unitId, id)).all();
  const latest = db.select().from(readings).where(eq(readings.unitId, id)).orderBy(desc(readings.at), desc(readings.id)).limit(1).get();
  return {
    id: row.id,
    areaId: row.areaId,
    name: row.name,
    kind: row.kind as UnitKind,
    devices: sensors.map((s) => s.devEui),
    latest: latest
      ? { at: latest.at, temperature: latest.temperature, humidity: latest.humidity, battery: latest.battery, doorOpen: latest.doorOpen, devEui: latest.devEui }
      : null,
  };
}

export const SITE_COMMANDS: CommandTable = {
  "area.create": command({
    args: siteCommands["area.create"],
    anyOf: ["site.configure"],
    subject: (a) => `area:${a.id ?? "new"}`,
    run(ctx, a) {
      const id = a.id ?? newId();
      if (ctx.db.select({ id: areas.id }).from(areas).where(eq(areas.id, id)).get()) throw new CommandError("conflict", "An area with this id already exists.");
      ctx.db.insert(areas).values({ id, name: a.name, createdAt: ctx.now }).run();
      ctx.touch("areas", id);
      return { id };
    },
  }),
  "area.rename": command({
    args: siteCommands["area.rename"],
    anyOf: ["site.configure"],
    subject: (a) => `area:${a.id}`,
    run(ctx, a) {
      requireArea(ctx, a.id, "id");
      ctx.db.update(areas).set({ name: a.name }).where(eq(areas.id, a.id)).run();
      ctx.touch("areas", a.id);
      return { id: a.id };
    },
  }),
  "unit.create": command({
    args: siteCommands["unit.create"],
    anyOf: ["site.configure"],
    subject: (a) => `unit:${a.id ?? "new"}`,
    run(ctx, a) {
      requireArea(ctx, a.areaId);
      const id = a.id ?? newId();
      if (ctx.db.select({ id: units.id }).from(units).where(eq(units.id, id)).get()) throw new CommandError("conflict", "A unit with this id already exists.");
      ctx.db.insert(units).values({ id, areaId: a.areaId, name: a.name, kind: a.kind, createdAt: ctx.now }).run();
      ctx.touch("units", id);
      return { id };
    },
  }),
  "unit.rename": command({
    args: siteCommands["unit.rename"],
    anyOf: ["site.configure"],
    subject: (a) => `unit:${a.id}`,
    run(ctx, a) {
      requireUnit(ctx, a.id, "id");
      ctx.db.update(units).set({ name: a.name }).where(eq(units.id, a.id)).run();
      ctx.touch("units", a.id);
      return { id: a.id };
    },
  }),
  "device.assign": command({
    args: siteCommands["device.assign"],
    anyOf: ["site.configure"],
    subject: (a) => `device:${a.devEui}`,
    run(ctx, a) {
      requireUnit(ctx, a.unitId);
      const before = ctx.db.select({ unitId: devices.unitId }).from(devices).where(eq(devices.devEui, a.devEui)).get();
      const row = { devEui: a.devEui, unitId: a.unitId, name: a.name ?? a.devEui, mapping: a.mapping ? JSON.stringify(a.mapping) : null, createdAt: ctx.now };
      ctx.db.insert(devices).values(row).onConflictDoUpdate({ target: devices.devEui, set: { unitId: row.unitId, name: row.name, mapping: row.mapping } }).run();
      ctx.db.delete(unclaimedDevices).where(eq(unclaimedDevices.devEui, a.devEui)).run();
      if (before && before.unitId !== a.unitId) ctx.touch("units", before.unitId);
      ctx.touch("units", a.unitId);
      return { devEui: a.devEui, unitId: a.unitId };
    },
  }),
  "device.remove": command({
    args: siteCommands["device.remove"],
    anyOf: ["site.configure"],
    subject: (a) => `device:${a.devEui}`,
    run(ctx, a) {
      const before = ctx.db.select({ unitId: devices.unitId }).from(devices).where(eq(devices.devEui, a.devEui)).get();
      if (!before) throw new CommandError("not_found", "No such sensor in this site.", { fields: [{ path: "devEui", message: "is not a sensor of this site" }] });
      ctx.db.delete(devices).where(eq(devices.devEui, a.devEui)).run();
      ctx.touch("units", before.unitId);
      return { devEui: a.devEui };
    },
  }),
};
