/**
 * A home as a room kind: its store of tasks and assets, the tabbed front page, and a page
 * per task (`tasks/:taskId`, where a reminder's link adds `?complete=1` to offer one-step
 * "Mark done") and per asset (`assets/:assetId`).
 */
import { useParams, useSearchParams } from "@solidjs/router";
import { Show } from "solid-js";
import { decodeParam } from "../../links";
import { NotFoundPage } from "../../pages/NotFoundPage";
import { defineRoomKind, type RoomPageProps } from "../kind";
import { AssetPage } from "./AssetPage";
import { PropertyRoom } from "./PropertyRoom";
import { HomeRoomGlance } from "./RoomGlance";
import { createPropertyStore, type PropertyStore } from "./store";
import { TaskDetail } from "./TaskDetail";
import "./categories.css";
import "./tabs.css";
import "./dashboard.css";
import "./schedule.css";
import "./tasks.css";
import "./record.css";
import "./assets.css";
import "./small-screens.css";
import "./photos.css";
import "./calendar-feed.css";

type Props = RoomPageProps & { store: PropertyStore };

function TaskRoute(props: Props) {
  const params = useParams<{ taskId: string }>();
  const [search] = useSearchParams<{ complete: string }>();
  return (
    <Show when={decodeParam(params.taskId)} keyed fallback={<NotFoundPage />}>
      {(taskId) => (
        <TaskDetail
          store={props.store}
          roomId={props.roomId}
          taskId={taskId}
          complete={search.complete ?? null}
          people={props.people}
          nameOf={props.nameOf}
        />
      )}
    </Show>
  );
}

function AssetRoute(props: Props) {
  const params = useParams<{ assetId: string }>();
  return (
    <Show when={decodeParam(params.assetId)} keyed fallback={<NotFoundPage />}>
      {(assetId) => (
        <AssetPage
          store={props.store}
          roomId={props.roomId}
          assetId={assetId}
          people={props.people}
          nameOf={props.nameOf}
        />
      )}
    </Show>
  );
}

export const propertyKind = defineRoomKind<PropertyStore>({
  createStore: ({ room, roomStore, user }) => createPropertyStore(room, roomStore, user.id),
  main: PropertyRoom,
  listLine: HomeRoomGlance,
  pages: [
    { path: "tasks/:taskId", view: TaskRoute },
    { path: "assets/:assetId", view: AssetRoute },
  ],
  waiting: (store) => store.queue.pending().length,
  // A member ticks off the tasks assigned to them; everything else is read-only.
  roleChip: (store) =>
    store.completesOwnOnly()
      ? {
          label: "Your tasks",
          title: "You tick off the tasks assigned to you; everything else is read-only",
          testId: "your-tasks",
        }
      : null,
  namedUsers: (store) => store.tasks.flatMap((task) => (task.assignee ? [task.assignee] : [])),
});
