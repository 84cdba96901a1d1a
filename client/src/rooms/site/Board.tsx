/**
 * The live alert board: every unit as a tile with its temperature, trend, status and the
 * age of its last reading; units that need someone first (critical before warning), then
 * the rest by area. A wall screen runs it full screen, dark and in large type.
 */
import { A } from "@solidjs/router";
import { createMemo, createSignal, For, onCleanup, Show } from "solid-js";
import type { Unit, UnitStatus } from "../../../../schema/site/records";
import { Icon } from "../../components/Icon";
import { AckButton, AckLine } from "./AlertActions";
import { ago, alertWords, celsius, STATE_WORDS, STATUS_RANK, STATUS_WORDS, TREND_ARROWS } from "./labels";
import { unitHref } from "./links";
import type { SiteStore } from "./store";

/** The body class that hides the app's chrome when the Fullscreen API is refused or absent. */
const WALL_CLASS = "wall-mode";

/** A unit's status, never missing: a record mirrored before the rules existed has none. */
export const statusOf = (unit: Unit): UnitStatus => unit.status ?? "no_data";

/** Full screen for a wall display, with a "wall mode" class as the fallback; Escape or the button leaves it. */
function useWallMode() {
  const [on, setOn] = createSignal(false);
  const leave = () => {
    document.body.classList.remove(WALL_CLASS);
    setOn(false);
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
  };
  const enter = () => {
    document.body.classList.add(WALL_CLASS);
    setOn(true);
    const root = document.documentElement;
    if (root.requestFullscreen) void root.requestFullscreen().catch(() => {});
  };
  const onFullscreen = () => {
    // The browser's own Escape ends full screen: wall mode ends with it.
    if (!document.fullscreenElement && on()) leave();
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === "Escape" && on()) leave();
  };
  document.addEventListener("fullscreenchange", onFullscreen);
  document.addEventListener("keydown", onKey);
  onCleanup(() => {
    document.removeEventListener("fullscreenchange", onFullscreen);
    document.removeEventListener("keydown", onKey);
    document.body.classList.remove(WALL_CLASS);
  });
  return { on, toggle: () => (on() ? leave() : enter()) };
}

export function Board(props: {
  store: SiteStore;
  roomId: string;
  nameOf: (userId: string) => string | null;
  onSetup?: () => void;
}) {
  const wall = useWallMode();
  const urgency = (unit: Unit): number => {
    const open = props.store.openAlertsOf(unit.id);
    const worst = open[0];
    if (worst) return worst.severity === "critical" ? 0 : 1;
    return 2 + STATUS_RANK[statusOf(unit)];
  };
  const needsSomeone = (unit: Unit) =>
    props.store.openAlertsOf(unit.id).length > 0 || ["pending", "warning", "critical"].includes(statusOf(unit));
  const attention = createMemo(() =>
    props.store.units.filter(needsSomeone).sort((a, b) => urgency(a) - urgency(b) || a.name.localeCompare(b.name)),
  );
  const areaGroups = createMemo(() => {
    const calm = props.store.units.filter((u) => !needsSomeone(u));
    const areas = [...props.store.areas].sort((a, b) => a.name.localeCompare(b.name));
    const known = new Set(areas.map((a) => a.id));
    const groups = areas.map((area) => ({
      id: area.id,
      name: area.name,
      units: calm.filter((u) => u.areaId === area.id),
    }));
    const orphans = calm.filter((u) => !known.has(u.areaId));
    if (orphans.length > 0) groups.push({ id: "", name: "Other units", units: orphans });
    return groups
      .filter((g) => g.units.length > 0)
      .map((g) => ({
        ...g,
        units: g.units.sort(
          (a, b) => STATUS_RANK[statusOf(a)] - STATUS_RANK[statusOf(b)] || a.name.localeCompare(b.name),
        ),
      }));
  });
  const count = (status: UnitStatus[]) => props.store.units.filter((u) => status.includes(statusOf(u))).length;

  return (
    <div class="site-board" classList={{ "site-board-wall": wall.on() }} data-testid="site-board">
      <div class="board-head">
        <div>
          <h2>Live board</h2>
          <p class="muted small board-summary" data-testid="board-summary">
            <Show when={props.store.loaded()} fallback="Connecting…">
              {props.store.units.length} {props.store.units.length === 1 ? "unit" : "units"}
              <Show when={count(["critical"]) > 0}> · {count(["critical"])} critical</Show>
              <Show when={count(["warning", "pending"]) > 0}> · {count(["warning", "pending"])} out of range</Show>
              <Show when={count(["no_data"]) > 0}> · {count(["no_data"])} without data</Show>
            </Show>
          </p>
        </div>
        <button
          type="button"
          class="button button-ghost"
          aria-pressed={wall.on()}
          onClick={() => wall.toggle()}
          data-testid="wall-mode"
        >
          <Icon name="site" />
          {wall.on() ? "Leave full screen" : "Full screen"}
        </button>
      </div>

      {/* Until the room's document is here, nothing says the site is empty: a wall screen that opens, or comes
          back after a blip with no copy of its own, shows this instead of "No units yet". */}
      <Show when={!props.store.loaded()}>
        <div class="card empty" role="status" aria-busy="true" data-testid="board-connecting">
          <h3>Connecting to the site…</h3>
          <p class="muted">Its units and their temperatures show here as soon as the room answers.</p>
        </div>
      </Show>
      <Show when={props.store.loaded() && props.store.units.length === 0}>
        <div class="card empty" data-testid="board-empty">
          <h3>No units yet</h3>
          <p class="muted">
            Add the fridges, freezers and cold rooms of this site, then put a sensor in each. Their temperatures show
            here live.
          </p>
          <Show when={props.store.canConfigure() && props.onSetup}>
            <button type="button" class="button button-primary" onClick={() => props.onSetup?.()}>
              <Icon name="plus" />
              Set up the site
            </button>
          </Show>
        </div>
      </Show>

      <Show when={attention().length > 0}>
        <section class="board-group" aria-labelledby="board-attention">
          <h3 id="board-attention" class="group-title">
            Needs attention
          </h3>
          <ul class="unit-grid" data-testid="attention-list">
            <For each={attention()}>
              {(unit) => <UnitTile store={props.store} roomId={props.roomId} unit={unit} nameOf={props.nameOf} />}
            </For>
          </ul>
        </section>
      </Show>

      <For each={areaGroups()}>
        {(group) => (
          <section class="board-group" aria-labelledby={`board-area-${group.id || "other"}`}>
            <h3 id={`board-area-${group.id || "other"}`} class="group-title">
              {group.name}
            </h3>
            <ul class="unit-grid">
              <For each={group.units}>
                {(unit) => <UnitTile store={props.store} roomId={props.roomId} unit={unit} nameOf={props.nameOf} />}
              </For>
            </ul>
          </section>
        )}
      </For>
    </div>
  );
}

/** One unit on the board. */
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

  return (
    <li
      class={`unit-tile card status-${status()}`}
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
        <span class={`status-chip status-${status()}`} data-testid="unit-status">
          {STATUS_WORDS[status()]}
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
              <li
                class={`tile-alert severity-${alert.severity}`}
                data-testid="tile-alert"
                data-alert-id={alert.id}
                data-state={alert.state}
              >
                <p class="tile-alert-what">
                  <Icon name="alert" size={14} />{" "}
                  <span data-testid="tile-alert-words">{alertWords(alert, props.store.now())}</span>
                </p>
                <p class="small muted">{STATE_WORDS[alert.state]}</p>
                <AckLine alert={alert} nameOf={props.nameOf} />
                <Show when={props.store.canHandle()}>
                  <div class="row">
                    <Show when={alert.ack === null}>
                      <AckButton store={props.store} alert={alert} unitName={props.unit.name} />
                    </Show>
                    <Show when={alert.resolution === null}>
                      <A
                        href={unitHref(props.roomId, props.unit.id, alert.id)}
                        class="button button-ghost button-small"
                        data-testid="tile-resolve"
                        aria-label={`Resolve the alert on ${props.unit.name}`}
                      >
                        Resolve
                      </A>
                    </Show>
                  </div>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </li>
  );
}
