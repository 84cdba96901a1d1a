/**
 * Finding tasks and assets in a home: a search over title, notes and asset name, and filters
 * by the asset's category and location, the assignee and when it is due (assets: the search,
 * category and location). Pure, over the mirror's
 * records, so a list of thousands narrows as the person types with no call to the server.
 */
import { z } from "zod";
import { addDays } from "./dates";
import { isOverdue } from "./health";
import { ASSET_CATEGORIES, type Asset, type Task } from "./records";

export const DUE_FILTERS = ["overdue", "week", "month", "none"] as const;
export type DueFilter = (typeof DUE_FILTERS)[number];

/** Who a task is for: a member's id, or "everyone" for an unassigned task. */
export const UNASSIGNED = "everyone";

/** The filters as the URL query carries them; anything unreadable counts as not set. */
export const taskFilterSchema = z.object({
  q: z.string().max(200).catch(""),
  category: z.enum(ASSET_CATEGORIES).or(z.literal("")).catch(""),
  location: z.string().max(200).catch(""),
  assignee: z.string().max(64).catch(""),
  due: z.enum(DUE_FILTERS).or(z.literal("")).catch(""),
});
export type TaskFilter = z.infer<typeof taskFilterSchema>;

export const NO_FILTER: TaskFilter = { q: "", category: "", location: "", assignee: "", due: "" };

/** The filter a URL query names, e.g. `{ q: "filter", due: "overdue" }`. */
export function readTaskFilter(query: Record<string, string | string[] | undefined>): TaskFilter {
  const one = (key: keyof TaskFilter) => {
    const value = query[key];
    return (Array.isArray(value) ? value[0] : value) ?? "";
  };
  return taskFilterSchema.parse({
    q: one("q"),
    category: one("category"),
    location: one("location"),
    assignee: one("assignee"),
    due: one("due"),
  });
}

export function isFiltered(filter: TaskFilter): boolean {
  return Object.values(filter).some((value) => value.trim() !== "");
}

function dueMatches(task: Task, due: DueFilter, today: string): boolean {
  switch (due) {
    case "overdue":
      return isOverdue(task, today);
    case "none":
      return task.nextDue === null;
    case "week":
      return task.nextDue !== null && task.nextDue >= today && task.nextDue <= addDays(today, 6);
    case "month":
      return task.nextDue !== null && task.nextDue >= today && task.nextDue.slice(0, 7) === today.slice(0, 7);
  }
}

/** The tasks `filter` lets through, in their order; `assetOf` finds a task's asset. */
export function filterTasks(
  tasks: readonly Task[],
  filter: TaskFilter,
  assetOf: (id: string) => Asset | undefined,
  today: string,
): Task[] {
  if (!isFiltered(filter)) return [...tasks];
  const words = filter.q.trim().toLocaleLowerCase().split(/\s+/).filter(Boolean);
  const location = filter.location.trim().toLocaleLowerCase();
  return tasks.filter((task) => {
    const asset = task.assetId ? assetOf(task.assetId) : undefined;
    if (filter.category && asset?.category !== filter.category) return false;
    if (location && !(asset?.location ?? "").toLocaleLowerCase().includes(location)) return false;
    if (filter.assignee && (task.assignee ?? UNASSIGNED) !== filter.assignee) return false;
    if (filter.due && !dueMatches(task, filter.due, today)) return false;
    if (words.length === 0) return true;
    const text = `${task.title} ${task.notes} ${asset?.name ?? ""}`.toLocaleLowerCase();
    return words.every((word) => text.includes(word));
  });
}

/** The assets `filter` lets through: the search over name, notes, make, model and location; category; location. */
export function filterAssets(assets: readonly Asset[], filter: TaskFilter): Asset[] {
  const words = filter.q.trim().toLocaleLowerCase().split(/\s+/).filter(Boolean);
  const location = filter.location.trim().toLocaleLowerCase();
  return assets.filter((asset) => {
    if (filter.category && asset.category !== filter.category) return false;
    if (location && !asset.location.toLocaleLowerCase().includes(location)) return false;
    const text = `${asset.name} ${asset.notes} ${asset.make} ${asset.model} ${asset.location}`.toLocaleLowerCase();
    return words.every((word) => text.includes(word));
  });
}

/** Whether the filters an asset list reads (search, category, location) are set. */
export function isAssetFiltered(filter: TaskFilter): boolean {
  return [filter.q, filter.category, filter.location].some((value) => value.trim() !== "");
}
