/** A site room's layout, sensors, ingest keys and readings, in its own SQLite. Readings are never mirrored; each unit's latest is. */
import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const areas = sqliteTable("areas", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  createdAt: integer("created_at").notNull(),
});

export const units = sqliteTable("units", {
  id: text("id").primaryKey(),
  areaId: text("area_id").notNull(),
  name: text("name").notNull(),
  kind: text("kind").notNull(),
  createdAt: integer("created_at").notNull(),
});

/** A sensor, by its LoRaWAN DevEUI, in one unit. */
export const devices = sqliteTable("devices", {
  devEui: text("dev_eui").primaryKey(),
  unitId: text("unit_id").notNull(),
  name: text("name").notNull(),
  /** JSON FieldMapping, or null for the common decoder names. */
  mapping: text("mapping"),
  createdAt: integer("created_at").notNull(),
});

/** Keys TTN sends as `Authorization: Bearer …`, stored as their SHA-256; several may be live while one is rotated out. */
export const ingestKeys = sqliteTable("ingest_keys", {
  id: text("id").primaryKey(),
  hash: text("hash").notNull(),
  label: text("label").notNull(),
  createdAt: integer("created_at").notNull(),
  lastUsedAt: integer("last_used_at"),
  revokedAt: integer("revoked_at"),
});

export const readings = sqliteTable(
  "readings",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    devEui: text("dev_eui").notNull(),
    unitId: text("unit_id").notNull(),
    at: integer("at").notNull(),
    temperature: real("temperature"),
    humidity: real("humidity"),
    battery: real("battery"),
    doorOpen: integer("door_open", { mode: "boolean" }),
    rssi: real("rssi"),
    snr: real("snr"),
  },
  (t) => [index("readings_unit_at_idx").on(t.unitId, t.at)],
);

/**
 * Uplinks taken in the last day, by device and frame counter and by correlation id, so
 * TTN's retries are stored once. Only a day: a device that rejoins starts its counter again.
 */
export const uplinks = sqliteTable(
  "uplinks",
  {
    devEui: text("dev_eui").notNull(),
    fCnt: integer("f_cnt"),
    correlationId: text("correlation_id"),
    receivedAt: integer("received_at").notNull(),
  },
  (t) => [index("uplinks_device_fcnt_idx").on(t.devEui, t.fCnt), index("uplinks_correlation_idx").on(t.correlationId), index("uplinks_received_idx").on(t.receivedAt)],
);

/** Sensors heard from that belong to no unit yet: kept for a manager to claim, not dropped. */
export const unclaimedDevices = sqliteTable("unclaimed_devices", {
  devEui: text("dev_eui").primaryKey(),
  deviceId: text("device_id").notNull(),
  firstSeenAt: integer("first_seen_at").notNull(),
  lastSeenAt: integer("last_seen_at").notNull(),
  uplinks: integer("uplinks").notNull(),
  /** JSON of the last values read. */
  lastValues: text("last_values").notNull(),
});
