/**
 * A site as this browser sees it: the server-owned `areas`, `units`, `alerts` and `site`
 * roots of the room's document (read only; they change when the room applies a command
 * or stores a reading), a clock that ticks so "2 min ago" stays true, the commands
 * waiting to reach the room, and what this user may do.
 */
import { type Accessor, createEffect, createMemo, createSignal, onCleanup } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import type { z } from "zod";
import type { Room } from "../../../../schema/core/api";
import { can } from "../../../../schema/core/roles";
import type { siteCommands } from "../../../../schema/site/commands";
import type { Alert, Area, SiteSettings, Unit } from "../../../../schema/site/records";
// The queue knows nothing of homes: it sends any kind's commands with a key and keeps them offline.
import { type CommandQueue, type CommandResult, createRoomCommandQueue } from "../../command-queue";
import type { RoomStore } from "../../room";
import { followDoc, readRoot } from "../mirror";

export type SiteCommandName = keyof typeof siteCommands;
export type SiteCommandArgs<N extends SiteCommandName> = z.input<(typeof siteCommands)[N]>;

/** How often relative times ("2 min ago") and running durations are recomputed. */
const CLOCK_TICK_MS = 10_000;

/** How long a closed alert stays listed under a unit as "recent". */
export const RECENT_ALERT_MS = 7 * 24 * 60 * 60 * 1000;

export interface SiteStore {
  /** The room's document is there: from the server, or the local copy of the last visit. */
  loaded: Accessor<boolean>;
  /** The site's name, as the room was opened. */
  readonly name: string;
  /** Who is signed in (their own records are not theirs to verify). */
  readonly userId: string;
  readonly areas: Area[];
  readonly units: Unit[];
  readonly alerts: Alert[];
  settings: Accessor<SiteSettings | null>;
  /** Now, in epoch ms, ticking every few seconds. */
  now: Accessor<number>;
  queue: CommandQueue;
  /** Layout, rules, escalation and ingest keys. */
  canConfigure: Accessor<boolean>;
  /** Acknowledge and resolve alerts, log readings by hand. */
  canHandle: Accessor<boolean>;
  unit(id: string): Unit | undefined;
  area(id: string): Area | undefined;
  alert(id: string): Alert | undefined;
  /** A unit's alerts that are not closed (no corrective action yet, or still active), worst first. */
  openAlertsOf(unitId: string): Alert[];
  /** A unit's alerts, newest first. */
  alertsOf(unitId: string): Alert[];
  run<N extends SiteCommandName>(name: N, args: SiteCommandArgs<N>): Promise<CommandResult>;
}

/** Human words for a command, for "… was not saved" notices. */
const COMMAND_WORDS: Record<string, string> = {
  "area.create": "Adding an area",
  "area.rename": "Renaming an area",
  "unit.create": "Adding a unit",
  "unit.rename": "Renaming a unit",
  "device.assign": "Assigning a sensor",
  "device.remove": "Removing a sensor",
  "rule.set": "Changing a rule",
  "escalation.set": "Changing the escalation policy",
  "site.retention": "Changing retention",
  "alert.ack": "Acknowledging an alert",
  "alert.ackMany": "Acknowledging alerts",
  "alert.resolve": "Recording a corrective action",
  "reading.log": "Logging a reading",
  "reading.correct": "Correcting a reading",
  "reading.act": "Recording a corrective action",
  "record.verify": "Verifying a record",
};

/** On the board until it has its corrective action, and while its condition lasts. */
export const isOpen = (alert: Alert) => alert.resolution === null || alert.state !== "cleared_ack";
export const isActive = (alert: { state: string }) => alert.state === "active_unack" || alert.state === "active_ack";

/** Critical before warning, active before cleared, then the newest. */
export function byUrgency(a: Alert, b: Alert): number {
  const sev = (x: Alert) => (x.severity === "critical" ? 0 : 1);
  const act = (x: Alert) => (isActive(x) ? 0 : 1);
  return sev(a) - sev(b) || act(a) - act(b) || b.raisedAt - a.raisedAt;
}

export function createSiteStore(room: Room, roomStore: RoomStore, userId: string): SiteStore {
  const [records, setRecords] = createStore<{ areas: Area[]; units: Unit[]; alerts: Alert[] }>({
    areas: [],
    units: [],
    alerts: [],
  });
  const [settings, setSettings] = createSignal<SiteSettings | null>(null);
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), CLOCK_TICK_MS);
  onCleanup(() => clearInterval(timer));

  followDoc(roomStore, (doc) => {
    setRecords("areas", reconcile(readRoot<Area>(doc, "areas"), { key: "id" }));
    setRecords("units", reconcile(readRoot<Unit>(doc, "units"), { key: "id" }));
    setRecords("alerts", reconcile(readRoot<Alert>(doc, "alerts"), { key: "id" }));
    const value = doc.getMap("site").get("settings");
    setSettings(typeof value === "object" && value !== null ? (value as SiteSettings) : null);
    // A new reading is news: "just now" should not wait for the next tick.
    setNow(Date.now());
  });

  const queue = createRoomCommandQueue(room.id, roomStore.connection, COMMAND_WORDS);
  // Site commands are not tracked against a record's version: the mirror is the truth at once.
  createEffect(() => {
    for (const command of queue.applied()) queue.settle(command.key);
  });

  const role = () => roomStore.role();
  const unitById = createMemo(() => new Map(records.units.map((u) => [u.id, u])));
  const areaById = createMemo(() => new Map(records.areas.map((a) => [a.id, a])));
  const alertById = createMemo(() => new Map(records.alerts.map((a) => [a.id, a])));
  const alertsByUnit = createMemo(() => {
    const map = new Map<string, Alert[]>();
    for (const alert of records.alerts) {
      const list = map.get(alert.unitId) ?? [];
      list.push(alert);
      map.set(alert.unitId, list);
    }
    for (const list of map.values()) list.sort((a, b) => b.raisedAt - a.raisedAt);
    return map;
  });

  return {
    loaded: roomStore.loaded,
    name: room.name,
    userId,
    get areas() {
      return records.areas;
    },
    get units() {
      return records.units;
    },
    get alerts() {
      return records.alerts;
    },
    settings,
    now,
    queue,
    canConfigure: () => can("site", role(), "site.configure"),
    canHandle: () => can("site", role(), "alerts.handle"),
    unit: (id) => unitById().get(id),
    area: (id) => areaById().get(id),
    alert: (id) => alertById().get(id),
    openAlertsOf: (unitId) => (alertsByUnit().get(unitId) ?? []).filter(isOpen).sort(byUrgency),
    alertsOf: (unitId) => alertsByUnit().get(unitId) ?? [],
    run: (name, args) => queue.run(name, args),
  };
}
