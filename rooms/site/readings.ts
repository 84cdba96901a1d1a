/** The ingest path's last step: a reading stored with its per-minute and per-hour rollups, then judged. */
import type { RoomEffects } from "../core/commands";
import { HOUR, MINUTE, type NewReading } from "./common";
import { judge } from "./judge";
import { planRetention } from "./retention";

export type { NewReading } from "./common";

/** Stores a reading with its rollups and judges it; the caller's transaction holds it all. */
export function recordReading(effects: RoomEffects, reading: NewReading): void {
  const { sql: db } = effects;
  const door = reading.doorOpen === null ? null : reading.doorOpen ? 1 : 0;
  db.exec(
    "INSERT INTO readings (dev_eui, unit_id, at, temperature, humidity, battery, door_open, rssi, snr) " +
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    reading.devEui,
    reading.unitId,
    reading.at,
    reading.temperature,
    reading.humidity,
    reading.battery,
    door,
    reading.rssi,
    reading.snr,
  );
  const t = reading.temperature;
  if (t !== null) {
    for (const [table, size] of [
      ["readings_minute", MINUTE],
      ["readings_hour", HOUR],
    ] as const) {
      db.exec(
        `INSERT INTO ${table} (unit_id, at, count, sum, min, max) VALUES (?, ?, 1, ?, ?, ?)
         ON CONFLICT (unit_id, at) DO UPDATE SET count = count + 1, sum = sum + excluded.sum,
         min = min(min, excluded.min), max = max(max, excluded.max)`,
        reading.unitId,
        reading.at - (reading.at % size),
        t,
        t,
        t,
      );
    }
  }
  effects.touch("units", reading.unitId);
  judge(effects, reading);
  planRetention(effects);
}
