import { describe, expect, it } from "vitest";
import {
  appendEntry,
  appendEntrySync,
  CanonicalJsonError,
  type ChainEntry,
  canonicalJson,
  GENESIS_HASH,
  type JsonValue,
  verifyChain,
} from "./hash-chain";

async function chain(count: number): Promise<ChainEntry[]> {
  const entries: ChainEntry[] = [];
  for (let i = 0; i < count; i++) {
    entries.push(await appendEntry(entries.at(-1) ?? null, { command: "task.complete", task: `t${i}`, n: i }));
  }
  return entries;
}

describe("canonicalJson", () => {
  it("does not depend on key order, nested too", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, { y: 2, z: 1 }] }, b: 1 }),
    );
    expect(canonicalJson({ b: 1, a: "x" })).toBe('{"a":"x","b":1}');
  });

  it("sorts keys by UTF-16 code units", () => {
    // U+1F600 is the surrogate pair D83D DE00, which sorts before U+FF21 by code unit (after it by code point).
    expect(canonicalJson({ "\uff21": 1, "\u{1f600}": 2, é: 3, a: 4 })).toBe('{"a":4,"é":3,"\u{1f600}":2,"\uff21":1}');
  });

  it("leaves out undefined members and round-trips through JSON.parse", () => {
    const text = canonicalJson({ a: undefined, b: [1.5, -0, 1e21, "\u2028"] });
    expect(text).toBe('{"b":[1.5,0,1e+21,"\u2028"]}');
    expect(canonicalJson(JSON.parse(text))).toBe(text);
  });

  it("refuses what JSON cannot carry, naming where", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const bad of [
      { a: Number.NaN },
      { a: [1, Number.POSITIVE_INFINITY] },
      [1, undefined],
      { f: () => 1 },
      { n: 10n },
      cyclic,
      { d: new Date(0) },
      undefined,
    ]) {
      expect(() => canonicalJson(bad)).toThrow(CanonicalJsonError);
    }
    expect(() => canonicalJson({ a: [0, Number.NaN] })).toThrow("$.a[1]");
    // biome-ignore lint/suspicious/noSparseArray: the hole is what is tested.
    expect(() => canonicalJson({ a: [0, , 2] })).toThrow("$.a[1] is undefined inside an array");
  });

  it("writes a value shared twice (not a cycle) twice", () => {
    const shared = { x: 1 };
    expect(canonicalJson([shared, shared])).toBe('[{"x":1},{"x":1}]');
  });
});

describe("verifyChain", () => {
  it("starts at the genesis hash and proves intact chains of 0, 1 and 1,000", async () => {
    expect(await verifyChain([])).toEqual({ ok: true, head: GENESIS_HASH, count: 0 });
    const one = await chain(1);
    expect(one[0]?.prevHash).toBe(GENESIS_HASH);
    expect(await verifyChain(one)).toEqual({ ok: true, head: one[0]?.hash, count: 1 });
    const many = await chain(1000);
    expect(await verifyChain(many, { expectedHead: many[999]?.hash })).toEqual({
      ok: true,
      head: many[999]?.hash,
      count: 1000,
    });
  });

  it("finds an altered field", async () => {
    const entries = await chain(10);
    const row = entries[4] as ChainEntry<{ [key: string]: JsonValue }>;
    row.content = { ...row.content, task: "forged" };
    expect(await verifyChain(entries)).toMatchObject({ ok: false, index: 4, seq: 5, reason: "altered" });
  });

  it("finds a removed middle row", async () => {
    const entries = await chain(10);
    entries.splice(3, 1);
    expect(await verifyChain(entries)).toMatchObject({ ok: false, index: 3, seq: 4, reason: "removed" });
  });

  it("finds the first row removed", async () => {
    const entries = await chain(5);
    entries.shift();
    expect(await verifyChain(entries)).toMatchObject({ ok: false, index: 0, seq: 1, reason: "removed" });
  });

  it("passes a chain whose last row was removed unless the published head is given", async () => {
    const entries = await chain(10);
    const head = entries[9]?.hash as string;
    entries.pop();
    expect(await verifyChain(entries)).toMatchObject({ ok: true, count: 9 });
    expect(await verifyChain(entries, { expectedHead: head })).toMatchObject({
      ok: false,
      index: 9,
      seq: 10,
      reason: "head_mismatch",
    });
  });

  it("says when the published head is an earlier entry", async () => {
    const entries = await chain(10);
    const result = await verifyChain(entries, { expectedHead: entries[6]?.hash as string });
    expect(result).toMatchObject({ ok: false, reason: "head_mismatch" });
    expect(!result.ok && result.message).toContain("seq 7");
  });

  it("finds two rows swapped", async () => {
    const entries = await chain(10);
    const [a, b] = [entries[5] as ChainEntry, entries[6] as ChainEntry];
    entries[5] = b;
    entries[6] = a;
    expect(await verifyChain(entries)).toMatchObject({ ok: false, index: 5, seq: 6, reason: "reordered" });
  });

  it("finds a well-formed row inserted after a real one, pointing at it", async () => {
    const entries = await chain(10);
    const forged = await appendEntry(entries[3] as ChainEntry, { command: "task.complete", task: "ghost", n: -1 });
    entries.splice(4, 0, forged);
    expect(await verifyChain(entries)).toMatchObject({ ok: false, index: 4, seq: 5, reason: "inserted" });
  });

  it("finds a row appearing twice", async () => {
    const entries = await chain(5);
    entries.push(entries[2] as ChainEntry);
    expect(await verifyChain(entries)).toMatchObject({ ok: false, index: 5, reason: "inserted" });
  });

  it("finds a forged row whose hash was recomputed, at the next link", async () => {
    const entries = await chain(10);
    const original = entries[4] as ChainEntry;
    entries[4] = await appendEntry(entries[3] as ChainEntry, { command: "task.complete", task: "forged", n: 4 });
    expect(entries[4]?.seq).toBe(original.seq);
    expect(await verifyChain(entries)).toMatchObject({ ok: false, index: 5, seq: 6, reason: "altered" });
  });

  it("finds a changed hash and malformed rows", async () => {
    const entries = await chain(3);
    (entries[1] as ChainEntry).hash = "f".repeat(64);
    expect(await verifyChain(entries)).toMatchObject({ ok: false, index: 1, reason: "altered" });
    const again = await chain(3);
    (again[2] as { prevHash: unknown }).prevHash = 7;
    expect(await verifyChain(again)).toMatchObject({ ok: false, index: 2, reason: "altered" });
  });

  it("reports the first break when there are several, across verify batches", async () => {
    const entries = await chain(600);
    (entries[300] as ChainEntry).content = "changed";
    entries.splice(100, 1);
    expect(await verifyChain(entries)).toMatchObject({ ok: false, index: 100, reason: "removed" });
  });
});

describe("appendEntrySync", () => {
  it("writes the entry appendEntry writes, which verifyChain proves", async () => {
    const content: JsonValue = { who: "Zoë", changes: [{ field: "title", before: null, after: "Inspection ✓" }] };
    const first = appendEntrySync(null, content);
    expect(first).toEqual(await appendEntry(null, content));
    const second = appendEntrySync(first, { n: 2 });
    expect(second).toEqual(await appendEntry(first, { n: 2 }));
    expect(await verifyChain([first, second])).toEqual({ ok: true, head: second.hash, count: 2 });
  });

  it("throws for content JSON cannot carry", () => {
    expect(() => appendEntrySync(null, { at: Number.NaN })).toThrow(CanonicalJsonError);
  });
});

describe("verifyChain after a link (one page at a time)", () => {
  it("proves a chain checked in two pages, and finds a break on the second", async () => {
    const entries = await chain(10);
    const link = entries[4] as ChainEntry;
    expect(await verifyChain(entries.slice(0, 5))).toMatchObject({ ok: true, head: link.hash });
    const last = entries[9] as ChainEntry;
    expect(await verifyChain(entries.slice(5), { after: link, expectedHead: last.hash })).toEqual({
      ok: true,
      head: last.hash,
      count: 5,
    });
    const rest = entries.slice(5);
    rest.splice(1, 1);
    expect(await verifyChain(rest, { after: link })).toMatchObject({ ok: false, index: 1, seq: 7, reason: "removed" });
  });

  it("finds a page that does not follow the link, and an empty page that ends short of the head", async () => {
    const entries = await chain(6);
    expect(await verifyChain(entries.slice(4), { after: entries[2] as ChainEntry })).toMatchObject({
      ok: false,
      index: 0,
      seq: 4,
      reason: "removed",
    });
    const link = entries[5] as ChainEntry;
    expect(await verifyChain([], { after: link })).toEqual({ ok: true, head: link.hash, count: 0 });
    expect(await verifyChain([], { after: entries[4] as ChainEntry, expectedHead: link.hash })).toMatchObject({
      ok: false,
      reason: "head_mismatch",
    });
  });
});
