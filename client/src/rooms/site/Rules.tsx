/**
 * Alert rules as people read them ("Above 5 °C for 15 min: critical"), each with where it
 * comes from, and, for those who configure the site, a small form per rule to set it for
 * this scope or to go back to the inherited one.
 */
import { createSignal, For, Show } from "solid-js";
import type { RuleOf } from "../../../../schema/site/rules";
import {
  type AnyRule,
  RULE_KINDS,
  type RuleKind,
  type RuleSource,
  SEVERITIES,
  type Severity,
  type TemperatureRule,
} from "../../../../schema/site/rules";
import { errorMessage } from "../../api";
import { Alert as AlertRegion } from "../../components/Alert";
import { showToast } from "../../toast";
import { limit, RULE_WORDS, sourceWords, volts } from "./labels";
import type { SiteStore } from "./store";

/** One rule as it applies at a scope: its values, where they come from, and whether this scope sets it. */
export interface RuleRow {
  kind: RuleKind;
  rule: AnyRule;
  source: RuleSource;
  /** True when this scope sets the rule itself (so "Use inherited" applies). */
  own: boolean;
}

const SEVERITY_WORDS: Record<Severity, string> = { warning: "warning", critical: "critical" };

/** A rule in one line: "Above 5 °C for 15 min (clears 0.5 °C below): critical"; "Off". */
export function ruleWords(kind: RuleKind, rule: AnyRule): string {
  if (!rule.enabled) return "Off";
  const sev = SEVERITY_WORDS[rule.severity];
  switch (kind) {
    case "temperature_high": {
      const r = rule as TemperatureRule;
      return `Above ${limit(r.threshold)} for ${r.durationMinutes} min: ${sev} (clears ${r.hysteresis} °C below)`;
    }
    case "temperature_low": {
      const r = rule as TemperatureRule;
      return `Below ${limit(r.threshold)} for ${r.durationMinutes} min: ${sev} (clears ${r.hysteresis} °C above)`;
    }
    case "stale":
      return `No reading for ${(rule as RuleOf<"stale">).durationMinutes} min: ${sev}`;
    case "battery_low":
      return `Battery below ${volts((rule as RuleOf<"battery_low">).threshold)}: ${sev}`;
    case "door_open":
      return `Door open longer than ${(rule as RuleOf<"door_open">).durationMinutes} min: ${sev}`;
  }
}

/** The rule's own fields, without the `source` an effective rule carries. */
function bare(rule: AnyRule & { source?: RuleSource }): AnyRule {
  const { source: _source, ...rest } = rule;
  return rest as AnyRule;
}

export function RulesList(props: {
  store: SiteStore;
  rows: RuleRow[];
  scope: "site" | "area" | "unit";
  scopeId?: string;
  frozen: boolean;
  testId: string;
}) {
  return (
    <ul class="rule-list" data-testid={props.testId}>
      <For each={props.rows}>
        {(row) => (
          <RuleItem store={props.store} row={row} scope={props.scope} scopeId={props.scopeId} frozen={props.frozen} />
        )}
      </For>
    </ul>
  );
}

function RuleItem(props: {
  store: SiteStore;
  row: RuleRow;
  scope: "site" | "area" | "unit";
  scopeId?: string;
  frozen: boolean;
}) {
  const [editing, setEditing] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const id = (field: string) => `rule-${props.scope}-${props.scopeId ?? "site"}-${props.row.kind}-${field}`;
  const isTemperature = () => props.row.kind === "temperature_high" || props.row.kind === "temperature_low";
  const value = <K extends string>(key: K): number | undefined =>
    (props.row.rule as unknown as Record<K, number | undefined>)[key];

  const send = async (rule: AnyRule | null) => {
    setBusy(true);
    setError(null);
    try {
      const args = {
        scope: props.scope,
        kind: props.row.kind,
        rule: rule as Record<string, unknown> | null,
        ...(props.scopeId ? { scopeId: props.scopeId } : {}),
      };
      const result = await props.store.run("rule.set", args);
      if (result.status === "refused") {
        setError(errorMessage(result.error));
        return;
      }
      if (result.status === "queued") showToast("Saved on this device. It syncs when you are back online.");
      setEditing(false);
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const num = (name: string) => Number(String(form.get(name) ?? "").replace(",", "."));
    const base = { enabled: form.get("enabled") === "on", severity: String(form.get("severity")) as Severity };
    let rule: AnyRule;
    switch (props.row.kind) {
      case "temperature_high":
      case "temperature_low":
        rule = {
          ...base,
          threshold: num("threshold"),
          durationMinutes: num("duration"),
          hysteresis: num("hysteresis"),
        };
        break;
      case "battery_low":
        rule = { ...base, threshold: num("threshold") };
        break;
      default:
        rule = { ...base, durationMinutes: num("duration") };
    }
    void send(rule);
  };

  return (
    <li class="rule-row" data-testid="rule-row" data-rule={props.row.kind} data-source={props.row.source}>
      <div class="rule-main">
        <span class="rule-name">{RULE_WORDS[props.row.kind]}</span>
        <span data-testid="rule-words">{ruleWords(props.row.kind, bare(props.row.rule))}</span>
        <span class="muted small" data-testid="rule-source">
          {sourceWords(props.row.source, props.frozen)}
        </span>
      </div>
      <Show when={props.store.canConfigure() && !editing()}>
        <div class="row">
          <button
            type="button"
            class="button button-ghost button-small"
            onClick={() => setEditing(true)}
            aria-label={`Change the rule: ${RULE_WORDS[props.row.kind]}`}
            data-testid="rule-edit"
          >
            Change
          </button>
          <Show when={props.row.own}>
            <button
              type="button"
              class="button button-ghost button-small"
              disabled={busy()}
              onClick={() => void send(null)}
              aria-label={`Use the inherited rule: ${RULE_WORDS[props.row.kind]}`}
              data-testid="rule-inherit"
            >
              Use inherited
            </button>
          </Show>
        </div>
      </Show>
      <Show when={editing()}>
        <form class="stack action-form rule-form" onSubmit={submit} data-testid="rule-form">
          <label class="switch-row">
            <input type="checkbox" name="enabled" checked={props.row.rule.enabled} />
            <span>Alert on this</span>
          </label>
          <div class="form-grid">
            <Show when={props.row.kind !== "stale" && props.row.kind !== "door_open"}>
              <div class="field">
                <label for={id("threshold")}>{isTemperature() ? "Limit (°C)" : "Below (volts)"}</label>
                <input
                  id={id("threshold")}
                  name="threshold"
                  type="number"
                  step={isTemperature() ? "0.1" : "0.05"}
                  min={isTemperature() ? -60 : 0.5}
                  max={isTemperature() ? 100 : 10}
                  required
                  value={value("threshold") ?? ""}
                  data-testid="rule-threshold"
                />
              </div>
            </Show>
            <Show when={props.row.kind !== "battery_low"}>
              <div class="field">
                <label for={id("duration")}>For at least (minutes)</label>
                <input
                  id={id("duration")}
                  name="duration"
                  type="number"
                  step="1"
                  min={props.row.kind === "stale" ? 5 : 0}
                  max={props.row.kind === "stale" ? 10080 : 1440}
                  required
                  value={value("durationMinutes") ?? ""}
                  data-testid="rule-duration"
                />
              </div>
            </Show>
            <Show when={isTemperature()}>
              <div class="field">
                <label for={id("hysteresis")}>Clears once back by (°C)</label>
                <input
                  id={id("hysteresis")}
                  name="hysteresis"
                  type="number"
                  step="0.1"
                  min="0"
                  max="10"
                  required
                  value={value("hysteresis") ?? ""}
                />
              </div>
            </Show>
            <div class="field">
              <label for={id("severity")}>Severity</label>
              <select id={id("severity")} name="severity" value={props.row.rule.severity}>
                <For each={SEVERITIES}>
                  {(s) => <option value={s}>{s === "critical" ? "Critical" : "Warning"}</option>}
                </For>
              </select>
            </div>
          </div>
          <AlertRegion message={error()} />
          <div class="row">
            <button type="submit" class="button button-primary" disabled={busy()} data-testid="rule-save">
              Save{" "}
              {props.scope === "unit" ? "for this unit" : props.scope === "area" ? "for this area" : "for the site"}
            </button>
            <button type="button" class="button button-ghost" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      </Show>
    </li>
  );
}

/** Every rule kind, in a fixed order. */
export const RULE_ORDER: readonly RuleKind[] = RULE_KINDS;
