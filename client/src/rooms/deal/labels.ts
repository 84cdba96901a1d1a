/** A deal's words: task states, due rules, assignees, days to closing, money. */
import type { RelativeDue } from "../../../../schema/deal/dates";
import type { Assignee, DealTask, DealTaskState } from "../../../../schema/deal/records";

export const STATES: readonly DealTaskState[] = ["PENDING", "BLOCKED", "IN_PROGRESS", "OVERDUE", "COMPLETED"];

export const STATE_WORDS: Record<DealTaskState, string> = {
  PENDING: "To do",
  BLOCKED: "Blocked",
  IN_PROGRESS: "In progress",
  OVERDUE: "Overdue",
  COMPLETED: "Done",
};

/** The chip class of each state: the word is always there too, never colour alone. */
export const STATE_TONE: Record<DealTaskState, string> = {
  PENDING: "chip-muted",
  BLOCKED: "chip-warn",
  IN_PROGRESS: "",
  OVERDUE: "chip-danger",
  COMPLETED: "chip-success",
};

export const ROLE_WORDS: Record<string, string> = {
  buyer: "Buyer",
  buyer_agent: "Buyer's agent",
  transaction_coordinator: "Transaction coordinator",
  admin: "Admin",
  owner: "Owner",
  editor: "Editor",
  viewer: "Viewer",
};

export const roleWords = (role: string) => ROLE_WORDS[role] ?? role;

/** A task's state, never missing (a projection that left it out reads as to do). */
export const stateOf = (task: DealTask): DealTaskState => task.state ?? "PENDING";

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of `epochMs` in `timeZone`, YYYY-MM-DD; UTC for a zone this browser does not know. */
export function localDate(epochMs: number, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    } catch {
      return localDate(epochMs, "UTC");
    }
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(epochMs).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

const DAY_MS = 86_400_000;

/** Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** "12 days to closing", "Closing today", "Closed 3 days ago". */
export function closingWords(today: string, closing: string): string {
  const days = daysBetween(today, closing);
  if (days === 0) return "Closing today";
  if (days === 1) return "1 day to closing";
  if (days > 1) return `${days} days to closing`;
  return days === -1 ? "Closing was yesterday" : `Closing was ${-days} days ago`;
}

const KEY_DATE_WORDS = { acceptance: "acceptance", closing: "closing" } as const;

/** A relative due rule in words: "acceptance + 3 business days", "closing − 5 days". */
export function dueRuleWords(due: RelativeDue): string {
  const unit = due.unit === "business_days" ? "business day" : "day";
  const count = Math.abs(due.offset);
  const sign = due.offset < 0 ? "−" : "+";
  const base =
    due.offset === 0 ? `on ${KEY_DATE_WORDS[due.anchor]}` : `${KEY_DATE_WORDS[due.anchor]} ${sign} ${count} ${unit}`;
  const plural = count === 1 || due.offset === 0 ? "" : "s";
  return `${base}${plural}${due.rollForward ? " (next business day if it falls on a holiday or weekend)" : ""}`;
}

/** Who a task is for, in words. */
export function assigneeWords(assignee: Assignee | null | undefined, nameOf: (id: string) => string | null): string {
  if (!assignee) return "Unassigned";
  if (assignee.kind === "role") return roleWords(assignee.role);
  return nameOf(assignee.userId) ?? assignee.name ?? "Someone";
}

/** The grouping key of an assignee, for "who owes what". */
export function assigneeKey(assignee: Assignee | null | undefined): string {
  if (!assignee) return "none";
  return assignee.kind === "role" ? `role:${assignee.role}` : `user:${assignee.userId}`;
}

const DOLLARS = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });

export const dollars = (amount: number) => DOLLARS.format(amount);

/** Days from today to a due date, in words: "due in 3 days", "due today", "4 days late". */
export function dueInWords(today: string, dueDate: string): string {
  const days = daysBetween(today, dueDate);
  if (days === 0) return "due today";
  if (days === 1) return "due tomorrow";
  if (days > 1) return `due in ${days} days`;
  return days === -1 ? "1 day late" : `${-days} days late`;
}

/** Bytes as "1.2 MB" or "340 KB" (shared with a home's documents). */
export { sizeWords } from "../../format";
