/** Display helpers shared by several components. */
import { kindOf, type RoomKind } from "../../schema/core/kinds";

/** Up to two initials for an avatar: "Ada Lovelace" → "AL", "ada" → "A". */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0]?.[0] ?? "?";
  const last = words.length > 1 ? (words[words.length - 1]?.[0] ?? "") : "";
  return (first + last).toUpperCase();
}

/** Today's calendar date in the user's time zone, as YYYY-MM-DD (the doc's due format). */
export function todayDate(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** One formatter for every date shown: building one per call was the slowest step of drawing a long task list. */
const DATE_FORMAT = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

/** A YYYY-MM-DD calendar date as "Mar 4, 2026" in the user's locale, read as that day wherever the user is. */
export function formatDate(date: string): string {
  const parsed = new Date(`${date}T12:00:00`);
  return Number.isNaN(parsed.getTime()) ? date : DATE_FORMAT.format(parsed);
}

/** Bytes as "1.2 MB" or "340 KB". */
export function sizeWords(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** "Mar 4, 2026, 10:30 AM" in the user's locale; the input itself if it is not a date. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** A role id as words for a chip ("transaction_coordinator" → "transaction coordinator"; the chip capitalises). */
export function roleName(role: string): string {
  return role.replaceAll("_", " ");
}

/** A room kind as people call it, for a chip or a sentence ("property" → "home"). */
export function kindName(kind: RoomKind): string {
  return kindOf(kind).noun;
}
