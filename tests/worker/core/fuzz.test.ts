/**
 * Fuzzing the path every client update takes into a room: thousands of mutations of
 * real updates (seeded, so a failure reproduces), each decoded as a frame and committed
 * through the room's own document and storage code on a room's real SQLite. Every
 * mutant must be applied or refused, never throw, and the stored room must reload to
 * exactly what was served.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { UpdateGuard } from "../../../rooms/core/doc-guard";
import { parseClientFrame, syncFrame } from "../../../rooms/core/frames";
import { migrateRoom } from "../../../rooms/core/migrate";
import coreMigrations from "../../../rooms/core/migrations/migrations.js";
import { RoomDocument } from "../../../rooms/core/room-document";
import { YDocStore } from "../../../rooms/core/ydoc-store";
import {
  addChecklist,
  addItem,
  deleteItem,
  moveItem,
  readChecklists,
  renameChecklist,
  updateItem,
} from "../../../schema/core/checklists";
import { defineSharedRoots, docShapeCheck } from "../../../schema/core/doc-shape";

const SEED = 20261123;
const MUTANTS = 5_000;
const RELOAD_EVERY = 500;

/** mulberry32: a small, well-mixed seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Real updates, as people editing checklists produce them from two writers, and a hostile writer's. */
function corpus(random: () => number): { honest: Uint8Array[]; hostile: Uint8Array[] } {
  const updates: Uint8Array[] = [];
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on("update", (u: Uint8Array) => {
    updates.push(u);
    Y.applyUpdate(b, u);
  });
  b.on("update", (u: Uint8Array, origin: unknown) => {
    if (origin !== null) return;
    updates.push(u);
  });
  const lists = [addChecklist(a, "Spring"), addChecklist(a, "Autumn")];
  const items: [string, string][] = [];
  for (let i = 0; i < 60; i++) {
    const list = lists[i % 2] as string;
    const id = addItem(a, list, `task ${i}`);
    if (id) items.push([list, id]);
    const pick = items[Math.floor(random() * items.length)];
    if (!pick) continue;
    const [listId, itemId] = pick;
    const writer = random() < 0.5 ? a : b;
    switch (i % 5) {
      case 0:
        updateItem(writer, listId, itemId, { done: true, text: `edited ${i}` });
        break;
      case 1:
        moveItem(writer, listId, itemId, 0);
        break;
      case 2:
        renameChecklist(writer, listId, `list ${i}`);
        break;
      case 3:
        updateItem(writer, listId, itemId, { due: "2026-12-01", assignee: "someone" });
        break;
      case 4:
        deleteItem(writer, listId, itemId);
        break;
    }
  }
  // A hostile writer that bypasses schema/checklists.ts: wrong types, unknown fields and roots.
  const bad: Uint8Array[] = [];
  const hostile = new Y.Doc();
  Y.applyUpdate(hostile, Y.encodeStateAsUpdate(a));
  hostile.on("update", (u: Uint8Array) => bad.push(u));
  const list = hostile.getMap<Y.Map<unknown>>("checklists").get(lists[0] as string);
  list?.set("title", "x".repeat(300));
  list?.set("order", "first");
  list?.set("owner", "mallory");
  list?.set("items", "none");
  hostile.getMap("elsewhere").set("k", 1);
  const listWriter = new Y.Doc();
  listWriter.on("update", (u: Uint8Array) => bad.push(u));
  listWriter.getArray("checklists").insert(0, [1]);
  bad.push(
    Uint8Array.from("010198a5dd5200280098a5dd520304646f6e65017900".match(/../g) ?? [], (h) => Number.parseInt(h, 16)),
  );
  return { honest: updates, hostile: bad };
}

function mutate(random: () => number, pool: Uint8Array[]): Uint8Array {
  const base = pool[Math.floor(random() * pool.length)] as Uint8Array;
  const bytes = Array.from(base);
  const edits = random() < 0.7 ? 1 : 2 + Math.floor(random() * 2);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * Math.max(1, bytes.length));
    switch (Math.floor(random() * 6)) {
      case 0:
        bytes[at] = (bytes[at] ?? 0) ^ (1 << Math.floor(random() * 8));
        break;
      case 1:
        bytes[at] = Math.floor(random() * 256);
        break;
      case 2:
        bytes.splice(at, 0, Math.floor(random() * 256));
        break;
      case 3:
        bytes.splice(at, 1);
        break;
      case 4:
        bytes.splice(at, 0, ...bytes.slice(at, at + 1 + Math.floor(random() * 8)));
        break;
      case 5: {
        const other = pool[Math.floor(random() * pool.length)] as Uint8Array;
        bytes.splice(at, bytes.length - at, ...Array.from(other.subarray(Math.floor(random() * other.length))));
        break;
      }
    }
  }
  return Uint8Array.from(bytes);
}

const EMPTY_TRACK = { journal: { entries: [] }, migrations: {} };

describe("fuzzing client updates", () => {
  const mutants = `each of ${MUTANTS} mutated real updates`;
  it(`applies or refuses ${mutants}, and the room always reloads to what it served`, async () => {
    const stub = env.property.get(env.property.idFromName(`fuzz-${SEED}`));
    const counts = await runInDurableObject(stub, async (_instance, state) => {
      // The document store is in the core track; nothing of the home's own tables is needed here.
      migrateRoom(state.storage, coreMigrations, "property", {
        track: EMPTY_TRACK,
        legacy: { migrations: EMPTY_TRACK, equals: { core: 0, kind: 0 } },
      });
      const random = prng(SEED);
      const { honest, hostile } = corpus(random);
      const pool = [...honest, ...hostile];
      const live = new RoomDocument(new YDocStore(state.storage));
      // The real updates first, so mutants land on a document with content.
      expect(live.commit(honest).outcomes.every((o) => o.ok)).toBe(true);
      live.commit(hostile);
      const tally = { malformed: 0, applied: 0, refused: 0 };
      const expectReloadMatches = () => {
        const reloaded = new RoomDocument(new YDocStore(state.storage));
        const fromStorage = new Y.Doc();
        Y.applyUpdate(fromStorage, reloaded.diff());
        const served = new Y.Doc();
        Y.applyUpdate(served, live.diff());
        expect(Y.encodeStateVector(fromStorage)).toEqual(Y.encodeStateVector(served));
        expect(readChecklists(fromStorage)).toEqual(readChecklists(served));
        // What the room serves always has the documented shape, whatever it was sent.
        const check = new Y.Doc();
        defineSharedRoots(check);
        expect(new UpdateGuard(check, docShapeCheck).apply(live.diff())).toMatchObject({ ok: true });
      };
      expectReloadMatches();
      for (let i = 1; i <= MUTANTS; i++) {
        const mutant = mutate(random, pool);
        const parsed = parseClientFrame(syncFrame(2, mutant));
        if (!parsed.ok || parsed.frame.kind !== "update") {
          tally.malformed += 1;
        } else {
          const [outcome] = live.commit([parsed.frame.update]).outcomes;
          if (outcome?.ok) tally.applied += 1;
          else tally.refused += 1;
        }
        if (i % RELOAD_EVERY === 0) expectReloadMatches();
      }
      return tally;
    });
    expect(counts.malformed + counts.applied + counts.refused).toBe(MUTANTS);
    // The fuzzer reaches all three outcomes, so the test exercises the guard, not just the decoder.
    expect(counts.applied).toBeGreaterThan(0);
    expect(counts.refused).toBeGreaterThan(0);
    expect(counts.malformed).toBeGreaterThan(0);
  });
});
