/**
 * What proving an update costs the room, apart from any network or storage: the same
 * updates applied with plain `Y.applyUpdate` and through the room's `UpdateGuard` (listen
 * for what integrated, check the shape of what changed, measure what is left pending).
 * Run: `npx tsx bench/guard.ts`. Numbers in bench/README.md.
 */
import * as Y from "yjs";
import { UpdateGuard } from "../rooms/core/doc-guard";
import { addChecklist, addItem, checklistsRoot } from "../schema/core/checklists";
import { defineSharedRoots, docShapeCheck } from "../schema/core/doc-shape";

function record(build: (doc: Y.Doc) => void): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on("update", (u: Uint8Array) => updates.push(u));
  build(doc);
  return updates;
}

function timeMs(run: () => void, rounds = 5): number {
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(rounds / 2)] ?? 0;
}

function compare(label: string, updates: Uint8Array[]): void {
  const plain = timeMs(() => {
    const doc = new Y.Doc();
    defineSharedRoots(doc);
    for (const u of updates) Y.applyUpdate(doc, u);
  });
  const guarded = timeMs(() => {
    const doc = new Y.Doc();
    defineSharedRoots(doc);
    const guard = new UpdateGuard(doc, docShapeCheck);
    for (const u of updates) guard.apply(u);
  });
  const per = (ms: number) => ((ms * 1000) / updates.length).toFixed(1);
  console.log(
    `| ${label} | ${updates.length} | ${per(plain)} µs | ${per(guarded)} µs | ${(guarded / plain).toFixed(2)}× |`,
  );
}

const edits = record((doc) => {
  const list = addChecklist(doc, "Bench");
  const id = addItem(doc, list, "target") as string;
  const item = (checklistsRoot(doc).get(list)?.get("items") as Y.Map<Y.Map<unknown>> | undefined)?.get(id);
  for (let i = 0; i < 4000; i++) item?.set("order", i);
});
const bulk = record((doc) => {
  for (let part = 0; part < 18; part++) {
    doc.transact(() => {
      const list = addChecklist(doc, `Part ${part}`);
      for (let i = 0; i < 192; i++) addItem(doc, list, `#${part * 192 + i} `.padEnd(200, "x"));
    });
  }
});

console.log("| updates | count | plain applyUpdate | through UpdateGuard | ratio |");
console.log("|---|---|---|---|---|");
compare("one field edit each, as in (b)", edits);
compare("192 new items each (~60 KB), as in (c)", bulk);
