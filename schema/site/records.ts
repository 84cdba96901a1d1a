/**
 * A site's layout and live state, as the room mirrors it into server-owned roots of its
 * document (`areas`, `units`, `alerts`, `site`): every open board sees a unit's latest
 * reading, status and alerts the moment the room stores them. Readings themselves stay in
 * the room's SQLite and are read through the readings route.
 */
import type { EffectiveRules, RuleKind, RuleOverrides, Severity } from "./rules";
import type { UnitKind } from "./unit-kinds";

// Defined beside nothing else so rules.ts can name unit kinds without importing records (which imports rules).
export { UNIT_KINDS, type UnitKind } from "./unit-kinds";

export interface Area {
  id: string;
  name: string;
  /** The rules this area sets for its units. */
  overrides: RuleOverrides;
}

export interface LatestReading {
  at: number;
  temperature: number | null;
  humidity: number | null;
  battery: number | null;
  doorOpen: boolean | null;
  devEui: string;
}

/**
 * A unit's colour on the board: `ok` green; `pending` (a limit broken, its duration not
 * yet up) and `warning` (a warning alert active) amber; `critical` red; `no_data` grey
 * until a sensor is heard from.
 */
export const UNIT_STATUSES = ["no_data", "ok", "pending", "warning", "critical"] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];

export type Trend = "rising" | "falling" | "steady";

/** A limit broken whose duration is not up yet: it alerts at `alertsAt` unless the unit recovers first. */
export interface PendingBreach {
  rule: RuleKind;
  /** The first breaching reading. */
  since: number;
  /** `since` plus the rule's duration; the room's check runs at or shortly after it. */
  alertsAt: number;
}

export interface Unit {
  id: string;
  areaId: string;
  name: string;
  kind: UnitKind;
  /** DevEUIs of the unit's sensors. */
  devices: string[];
  latest: LatestReading | null;
  status: UnitStatus;
  /** The breach that alerts first if it lasts; null (or absent, on a record mirrored before it existed) with none. */
  pending?: PendingBreach | null;
  /** Temperature now against about 15 minutes ago; null without two readings to compare. */
  trend: Trend | null;
  /** The rules that apply, each with where it comes from. */
  rules: EffectiveRules;
  /** The rules this unit sets itself. */
  overrides: RuleOverrides;
}

/**
 * The ThingsBoard lifecycle: raised `active_unack`; acknowledged `active_ack`; the
 * condition ends → `cleared_ack`, or `cleared_unack` when nobody reacted first (an
 * acknowledgement then closes that state). An alert stays on the board, open, until it has
 * its corrective action (`resolution`); `cleared_ack` without one still needs it.
 */
export const ALERT_STATES = ["active_unack", "active_ack", "cleared_unack", "cleared_ack"] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const PRODUCT_OUTCOMES = ["kept", "discarded", "partly_discarded", "moved"] as const;
export type ProductOutcome = (typeof PRODUCT_OUTCOMES)[number];

export interface Alert {
  id: string;
  unitId: string;
  rule: RuleKind;
  severity: Severity;
  state: AlertState;
  /**
   * The limit that was broken (°C, volts, or minutes for a stale sensor or an open door), for the words on the board.
   */
  threshold: number;
  /** When the condition began (the first breaching sample). */
  startedAt: number;
  /** When Haven raised it (the condition had lasted long enough); escalation counts from here. */
  raisedAt: number;
  clearedAt: number | null;
  /**
   * The last breaching value, and the worst one (°C for temperature, volts
   * for battery, minutes silent for a stale sensor, 1 for an open door).
   */
  lastValue: number | null;
  peakValue: number | null;
  /** How many runs of breaches this alert covers: a breach again before it is closed reopens it. */
  breaches: number;
  /** The escalation step notified last (0 the first). */
  escalationStep: number;
  /** A silent sensor's alert raised with every unit behind its gateway: that gateway's TTN id. */
  gateway: string | null;
  /** `by` is the user's id, `byName` their name when they did it (staff and viewers cannot list members). */
  ack: { by: string; byName: string; at: number; note: string } | null;
  resolution: {
    by: string;
    byName: string;
    at: number;
    action: string;
    product: ProductOutcome;
    note: string;
    photoId: string | null;
  } | null;
}

/** One step of the escalation policy: who is notified, how long after the alert is raised. */
export interface EscalationStep {
  afterMinutes: number;
  roles: string[];
}

export interface SiteSettings {
  /** Days raw readings (and per-minute rollups) are kept. */
  retentionDays: number;
  /** Days per-hour rollups are kept. */
  rollupRetentionDays: number;
  escalation: EscalationStep[];
  /** Rules set for the whole site. */
  rules: RuleOverrides;
}

export const SITE_SERVER_ROOTS = ["areas", "units", "alerts", "site"] as const;
