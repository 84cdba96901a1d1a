/**
 * One unit on the board: its temperature, trend, status and the age of its last reading,
 * then each alert not yet closed, in one clear state with the actions it still needs
 * (Acknowledge, Record corrective action) right on the tile.
 */
import { A } from "@solidjs/router";
import { For, Show } from "solid-js";
import type { Alert, Unit, UnitStatus } from "../../../../schema/site/records";
import { Icon } from "../../components/Icon";
import { AckLine, AlertControls } from "./AlertActions";
import {
  ago,
  alertsInWords,
  alertWords,
  celsius,
  LIFECYCLE_CHIP,
  lifecycleOf,
  lifecycleWords,
  STATUS_WORDS,
  TREND_ARROWS,
} from "./labels";
import { unitHref } from "./links";
import type { SiteStore } from "./store";

/** A unit's status, never missing: a record mirrored before the rules existed has none. */
export const statusOf = (unit: Unit): UnitStatus => unit.status ?? "no_data";

export function UnitTile(props: {
  store: SiteStore;
  roomId: string;
  unit: Unit;
  nameOf: (userId: string) => string | null;
}) {
  const status = () => statusOf(props.unit);
  const area = () => props.store.area(props.unit.areaId)?.name ?? "";
  const open = () => props.store.openAlertsOf(props.unit.id);
  const trend = () => (props.unit.trend ? TREND_ARROWS[props.unit.trend] : null);
  const latest = () => props.unit.latest;
  const titleId = () => `tile-${props.unit.id}`;
  /** Back in range with an alert still open: the tile says what it waits for, never a green "OK". */
  const waiting = () => {
    if (["warning", "critical", "pending"].includes(status())) return null;
    const first = open()[0];
    return first ? (LIFECYCLE_CHIP[lifecycleOf(first)] ?? null) : null;
  };
  const tone = () => (waiting() ? "attention" : status());

  return (
    <li
      class={`unit-tile card status-${tone()}`}
      data-testid="unit-tile"
      data-unit-id={props.unit.id}
      data-status={status()}
      aria-labelledby={titleId()}
    >
      <div class="tile-head">
        <div class="tile-name">
          <A href={unitHref(props.roomId, props.unit.id)} id={titleId()} class="tile-link" data-testid="unit-link">
            {props.unit.name}
          </A>
          <span class="muted small">{area()}</span>
        </div>
        <span class={`status-chip status-${tone()}`} data-testid="unit-status">
          {waiting() ?? STATUS_WORDS[status()]}
        </span>
      </div>
      <div class="tile-reading">
        <span class="tile-temp" data-testid="unit-temp">
          {celsius(latest()?.temperature)}
        </span>
        <Show when={trend()}>
          {(t) => (
            <span class="tile-trend" data-testid="unit-trend" data-trend={props.unit.trend}>
              <span aria-hidden="true">{t().arrow}</span>
              <span class="sr-only">{t().words}</span>
            </span>
          )}
        </Show>
      </div>
      <Show when={status() === "pending" && props.unit.pending}>
        {(p) => (
          <p class="tile-pending small" data-testid="unit-pending">
            <Icon name="clock" size={14} /> {alertsInWords(p().alertsAt, props.store.now())}
          </p>
        )}
      </Show>
      <p class="tile-age small muted" data-testid="unit-age">
        <Show
          when={latest()}
          fallback={props.unit.devices?.length ? "Waiting for the first reading" : "No sensor assigned"}
        >
          {(r) => (
            <>
              <Icon name="clock" size={14} />{" "}
              <time datetime={new Date(r().at).toISOString()}>{ago(r().at, props.store.now())}</time>
              <Show when={r().doorOpen === true}>
                {" · "}
                <strong class="door-open" data-testid="unit-door-open">
                  Door open
                </strong>
              </Show>
            </>
          )}
        </Show>
      </p>
      <Show when={open().length > 0}>
        <ul class="tile-alerts">
          <For each={open()}>
            {(alert) => (
              <TileAlert
                store={props.store}
                roomId={props.roomId}
                unit={props.unit}
                alert={alert}
                nameOf={props.nameOf}
              />
            )}
          </For>
        </ul>
      </Show>
    </li>
  );
}

function TileAlert(props: {
  store: SiteStore;
  roomId: string;
  unit: Unit;
  alert: Alert;
  nameOf: (userId: string) => string | null;
}) {
  const lifecycle = () => lifecycleOf(props.alert);
  return (
    <li
      class={`tile-alert severity-${props.alert.severity}`}
      data-testid="tile-alert"
      data-alert-id={props.alert.id}
      data-state={props.alert.state}
      data-lifecycle={lifecycle()}
    >
      <p class="tile-alert-what">
        <Icon name="alert" size={14} />{" "}
        <span data-testid="tile-alert-words">{alertWords(props.alert, props.store.now())}</span>
      </p>
      <p class="small tile-alert-state" data-testid="tile-alert-state">
        {lifecycleWords(props.alert)}
      </p>
      <AckLine alert={props.alert} nameOf={props.nameOf} />
      <AlertControls
        store={props.store}
        roomId={props.roomId}
        alert={props.alert}
        unitName={props.unit.name}
        resolveTestId="tile-resolve"
      />
    </li>
  );
}
