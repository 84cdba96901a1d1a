/**
 * A cold-storage site as a room kind: its store of areas, units and alerts, the alert
 * board as its front page, and a page per unit (`units/:unitId`, where an alert's
 * notification adds `?alert=<id>`).
 */
import { useParams, useSearchParams } from "@solidjs/router";
import { Show } from "solid-js";
import { decodeParam } from "../../links";
import { NotFoundPage } from "../../pages/NotFoundPage";
import { defineRoomKind, type RoomPageProps } from "../kind";
import { SiteRoomGlance } from "./RoomGlance";
import { SiteRoom } from "./SiteRoom";
import { createSiteStore, type SiteStore } from "./store";
import { UnitPage } from "./UnitPage";
import "./board.css";
import "./wall.css";
import "./unit.css";
import "./setup.css";

function UnitRoute(props: RoomPageProps & { store: SiteStore }) {
  const params = useParams<{ unitId: string }>();
  const [search] = useSearchParams<{ alert: string }>();
  return (
    <Show when={decodeParam(params.unitId)} keyed fallback={<NotFoundPage />}>
      {(unitId) => (
        <UnitPage
          store={props.store}
          roomId={props.roomId}
          unitId={unitId}
          alertId={search.alert ?? null}
          nameOf={props.nameOf}
        />
      )}
    </Show>
  );
}

export const siteKind = defineRoomKind<SiteStore>({
  createStore: ({ room, roomStore, user }) => createSiteStore(room, roomStore, user.id),
  main: SiteRoom,
  listLine: SiteRoomGlance,
  pages: [{ path: "units/:unitId", view: UnitRoute }],
  waiting: (store) => store.queue.pending().length,
});
