/**
 * A site room's layout, sensors, ingest keys and readings, in its
 * own SQLite. Readings are never mirrored; each unit's latest is.
 */
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

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
export const devices = sqliteTable(
  "devices",
  {
    devEui: text("dev_eui").primaryKey(),
    unitId: text("unit_id").notNull(),
    name: text("name").notNull(),
    /** JSON FieldMapping, or null for the common decoder names. */
    mapping: text("mapping"),
    createdAt: integer("created_at").notNull(),
    /** The TTN gateway its last reading came through best, when TTN named one. */
    gatewayId: text("gateway_id"),
  },
  (t) => [index("devices_unit_idx").on(t.unitId), index("devices_gateway_idx").on(t.gatewayId)],
);

/**
 * Keys TTN sends as `Authorization: Bearer …`, stored as their SHA-256; several may be live while one is rotated out.
 */
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
    /** When the room took it in: the dedupe window runs from here. */
    receivedAt: integer("received_at").notNull(),
    /**
     * When TTN received it (its `received_at`): a retry carries the same counter at the same
     * time, while a device that rejoined counts from 0 again at a new one.
     */
    uplinkAt: integer("uplink_at"),
  },
  (t) => [
    index("uplinks_device_fcnt_at_idx").on(t.devEui, t.fCnt, t.uplinkAt),
    index("uplinks_correlation_idx").on(t.correlationId),
    index("uplinks_received_idx").on(t.receivedAt),
  ],
);

/** Sensors heard from that belong to no unit yet: kept for a manager to claim, not dropped. */
export const unclaimedDevices = sqliteTable(
  "unclaimed_devices",
  {
    devEui: text("dev_eui").primaryKey(),
    deviceId: text("device_id").notNull(),
    firstSeenAt: integer("first_seen_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
    uplinks: integer("uplinks").notNull(),
    /** JSON of the last values read. */
    lastValues: text("last_values").notNull(),
  },
  // The list is paged newest first, and the oldest is dropped when the site's cap is reached.
  (t) => [index("unclaimed_last_seen_idx").on(t.lastSeenAt, t.devEui)],
);

/** Per-minute and per-hour rollups of each unit's temperature, for charts; kept on insert. */
const rollupColumns = {
  unitId: text("unit_id").notNull(),
  /** The bucket's start, epoch ms. */
  at: integer("at").notNull(),
  count: integer("count").notNull(),
  sum: real("sum").notNull(),
  min: real("min").notNull(),
  max: real("max").notNull(),
};
export const readingsMinute = sqliteTable("readings_minute", rollupColumns, (t) => [
  primaryKey({ columns: [t.unitId, t.at] }),
]);
export const readingsHour = sqliteTable("readings_hour", rollupColumns, (t) => [
  primaryKey({ columns: [t.unitId, t.at] }),
]);

/**
 * Rules set at a scope (`site`, `area:<id>`, `unit:<id>`), one row per scope and kind; a scope without a row inherits.
 */
export const ruleOverrides = sqliteTable(
  "rule_overrides",
  {
    scope: text("scope").notNull(),
    kind: text("kind").notNull(),
    /** JSON of the rule, checked against its kind's schema. */
    rule: text("rule").notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.kind] })],
);

/** Where each unit stands against each rule between readings: the start of the current breach. */
export const ruleStates = sqliteTable(
  "rule_states",
  {
    unitId: text("unit_id").notNull(),
    kind: text("kind").notNull(),
    breachSince: integer("breach_since"),
    /** The time of the last sample judged, so a late, older reading is stored but not judged again. */
    lastAt: integer("last_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.kind] })],
);

export const alerts = sqliteTable(
  "alerts",
  {
    id: text("id").primaryKey(),
    unitId: text("unit_id").notNull(),
    rule: text("rule").notNull(),
    severity: text("severity").notNull(),
    state: text("state").notNull(),
    threshold: real("threshold").notNull(),
    startedAt: integer("started_at").notNull(),
    raisedAt: integer("raised_at").notNull(),
    clearedAt: integer("cleared_at"),
    lastValue: real("last_value"),
    peakValue: real("peak_value"),
    breaches: integer("breaches").notNull(),
    escalationStep: integer("escalation_step").notNull(),
    ackBy: text("ack_by"),
    /** The acknowledger's name then, so everyone who sees the alert (staff, viewers) can read who it was. */
    ackByName: text("ack_by_name"),
    ackAt: integer("ack_at"),
    ackNote: text("ack_note"),
    resolvedBy: text("resolved_by"),
    resolvedByName: text("resolved_by_name"),
    resolvedAt: integer("resolved_at"),
    action: text("action"),
    product: text("product"),
    resolutionNote: text("resolution_note"),
    photoId: text("photo_id"),
    /** For a silent sensor: the gateway that went quiet with it, when every unit behind that gateway did. */
    gateway: text("gateway"),
  },
  (t) => [
    index("alerts_unit_rule_idx").on(t.unitId, t.rule, t.state),
    index("alerts_state_idx").on(t.state, t.clearedAt),
  ],
);

/** The site's settings: one row. */
export const siteSettings = sqliteTable("site_settings", {
  id: integer("id").primaryKey(),
  retentionDays: integer("retention_days").notNull(),
  rollupRetentionDays: integer("rollup_retention_days").notNull(),
  /** JSON EscalationStep[]. */
  escalation: text("escalation").notNull(),
});

/**
 * The site's compliance records (rooms/site/records.ts): one hash chain, appended and never changed. `content` is
 * the record's canonical JSON, the bytes its hash covers; `kind` and `record_id` are there to find a record by.
 */
export const siteRecords = sqliteTable(
  "site_records",
  {
    seq: integer("seq").primaryKey(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
    kind: text("kind").notNull(),
    recordId: text("record_id").notNull(),
    content: text("content").notNull(),
  },
  (t) => [index("site_records_record_idx").on(t.recordId)],
);

/** Where the records' chain stands: one row, moved with every record appended. */
export const siteRecordsHead = sqliteTable("site_records_head", {
  id: integer("id").primaryKey(),
  seq: integer("seq").notNull(),
  hash: text("hash").notNull(),
});
