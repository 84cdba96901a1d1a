/** Shorthand the built-in templates are written in; what it builds is plain template data. */
import type { RelativeDue } from "../dates";
import type { TemplateTask } from "../templates";

type Unit = RelativeDue["unit"];

/** `n` days (or business days) after acceptance. */
export const afterAcceptance = (offset: number, unit: Unit = "days", rollForward?: boolean): RelativeDue => ({
  anchor: "acceptance",
  offset,
  unit,
  ...(rollForward ? { rollForward } : {}),
});
/**
 * `n` business days (or days) before closing; business days keep it off weekends and holidays. Closing-day tasks
 * count calendar days, since 0 business days from a Saturday closing would be the Monday after it.
 */
export const beforeClosing = (offset: number, unit: Unit = "business_days"): RelativeDue => ({
  anchor: "closing",
  offset: -offset,
  unit: offset === 0 ? "days" : unit,
});

/** A task; shared with the buyer when `shared` is true, otherwise internal to the deal team. */
export function task(
  key: string,
  title: string,
  assigneeRole: TemplateTask["assigneeRole"],
  due: RelativeDue,
  dependsOn: string[] = [],
  shared = false,
): TemplateTask {
  return {
    key,
    title,
    assigneeRole,
    due,
    dependsOn,
    sharedWithBuyer: shared,
    classification: shared ? "public" : "internal",
  };
}
