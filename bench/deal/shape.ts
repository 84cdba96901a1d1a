/**
 * The deal the benchmark builds through the real commands: 300 tasks, exactly 1,000 dependencies, in 8 milestones.
 *
 * - `done-0…99`: completed while seeding; each waits for up to two earlier ones (197 edges).
 * - `hub` (the inspection): waits for three completed tasks.
 * - `dep-0…49`: the hub's 50 direct dependents; each waits for the hub and three completed tasks (200 edges),
 *   so completing the hub unblocks all 50 and reopening it re-blocks them.
 * - `rest-0…148`: the rest of the file; each waits for 4 (the first four: 5) earlier tasks among the completed ones,
 *   the hub's dependents and earlier rest tasks, never the hub itself, so it has exactly 50 direct dependents.
 */

export const TASKS = 300;
export const DEPENDENCIES = 1_000;
export const HUB = "hub";
export const HUB_DEPENDENTS = 50;
const DONE = 100;
const REST = TASKS - DONE - 1 - HUB_DEPENDENTS;
export const MILESTONES = [
  "Offer accepted",
  "Earnest money",
  "Inspection",
  "Appraisal",
  "Financing",
  "Title",
  "Final walk-through",
  "Closing",
] as const;
const ROLES = ["transaction_coordinator", "buyer_agent"] as const;

/** A deterministic pseudo-random source, so every run builds the same deal. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

export interface SeedTask {
  id: string;
  dependsOn: string[];
}

/** The tasks in the order they are created (every dependency before its dependents). */
export function dealTasks(): SeedTask[] {
  const next = random(14);
  const pick = (from: readonly string[], n: number, taken: Set<string>): string[] => {
    const chosen: string[] = [];
    while (chosen.length < n) {
      const id = from[Math.floor(next() * from.length)] as string;
      if (taken.has(id)) continue;
      taken.add(id);
      chosen.push(id);
    }
    return chosen;
  };
  const done = Array.from({ length: DONE }, (_, i) => `done-${i}`);
  const dependents = Array.from({ length: HUB_DEPENDENTS }, (_, i) => `dep-${i}`);
  const tasks: SeedTask[] = done.map((id, i) => ({ id, dependsOn: pick(done.slice(0, i), Math.min(i, 2), new Set()) }));
  tasks.push({ id: HUB, dependsOn: pick(done, 3, new Set()) });
  for (const id of dependents) tasks.push({ id, dependsOn: [HUB, ...pick(done, 3, new Set([HUB]))] });
  const earlier = [...done, ...dependents];
  for (let i = 0; i < REST; i++) {
    const id = `rest-${i}`;
    tasks.push({ id, dependsOn: pick(earlier, i < 4 ? 5 : 4, new Set()) });
    earlier.push(id);
  }
  const edges = tasks.reduce((n, task) => n + task.dependsOn.length, 0);
  if (tasks.length !== TASKS || edges !== DEPENDENCIES) throw new Error(`shape: ${tasks.length} tasks, ${edges} edges`);
  return tasks;
}

/** The tasks completed while seeding, in an order their dependencies allow. */
export const completedWhileSeeding = (tasks: readonly SeedTask[]): string[] =>
  tasks.filter((task) => task.id.startsWith("done-")).map((task) => task.id);

/** A day `days` from today (UTC), YYYY-MM-DD. */
export const dayFromToday = (days: number): string =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** The deal.create arguments: an empty deal accepted 5 days ago, closing in 40. */
export function dealCreate() {
  return {
    templateId: null,
    title: "Bench purchase",
    address: "300 Bench Way, Springfield",
    keyDates: { acceptance: dayFromToday(-5), closing: dayFromToday(40) },
    purchasePrice: 485_000,
    commission: { percent: 2.5 },
    financing: { type: "conventional", lender: "First Bank", loanAmount: 388_000 },
  };
}

/** deal.task.create arguments for `task`: a milestone, an assignee role and a due date before closing. */
export function taskCreate(task: SeedTask, index: number, milestoneIds: readonly string[]) {
  return {
    id: task.id,
    title: `Task ${task.id}`,
    milestoneId: milestoneIds[index % milestoneIds.length] ?? null,
    description: `What ${task.id} asks for, in a sentence or two, as a coordinator would write it.`,
    notes: "Internal: call the lender before noon.",
    assignee: { kind: "role", role: ROLES[index % ROLES.length] },
    due: { date: dayFromToday(10 + (index % 25)) },
    dependsOn: task.dependsOn,
    sharedWithBuyer: index % 3 === 0,
  };
}
