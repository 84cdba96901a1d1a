import { describe, expect, it } from "vitest";
import { UNIT_KINDS, type UnitKind } from "./records";
import {
  BATTERY_HYSTERESIS,
  defaultRules,
  durationMsOf,
  effectiveRules,
  RULE_KINDS,
  type RuleOf,
  type RuleOverrides,
  type RuleState,
  ruleSchemas,
  type Step,
  sampleFor,
  step,
  type TemperatureRule,
} from "./rules";

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
const FREEZERS: UnitKind[] = ["freezer", "walk_in_freezer"];
const CHILLED: UnitKind[] = ["fridge", "display_case", "walk_in_cooler", "blast_chiller"];

const fresh: RuleState = { breachSince: null, alertActive: false };

/** A reading with only a temperature, `minutes` after T0. */
const temp = (minutes: number, temperature: number) => ({
  at: T0 + minutes * MINUTE,
  temperature,
  battery: null,
  doorOpen: null,
});

/**
 * Runs a rule over a series of readings as the site's monitor does (sampleFor, then step),
 * and gives the step each reading caused, with the state after the last.
 */
function run(
  kind: "temperature_high" | "temperature_low" | "battery_low" | "door_open",
  rule: RuleOf<typeof kind>,
  readings: { at: number; temperature: number | null; battery: number | null; doorOpen: boolean | null }[],
  start: RuleState = fresh,
): { steps: Step[]; state: RuleState } {
  const durationMs = durationMsOf(kind, rule);
  let state = start;
  const steps: Step[] = [];
  for (const reading of readings) {
    const sample = sampleFor(kind, rule, reading);
    if (!sample) throw new Error(`no sample for ${JSON.stringify(reading)}`);
    const next = step(durationMs, state, sample);
    steps.push(next.step);
    state = next.state;
  }
  return { steps, state };
}

/** Readings every `everyMinutes` from `fromMinute`, one per value. */
const series = (fromMinute: number, everyMinutes: number, values: number[]) =>
  values.map((v, i) => temp(fromMinute + i * everyMinutes, v));

const fridgeHigh = defaultRules("fridge").temperature_high;

describe("defaultRules", () => {
  it.each(CHILLED)(
    "holds a chilled %s at or below 5 °C (FDA cold holding), 15 minutes, 0.5 °C back to clear, critical",
    (kind) => {
      expect(defaultRules(kind).temperature_high).toEqual({
        enabled: true,
        threshold: 5,
        durationMinutes: 15,
        hysteresis: 0.5,
        severity: "critical",
      });
      expect(defaultRules(kind).temperature_low).toMatchObject({ enabled: false, threshold: 0 });
    },
  );

  it.each(FREEZERS)("holds a %s at or below −18 °C, 30 minutes (defrost cycles), 1 °C back to clear", (kind) => {
    expect(defaultRules(kind).temperature_high).toEqual({
      enabled: true,
      threshold: -18,
      durationMinutes: 30,
      hysteresis: 1,
      severity: "critical",
    });
    expect(defaultRules(kind).temperature_low).toMatchObject({ enabled: false, threshold: -30 });
  });

  it("covers every kind of unit, and every default passes its own rule schema", () => {
    expect([...CHILLED, ...FREEZERS].sort()).toEqual([...UNIT_KINDS].sort());
    for (const kind of UNIT_KINDS) {
      const rules = defaultRules(kind);
      expect(rules.stale).toEqual({ enabled: true, durationMinutes: 15, severity: "warning" });
      expect(rules.battery_low).toEqual({ enabled: true, threshold: 2.7, severity: "warning" });
      expect(rules.door_open).toEqual({ enabled: true, durationMinutes: 10, severity: "warning" });
      for (const [name, rule] of Object.entries(rules))
        expect(ruleSchemas[name as keyof typeof ruleSchemas].safeParse(rule).success, `${kind} ${name}`).toBe(true);
    }
  });

  it("gives each call its own objects, so changing one unit's rules does not change another's", () => {
    const a = defaultRules("fridge");
    a.temperature_high.threshold = 99;
    expect(defaultRules("fridge").temperature_high.threshold).toBe(5);
  });
});

describe("ruleSchemas", () => {
  it("refuses a rule with a field of another kind or out of range", () => {
    expect(ruleSchemas.temperature_high.safeParse({ ...fridgeHigh, durationMinutes: -1 }).success).toBe(false);
    expect(ruleSchemas.temperature_high.safeParse({ ...fridgeHigh, threshold: 150 }).success).toBe(false);
    expect(ruleSchemas.stale.safeParse({ enabled: true, durationMinutes: 2, severity: "warning" }).success).toBe(false);
    expect(
      ruleSchemas.door_open.safeParse({ enabled: true, durationMinutes: 5, severity: "warning", threshold: 1 }).success,
    ).toBe(false);
  });
});

describe("effectiveRules: unit, else area, else site, else the default", () => {
  const siteHigh: TemperatureRule = {
    enabled: true,
    threshold: 6,
    durationMinutes: 20,
    hysteresis: 0.5,
    severity: "critical",
  };
  const areaHigh: TemperatureRule = { ...siteHigh, threshold: 7 };
  const unitHigh: TemperatureRule = { ...siteHigh, threshold: 8, severity: "warning" };
  const siteStale = { enabled: true, durationMinutes: 60, severity: "warning" } as const;

  it("takes the defaults of the unit's kind with nothing set", () => {
    const rules = effectiveRules("walk_in_freezer", {});
    expect(rules.temperature_high).toEqual({ ...defaultRules("walk_in_freezer").temperature_high, source: "default" });
    expect(Object.values(rules).map((r) => r.source)).toEqual(RULE_KINDS.map(() => "default"));
  });

  it("takes the nearest scope that sets a rule, and says where it came from", () => {
    const scopes = (unit?: RuleOverrides, area?: RuleOverrides, site?: RuleOverrides) => ({ unit, area, site });
    expect(
      effectiveRules("fridge", scopes(undefined, undefined, { temperature_high: siteHigh })).temperature_high,
    ).toEqual({ ...siteHigh, source: "site" });
    expect(
      effectiveRules("fridge", scopes(undefined, { temperature_high: areaHigh }, { temperature_high: siteHigh }))
        .temperature_high,
    ).toEqual({ ...areaHigh, source: "area" });
    expect(
      effectiveRules(
        "fridge",
        scopes({ temperature_high: unitHigh }, { temperature_high: areaHigh }, { temperature_high: siteHigh }),
      ).temperature_high,
    ).toEqual({
      ...unitHigh,
      source: "unit",
    });
  });

  it("inherits rule by rule: a unit that sets one kind still inherits the others", () => {
    const rules = effectiveRules("fridge", {
      unit: { temperature_high: unitHigh },
      area: {},
      site: { stale: siteStale },
    });
    expect(rules.temperature_high.source).toBe("unit");
    expect(rules.stale).toEqual({ ...siteStale, source: "site" });
    expect(rules.battery_low).toEqual({ ...defaultRules("fridge").battery_low, source: "default" });
  });

  it("keeps a rule a scope turned off: disabled at the unit is not re-enabled by the site", () => {
    const off = { ...unitHigh, enabled: false };
    const rules = effectiveRules("fridge", { unit: { temperature_high: off }, site: { temperature_high: siteHigh } });
    expect(rules.temperature_high).toEqual({ ...off, source: "unit" });
  });

  it("uses the kind's defaults for what no scope sets (a freezer in an area of fridges keeps −18 °C)", () => {
    const rules = effectiveRules("freezer", {
      area: { door_open: { enabled: false, durationMinutes: 5, severity: "warning" } },
    });
    expect(rules.temperature_high.threshold).toBe(-18);
    expect(rules.door_open.source).toBe("area");
  });
});

describe("sampleFor", () => {
  it("judges temperature_high: above the limit breaches; only below limit − hysteresis clears", () => {
    const s = (t: number) => sampleFor("temperature_high", fridgeHigh, temp(0, t));
    expect(s(5.1)).toEqual({ at: T0, value: 5.1, breaching: true, clearing: false });
    expect(s(5)).toMatchObject({ breaching: false, clearing: false }); // at the limit is still within it
    expect(s(4.8)).toMatchObject({ breaching: false, clearing: false });
    expect(s(4.5)).toMatchObject({ breaching: false, clearing: false });
    expect(s(4.4)).toMatchObject({ breaching: false, clearing: true });
  });

  it("judges temperature_low the other way round", () => {
    const low: TemperatureRule = {
      enabled: true,
      threshold: 0,
      durationMinutes: 30,
      hysteresis: 0.5,
      severity: "warning",
    };
    const s = (t: number) => sampleFor("temperature_low", low, temp(0, t));
    expect(s(-0.1)).toMatchObject({ breaching: true, clearing: false });
    expect(s(0.3)).toMatchObject({ breaching: false, clearing: false });
    expect(s(0.6)).toMatchObject({ breaching: false, clearing: true });
  });

  it("clears at the limit itself when the hysteresis is 0", () => {
    const exact = { ...fridgeHigh, hysteresis: 0 };
    expect(sampleFor("temperature_high", exact, temp(0, 5))).toMatchObject({ breaching: false, clearing: true });
    expect(sampleFor("temperature_low", { ...exact, threshold: 0 }, temp(0, 0))).toMatchObject({
      breaching: false,
      clearing: true,
    });
  });

  it("judges the battery in volts, clearing BATTERY_HYSTERESIS above the threshold", () => {
    const rule = defaultRules("fridge").battery_low;
    const s = (battery: number) => sampleFor("battery_low", rule, { at: T0, temperature: 3, battery, doorOpen: null });
    expect(BATTERY_HYSTERESIS).toBe(0.1);
    expect(s(2.6)).toMatchObject({ value: 2.6, breaching: true, clearing: false });
    expect(s(2.7)).toMatchObject({ breaching: false, clearing: false });
    expect(s(2.75)).toMatchObject({ breaching: false, clearing: false });
    expect(s(2.85)).toMatchObject({ breaching: false, clearing: true });
  });

  it("judges the door: open breaches (value 1), closed clears (value 0)", () => {
    const rule = defaultRules("walk_in_cooler").door_open;
    expect(sampleFor("door_open", rule, { at: T0, temperature: null, battery: null, doorOpen: true })).toEqual({
      at: T0,
      value: 1,
      breaching: true,
      clearing: false,
    });
    expect(sampleFor("door_open", rule, { at: T0, temperature: null, battery: null, doorOpen: false })).toEqual({
      at: T0,
      value: 0,
      breaching: false,
      clearing: true,
    });
  });

  it("says nothing about a reading without the field the rule looks at", () => {
    const none = { at: T0, temperature: null, battery: null, doorOpen: null };
    expect(sampleFor("temperature_high", fridgeHigh, none)).toBeNull();
    expect(sampleFor("temperature_low", defaultRules("fridge").temperature_low, none)).toBeNull();
    expect(sampleFor("battery_low", defaultRules("fridge").battery_low, { ...none, temperature: 4 })).toBeNull();
    expect(
      sampleFor("door_open", defaultRules("fridge").door_open, { ...none, temperature: 4, battery: 3.6 }),
    ).toBeNull();
  });
});

describe("durationMsOf", () => {
  it("is the rule's minutes in ms; a low battery needs no duration", () => {
    expect(durationMsOf("temperature_high", fridgeHigh)).toBe(15 * MINUTE);
    expect(durationMsOf("stale", defaultRules("fridge").stale)).toBe(15 * MINUTE);
    expect(durationMsOf("door_open", defaultRules("fridge").door_open)).toBe(10 * MINUTE);
    expect(durationMsOf("battery_low", defaultRules("fridge").battery_low)).toBe(0);
  });
});

describe("step: above 5 °C for 15 minutes", () => {
  it("raises only once 15 minutes of breaching samples have passed, dated from the first", () => {
    // A fridge warming up, read every 5 minutes: 5.6 at minute 10 starts the run; 15 minutes later it alerts.
    const { steps, state } = run("temperature_high", fridgeHigh, series(0, 5, [3.2, 4.1, 5.6, 6.0, 6.3, 6.8]));
    expect(steps).toEqual(["normal", "normal", "pending", "pending", "pending", "raise"]);
    expect(state).toEqual({ breachSince: T0 + 10 * MINUTE, alertActive: true });
  });

  it("does not raise a minute early", () => {
    const { steps } = run("temperature_high", fridgeHigh, [temp(0, 6), temp(14, 6), temp(14.99, 6), temp(15, 6)]);
    expect(steps).toEqual(["pending", "pending", "pending", "raise"]);
  });

  it("lets a single door-open spike pass: one warm sample, then back to 3 °C", () => {
    const { steps, state } = run("temperature_high", fridgeHigh, series(0, 5, [3.1, 7.4, 3.3, 3.0, 3.2, 3.1, 3.0]));
    expect(steps).toEqual(["normal", "pending", "normal", "normal", "normal", "normal", "normal"]);
    expect(state).toEqual(fresh);
  });

  it("restarts the duration when a clearing sample interrupts the run", () => {
    // 10 minutes warm, one sample back at 4 °C, then warm again: the 15 minutes count from the second run.
    const { steps, state } = run("temperature_high", fridgeHigh, [
      temp(0, 6),
      temp(10, 6),
      temp(12, 4),
      temp(14, 6),
      temp(20, 6),
      temp(28, 6),
      temp(29, 6),
    ]);
    expect(steps).toEqual(["pending", "pending", "normal", "pending", "pending", "pending", "raise"]);
    expect(state.breachSince).toBe(T0 + 14 * MINUTE);
  });

  it("raises at once with a duration of 0", () => {
    expect(run("temperature_high", { ...fridgeHigh, durationMinutes: 0 }, [temp(0, 5.2)]).steps).toEqual(["raise"]);
  });

  it("extends an active alert while it stays warm, keeping when the breach began", () => {
    const { steps, state } = run("temperature_high", fridgeHigh, series(0, 5, [6, 6, 6, 6, 7, 8, 7]));
    expect(steps).toEqual(["pending", "pending", "pending", "raise", "extend", "extend", "extend"]);
    expect(state).toEqual({ breachSince: T0, alertActive: true });
  });

  it("extends (never raises twice) when the monitor already has the alert open", () => {
    const { steps } = run("temperature_high", fridgeHigh, [temp(0, 9)], { breachSince: null, alertActive: true });
    expect(steps).toEqual(["extend"]);
  });
});

describe("step: hysteresis", () => {
  const active = () => run("temperature_high", fridgeHigh, series(0, 5, [6, 6, 6, 6]));

  it("holds an active alert at 4.8 °C (inside the limit, not 0.5 °C inside) and clears below 4.5 °C", () => {
    const raised = active();
    expect(raised.steps.at(-1)).toBe("raise");
    const after = run("temperature_high", fridgeHigh, series(20, 5, [4.9, 4.8, 4.6, 4.5, 4.4, 4.0]), raised.state);
    expect(after.steps).toEqual(["hold", "hold", "hold", "hold", "clear", "normal"]);
    expect(after.state).toEqual(fresh);
  });

  it("keeps the alert when a held unit goes warm again: extend, not a second raise", () => {
    const after = run("temperature_high", fridgeHigh, series(20, 5, [4.8, 5.4]), active().state);
    expect(after.steps).toEqual(["hold", "extend"]);
    expect(after.state.alertActive).toBe(true);
  });

  it("needs the full duration again after a clear (a breach again reopens only when it lasts)", () => {
    const cleared = run("temperature_high", fridgeHigh, series(20, 5, [4.0]), active().state);
    expect(cleared.steps).toEqual(["clear"]);
    const again = run("temperature_high", fridgeHigh, series(30, 5, [6, 6, 6, 6]), cleared.state);
    expect(again.steps).toEqual(["pending", "pending", "pending", "raise"]);
  });

  it("clears a freezer only below −19 °C (threshold −18, hysteresis 1)", () => {
    const freezerHigh = defaultRules("freezer").temperature_high;
    const raised = run("temperature_high", freezerHigh, series(0, 10, [-15, -15, -15, -15]));
    expect(raised.steps).toEqual(["pending", "pending", "pending", "raise"]);
    const after = run("temperature_high", freezerHigh, series(40, 10, [-18.5, -19, -19.2]), raised.state);
    expect(after.steps).toEqual(["hold", "hold", "clear"]);
  });

  // A fridge at 5.1 °C once and then 4.6–4.9 °C for 15 minutes was never "above 5 °C for 15 minutes":
  // hysteresis only delays clearing an active alert.
  it("restarts the duration when a pending run dips back within the limit, even inside the hysteresis band", () => {
    const { steps } = run("temperature_high", fridgeHigh, [temp(0, 5.1), temp(5, 4.8), temp(10, 4.9), temp(15, 5.1)]);
    expect(steps.at(-1)).toBe("pending");
  });
});

describe("step: door and battery", () => {
  const door = (minutes: number, open: boolean) => ({
    at: T0 + minutes * MINUTE,
    temperature: null,
    battery: null,
    doorOpen: open,
  });
  const battery = (minutes: number, volts: number) => ({
    at: T0 + minutes * MINUTE,
    temperature: null,
    battery: volts,
    doorOpen: null,
  });
  const doorRule = defaultRules("walk_in_cooler").door_open;
  const batteryRule = defaultRules("fridge").battery_low;

  it("raises an open door after 10 minutes, not for a delivery that closes it in 4", () => {
    expect(run("door_open", doorRule, [door(0, true), door(4, false)]).steps).toEqual(["pending", "normal"]);
    expect(run("door_open", doorRule, [door(0, true), door(5, true), door(10, true), door(12, false)]).steps).toEqual([
      "pending",
      "pending",
      "raise",
      "clear",
    ]);
  });

  it("raises a low battery on the first low reading and clears it only 0.1 V above the threshold", () => {
    const { steps, state } = run("battery_low", batteryRule, [
      battery(0, 2.9),
      battery(60, 2.65),
      battery(120, 2.72),
      battery(180, 2.68),
      battery(240, 2.75),
      battery(300, 3.6),
    ]);
    expect(steps).toEqual(["normal", "raise", "hold", "extend", "hold", "clear"]);
    expect(state).toEqual(fresh);
  });

  // 2.7 + BATTERY_HYSTERESIS is 2.8000000000000003 in floating point; a reading of exactly 2.8 V
  // (decoders round to 0.01 or 0.001 V) must still clear.
  it("clears a low battery at exactly 0.1 V above the threshold", () => {
    expect(sampleFor("battery_low", batteryRule, battery(0, 2.8))).toMatchObject({ clearing: true });
  });
});
