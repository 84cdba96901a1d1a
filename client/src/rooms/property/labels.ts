/** Words and colours for a home's records, shared by its views. */

import { addDays } from "../../../../schema/property/dates";
import type { AssetCategory, Task } from "../../../../schema/property/records";
import { formatDate } from "../../format";

export const CATEGORY_LABELS: Record<AssetCategory, string> = {
  appliance: "Appliances",
  hvac: "Heating & cooling",
  plumbing: "Plumbing",
  electrical: "Electrical",
  roof: "Roof & exterior",
  garden: "Garden",
  vehicle: "Vehicles",
  other: "Other",
};

/** One category name, as a form option reads. */
export const CATEGORY_OPTION: Record<AssetCategory, string> = {
  appliance: "Appliance",
  hvac: "Heating & cooling",
  plumbing: "Plumbing",
  electrical: "Electrical",
  roof: "Roof & exterior",
  garden: "Garden",
  vehicle: "Vehicle",
  other: "Other",
};

/** "Overdue since Mar 3", "Due today", "Due tomorrow", "Due Mar 20, 2026", "Nothing due". */
export function dueWords(task: Pick<Task, "nextDue">, today: string): string {
  if (task.nextDue === null) return "Nothing due";
  if (task.nextDue < today) return `Overdue since ${formatDate(task.nextDue)}`;
  if (task.nextDue === today) return "Due today";
  if (task.nextDue === addDays(today, 1)) return "Due tomorrow";
  return `Due ${formatDate(task.nextDue)}`;
}
