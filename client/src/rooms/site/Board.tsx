/**
 * The live alert board: every unit as a tile with its temperature, trend, status and the
 * age of its last reading; units that need someone first (critical before warning), then
 * the rest by area. A wall screen runs it full screen, dark and in large type.
 */
import { createMemo, createSignal, For, onCleanup, Show } from "solid-js";
import { MAX_BULK_ACK } from "../../../../schema/site/commands";
import type { Unit, UnitStatus } from "../../../../schema/site/records";
import { Icon } from "../../components/Icon";
import { formatTime } from "../../format";
import { BulkAck } from "./BulkAck";
import { GatewayOutages } from "./GatewayOutages";
import { STATUS_RANK } from "./labels";
import { isOpen, type SiteStore } from "./store";
import { statusOf, UnitTile } from "./UnitTile";

/** The body class that hides the app's chrome when the Fullscreen API is refused or absent. */
const WALL_CLASS = "wall-mode";

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
  /** Units whose sensors went quiet: counted apart, not as out of range. */
  const silent = createMemo(
    () =>
      new Set(
        props.store.alerts
          .filter((a) => a.rule === "stale" && (a.state === "active_unack" || a.state === "active_ack"))
          .map((a) => a.unitId),
      ),
  );
  const waiting = () => props.store.alerts.filter((a) => isOpen(a) && a.ack === null).slice(0, MAX_BULK_ACK);
  const count = (status: UnitStatus[]) =>
    props.store.units.filter((u) => status.includes(statusOf(u)) && !silent().has(u.id)).length;

  return (
    <div class="site-board" classList={{ "site-board-wall": wall.on() }} data-testid="site-board">
      <div class="board-head">
        <WallClock name={props.store.name} now={props.store.now()} on={wall.on()} />
        <div>
          <h2>Live board</h2>
          <p class="muted small board-summary" data-testid="board-summary">
            <Show when={props.store.loaded()} fallback="Connecting…">
              {props.store.units.length} {props.store.units.length === 1 ? "unit" : "units"}
              <Show when={count(["critical"]) > 0}> · {count(["critical"])} critical</Show>
              <Show when={count(["warning", "pending"]) > 0}> · {count(["warning", "pending"])} out of range</Show>
              <Show when={silent().size > 0}> · {silent().size} silent</Show>
              <Show when={count(["no_data"]) > 0}> · {count(["no_data"])} without data</Show>
            </Show>
          </p>
        </div>
        <BulkAck
          store={props.store}
          waiting={waiting()}
          from={2}
          label={`Acknowledge all ${waiting().length}`}
          testId="bulk-ack"
        />
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

      <GatewayOutages store={props.store} />

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

      {/* A wall shows every unit in one grid, those that need someone first, so a site fits one screen. */}
      <Show
        when={!wall.on()}
        fallback={
          <section class="board-group" aria-labelledby="board-all">
            <h3 id="board-all" class="sr-only">
              All units
            </h3>
            <ul class="unit-grid" data-testid="wall-list">
              <For each={[...attention(), ...areaGroups().flatMap((g) => g.units)]}>
                {(unit) => <UnitTile store={props.store} roomId={props.roomId} unit={unit} nameOf={props.nameOf} />}
              </For>
            </ul>
          </section>
        }
      >
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
      </Show>
    </div>
  );
}

/** Wall mode's header: the site's name and the time, ticking, for a screen across the room. */
function WallClock(props: { name: string; now: number; on: boolean }) {
  const time = () => formatTime(new Date(props.now));
  return (
    <Show when={props.on}>
      <div class="wall-head" data-testid="wall-head">
        {/* The room's own heading is hidden with the app's chrome: the wall's is the page's one h1. */}
        <h1 class="wall-site" data-testid="wall-site">
          {props.name}
        </h1>
        <time class="wall-time" datetime={new Date(props.now).toISOString()} data-testid="wall-time">
          {time()}
        </time>
      </div>
    </Show>
  );
}
