/**
 * /rooms/:id/units/:unitId: one unit: where it stands now, its history on a chart, its
 * alerts with what was done about them, a hand-logged reading, and the rules it runs by.
 */
import { A } from "@solidjs/router";
import { createResource, createSignal, For, lazy, onMount, Show, Suspense } from "solid-js";
import type { Alert, Unit } from "../../../../schema/site/records";
import { RULE_KINDS } from "../../../../schema/site/rules";
import { errorMessage, getReadings } from "../../api";
import { roomHref } from "../../links";
import { AckLine, AlertControls, ResolutionLine } from "./AlertActions";
import { LogReading } from "./LogReading";
import {
  ago,
  alertWords,
  celsius,
  clock,
  KIND_WORDS,
  lifecycleOf,
  lifecycleWords,
  RULE_WORDS,
  STATUS_WORDS,
  TREND_ARROWS,
  volts,
} from "./labels";
import { type RuleRow, RulesList } from "./Rules";
import { isOpen, RECENT_ALERT_MS, type SiteStore } from "./store";
import { statusOf } from "./UnitTile";

const UnitChart = lazy(() => import("./UnitChart"));

const HOUR_MS = 60 * 60 * 1000;
const WINDOWS = [
  { id: "6h", label: "6 h", ms: 6 * HOUR_MS },
  { id: "24h", label: "24 h", ms: 24 * HOUR_MS },
  { id: "7d", label: "7 d", ms: 7 * 24 * HOUR_MS },
  { id: "30d", label: "30 d", ms: 30 * 24 * HOUR_MS },
] as const;
type WindowId = (typeof WINDOWS)[number]["id"];

const FROZEN_KINDS = new Set(["freezer", "walk_in_freezer"]);

export function UnitPage(props: {
  store: SiteStore;
  roomId: string;
  unitId: string;
  alertId: string | null;
  nameOf: (userId: string) => string | null;
}) {
  const unit = () => props.store.unit(props.unitId);
  return (
    <Show
      when={unit()}
      fallback={
        <div class="card empty" data-testid="unit-missing">
          <h2>{props.store.units.length === 0 ? "Loading unit…" : "This unit is not in this site"}</h2>
          <A href={roomHref(props.roomId)} class="button button-ghost">
            Back to the board
          </A>
        </div>
      }
    >
      {(u) => <UnitView {...props} unit={u()} />}
    </Show>
  );
}

function UnitView(props: {
  store: SiteStore;
  roomId: string;
  unit: Unit;
  alertId: string | null;
  nameOf: (userId: string) => string | null;
}) {
  const status = () => statusOf(props.unit);
  const area = () => props.store.area(props.unit.areaId);
  const trend = () => (props.unit.trend ? TREND_ARROWS[props.unit.trend] : null);
  const frozen = () => FROZEN_KINDS.has(props.unit.kind);
  const alerts = () => props.store.alertsOf(props.unit.id);
  const openAlerts = () => alerts().filter(isOpen);
  const recentClosed = () =>
    alerts().filter((a) => !isOpen(a) && (a.clearedAt ?? a.raisedAt) > props.store.now() - RECENT_ALERT_MS);
  const ruleRows = (): RuleRow[] =>
    props.unit.rules
      ? RULE_KINDS.map((kind) => ({
          kind,
          rule: props.unit.rules[kind],
          source: props.unit.rules[kind].source,
          own: props.unit.overrides?.[kind] !== undefined,
        }))
      : [];

  return (
    <article class="stack unit-page" data-testid="unit-page" data-unit-id={props.unit.id}>
      <A href={roomHref(props.roomId)} class="back-link">
        ‹ Board
      </A>
      <section class={`card unit-head status-${status()}`} aria-labelledby="unit-title">
        <div class="unit-head-main">
          <h2 id="unit-title" data-testid="unit-title">
            {props.unit.name}
          </h2>
          <p class="muted small">
            {KIND_WORDS[props.unit.kind] ?? props.unit.kind}
            {area() ? ` · ${area()?.name}` : ""}
          </p>
          <span class={`status-chip status-${status()}`} data-testid="unit-status">
            {STATUS_WORDS[status()]}
          </span>
        </div>
        <div class="unit-head-reading">
          <span class="tile-temp" data-testid="unit-temp">
            {celsius(props.unit.latest?.temperature)}
          </span>
          <Show when={trend()}>
            {(t) => (
              <span class="tile-trend">
                <span aria-hidden="true">{t().arrow}</span>
                <span class="sr-only">{t().words}</span>
              </span>
            )}
          </Show>
          <p class="small muted">
            <Show when={props.unit.latest} fallback="No reading yet">
              {(r) => (
                <>
                  {ago(r().at, props.store.now())}
                  <Show when={r().humidity !== null}> · {Math.round(r().humidity ?? 0)} % RH</Show>
                  <Show when={r().battery !== null}> · battery {volts(r().battery ?? 0)}</Show>
                  <Show when={r().doorOpen !== null}> · door {r().doorOpen ? "open" : "closed"}</Show>
                </>
              )}
            </Show>
          </p>
        </div>
      </section>

      <HistoryCard store={props.store} roomId={props.roomId} unit={props.unit} />

      <section class="card unit-section" aria-labelledby="unit-alerts-title" data-testid="unit-alerts">
        <h2 id="unit-alerts-title">Alerts</h2>
        <Show
          when={openAlerts().length > 0 || recentClosed().length > 0}
          fallback={<p class="muted">No alerts in the last 7 days.</p>}
        >
          <ul class="alert-list">
            <For each={[...openAlerts(), ...recentClosed()]}>
              {(alert) => (
                <AlertItem
                  store={props.store}
                  roomId={props.roomId}
                  unitName={props.unit.name}
                  alert={alert}
                  focused={alert.id === props.alertId}
                  nameOf={props.nameOf}
                />
              )}
            </For>
          </ul>
        </Show>
      </section>

      <Show when={props.store.canHandle()}>
        <LogReading store={props.store} roomId={props.roomId} unit={props.unit} />
      </Show>

      <section class="card unit-section" aria-labelledby="unit-rules-title">
        <h2 id="unit-rules-title">Alert rules</h2>
        <Show when={ruleRows().length > 0} fallback={<p class="muted">The rules for this unit are not loaded yet.</p>}>
          <RulesList
            store={props.store}
            rows={ruleRows()}
            scope="unit"
            scopeId={props.unit.id}
            frozen={frozen()}
            testId="unit-rules"
          />
        </Show>
      </section>

      <Show when={props.unit.devices?.length}>
        <section class="card unit-section" aria-labelledby="unit-sensors-title">
          <h2 id="unit-sensors-title">Sensors</h2>
          <ul class="plain-list">
            <For each={props.unit.devices}>{(eui) => <li class="mono">{eui}</li>}</For>
          </ul>
        </section>
      </Show>
    </article>
  );
}

/** Columns asked for on windows over a day: about a wide chart's width in pixels. */
const CHART_COLUMNS = 1200;

function HistoryCard(props: { store: SiteStore; roomId: string; unit: Unit }) {
  const [windowId, setWindowId] = createSignal<WindowId>("6h");
  const span = () => WINDOWS.find((w) => w.id === windowId())?.ms ?? 24 * HOUR_MS;
  // Keyed on the latest reading too: a new reading redraws the chart on every open page.
  const [readings] = createResource(
    () => ({ unitId: props.unit.id, span: span(), latest: props.unit.latest?.at ?? 0 }),
    async (key) => {
      const to = Date.now();
      const from = to - key.span;
      // Past a day a chart has more points than pixels: the server
      // gathers them into about as many columns as it is wide.
      const points = key.span > 24 * HOUR_MS ? CHART_COLUMNS : undefined;
      return { data: await getReadings(props.roomId, key.unitId, from, to, { points }), from, to };
    },
  );
  const shown = () => (readings.error === undefined ? readings.latest : undefined);

  return (
    <section class="card unit-section" aria-labelledby="unit-history-title">
      <div class="board-head">
        <h2 id="unit-history-title">History</h2>
        {/* biome-ignore lint/a11y/useSemanticElements: a fieldset's legend and default
           box break the segmented control; role="group" is its ARIA equivalent */}
        <div class="segmented window-picker" role="group" aria-label="Time window">
          <For each={WINDOWS}>
            {(w) => (
              <button
                type="button"
                aria-pressed={windowId() === w.id}
                onClick={() => setWindowId(w.id)}
                data-testid={`window-${w.id}`}
              >
                {w.label}
              </button>
            )}
          </For>
        </div>
      </div>
      <Show
        when={readings.error === undefined}
        fallback={
          <p class="muted" data-testid="chart-error">
            History can't be loaded right now: {errorMessage(readings.error)}
          </p>
        }
      >
        <Show when={shown()} fallback={<p class="muted chart-placeholder">Loading…</p>}>
          {(loaded) => (
            <Suspense fallback={<p class="muted chart-placeholder">Loading the chart…</p>}>
              {/* Keyed by the window and data, so uPlot is built afresh for each answer. */}
              <Show when={loaded()} keyed>
                {(answer) => <UnitChart data={answer.data} from={answer.from} to={answer.to} />}
              </Show>
            </Suspense>
          )}
        </Show>
      </Show>
    </section>
  );
}

function AlertItem(props: {
  store: SiteStore;
  roomId: string;
  unitName: string;
  alert: Alert;
  focused: boolean;
  nameOf: (userId: string) => string | null;
}) {
  let ref: HTMLLIElement | undefined;
  onMount(() => {
    if (props.focused) ref?.scrollIntoView({ block: "center" });
  });
  return (
    <li
      ref={ref}
      class={`alert-item severity-${props.alert.severity}`}
      classList={{ "alert-item-focused": props.focused, "alert-item-closed": !isOpen(props.alert) }}
      data-testid="alert-item"
      data-alert-id={props.alert.id}
      data-state={props.alert.state}
    >
      <div class="alert-item-head">
        <span class={`chip ${props.alert.severity === "critical" ? "chip-danger" : "chip-warn"}`}>
          {props.alert.severity === "critical" ? "Critical" : "Warning"}
        </span>
        <strong>{RULE_WORDS[props.alert.rule]}</strong>
        <span class="chip chip-muted" data-testid="alert-state" data-lifecycle={lifecycleOf(props.alert)}>
          {lifecycleWords(props.alert)}
        </span>
      </div>
      <p data-testid="alert-words">{alertWords(props.alert, props.store.now())}</p>
      <p class="small muted">
        {/* When it began, from the readings: a late batch of readings raises an alert after it began. */}
        Began {clock(props.alert.startedAt)}
        <Show when={props.alert.clearedAt}>{(at) => <> · back in range {clock(at())}</>}</Show>
        <Show when={props.alert.breaches > 1}> · {props.alert.breaches} breaches</Show>
      </p>
      <AckLine alert={props.alert} nameOf={props.nameOf} />
      <ResolutionLine roomId={props.roomId} alert={props.alert} nameOf={props.nameOf} />
      <AlertControls
        store={props.store}
        roomId={props.roomId}
        alert={props.alert}
        unitName={props.unitName}
        resolveTestId="alert-resolve"
        // Opened from its notification: the corrective action's form is open, ready.
        resolving={props.focused && props.alert.resolution === null && props.store.canHandle()}
      />
    </li>
  );
}
