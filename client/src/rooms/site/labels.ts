/** The words a site shows for its records: temperatures, ages, statuses, trends, alerts and rules. */
import type { Alert, ProductOutcome, Trend, UnitKind, UnitStatus } from "../../../../schema/site/records";
import type { RuleKind, RuleSource } from "../../../../schema/site/rules";
import { formatDateTime } from "../../format";

const ONE_DECIMAL = new Intl.NumberFormat(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** "4.2 °C" (with a true minus sign: "−18.0 °C"); "—" without a value. */
export function celsius(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return `${ONE_DECIMAL.format(value).replace("-", "−")} °C`;
}

/** A limit as people write it: "5 °C", "−18 °C", "4.5 °C". */
export function limit(value: number): string {
  return `${String(Math.round(value * 10) / 10).replace("-", "−")} °C`;
}

/** A battery's voltage: "2.95 V". */
export function volts(value: number): string {
  return `${Math.round(value * 100) / 100} V`;
}

/** "just now", "40 s ago", "2 min ago", "3 h ago", "4 days ago". */
export function ago(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 10) return "just now";
  if (s < 60) return `${s} s ago`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min ago`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} days ago`;
}

/** "15 min", "2 h 5 min", "3 days". */
export function span(ms: number): string {
  const min = Math.max(0, Math.round(ms / 60_000));
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 === 0 ? `${h} h` : `${h} h ${min % 60} min`;
  return `${Math.floor(h / 24)} days`;
}

export const STATUS_WORDS: Record<UnitStatus, string> = {
  no_data: "No data",
  ok: "OK",
  pending: "Out of range",
  warning: "Warning",
  critical: "Critical",
};

/** How bad a status is, for sorting: the worst first. */
export const STATUS_RANK: Record<UnitStatus, number> = { critical: 0, warning: 1, pending: 2, no_data: 3, ok: 4 };

export const TREND_ARROWS: Record<Trend, { arrow: string; words: string }> = {
  rising: { arrow: "↑", words: "rising" },
  falling: { arrow: "↓", words: "falling" },
  steady: { arrow: "→", words: "steady" },
};

export const KIND_WORDS: Record<UnitKind, string> = {
  fridge: "Fridge",
  freezer: "Freezer",
  display_case: "Display case",
  walk_in_cooler: "Walk-in cooler",
  walk_in_freezer: "Walk-in freezer",
  blast_chiller: "Blast chiller",
};

export const RULE_WORDS: Record<RuleKind, string> = {
  temperature_high: "Too warm",
  temperature_low: "Too cold",
  stale: "No readings",
  battery_low: "Low battery",
  door_open: "Door left open",
  manual_check: "Check by hand overdue",
};

/** Where a rule comes from, in words; `frozen` picks which default is meant. */
export function sourceWords(source: RuleSource, frozen: boolean): string {
  switch (source) {
    case "unit":
      return "set for this unit";
    case "area":
      return "from the area";
    case "site":
      return "from the site";
    default:
      return frozen ? "default (frozen storage)" : "default (FDA cold holding)";
  }
}

export const PRODUCT_WORDS: Record<ProductOutcome, string> = {
  kept: "Product kept",
  discarded: "Product discarded",
  partly_discarded: "Some product discarded",
  moved: "Product moved to another unit",
};

/**
 * Where an alert is in its life, as the board and the unit page show it: one of these per alert.
 * An alert stays on the board until it has its corrective action (`closed`); the state it is
 * in says which of Acknowledge and Record corrective action it still needs.
 */
export type Lifecycle = "active_unack" | "active_ack" | "active_resolved" | "cleared_unack" | "needs_action" | "closed";

export function lifecycleOf(alert: Alert): Lifecycle {
  const active = alert.state === "active_unack" || alert.state === "active_ack";
  if (alert.resolution !== null) return active ? "active_resolved" : "closed";
  if (alert.state === "cleared_ack") return "needs_action";
  return alert.state;
}

/** How each rule's condition reads while it lasts and once it has ended: a silent sensor is not "out of range". */
const CONDITION_WORDS: Record<RuleKind, { on: string; over: string }> = {
  temperature_high: { on: "out of range", over: "Back in range" },
  temperature_low: { on: "out of range", over: "Back in range" },
  stale: { on: "silent", over: "Heard again" },
  battery_low: { on: "battery low", over: "Battery fine again" },
  door_open: { on: "door open", over: "Door closed" },
  manual_check: { on: "check overdue", over: "Checked again" },
};

/** An alert's place in its life in words: "Out of range · not acknowledged", "Heard again · not acknowledged". */
export function lifecycleWords(alert: Alert): string {
  const { on, over } = CONDITION_WORDS[alert.rule];
  const lasting = on.charAt(0).toUpperCase() + on.slice(1);
  const words: Record<Lifecycle, string> = {
    active_unack: `${lasting} · not acknowledged`,
    active_ack: `Acknowledged · still ${on}`,
    active_resolved: `Corrective action recorded · still ${on}`,
    cleared_unack: `${over} · not acknowledged`,
    needs_action: `${over} · corrective action needed`,
    closed: "Closed",
  };
  return words[lifecycleOf(alert)];
}

/** The tile's chip while an alert is open but the unit is back in range. */
export const LIFECYCLE_CHIP: Partial<Record<Lifecycle, string>> = {
  cleared_unack: "Acknowledge",
  needs_action: "Action needed",
};

/**
 * What an alert is, in one line: "Above 5 °C for 25 min, peak 8.1 °C". The time runs
 * from the first breaching reading to now, or to when it cleared.
 */
export function alertWords(alert: Alert, now: number): string {
  const cleared = alert.clearedAt !== null;
  const lasted = span((alert.clearedAt ?? now) - alert.startedAt);
  const was = cleared ? "Was " : "";
  switch (alert.rule) {
    case "temperature_high":
      return (
        `${cleared ? "Was above" : "Above"} ${limit(alert.threshold)} for ` +
        `${lasted}${alert.peakValue !== null ? `, peak ${celsius(alert.peakValue)}` : ""}`
      );
    case "temperature_low":
      return (
        `${cleared ? "Was below" : "Below"} ${limit(alert.threshold)} for ` +
        `${lasted}${alert.peakValue !== null ? `, lowest ${celsius(alert.peakValue)}` : ""}`
      );
    case "stale":
      return `${cleared ? "Had no reading" : "No reading"} for ${lasted}`;
    case "battery_low":
      return (
        `${was}Battery ${alert.lastValue !== null ? `at ${volts(alert.lastValue)}` : "low"} (below ` +
        `${volts(alert.threshold)})`
      );
    case "door_open":
      return `${cleared ? "Door was open" : "Door open"} for ${lasted}`;
    case "manual_check":
      return `${cleared ? "Was not checked by hand" : "Not checked by hand"} for ${lasted}`;
  }
}

/** "Wed 4 Mar, 10:30" for an instant on the board, as every date and time is written. */
export function clock(at: number): string {
  return formatDateTime(at);
}

/** "alerts in 6 min unless it recovers"; once the time is up and the check has not run, "alerting now". */
export function alertsInWords(alertsAt: number, now: number): string {
  const left = alertsAt - now;
  if (left <= 0) return "Time is up: alerting now unless it recovers";
  if (left < 60_000) return "Alerts in under a minute unless it recovers";
  return `Alerts in ${span(Math.ceil(left / 60_000) * 60_000)} unless it recovers`;
}
