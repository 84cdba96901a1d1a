/**
 * A deal as this browser sees it: the server-owned `deal`, `milestones`, `tasks`, `documents`
 * and `activity` roots of the room's document (read only; they change when the room applies a
 * command or its schedule marks a task overdue), the commands waiting to reach the room, and
 * what this user may do. A buyer's socket carries the buyer's projection: the same roots with
 * only what a buyer may see, fields they may not see absent. Nothing here assumes a field the
 * projection may leave out (notes, dependsOn, commission, a milestone's counts).
 */
import { type Accessor, createEffect, createMemo, createSignal, onCleanup } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import type { Room } from "../../../../schema/core/api";
import { type Capability, can } from "../../../../schema/core/roles";
import type { DealCommandArgs, DealCommandName } from "../../../../schema/deal/commands";
import {
  type ActivityEntry,
  DEAL_INFO_ID,
  type Deal,
  type DealDocument,
  type DealTask,
  type Milestone,
} from "../../../../schema/deal/records";
import { type CommandQueue, type CommandResult, createRoomCommandQueue } from "../../command-queue";
import type { RoomStore } from "../../room";
import { followDoc, readRoot } from "../mirror";
import { localDate } from "./labels";

/** How often "today" is recomputed, so days to closing roll over at midnight in the deal's zone. */
const TODAY_REFRESH_MS = 60_000;

/** Human words for a command, for "… was not saved" notices. */
export const COMMAND_WORDS: Record<string, string> = {
  "deal.create": "Setting up the deal",
  "deal.update": "Changing the deal",
  "deal.key_dates": "Moving a key date",
  "deal.status": "Changing the deal's status",
  "deal.milestone.create": "Adding a milestone",
  "deal.milestone.rename": "Renaming a milestone",
  "deal.task.create": "Adding a task",
  "deal.task.update": "Changing a task",
  "deal.task.assign": "Assigning a task",
  "deal.task.start": "Starting a task",
  "deal.task.complete": "Completing a task",
  "deal.task.reopen": "Reopening a task",
  "deal.task.delete": "Deleting a task",
  "deal.dependency.add": "Adding a dependency",
  "deal.dependency.remove": "Removing a dependency",
  "deal.document.review": "Reviewing a document",
  "deal.document.confidential": "Marking a document confidential",
};

export interface DealStore {
  deal: Accessor<Deal | null>;
  readonly milestones: Milestone[];
  readonly tasks: DealTask[];
  readonly documents: DealDocument[];
  readonly activity: ActivityEntry[];
  /** True once the document has arrived: a record missing after that is not in this deal (or not for this user). */
  loaded: Accessor<boolean>;
  userId: string;
  /** The room's name, which a new deal's title starts from. */
  roomName: string;
  role: Accessor<string>;
  /** The date in the deal's time zone, YYYY-MM-DD. */
  today: Accessor<string>;
  queue: CommandQueue;
  may(capability: Capability): boolean;
  /** Sees the whole deal (the team): internal data, the summary, the board and the feed. */
  isTeam: Accessor<boolean>;
  /** Assigned to this user, or to this user's role. */
  isMine(task: DealTask): boolean;
  /** Whether this user may start, complete or reopen this task (the room decides; this hides what it would refuse). */
  mayWork(task: DealTask): boolean;
  mayReopen(task: DealTask): boolean;
  /** Whether this user may change this task's details and dependencies: a manager, or the agent who created it. */
  mayEdit(task: DealTask): boolean;
  mayAssign: Accessor<boolean>;
  mayUpload(task: DealTask): boolean;
  task(id: string): DealTask | undefined;
  milestone(id: string): Milestone | undefined;
  /** Milestones in order. */
  orderedMilestones: Accessor<Milestone[]>;
  /** A milestone's tasks in order; null for tasks outside every milestone. */
  tasksOf(milestoneId: string | null): DealTask[];
  /** The tasks that name `taskId` in their `dependsOn`: the ones it is needed by. */
  neededBy(taskId: string): DealTask[];
  documentsOf(taskId: string): DealDocument[];
  run<N extends DealCommandName>(name: N, args: DealCommandArgs<N>): Promise<CommandResult>;
  /** A command outside the deal's own schema (document review is a separate contract). */
  runOther(name: string, args: unknown): Promise<CommandResult>;
}

const byOrder = (a: { order?: number; id: string }, b: { order?: number; id: string }) =>
  (a.order ?? 0) - (b.order ?? 0) || a.id.localeCompare(b.id);

export function createDealStore(room: Room, roomStore: RoomStore, userId: string): DealStore {
  const [records, setRecords] = createStore<{
    milestones: Milestone[];
    tasks: DealTask[];
    documents: DealDocument[];
    activity: ActivityEntry[];
  }>({ milestones: [], tasks: [], documents: [], activity: [] });
  const [deal, setDeal] = createSignal<Deal | null>(null);
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), TODAY_REFRESH_MS);
  onCleanup(() => clearInterval(timer));

  followDoc(roomStore, (doc) => {
    setRecords("milestones", reconcile(readRoot<Milestone>(doc, "milestones"), { key: "id" }));
    setRecords("tasks", reconcile(readRoot<DealTask>(doc, "tasks"), { key: "id" }));
    setRecords("documents", reconcile(readRoot<DealDocument>(doc, "documents"), { key: "id" }));
    setRecords("activity", reconcile(readRoot<ActivityEntry>(doc, "activity"), { key: "id" }));
    const info = doc.getMap("deal").get(DEAL_INFO_ID);
    setDeal(typeof info === "object" && info !== null ? ({ ...info } as Deal) : null);
  });

  const queue = createRoomCommandQueue(room.id, roomStore.connection, COMMAND_WORDS);
  // Deal commands are not tracked against a record's version: the mirror is the truth once the room answers.
  createEffect(() => {
    for (const command of queue.applied()) queue.settle(command.key);
  });

  const role = () => roomStore.role();
  const may = (capability: Capability) => can("deal", role(), capability);
  const timeZone = () => deal()?.timeZone ?? "UTC";
  const today = createMemo(() => localDate(now(), timeZone()));
  const taskById = createMemo(() => new Map(records.tasks.map((t) => [t.id, t])));
  const milestoneById = createMemo(() => new Map(records.milestones.map((m) => [m.id, m])));
  const tasksByMilestone = createMemo(() => {
    const map = new Map<string | null, DealTask[]>();
    for (const task of records.tasks) {
      const key = task.milestoneId ?? null;
      map.set(key, [...(map.get(key) ?? []), task]);
    }
    for (const list of map.values()) list.sort(byOrder);
    return map;
  });
  const dependents = createMemo(() => {
    const map = new Map<string, DealTask[]>();
    for (const task of records.tasks) {
      for (const dep of task.dependsOn ?? []) map.set(dep, [...(map.get(dep) ?? []), task]);
    }
    return map;
  });
  const docsByTask = createMemo(() => {
    const map = new Map<string, DealDocument[]>();
    for (const doc of records.documents) map.set(doc.taskId, [...(map.get(doc.taskId) ?? []), doc]);
    return map;
  });

  const isMine = (task: DealTask) => {
    const a = task.assignee;
    if (!a) return false;
    return a.kind === "user" ? a.userId === userId : a.role === role();
  };

  return {
    deal,
    get milestones() {
      return records.milestones;
    },
    get tasks() {
      return records.tasks;
    },
    get documents() {
      return records.documents;
    },
    get activity() {
      return records.activity;
    },
    loaded: roomStore.loaded,
    userId,
    roomName: room.name,
    role,
    today,
    queue,
    may,
    isTeam: () => may("deal.read_internal"),
    isMine,
    mayWork: (task) => may("tasks.manage") || (may("tasks.complete_assigned") && isMine(task)),
    mayReopen: () => may("tasks.manage"),
    mayEdit: (task) => may("tasks.manage") || (may("tasks.create_assign") && task.createdBy === userId),
    mayAssign: () => may("tasks.manage") || may("tasks.create_assign"),
    mayUpload: (task) => may("documents.upload") || (may("documents.upload_own") && isMine(task)),
    task: (id) => taskById().get(id),
    milestone: (id) => milestoneById().get(id),
    orderedMilestones: () => [...records.milestones].sort(byOrder),
    tasksOf: (milestoneId) => tasksByMilestone().get(milestoneId) ?? [],
    neededBy: (taskId) => [...(dependents().get(taskId) ?? [])].sort(byOrder),
    documentsOf: (taskId) => docsByTask().get(taskId) ?? [],
    run: (name, args) => queue.run(name, args),
    runOther: (name, args) => queue.run(name, args),
  };
}
