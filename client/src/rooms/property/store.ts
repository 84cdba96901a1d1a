/**
 * A home's records as this browser sees them: the server-owned `assets`, `tasks` and
 * `home` roots of the room's document (read only; they change when the room applies a
 * command), the commands waiting to reach the room, and what this user may do.
 */
import { type Accessor, createEffect, createMemo, createSignal, onCleanup } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import type { Room } from "../../../../schema/core/api";
import { mayAddPhotos } from "../../../../schema/core/photos";
import { can } from "../../../../schema/core/roles";
import type { PropertyCommandArgs, PropertyCommandName } from "../../../../schema/property/commands";
import { isTimeZone, localDate } from "../../../../schema/property/dates";
import type { InboxItem } from "../../../../schema/property/inbox";
import type { Asset, HomeInfo, Task } from "../../../../schema/property/records";
import { type CommandQueue, type CommandResult, createRoomCommandQueue, type QueuedCommand } from "../../command-queue";
import type { RoomStore } from "../../room";
import { followDoc, readRoot } from "../mirror";

/** How often "today" is recomputed, so a page left open rolls over at midnight in the home's zone. */
const TODAY_REFRESH_MS = 60_000;

/** A change to a task made here that the room's mirror does not show yet. */
export interface PendingChange {
  name: string;
  /** False while it waits for the network; true once sent and awaiting the mirror. */
  sent: boolean;
}

export interface PropertyStore {
  readonly assets: Asset[];
  readonly tasks: Task[];
  /** The inbox, newest first. */
  readonly inbox: InboxItem[];
  home: Accessor<HomeInfo | null>;
  /** True once the document has arrived: a record missing after that is not in this home (or was deleted). */
  loaded: Accessor<boolean>;
  timeZone: Accessor<string>;
  /** The date in the home's time zone, YYYY-MM-DD. */
  today: Accessor<string>;
  queue: CommandQueue;
  canWriteRecords: Accessor<boolean>;
  /** Whether this user may change the home's settings (its time zone). */
  canManageHome: Accessor<boolean>;
  /** Whether this user may complete, skip or snooze this task. */
  canComplete(task: Task): boolean;
  /** Whether this user may capture into the inbox (anyone who keeps records or completes tasks). */
  canCapture: Accessor<boolean>;
  /** Whether this user may complete at least the tasks assigned to them. */
  completesAny: Accessor<boolean>;
  /** True for a home's `member`: they complete only their own tasks and change nothing else. */
  completesOwnOnly: Accessor<boolean>;
  /** Whether the task is assigned to this user. */
  isMine(task: Task): boolean;
  /** Whether this user may approve or return proof (never their own: the room refuses that). */
  canReview: Accessor<boolean>;
  /** This user's id. */
  userId: string;
  task(id: string): Task | undefined;
  asset(id: string): Asset | undefined;
  /** The latest completion, skip or snooze of a task made here that the mirror does not show yet. */
  pendingFor(taskId: string): PendingChange | null;
  run<N extends PropertyCommandName>(
    name: N,
    args: PropertyCommandArgs<N>,
    basis?: number | null,
  ): Promise<CommandResult>;
}

const TASK_ACTIONS = new Set(["task.complete", "task.skip", "task.snooze"]);

/** Human words for a command, for "… was not saved" notices. */
const COMMAND_WORDS: Record<string, string> = {
  "asset.create": "Adding an asset",
  "asset.update": "Changing an asset",
  "asset.archive": "Archiving an asset",
  "asset.add_photo": "Adding a photo",
  "asset.delete": "Deleting an asset",
  "task.create": "Adding a task",
  "task.update": "Changing a task",
  "task.archive": "Archiving a task",
  "task.delete": "Deleting a task",
  "task.complete": "Marking a task done",
  "task.skip": "Skipping a task",
  "task.snooze": "Snoozing a task",
  "home.settings": "Changing the home's settings",
  "inbox.create": "Filing a capture",
  "inbox.retry": "Analysing a capture again",
  "inbox.archive": "Archiving a capture",
  "inbox.delete": "Deleting a capture",
  "inbox.to_task": "Making a task of a capture",
  "inbox.comment": "Commenting on a capture",
};

function argId(command: QueuedCommand): string | null {
  const args = command.args;
  if (typeof args !== "object" || args === null) return null;
  const id = (args as { id?: unknown }).id;
  return typeof id === "string" ? id : null;
}

export function createPropertyStore(room: Room, roomStore: RoomStore, userId: string): PropertyStore {
  const [records, setRecords] = createStore<{ assets: Asset[]; tasks: Task[]; inbox: InboxItem[] }>({
    assets: [],
    tasks: [],
    inbox: [],
  });
  const [home, setHome] = createSignal<HomeInfo | null>(null);
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), TODAY_REFRESH_MS);
  onCleanup(() => clearInterval(timer));

  followDoc(roomStore, (doc) => {
    setRecords("assets", reconcile(readRoot<Asset>(doc, "assets"), { key: "id" }));
    setRecords("tasks", reconcile(readRoot<Task>(doc, "tasks"), { key: "id" }));
    const inbox = readRoot<InboxItem>(doc, "inbox").sort((a, b) => b.createdAt - a.createdAt);
    setRecords("inbox", reconcile(inbox, { key: "id" }));
    const info = doc.getMap("home").get("info");
    setHome(typeof info === "object" && info !== null ? (info as HomeInfo) : null);
  });

  const queue = createRoomCommandQueue(room.id, roomStore.connection, COMMAND_WORDS);

  const timeZone = createMemo(() => {
    const zone = home()?.timeZone;
    return zone && isTimeZone(zone) ? zone : "UTC";
  });
  const today = createMemo(() => localDate(now(), timeZone()));
  const role = () => roomStore.role();
  const taskById = createMemo(() => new Map(records.tasks.map((t) => [t.id, t])));
  const assetById = createMemo(() => new Map(records.assets.map((a) => [a.id, a])));

  // Sent changes stay "syncing" until the mirrored task moves on from where it was.
  createEffect(() => {
    for (const command of queue.applied()) {
      const id = argId(command);
      const task = id === null ? undefined : taskById().get(id);
      if (!task || task.updatedAt !== command.basis) queue.settle(command.key);
    }
  });

  return {
    get assets() {
      return records.assets;
    },
    get tasks() {
      return records.tasks;
    },
    get inbox() {
      return records.inbox;
    },
    home,
    loaded: roomStore.loaded,
    timeZone,
    today,
    queue,
    canWriteRecords: () => can("property", role(), "records.write"),
    canManageHome: () => can("property", role(), "room.manage"),
    canComplete: (task) =>
      can("property", role(), "tasks.complete") ||
      (task.assignee === userId && can("property", role(), "tasks.complete_own")),
    canCapture: () => mayAddPhotos("property", role()),
    completesAny: () => can("property", role(), "tasks.complete") || can("property", role(), "tasks.complete_own"),
    completesOwnOnly: () => !can("property", role(), "tasks.complete") && can("property", role(), "tasks.complete_own"),
    isMine: (task) => task.assignee === userId,
    canReview: () => can("property", role(), "tasks.review"),
    userId,
    task: (id) => taskById().get(id),
    asset: (id) => assetById().get(id),
    pendingFor(taskId) {
      const match = (c: QueuedCommand) => TASK_ACTIONS.has(c.name) && argId(c) === taskId;
      const waiting = queue.pending().filter(match).at(-1);
      if (waiting) return { name: waiting.name, sent: false };
      const sent = queue.applied().filter(match).at(-1);
      return sent ? { name: sent.name, sent: true } : null;
    },
    run: (name, args, basis = null) => queue.run(name, args, basis),
  };
}
