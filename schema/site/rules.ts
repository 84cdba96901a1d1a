/**
 * A site's alert rules, as pure functions: what each rule is, its defaults for each kind
 * of unit (FDA Food Code cold holding ≤ 5 °C / 41 °F; freezers ≤ −18 °C / 0 °F), which rule
 * applies to a unit (unit, else its area, else the site, else the default), and one step
 * of a rule's evaluation on a new sample, with its duration and hysteresis.
 */
import { z } from "zod";
import type { UnitKind } from "./unit-kinds";

export const RULE_KINDS = [
  "temperature_high",
  "temperature_low",
  "stale",
  "battery_low",
  "door_open",
  "manual_check",
] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const SEVERITIES = ["warning", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

const severity = z.enum(SEVERITIES);
const minutes = (min: number, max: number) => z.number().int().min(min).max(max);

/** A temperature limit in °C, held for `durationMinutes` before it alerts, cleared only `hysteresis` °C back inside. */
const temperatureRule = z
  .object({
    enabled: z.boolean(),
    threshold: z.number().finite().min(-60).max(100),
    durationMinutes: minutes(0, 1440),
    hysteresis: z.number().finite().min(0).max(10),
    severity,
  })
  .strict();

export const ruleSchemas = {
  temperature_high: temperatureRule,
  temperature_low: temperatureRule,
  /** No reading from any of the unit's sensors for `durationMinutes`. */
  stale: z.object({ enabled: z.boolean(), durationMinutes: minutes(5, 10080), severity }).strict(),
  /**
   * Battery below `threshold` volts (what sensors' decoders
   * report); clears once it is `BATTERY_HYSTERESIS` volts above.
   */
  battery_low: z.object({ enabled: z.boolean(), threshold: z.number().finite().min(0.5).max(10), severity }).strict(),
  /** The door open for longer than `durationMinutes`. */
  door_open: z.object({ enabled: z.boolean(), durationMinutes: minutes(1, 1440), severity }).strict(),
  /** A reading logged by hand at least every `durationMinutes` (half an hour to two days); a missed check alerts. */
  manual_check: z.object({ enabled: z.boolean(), durationMinutes: minutes(30, 2880), severity }).strict(),
} as const;

export type TemperatureRule = z.infer<typeof temperatureRule>;
export type RuleOf<K extends RuleKind> = z.infer<(typeof ruleSchemas)[K]>;
export type AnyRule = { [K in RuleKind]: RuleOf<K> }[RuleKind];
export type RuleSet = { [K in RuleKind]: RuleOf<K> };
/** The rules a site, area or unit sets itself; the others it inherits. */
export type RuleOverrides = Partial<RuleSet>;

/**
 * Volts above the threshold before a low-battery alert clears, so
 * a battery hovering at it (it sags in the cold) does not flap.
 */
export const BATTERY_HYSTERESIS = 0.1;

/** Where a unit's rule comes from. */
export type RuleSource = "unit" | "area" | "site" | "default";
export type EffectiveRules = { [K in RuleKind]: RuleOf<K> & { source: RuleSource } };

const FREEZERS: readonly UnitKind[] = ["freezer", "walk_in_freezer"];

/** Defaults for a kind of unit: FDA cold holding (≤ 5 °C) for chilled units, ≤ −18 °C for freezers. */
export function defaultRules(kind: UnitKind): RuleSet {
  const frozen = FREEZERS.includes(kind);
  return {
    temperature_high: {
      enabled: true,
      threshold: frozen ? -18 : 5,
      durationMinutes: frozen ? 30 : 15,
      hysteresis: frozen ? 1 : 0.5,
      severity: "critical",
    },
    // Off unless a manager turns it on: many chilled units run near 0 °C on purpose.
    temperature_low: {
      enabled: false,
      threshold: frozen ? -30 : 0,
      durationMinutes: 30,
      hysteresis: 0.5,
      severity: "warning",
    },
    stale: { enabled: true, durationMinutes: 15, severity: "warning" },
    // Lithium thionyl chloride cells (3.6 V nominal, as in most
    // LoRaWAN probes) are near their end below about 2.7 V under load.
    battery_low: { enabled: true, threshold: 2.7, severity: "warning" },
    door_open: { enabled: true, durationMinutes: 10, severity: "warning" },
    // Off unless a site asks for checks by hand (every 4 hours is common for units without a sensor).
    manual_check: { enabled: false, durationMinutes: 240, severity: "warning" },
  };
}

/** The rule of each kind that applies to a unit: the nearest scope that sets it, else the default. */
export function effectiveRules(
  kind: UnitKind,
  scopes: { unit?: RuleOverrides; area?: RuleOverrides; site?: RuleOverrides },
): EffectiveRules {
  const defaults = defaultRules(kind);
  const pick = <K extends RuleKind>(rule: K): RuleOf<K> & { source: RuleSource } => {
    for (const source of ["unit", "area", "site"] as const) {
      const set: RuleOf<K> | undefined = scopes[source]?.[rule];
      if (set) return { ...set, source };
    }
    return { ...defaults[rule], source: "default" };
  };
  return {
    temperature_high: pick("temperature_high"),
    temperature_low: pick("temperature_low"),
    stale: pick("stale"),
    battery_low: pick("battery_low"),
    door_open: pick("door_open"),
    manual_check: pick("manual_check"),
  };
}

/** One sample as a rule sees it: whether it breaks the rule, and whether it is far enough back inside to clear it. */
export interface Sample {
  at: number;
  value: number;
  breaching: boolean;
  clearing: boolean;
}

/** A reading, judged against one rule; null when the reading says nothing the rule looks at. */
export function sampleFor(
  kind: Exclude<RuleKind, "stale" | "manual_check">,
  rule: AnyRule,
  reading: { at: number; temperature: number | null; battery: number | null; doorOpen: boolean | null },
): Sample | null {
  const { at } = reading;
  switch (kind) {
    case "temperature_high": {
      const { threshold, hysteresis } = rule as TemperatureRule;
      const t = reading.temperature;
      return t === null
        ? null
        : {
            at,
            value: t,
            breaching: t > threshold,
            clearing: t < threshold - hysteresis || (hysteresis === 0 && t <= threshold),
          };
    }
    case "temperature_low": {
      const { threshold, hysteresis } = rule as TemperatureRule;
      const t = reading.temperature;
      return t === null
        ? null
        : {
            at,
            value: t,
            breaching: t < threshold,
            clearing: t > threshold + hysteresis || (hysteresis === 0 && t >= threshold),
          };
    }
    case "battery_low": {
      const { threshold } = rule as RuleOf<"battery_low">;
      const b = reading.battery;
      // Rounded to the millivolt: 2.7 + 0.1 is 2.8000000000000003 in floating point, and a 2.8 V reading must clear.
      return b === null
        ? null
        : {
            at,
            value: b,
            breaching: b < threshold,
            clearing: b >= Math.round((threshold + BATTERY_HYSTERESIS) * 1000) / 1000,
          };
    }
    case "door_open": {
      const open = reading.doorOpen;
      return open === null ? null : { at, value: open ? 1 : 0, breaching: open, clearing: !open };
    }
  }
}

/** How long a rule's condition must hold before it alerts. */
export function durationMsOf(kind: RuleKind, rule: AnyRule): number {
  if (kind === "battery_low") return 0;
  return (rule as { durationMinutes: number }).durationMinutes * 60_000;
}

/** Where a unit stands against one rule between samples. */
export interface RuleState {
  /** When the current run of breaching samples began; null when inside the limits. */
  breachSince: number | null;
  /** Whether an alert for this rule is active (raised and not yet cleared). */
  alertActive: boolean;
}

export type Step =
  /** Inside the limits, nothing open. */
  | "normal"
  /** Breaching, but not yet for the rule's duration. */
  | "pending"
  /** Breaching for the duration: an alert is raised (or a cleared one reopened). */
  | "raise"
  /** Still breaching while the alert is active: it is extended. */
  | "extend"
  /** Back inside past the hysteresis: the active alert clears. */
  | "clear"
  /** Between the limit and its hysteresis while the alert is active: it stays active. */
  | "hold";

/** One step of a rule on a new sample. */
export function step(durationMs: number, state: RuleState, sample: Sample): { step: Step; state: RuleState } {
  if (sample.breaching) {
    const breachSince = state.breachSince ?? sample.at;
    if (state.alertActive) return { step: "extend", state: { breachSince, alertActive: true } };
    if (sample.at - breachSince >= durationMs) return { step: "raise", state: { breachSince, alertActive: true } };
    return { step: "pending", state: { breachSince, alertActive: false } };
  }
  if (sample.clearing) {
    return { step: state.alertActive ? "clear" : "normal", state: { breachSince: null, alertActive: false } };
  }
  // Inside the limit but not past the hysteresis: an active alert holds (hysteresis only
  // delays clearing); a breach not yet alerted is over, so its duration starts again.
  if (state.alertActive) return { step: "hold", state };
  return { step: "normal", state: { breachSince: null, alertActive: false } };
}
