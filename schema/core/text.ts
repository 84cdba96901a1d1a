/**
 * Text rules every boundary shares. A name is one line: it is written into email text, calendar
 * feeds, notifications and headers, where a line break could start a line of its own.
 */
import { z } from "zod";

/** Unicode's Cc: the C0 controls (CR, LF and TAB among them), DEL and the C1 controls. */
const CONTROL_CHARACTER = /\p{Cc}/u;

/** True when `text` holds no control character. */
export const isSingleLine = (text: string): boolean => !CONTROL_CHARACTER.test(text);

const CONTROL_RUNS = /\p{Cc}+/gu;

/** `text` on one line: each run of control characters (a stored name's stray CR/LF) becomes one space. */
export const flattenLine = (text: string): string => text.replace(CONTROL_RUNS, " ").trim();

/** A required one-line name of at most `max` characters, trimmed: a room's, an asset's, a person's. */
export function singleLineName(max: number) {
  return z
    .string()
    .trim()
    .min(1, { message: "is required" })
    .max(max)
    .refine(isSingleLine, { message: "may not contain line breaks, tabs or other control characters" });
}
