/**
 * The one hash chain behind every append-only record (a deal's audit log, a site's compliance records, room
 * history). Pure: WebCrypto and TextEncoder only, so it runs in workerd and node alike.
 *
 * Byte recipe, for anyone re-checking an export without this code:
 * - An entry is `{ seq, prevHash, hash, content }`; `seq` counts from 1, `content` is any JSON value.
 * - `prevHash` is the previous entry's `hash`; the first entry's is GENESIS_HASH (64 "0" characters).
 * - `hash` = lowercase hex of SHA-256 over the UTF-8 bytes of
 *   `prevHash + "\n" + canonicalJson({ content, seq })`, which is the text
 *   `<prevHash>\n{"content":<canonicalJson(content)>,"seq":<seq>}`.
 * - canonicalJson is RFC 8785 (JCS) style: no whitespace; object keys sorted by UTF-16 code units (JavaScript's
 *   default sort, not code points); strings and numbers written as JSON.stringify writes them; object members
 *   whose value is undefined are left out. Anything JSON cannot carry back is refused (CanonicalJsonError).
 */
import { sha256 } from "./sha256";

/** The `prevHash` of a chain's first entry. */
export const GENESIS_HASH = "0".repeat(64);

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue | undefined };

export interface ChainEntry<C extends JsonValue = JsonValue> {
  seq: number;
  prevHash: string;
  hash: string;
  content: C;
}

export type ChainBreak = "altered" | "removed" | "reordered" | "inserted" | "head_mismatch";

export type VerifyResult =
  | { ok: true; head: string; count: number }
  | {
      ok: false;
      /** Position in the list given of the first entry not proven (the list's length for head_mismatch). */
      index: number;
      /** The seq the chain should have at `index`. */
      seq: number;
      reason: ChainBreak;
      message: string;
    };

/** A value that canonical JSON cannot represent; `path` says where (`$.a[2]`). */
export class CanonicalJsonError extends Error {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`canonical JSON: ${path} ${problem}`);
    this.name = "CanonicalJsonError";
  }
}

/** Deterministic JSON text of `value` (see the recipe above); throws CanonicalJsonError. */
export function canonicalJson(value: unknown): string {
  return write(value, [], []);
}

/**
 * Where a refused value sits (`$.a[2]`). Written only on refusal: building it for every member made canonicalJson
 * of an audit entry about 15 % slower (bench/results/2026-12-07-deal.md).
 */
function pathOf(keys: readonly (string | number)[]): string {
  let path = "$";
  for (const key of keys) path += typeof key === "number" ? `[${key}]` : `.${key}`;
  return path;
}

/** `keys` is the path to `value`, `ancestors` the objects that hold it (a few: a linear scan beats a Set). */
function write(value: unknown, keys: (string | number)[], ancestors: object[]): string {
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new CanonicalJsonError(pathOf(keys), `is ${value}, which JSON cannot carry`);
      return JSON.stringify(value);
    case "object":
      break;
    default:
      throw new CanonicalJsonError(pathOf(keys), `is a ${typeof value}, which JSON cannot carry`);
  }
  if (value === null) return "null";
  if (ancestors.includes(value)) throw new CanonicalJsonError(pathOf(keys), "refers back to itself (a cycle)");
  ancestors.push(value);
  let text: string;
  if (Array.isArray(value)) {
    text = "[";
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      keys.push(i);
      // A hole reads as undefined: refused too, where JSON.stringify would write null.
      if (item === undefined) throw new CanonicalJsonError(pathOf(keys), "is undefined inside an array");
      text += `${i === 0 ? "" : ","}${write(item, keys, ancestors)}`;
      keys.pop();
    }
    text += "]";
  } else {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw new CanonicalJsonError(
        pathOf(keys),
        `is a ${proto?.constructor?.name ?? "non-plain object"}; convert it first`,
      );
    }
    const record = value as Record<string, unknown>;
    text = "{";
    for (const key of Object.keys(record).sort()) {
      const member = record[key];
      if (member === undefined) continue;
      keys.push(key);
      text += `${text.length === 1 ? "" : ","}${JSON.stringify(key)}:${write(member, keys, ancestors)}`;
      keys.pop();
    }
    text += "}";
  }
  ancestors.pop();
  return text;
}

const encoder = new TextEncoder();
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

function hashInput(seq: number, prevHash: string, content: unknown): BufferSource {
  // Node's types say encode() may return shared memory; it never does, and digest wants an ArrayBuffer view.
  return encoder.encode(`${prevHash}\n{"content":${canonicalJson(content)},"seq":${seq}}`) as BufferSource;
}

function hex(digest: Uint8Array): string {
  let text = "";
  for (const b of digest) text += HEX[b];
  return text;
}

async function digestHex(bytes: BufferSource): Promise<string> {
  return hex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
}

/** The hash an entry with these fields must carry. */
export function entryHash(seq: number, prevHash: string, content: JsonValue): Promise<string> {
  return digestHex(hashInput(seq, prevHash, content));
}

/** The entry that follows `prev` (or starts a chain when null); throws CanonicalJsonError for non-JSON content. */
export async function appendEntry<C extends JsonValue>(prev: ChainEntry | null, content: C): Promise<ChainEntry<C>> {
  const seq = prev === null ? 1 : prev.seq + 1;
  const prevHash = prev === null ? GENESIS_HASH : prev.hash;
  return { seq, prevHash, hash: await entryHash(seq, prevHash, content), content };
}

/**
 * `appendEntry` without a promise, for a storage transaction that cannot await (a command's audit entry is hashed
 * in the command's own transaction). The same bytes, hashed by rooms/core/sha256.ts instead of WebCrypto.
 */
export function appendEntrySync<C extends JsonValue>(prev: ChainLink | null, content: C): ChainEntry<C> {
  const seq = prev === null ? 1 : prev.seq + 1;
  const prevHash = prev === null ? GENESIS_HASH : prev.hash;
  return { seq, prevHash, hash: hex(sha256(hashInput(seq, prevHash, content) as Uint8Array)), content };
}

/**
 * The last check of a chain kept in a database, once every page up to `after` is proven: it must end at the head
 * the database keeps, and no `beyond` rows may stand after that head. Null when it does; else the break, in words
 * naming the rows as `what` ("entries", "records").
 */
export function tailBreak(
  after: ChainLink,
  head: ChainLink,
  beyond: number,
  what: string,
): { seq: number; reason: "head_mismatch" | "inserted"; message: string } | null {
  if (after.seq !== head.seq || after.hash !== head.hash)
    return {
      seq: after.seq + 1,
      reason: "head_mismatch",
      message:
        `the chain ends at seq ${after.seq}, but its head says seq ${head.seq}: ` +
        `${what} at the end were removed or rewritten`,
    };
  if (beyond > 0)
    return {
      seq: head.seq + 1,
      reason: "inserted",
      message: `${beyond} ${what} stand after the head (seq ${head.seq}): they were added`,
    };
  return null;
}

/** Where a chain stands: an entry's seq and hash (a published head, or the last entry of a page verified). */
export interface ChainLink {
  seq: number;
  hash: string;
}

const HASH_SHAPE = /^[0-9a-f]{64}$/;

/**
 * What a caller who keeps entries in a database can hand verifyChain: the bytes an entry's hash covers (see the
 * recipe above) as its database put them together, or null, so the entry is hashed without reading its content
 * into objects and building its canonical JSON again. Only a shortcut: an entry whose bytes do not hash to its
 * `hash` is checked again from its `content`, so bytes put together wrongly cost time, never a wrong answer.
 */
export type HashedBytesOf<E extends ChainEntry> = (entry: E) => BufferSource | null;

/**
 * The entry's own hash recomputed, or null when its fields are malformed or its content is not JSON. With
 * `bytesOf`, first from the bytes the caller has; a mismatch there is settled from the content itself.
 */
async function recompute<E extends ChainEntry>(entry: E, bytesOf?: HashedBytesOf<E>): Promise<string | null> {
  if (!Number.isSafeInteger(entry.seq) || entry.seq < 1) return null;
  if (typeof entry.prevHash !== "string" || !HASH_SHAPE.test(entry.prevHash)) return null;
  const stored = bytesOf?.(entry) ?? null;
  if (stored !== null) {
    const quick = await digestHex(stored);
    if (quick === entry.hash) return quick;
  }
  try {
    return await digestHex(hashInput(entry.seq, entry.prevHash, entry.content));
  } catch (error) {
    if (error instanceof CanonicalJsonError) return null;
    throw error;
  }
}

/**
 * Checks every link of `entries` in the order given and reports the first one broken. One digest per entry. The
 * last rows removed leave a valid shorter chain: only `expectedHead` (a published head) finds that.
 * Rows read by seq whose seqs were exchanged show as "altered" (seq is hashed); "reordered" is a list out of order.
 * `after` continues a chain verified up to that link (a long log checked one page at a time): the first entry
 * given must follow it.
 */
export async function verifyChain<E extends ChainEntry>(
  entries: readonly E[],
  options: { expectedHead?: string; after?: ChainLink; hashedBytesOf?: HashedBytesOf<E> } = {},
): Promise<VerifyResult> {
  const { after, hashedBytesOf } = options;
  const seen = new Map<string, number>([[after?.hash ?? GENESIS_HASH, -1]]);
  // One digest at a time: workerd's digest is synchronous underneath, and awaiting a batch of them together was
  // slower in every run (bench/results/2026-12-07-deal.md).
  for (const [index, entry] of entries.entries()) {
    const computed = await recompute(entry, hashedBytesOf);
    const prev = index === 0 ? (after ?? null) : (entries[index - 1] as ChainEntry);
    const broken = classify(entries, index, entry, prev, computed, seen);
    if (broken !== null) return broken;
    seen.set(entry.hash, index);
  }
  const last: ChainLink | undefined = entries.at(-1) ?? after;
  const head = last?.hash ?? GENESIS_HASH;
  const { expectedHead } = options;
  if (expectedHead !== undefined && expectedHead !== head) {
    const at = seen.get(expectedHead);
    const message =
      at === undefined
        ? `the chain ends at ${head}, and the expected head ${expectedHead} is nowhere in it: ` +
          "rows after the last were removed, or this is another chain"
        : `the expected head is the hash of seq ${at === -1 ? (after?.seq ?? 0) : entries[at]?.seq}, ` +
          `but the chain goes on to seq ${last?.seq}`;
    return { ok: false, index: entries.length, seq: (last?.seq ?? 0) + 1, reason: "head_mismatch", message };
  }
  return { ok: true, head, count: entries.length };
}

function classify(
  entries: readonly ChainEntry[],
  index: number,
  entry: ChainEntry,
  prev: ChainLink | null,
  computed: string | null,
  seen: Map<string, number>,
): VerifyResult | null {
  const seq = prev === null ? 1 : prev.seq + 1;
  const fail = (at: number, reason: ChainBreak, message: string): VerifyResult => ({
    ok: false,
    index: at,
    seq: at === index ? seq : (entries[at] as ChainEntry).seq,
    reason,
    message,
  });
  if (computed === null) return fail(index, "altered", `the entry at index ${index} is malformed or not JSON`);
  if (computed !== entry.hash) {
    return fail(index, "altered", `seq ${entry.seq} does not match its hash: its content or hash was changed`);
  }
  const prevHash = prev?.hash ?? GENESIS_HASH;
  if (entry.prevHash === prevHash) {
    if (entry.seq === seq) return null;
    return fail(
      index,
      "altered",
      `seq ${entry.seq} links to seq ${seq - 1} but is numbered wrongly: rows were rebuilt`,
    );
  }
  const copyOf = seen.get(entry.hash);
  if (copyOf !== undefined)
    return fail(index, "inserted", `seq ${entry.seq} is a copy of the entry at index ${copyOf}`);
  const linksTo = seen.get(entry.prevHash);
  if (linksTo !== undefined && linksTo < index - 1) {
    return fail(linksTo + 1, "inserted", `seq ${entry.seq} links to index ${linksTo}: the rows between were inserted`);
  }
  if (entry.seq < seq) {
    return fail(index, "inserted", `seq ${entry.seq} comes again after seq ${seq - 1}`);
  }
  if (entry.seq > seq) {
    const later = entries.findIndex((e, i) => i > index && e.seq === seq);
    if (later !== -1) return fail(index, "reordered", `seq ${entry.seq} stands where seq ${seq} belongs (at ${later})`);
    return fail(index, "removed", `seq ${seq} to ${entry.seq - 1} are missing`);
  }
  return fail(
    index,
    "altered",
    `seq ${seq} does not link to seq ${seq - 1}: one of them was rewritten and its hash recomputed`,
  );
}
