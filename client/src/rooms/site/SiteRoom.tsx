/**
 * A cold-storage site's front page: the live alert board first, then the shared checklists,
 * the compliance records and, for those who configure the site, its setup, as tabs. One unit has its own page
 * (see manifest.tsx).
 */
import { createSignal, Match, Switch } from "solid-js";
import { ChecklistBoard } from "../../components/ChecklistBoard";
import { TabList } from "../../components/TabList";
import type { RoomPageProps } from "../kind";
import { Board } from "./Board";
import { Records } from "./Records";
import { SiteSetup } from "./SiteSetup";
import type { SiteStore } from "./store";

type Tab = "board" | "checklists" | "records" | "setup";

/** The tab each site was left on, so coming back from a unit lands where the user was. */
const lastTab = new Map<string, Tab>();

export function SiteRoom(props: RoomPageProps & { store: SiteStore }) {
  const tabs = (): { id: Tab; label: string }[] => [
    { id: "board", label: "Board" },
    { id: "checklists", label: "Checklists" },
    { id: "records", label: "Records" },
    ...(props.store.canConfigure() ? [{ id: "setup" as const, label: "Setup" }] : []),
  ];
  const [chosen, setChosen] = createSignal<Tab>(lastTab.get(props.roomId) ?? "board");
  // A role changed under the page (no longer a manager) falls back to the board.
  const tab = () => (tabs().some((t) => t.id === chosen()) ? chosen() : "board");
  const setTab = (next: Tab) => {
    lastTab.set(props.roomId, next);
    setChosen(next);
  };

  return (
    <div class="site-room">
      <TabList label="Site sections" class="site-tabs" tabs={tabs()} current={tab()} onSelect={setTab} />
      <div class="tab-panel" id="tab-panel" role="tabpanel" aria-labelledby={`tab-${tab()}`}>
        <Switch>
          <Match when={tab() === "board"}>
            <Board store={props.store} roomId={props.roomId} nameOf={props.nameOf} onSetup={() => setTab("setup")} />
          </Match>
          <Match when={tab() === "checklists"}>
            <ChecklistBoard store={props.roomStore} members={props.members} nameOf={props.nameOf} />
          </Match>
          <Match when={tab() === "records"}>
            <Records store={props.store} roomId={props.roomId} />
          </Match>
          <Match when={tab() === "setup"}>
            <SiteSetup store={props.store} roomId={props.roomId} />
          </Match>
        </Switch>
      </div>
    </div>
  );
}
