/**
 * Alert rules as people read them ("Above 5 °C for 15 min: critical"), each with where it
 * comes from, and, for those who configure the site, a small form per rule to set it for
 * this scope or to go back to the inherited one. A form sends only the fields it changed,
 * based on the rule as it opened, so another manager's change meanwhile is kept or shown.
 */
import { createSignal, For, Show } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
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
import { ConflictNote, conflictId, createEditBase, type EditBase } from "../../components/EditConflict";
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

/** The minutes each rule's duration may take, as schema/site/rules.ts allows (unused by battery_low). */
const DURATION_RANGE: Record<RuleKind, [number, number]> = {
  temperature_high: [0, 1440],
  temperature_low: [0, 1440],
  stale: [5, 10080],
  battery_low: [0, 0],
  door_open: [1, 1440],
  manual_check: [30, 2880],
};

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
    case "manual_check":
      return `A reading logged by hand at least every ${(rule as RuleOf<"manual_check">).durationMinutes} min: ${sev}`;
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

/** A rule's fields as its form edits them. */
type RuleValues = Record<string, unknown>;

/** The form's id suffix of each field a rule may have. */
const FIELD_IDS: Record<string, string> = {
  enabled: "enabled",
  threshold: "threshold",
  durationMinutes: "duration",
  hysteresis: "hysteresis",
  severity: "severity",
};

const FIELD_WORDS: Record<string, string> = {
  enabled: "whether it alerts",
  threshold: "the limit",
  durationMinutes: "the duration",
  hysteresis: "the clearing margin",
  severity: "the severity",
};

function valueWords(field: string, value: unknown): string {
  if (field === "enabled") return value ? "on" : "off";
  if (field === "severity") return value === "critical" ? "critical" : "warning";
  if (field === "durationMinutes") return `${value} min`;
  return String(value);
}

function RuleItem(props: {
  store: SiteStore;
  row: RuleRow;
  scope: "site" | "area" | "unit";
  scopeId?: string;
  frozen: boolean;
}) {
  const [edit, setEdit] = createSignal<EditBase<RuleValues> | null>(null);
  // Numbers stay text while typed ("-", "5."), and become numbers when sent.
  const [draft, setDraft] = createStore<Record<string, string | boolean>>({});
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const id = (field: string) => `rule-${props.scope}-${props.scopeId ?? "site"}-${props.row.kind}-${field}`;
  const isTemperature = () => props.row.kind === "temperature_high" || props.row.kind === "temperature_low";
  const text = (key: string) => String(draft[key] ?? "");

  const open = () => {
    // The rule as the form opens it is what an edit is based on: later changes by others are compared with it.
    const opened = JSON.parse(JSON.stringify(bare(props.row.rule))) as RuleValues;
    const shown = Object.entries(opened).map(([k, v]) => [k, typeof v === "boolean" ? v : String(v)] as const);
    setDraft(reconcile(Object.fromEntries(shown)));
    setError(null);
    setEdit(createEditBase<RuleValues>(opened, "rule."));
  };
  const values = (): RuleValues =>
    Object.fromEntries(
      Object.entries(draft).map(([k, v]) => [
        k,
        typeof v === "string" && k !== "severity" ? Number(v.replace(",", ".")) : v,
      ]),
    );

  const send = async (rule: RuleValues | null, current: EditBase<RuleValues> | null, base?: RuleValues) => {
    setBusy(true);
    setError(null);
    try {
      const args = {
        scope: props.scope,
        kind: props.row.kind,
        rule,
        ...(base ? { base } : {}),
        ...(props.scopeId ? { scopeId: props.scopeId } : {}),
      };
      const result = await props.store.run("rule.set", args);
      if (result.status === "refused") {
        setError(errorMessage(result.error));
        current?.take(result.error);
        return;
      }
      if (result.status === "queued") showToast("Saved on this device. It syncs when you are back online.");
      setEdit(null);
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    const current = edit();
    if (!current) return;
    if (current.pending()) {
      setError("Someone else changed this rule while you were editing it: choose which value to keep below.");
      return;
    }
    // Only what this form changed, onto the rule in force now: another manager's change to another field stays.
    const { changes, base } = current.diff(values());
    void send(changes, current, base);
  };

  const note = (field: string) => (
    <Show when={edit()}>
      {(current) => (
        <ConflictNote
          edit={current()}
          field={field}
          fieldId={id(FIELD_IDS[field] ?? field)}
          label={FIELD_WORDS[field] ?? field}
          theirs={(v) => valueWords(field, v)}
          apply={(v) => setDraft(field, typeof v === "boolean" ? v : String(v))}
        />
      )}
    </Show>
  );
  const describedBy = (field: string) => conflictId(id(FIELD_IDS[field] ?? field));

  return (
    <li class="rule-row" data-testid="rule-row" data-rule={props.row.kind} data-source={props.row.source}>
      <div class="rule-main">
        <span class="rule-name">{RULE_WORDS[props.row.kind]}</span>
        <span data-testid="rule-words">{ruleWords(props.row.kind, bare(props.row.rule))}</span>
        <span class="muted small" data-testid="rule-source">
          {sourceWords(props.row.source, props.frozen)}
        </span>
      </div>
      <Show when={props.store.canConfigure() && !edit()}>
        <div class="row">
          <button
            type="button"
            class="button button-ghost button-small"
            onClick={open}
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
              onClick={() => void send(null, null)}
              aria-label={`Use the inherited rule: ${RULE_WORDS[props.row.kind]}`}
              data-testid="rule-inherit"
            >
              Use inherited
            </button>
          </Show>
        </div>
      </Show>
      <Show when={edit()}>
        <form class="stack action-form rule-form" onSubmit={submit} data-testid="rule-form">
          <label class="switch-row">
            <input
              id={id("enabled")}
              type="checkbox"
              name="enabled"
              checked={draft.enabled === true}
              onChange={(e) => setDraft("enabled", e.currentTarget.checked)}
              aria-describedby={describedBy("enabled")}
            />
            <span>Alert on this</span>
          </label>
          {note("enabled")}
          <div class="form-grid">
            <Show when={isTemperature() || props.row.kind === "battery_low"}>
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
                  value={text("threshold")}
                  onInput={(e) => setDraft("threshold", e.currentTarget.value)}
                  aria-describedby={describedBy("threshold")}
                  data-testid="rule-threshold"
                />
                {note("threshold")}
              </div>
            </Show>
            <Show when={props.row.kind !== "battery_low"}>
              <div class="field">
                <label for={id("duration")}>
                  {props.row.kind === "manual_check" ? "A check at least every (minutes)" : "For at least (minutes)"}
                </label>
                <input
                  id={id("duration")}
                  name="duration"
                  type="number"
                  step="1"
                  min={DURATION_RANGE[props.row.kind][0]}
                  max={DURATION_RANGE[props.row.kind][1]}
                  required
                  value={text("durationMinutes")}
                  onInput={(e) => setDraft("durationMinutes", e.currentTarget.value)}
                  aria-describedby={describedBy("durationMinutes")}
                  data-testid="rule-duration"
                />
                {note("durationMinutes")}
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
                  value={text("hysteresis")}
                  onInput={(e) => setDraft("hysteresis", e.currentTarget.value)}
                  aria-describedby={describedBy("hysteresis")}
                />
                {note("hysteresis")}
              </div>
            </Show>
            <div class="field">
              <label for={id("severity")}>Severity</label>
              <select
                id={id("severity")}
                name="severity"
                value={text("severity")}
                onChange={(e) => setDraft("severity", e.currentTarget.value)}
                aria-describedby={describedBy("severity")}
              >
                <For each={SEVERITIES}>
                  {(s) => <option value={s}>{s === "critical" ? "Critical" : "Warning"}</option>}
                </For>
              </select>
              {note("severity")}
            </div>
          </div>
          <AlertRegion message={error()} />
          <div class="row">
            <button type="submit" class="button button-primary" disabled={busy()} data-testid="rule-save">
              Save{" "}
              {props.scope === "unit" ? "for this unit" : props.scope === "area" ? "for this area" : "for the site"}
            </button>
            <button type="button" class="button button-ghost" onClick={() => setEdit(null)}>
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
