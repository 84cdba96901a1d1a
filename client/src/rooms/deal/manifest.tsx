/**
 * A deal as a room kind: its store of the deal, milestones, tasks, documents and activity, the front page
 * (setup, summary, timeline, board, feed), and a page per task (`tasks/:taskId`).
 */
import { useParams } from "@solidjs/router";
import { Show } from "solid-js";
import { decodeParam } from "../../links";
import { NotFoundPage } from "../../pages/NotFoundPage";
import { defineRoomKind, type RoomPageProps } from "../kind";
import { DealRoom } from "./DealRoom";
import { DealRoomGlance } from "./RoomGlance";
import { createDealStore, type DealStore } from "./store";
import { TaskPage } from "./TaskPage";
import "./deal.css";
import "./board.css";
import "./task.css";
import "./timeline.css";

function TaskRoute(props: RoomPageProps & { store: DealStore }) {
  const params = useParams<{ taskId: string }>();
  return (
    <Show when={decodeParam(params.taskId)} keyed fallback={<NotFoundPage />}>
      {(taskId) => (
        <TaskPage
          store={props.store}
          roomId={props.roomId}
          taskId={taskId}
          people={props.people}
          nameOf={props.nameOf}
        />
      )}
    </Show>
  );
}

export const dealKind = defineRoomKind<DealStore>({
  createStore: ({ room, roomStore, user }) => createDealStore(room, roomStore, user.id),
  main: DealRoom,
  listLine: DealRoomGlance,
  pages: [{ path: "tasks/:taskId", view: TaskRoute }],
  waiting: (store) => store.queue.pending().length,
  // A buyer completes their own tasks and uploads what is asked of them; the rest is for reading.
  roleChip: (store) =>
    store.isTeam() || !store.may("tasks.complete_assigned")
      ? null
      : {
          label: "Your tasks",
          title: "You complete the tasks assigned to you and upload what is asked",
          testId: "your-tasks",
        },
  namedUsers: (store) => store.tasks.flatMap((task) => (task.assignee?.kind === "user" ? [task.assignee.userId] : [])),
});
