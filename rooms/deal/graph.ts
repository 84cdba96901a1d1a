/**
 * A deal's task dependency graph, as a pure rule. An edge `task → dependsOn` means the task waits for that
 * one. The graph refuses what would make it unusable (a cycle, a task waiting for itself, a task that is not
 * in this deal) and answers the questions the room asks after each change: what waits for what, both ways,
 * and which tasks a completion unblocks or a reopening re-blocks.
 *
 * Lists come in one stable order: the deal's own task order (the order tasks were added to the graph),
 * except that a task always comes after every task it waits for. It is computed once per change of edges
 * and kept, so completing tasks (which changes no edge) costs only the tasks next to the one completed.
 */
import { MAX_DEPENDENCIES_PER_TASK } from "../../config";
import type { CommandFailure } from "../../schema/core/commands";

export type TaskId = string;
/** Task → the tasks it waits for. */
export type DependsOn = ReadonlyMap<TaskId, ReadonlySet<TaskId>>;
/** Whether a task is completed, as the room's records say now. */
export type IsCompleted = (task: TaskId) => boolean;
/** How a refusal names a task to a person (its title); ids by default. */
export type TaskLabel = (task: TaskId) => string;

export type AddResult = { ok: true; added: boolean } | { ok: false; error: CommandFailure };
export type BuildResult = { ok: true; graph: TaskGraph } | { ok: false; error: CommandFailure };

/** Tasks related to one, both in the graph's stable order. */
export interface Related {
  /** Next to it: its own dependencies, or the tasks that name it as one. */
  direct: TaskId[];
  /** Reached only through others. */
  indirect: TaskId[];
}

export interface Reblocked {
  /** Not completed, waiting for nothing else: they turn BLOCKED now. */
  blocked: TaskId[];
  /** Completed tasks downstream (direct or not): they stay completed, but their work came after this one's. */
  completedDownstream: TaskId[];
}

const byId: TaskLabel = (task) => task;

/**
 * The cycle that `task` waiting for `dependsOn` would close, as ordered ids `[task, dependsOn, …, task]`,
 * each waiting for the next; null if the edge closes none. The shortest such cycle (breadth first), so the
 * error names as few tasks as it can; `compare` orders each task's dependencies for a stable answer.
 */
export function findCycle(
  edges: DependsOn,
  task: TaskId,
  dependsOn: TaskId,
  compare?: (a: TaskId, b: TaskId) => number,
): TaskId[] | null {
  if (task === dependsOn) return [task, task];
  // A path dependsOn → … → task over existing edges is what the new edge would close.
  const parent = new Map<TaskId, TaskId>([[dependsOn, dependsOn]]);
  let frontier = [dependsOn];
  while (frontier.length > 0) {
    const next: TaskId[] = [];
    for (const at of frontier) {
      const around = edges.get(at);
      if (!around) continue;
      const ordered = compare ? [...around].sort(compare) : around;
      for (const dep of ordered) {
        if (parent.has(dep)) continue;
        parent.set(dep, at);
        if (dep === task) return [task, ...pathTo(parent, dependsOn, task)];
        next.push(dep);
      }
    }
    frontier = next;
  }
  return null;
}

/** The path from `start` to `end` that the breadth-first parents record. */
function pathTo(parent: ReadonlyMap<TaskId, TaskId>, start: TaskId, end: TaskId): TaskId[] {
  const path = [end];
  let at = end;
  while (at !== start) {
    at = parent.get(at) as TaskId;
    path.push(at);
  }
  return path.reverse();
}

function cycleRefusal(cycle: readonly TaskId[], label: TaskLabel): CommandFailure {
  if (cycle.length === 2) {
    return {
      code: "conflict",
      message: `A task cannot depend on itself: ${label(cycle[0] as TaskId)}`,
      details: { cycle },
    };
  }
  return {
    code: "conflict",
    message: `That dependency would close a cycle: ${cycle.map(label).join(" → ")}`,
    details: { cycle },
  };
}

function unknownTask(task: TaskId): CommandFailure {
  return { code: "not_found", message: `No task ${JSON.stringify(task)} in this deal`, details: { task } };
}

/** One deal's tasks and dependencies; the room keeps one per loaded deal and changes it with each command. */
export class TaskGraph {
  /** Each task's place in the deal's order, the tie-break everywhere. */
  readonly #rank = new Map<TaskId, number>();
  #nextRank = 0;
  readonly #dependsOn = new Map<TaskId, Set<TaskId>>();
  readonly #dependents = new Map<TaskId, Set<TaskId>>();
  /** Each task's index in the stable order; null when an edge changed since it was computed. */
  #position: Map<TaskId, number> | null = null;

  /**
   * A graph of stored tasks and edges `[task, dependsOn]`, checked as a whole in one pass (not edge by edge):
   * what the room does when it loads. Refuses what `addDependency` would have refused.
   */
  static build(tasks: readonly TaskId[], edges: readonly (readonly [TaskId, TaskId])[]): BuildResult {
    const graph = new TaskGraph();
    for (const task of tasks) graph.addTask(task);
    for (const [task, dependsOn] of edges) {
      if (!graph.has(task)) return { ok: false, error: unknownTask(task) };
      if (!graph.has(dependsOn)) return { ok: false, error: unknownTask(dependsOn) };
      if (task === dependsOn) return { ok: false, error: cycleRefusal([task, task], byId) };
      graph.#link(task, dependsOn);
    }
    for (const [task, deps] of graph.#dependsOn) {
      if (deps.size > MAX_DEPENDENCIES_PER_TASK) return { ok: false, error: tooMany(task) };
    }
    const cycle = graph.#anyCycle();
    if (cycle) return { ok: false, error: cycleRefusal(cycle, byId) };
    return { ok: true, graph };
  }

  has(task: TaskId): boolean {
    return this.#rank.has(task);
  }

  get size(): number {
    return this.#rank.size;
  }

  /** Adds a task at the end of the deal's order; false if it is there already. */
  addTask(task: TaskId): boolean {
    if (this.#rank.has(task)) return false;
    this.#rank.set(task, this.#nextRank++);
    this.#dependsOn.set(task, new Set());
    this.#dependents.set(task, new Set());
    this.#position = null;
    return true;
  }

  /** Removes a task and its edges both ways; answers the tasks that waited for it (re-derive their states). */
  removeTask(task: TaskId): TaskId[] {
    const waiting = this.#dependents.get(task);
    if (!waiting) return [];
    const former = this.#sorted(waiting);
    for (const dependent of waiting) this.#dependsOn.get(dependent)?.delete(task);
    for (const dep of this.#dependsOn.get(task) ?? []) this.#dependents.get(dep)?.delete(task);
    this.#dependsOn.delete(task);
    this.#dependents.delete(task);
    this.#rank.delete(task);
    this.#position = null;
    return former;
  }

  /**
   * Makes `task` wait for `dependsOn`. Refused, changing nothing: an unknown task (`not_found`; a task of
   * another deal is unknown here), a task waiting for itself or an edge closing a cycle (`conflict`,
   * `details.cycle` the ordered ids), more than MAX_DEPENDENCIES_PER_TASK (`quota_exceeded`).
   * An edge that is there already is no change (`added: false`).
   */
  addDependency(task: TaskId, dependsOn: TaskId, label: TaskLabel = byId): AddResult {
    if (!this.has(task)) return { ok: false, error: unknownTask(task) };
    if (!this.has(dependsOn)) return { ok: false, error: unknownTask(dependsOn) };
    const deps = this.#dependsOn.get(task) as Set<TaskId>;
    if (deps.has(dependsOn)) return { ok: true, added: false };
    const cycle = findCycle(this.#dependsOn, task, dependsOn, this.#byRank);
    if (cycle) return { ok: false, error: cycleRefusal(cycle, label) };
    if (deps.size >= MAX_DEPENDENCIES_PER_TASK) return { ok: false, error: tooMany(task) };
    this.#link(task, dependsOn);
    return { ok: true, added: true };
  }

  /** Stops `task` waiting for `dependsOn`; false if it did not. */
  removeDependency(task: TaskId, dependsOn: TaskId): boolean {
    if (!this.#dependsOn.get(task)?.delete(dependsOn)) return false;
    this.#dependents.get(dependsOn)?.delete(task);
    this.#position = null;
    return true;
  }

  /** What `task` waits for: directly, and through those (the task page's "waits for"). */
  dependenciesOf(task: TaskId): Related {
    return this.#related(task, this.#dependsOn);
  }

  /** What waits for `task`: directly, and through those (the task page's "then"). */
  dependentsOf(task: TaskId): Related {
    return this.#related(task, this.#dependents);
  }

  /** `task`'s dependencies that are not completed: what a refusal to complete or start it names. */
  unfinishedDependencies(task: TaskId, isCompleted: IsCompleted): TaskId[] {
    const deps = this.#known(this.#dependsOn, task);
    return this.#sorted([...deps].filter((dep) => !isCompleted(dep)));
  }

  /**
   * The tasks that stop being blocked when `completed` completes: those not completed that wait for it and
   * for nothing else unfinished. Only its direct dependents can change (a task further down still waits for
   * the unfinished one between), so this costs their dependencies, not the graph. `completed` counts as
   * completed whatever `isCompleted` says.
   */
  unblockedBy(completed: TaskId, isCompleted: IsCompleted): TaskId[] {
    const done = (task: TaskId) => task === completed || isCompleted(task);
    return this.#sorted(this.#waitingOnlyFor(completed, done));
  }

  /**
   * What reopening `reopened` changes downstream. Its direct dependents that are not completed and waited
   * for nothing else unfinished turn BLOCKED; those further down were blocked already or wait only for
   * completed tasks, which stay completed (a reopening undoes one task, not the work that followed it), so
   * they are listed apart for the room to tell their people. `reopened` counts as not completed.
   */
  reblockedBy(reopened: TaskId, isCompleted: IsCompleted): Reblocked {
    const done = (task: TaskId) => task !== reopened && isCompleted(task);
    const blocked = this.#sorted(this.#waitingOnlyFor(reopened, done));
    const { direct, indirect } = this.dependentsOf(reopened);
    return { blocked, completedDownstream: this.#sorted([...direct, ...indirect].filter(done)) };
  }

  /** Every task in the stable order: the deal's order, each task after all it waits for. */
  order(): TaskId[] {
    return [...this.#positions().keys()];
  }

  /** Dependents of `task`, not completed, whose every other dependency is done. */
  #waitingOnlyFor(task: TaskId, done: IsCompleted): TaskId[] {
    const found: TaskId[] = [];
    for (const dependent of this.#known(this.#dependents, task)) {
      if (done(dependent)) continue;
      let free = true;
      for (const dep of this.#dependsOn.get(dependent) ?? []) {
        if (dep !== task && !done(dep)) {
          free = false;
          break;
        }
      }
      if (free) found.push(dependent);
    }
    return found;
  }

  #link(task: TaskId, dependsOn: TaskId): void {
    (this.#dependsOn.get(task) as Set<TaskId>).add(dependsOn);
    (this.#dependents.get(dependsOn) as Set<TaskId>).add(task);
    this.#position = null;
  }

  #known(edges: ReadonlyMap<TaskId, ReadonlySet<TaskId>>, task: TaskId): ReadonlySet<TaskId> {
    const around = edges.get(task);
    // Callers check ids against the room's records first, so an unknown one here is a bug, not input.
    if (!around) throw new RangeError(`No task ${JSON.stringify(task)} in this graph`);
    return around;
  }

  #related(task: TaskId, edges: ReadonlyMap<TaskId, ReadonlySet<TaskId>>): Related {
    const direct = this.#known(edges, task);
    const seen = new Set<TaskId>(direct);
    const stack = [...direct];
    while (stack.length > 0) {
      for (const next of edges.get(stack.pop() as TaskId) ?? []) {
        if (seen.has(next)) continue;
        seen.add(next);
        stack.push(next);
      }
    }
    return { direct: this.#sorted(direct), indirect: this.#sorted([...seen].filter((id) => !direct.has(id))) };
  }

  readonly #byRank = (a: TaskId, b: TaskId): number => (this.#rank.get(a) ?? 0) - (this.#rank.get(b) ?? 0);

  #sorted(tasks: Iterable<TaskId>): TaskId[] {
    const positions = this.#positions();
    return [...tasks].sort((a, b) => (positions.get(a) ?? 0) - (positions.get(b) ?? 0));
  }

  /** The stable order (Kahn's algorithm, always taking the earliest ready task in the deal's order). */
  #positions(): Map<TaskId, number> {
    if (this.#position) return this.#position;
    const waiting = new Map<TaskId, number>();
    const ready = new RankHeap();
    const byRank = new Map<number, TaskId>();
    for (const [task, rank] of this.#rank) {
      byRank.set(rank, task);
      const count = this.#dependsOn.get(task)?.size ?? 0;
      waiting.set(task, count);
      if (count === 0) ready.push(rank);
    }
    const position = new Map<TaskId, number>();
    while (ready.size > 0) {
      const task = byRank.get(ready.pop()) as TaskId;
      position.set(task, position.size);
      for (const dependent of this.#dependents.get(task) ?? []) {
        const left = (waiting.get(dependent) ?? 0) - 1;
        waiting.set(dependent, left);
        if (left === 0) ready.push(this.#rank.get(dependent) as number);
      }
    }
    this.#position = position;
    return position;
  }

  /** A cycle among the edges if there is one: only `build` can meet one, as every added edge is checked. */
  #anyCycle(): TaskId[] | null {
    const positions = this.#positions();
    if (positions.size === this.#rank.size) return null;
    // Every task Kahn's pass left waits for another one it left: walking those must come back on itself.
    const left = (task: TaskId) => !positions.has(task);
    let at = [...this.#rank.keys()].find(left) as TaskId;
    const walked = new Map<TaskId, number>();
    const path: TaskId[] = [];
    while (!walked.has(at)) {
      walked.set(at, path.length);
      path.push(at);
      at = [...(this.#dependsOn.get(at) ?? [])].filter(left).sort(this.#byRank)[0] as TaskId;
    }
    this.#position = null;
    return [...path.slice(walked.get(at)), at];
  }
}

function tooMany(task: TaskId): CommandFailure {
  return {
    code: "quota_exceeded",
    message: `A task can wait for at most ${MAX_DEPENDENCIES_PER_TASK} others`,
    details: { task, limit: MAX_DEPENDENCIES_PER_TASK },
  };
}

/** A binary min-heap of ranks: the ready tasks of the stable order, earliest in the deal's order first. */
class RankHeap {
  readonly #items: number[] = [];

  get size(): number {
    return this.#items.length;
  }

  push(value: number): void {
    const items = this.#items;
    items.push(value);
    let at = items.length - 1;
    while (at > 0) {
      const up = (at - 1) >> 1;
      if ((items[up] as number) <= value) break;
      items[at] = items[up] as number;
      at = up;
    }
    items[at] = value;
  }

  pop(): number {
    const items = this.#items;
    const top = items[0] as number;
    const last = items.pop() as number;
    if (items.length === 0) return top;
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && (items[right] as number) < (items[left] as number) ? right : left;
      if ((items[child] as number) >= last) break;
      items[at] = items[child] as number;
      at = child;
    }
    items[at] = last;
    return top;
  }
}
