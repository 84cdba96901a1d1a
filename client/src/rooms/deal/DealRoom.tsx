/**
 * A deal's front page. Before the deal is set up: the setup form for those who may change the deal, a "being
 * set up" note for everyone else. Then a header (address, stage, days to closing) and, for the team, the summary,
 * the buyer timeline, the board, the activity feed and the checklists as tabs; for a buyer (and anyone who does
 * not see internal data), the buyer timeline alone. One task has its own page (see manifest.tsx).
 */
import { createSignal, Match, Show, Switch } from "solid-js";
import type { Deal } from "../../../../schema/deal/records";
import { ChecklistBoard } from "../../components/ChecklistBoard";
import { TabList } from "../../components/TabList";
import type { RoomPageProps } from "../kind";
import { Activity } from "./Activity";
import { Board } from "./Board";
import { DealBeingSetUp, DealSetup } from "./DealSetup";
import { closingWords } from "./labels";
import { Summary } from "./Summary";
import type { DealStore } from "./store";
import { Timeline } from "./Timeline";

type Tab = "summary" | "timeline" | "board" | "activity" | "checklists";
const TEAM_TABS: { id: Tab; label: string }[] = [
  { id: "summary", label: "Summary" },
  { id: "timeline", label: "Timeline" },
  { id: "board", label: "Board" },
  { id: "activity", label: "Activity" },
  { id: "checklists", label: "Checklists" },
];

/** The tab each deal was left on, so coming back from a task lands where the user was. */
const lastTab = new Map<string, Tab>();

const STATUS_WORDS = { open: "Open", closed: "Closed", cancelled: "Cancelled" } as const;

export function DealRoom(props: RoomPageProps & { store: DealStore }) {
  return (
    <div class="deal-room">
      <Show
        when={props.store.deal()}
        fallback={
          <Show
            when={props.store.loaded()}
            fallback={
              <p class="muted" aria-busy="true">
                Loading the deal…
              </p>
            }
          >
            <Show when={props.store.may("deal.edit")} fallback={<DealBeingSetUp />}>
              <DealSetup store={props.store} roomId={props.roomId} roomName={props.store.roomName} />
            </Show>
          </Show>
        }
      >
        {(deal) => (
          <>
            <DealHeader store={props.store} deal={deal()} />
            <Show
              when={props.store.isTeam()}
              fallback={<Timeline store={props.store} roomId={props.roomId} deal={deal()} />}
            >
              <TeamTabs {...props} deal={deal()} />
            </Show>
          </>
        )}
      </Show>
    </div>
  );
}

function DealHeader(props: { store: DealStore; deal: Deal }) {
  const status = () => props.deal.status ?? "open";
  return (
    <header class="deal-header" data-testid="deal-header">
      <div class="deal-header-main">
        <p class="deal-address" data-testid="deal-address">
          {props.deal.address}
        </p>
        <p class="small muted">
          <Show when={props.deal.stage}>
            {(stage) => (
              <span data-testid="deal-stage">
                Stage: <strong>{stage()}</strong> ·{" "}
              </span>
            )}
          </Show>
          <span data-testid="deal-days-to-closing">
            {closingWords(props.store.today(), props.deal.keyDates.closing)}
          </span>
        </p>
      </div>
      <span class={`chip ${status() === "open" ? "" : "chip-muted"}`} data-testid="deal-status">
        {STATUS_WORDS[status()]}
      </span>
    </header>
  );
}

function TeamTabs(props: RoomPageProps & { store: DealStore; deal: Deal }) {
  const [tab, setTabSignal] = createSignal<Tab>(lastTab.get(props.roomId) ?? "summary");
  const setTab = (next: Tab) => {
    lastTab.set(props.roomId, next);
    setTabSignal(next);
  };
  return (
    <>
      <TabList label="Deal sections" class="deal-tabs" tabs={TEAM_TABS} current={tab()} onSelect={setTab} />
      <div class="tab-panel" id="tab-panel" role="tabpanel" aria-labelledby={`tab-${tab()}`}>
        <Switch>
          <Match when={tab() === "summary"}>
            <Summary store={props.store} roomId={props.roomId} deal={props.deal} nameOf={props.nameOf} />
          </Match>
          <Match when={tab() === "timeline"}>
            <Timeline store={props.store} roomId={props.roomId} deal={props.deal} />
          </Match>
          <Match when={tab() === "board"}>
            <Board store={props.store} roomId={props.roomId} people={props.people} nameOf={props.nameOf} />
          </Match>
          <Match when={tab() === "activity"}>
            <Activity store={props.store} />
          </Match>
          <Match when={tab() === "checklists"}>
            <ChecklistBoard store={props.roomStore} members={props.members} nameOf={props.nameOf} />
          </Match>
        </Switch>
      </div>
    </>
  );
}
