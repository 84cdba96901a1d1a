/**
 * An audience's projected document on its own, over a real room's SQLite: it holds only what the projection
 * functions give, stores its whole state after each write, and keeps its Yjs identity across a reload.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { SNAPSHOT_CHUNK_BYTES } from "../../../config";
import { parseClientFrame } from "../../../rooms/core/frames";
import { migrateRoom } from "../../../rooms/core/migrate";
import coreMigrations from "../../../rooms/core/migrations/migrations.js";
import { ProjectionDoc } from "../../../rooms/core/projection";

interface Lot {
  name: string;
  secret: string;
}

/** Records of one root, `lots`, and a projection that shows each lot's name only. */
function buyersView(storage: DurableObjectStorage, records: Map<string, Lot>, relayed: Uint8Array[] = []) {
  const project = (lot: Lot | undefined) => (lot ? { name: lot.name } : undefined);
  return new ProjectionDoc("buyers", {
    roomId: () => "room-test",
    storage: () => storage,
    roots: () => ["lots"],
    valueOf: (root, _id, record) => (root === "lots" ? project(record as Lot | undefined) : undefined),
    all: (root) =>
      root === "lots" ? new Map([...records].map(([id, lot]) => [id, project(lot)])) : new Map<string, unknown>(),
    relay: (frame) => relayed.push(frame),
  });
}

/** Runs `test` with the storage of a fresh room whose core tables exist. */
function withStorage(test: (storage: DurableObjectStorage) => void): Promise<void> {
  const stub = env.property.get(env.property.idFromName(`projection-${crypto.randomUUID()}`));
  return runInDurableObject(stub, (instance, state) => {
    migrateRoom(state.storage, coreMigrations, instance.kind, instance.migrations);
    test(state.storage);
  });
}

/** A client's copy: what it was sent, applied to its own document. */
function clientOf(projection: ProjectionDoc): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, projection.diff());
  return doc;
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("ProjectionDoc", () => {
  it("holds only projected values, and relays each write as one update frame", () =>
    withStorage((storage) => {
      const records = new Map<string, Lot>([["a", { name: "Oak lot", secret: "commission 3%" }]]);
      const relayed: Uint8Array[] = [];
      const projection = buyersView(storage, records, relayed);
      projection.sync();
      expect(clientOf(projection).getMap("lots").toJSON()).toEqual({ a: { name: "Oak lot" } });
      expect(text(projection.diff())).not.toContain("commission");

      records.set("b", { name: "Elm lot", secret: "floor price 410k" });
      projection.write(new Map([["lots", new Set(["b"])]]), (_root, id) => records.get(id));
      expect(relayed).toHaveLength(2);
      const frame = parseClientFrame(relayed[1] as Uint8Array);
      expect(frame).toMatchObject({ ok: true, frame: { kind: "update" } });
      for (const sent of relayed) expect(text(sent)).not.toMatch(/commission|floor price/);
      // A write that changes nothing projected (only the secret moved) is neither stored anew nor relayed.
      const version = projection.version;
      records.set("b", { name: "Elm lot", secret: "floor price 400k" });
      projection.write(new Map([["lots", new Set(["b"])]]), (_root, id) => records.get(id));
      expect([projection.version, relayed.length]).toEqual([version, 2]);
      const stored = storage.sql.exec("SELECT data FROM projection_docs WHERE audience = 'buyers'").toArray();
      expect(stored).toHaveLength(1);
      expect(text(new Uint8Array(stored[0]?.data as ArrayBuffer))).not.toContain("floor price");
    }));

  it("keeps its Yjs identity across a reload: an old copy merges and a removed entry stays removed", () =>
    withStorage((storage) => {
      const records = new Map<string, Lot>([
        ["a", { name: "Oak lot", secret: "x" }],
        ["b", { name: "Elm lot", secret: "y" }],
      ]);
      const first = buyersView(storage, records);
      first.sync();
      const offline = clientOf(first);
      const before = Y.encodeStateVector(offline);

      // The room restarts: the reloaded projection is the same document, so syncing changes nothing.
      const relayed: Uint8Array[] = [];
      const reloaded = buyersView(storage, records, relayed);
      reloaded.sync();
      expect(relayed).toEqual([]);
      expect(reloaded.stateVector()).toEqual(first.stateVector());
      expect(Y.encodeStateAsUpdate(offline, reloaded.stateVector())).toEqual(Y.encodeStateAsUpdate(new Y.Doc()));

      // "b" is un-shared, then the room restarts again; the offline copy catches up from the reloaded document.
      records.delete("b");
      reloaded.write(new Map([["lots", new Set(["b"])]]), (_root, id) => records.get(id));
      const again = buyersView(storage, records);
      again.sync();
      Y.applyUpdate(offline, again.diff(before));
      expect(offline.getMap("lots").toJSON()).toEqual({ a: { name: "Oak lot" } });
    }));

  it("brings a stored state level with records that changed while it was not loaded", () =>
    withStorage((storage) => {
      const records = new Map<string, Lot>([
        ["a", { name: "Oak lot", secret: "x" }],
        ["b", { name: "Elm lot", secret: "y" }],
      ]);
      const first = buyersView(storage, records);
      first.sync();
      const offline = clientOf(first);
      const before = Y.encodeStateVector(offline);
      // Committed, but the room stopped before the projection was written.
      records.delete("b");
      records.set("a", { name: "Oak lot (sold)", secret: "x" });
      const reloaded = buyersView(storage, records);
      reloaded.sync();
      Y.applyUpdate(offline, reloaded.diff(before));
      expect(offline.getMap("lots").toJSON()).toEqual({ a: { name: "Oak lot (sold)" } });
    }));

  it("stores a state larger than a row in parts and loads it again", () =>
    withStorage((storage) => {
      const big = "n".repeat(Math.ceil(SNAPSHOT_CHUNK_BYTES * 1.5));
      const records = new Map<string, Lot>([["a", { name: big, secret: "x" }]]);
      buyersView(storage, records).sync();
      const parts = storage.sql.exec("SELECT part FROM projection_docs ORDER BY part").toArray();
      expect(parts.map((p) => p.part)).toEqual([0, 1]);
      const relayed: Uint8Array[] = [];
      const reloaded = buyersView(storage, records, relayed);
      reloaded.sync();
      expect(relayed).toEqual([]);
      expect((clientOf(reloaded).getMap("lots").get("a") as { name: string }).name).toHaveLength(big.length);
    }));
});
