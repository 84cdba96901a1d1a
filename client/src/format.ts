/** Display helpers shared by several components. */
import { dayWords } from "../../schema/core/day-words";
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
  return localDay(new Date());
}

/** The calendar day of a moment in the user's time zone, as YYYY-MM-DD. */
function localDay(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** A YYYY-MM-DD calendar date as "Mon 30 Nov" (with its year when not this year's), as every date is written. */
export function formatDate(date: string): string {
  return dayWords(date, todayDate());
}

/** One formatter for every time shown: 24-hour, in the user's own clock. */
const TIME_FORMAT = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

/** "14:05" in the user's time zone: the one way a time of day is written. */
export function formatTime(at: Date): string {
  return TIME_FORMAT.format(at);
}

/** "Mon 30 Nov, 14:05" in the user's time zone, from an ISO string or epoch ms; else the input as it is. */
export function formatDateTime(at: string | number): string {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? String(at) : `${formatDate(localDay(date))}, ${formatTime(date)}`;
}

/** Bytes as "1.2 MB" or "340 KB". */
export function sizeWords(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** A role id as words for a chip ("transaction_coordinator" → "transaction coordinator"; the chip capitalises). */
export function roleName(role: string): string {
  return role.replaceAll("_", " ");
}

/** A room kind as people call it, for a chip or a sentence ("property" → "home"). */
export function kindName(kind: RoomKind): string {
  return kindOf(kind).noun;
}
