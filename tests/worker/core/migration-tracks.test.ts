import { abortAllDurableObjects, env, runInDurableObject } from "cloudflare:test";
import { drizzle } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import { describe, expect, it } from "vitest";
import { type KindMigrations, migrateRoom, type RoomMigrations } from "../../../rooms/core/migrate";
import coreMigrations from "../../../rooms/core/migrations/migrations.js";
import dealLegacy from "../../../rooms/deal/legacy-migrations/migrations.js";
import dealTrack from "../../../rooms/deal/migrations/migrations.js";
import propertyLegacy from "../../../rooms/property/legacy-migrations/migrations.js";
import propertyTrack from "../../../rooms/property/migrations/migrations.js";
import siteLegacy from "../../../rooms/site/legacy-migrations/migrations.js";
import siteTrack from "../../../rooms/site/migrations/migrations.js";
import { roomStub } from "../../../rooms/stubs";
import { CLOSE } from "../../../schema/core/messages";
import type { RoomKind } from "../../../schema/core/roles";
import { api, createRoom, RoomClient, signup, waitFor } from "../helpers";

const KINDS: Record<RoomKind, { legacy: RoomMigrations; track: RoomMigrations }> = {
  property: { legacy: propertyLegacy, track: propertyTrack },
  deal: { legacy: dealLegacy, track: dealTrack },
  site: { legacy: siteLegacy, track: siteTrack },
};

const stubOf = (kind: RoomKind, name: string) => roomStub(env, kind, name);

/** The first `n` entries of a track, as a journal of their own. */
function prefix(migrations: RoomMigrations, n: number): RoomMigrations {
  return { ...migrations, journal: { entries: migrations.journal.entries.slice(0, n) } };
}

/** Tables, their columns (as a set: columns added later sit at the end) and indexes with their columns. */
function schemaOf(sql: SqlStorage): Record<string, string[]> {
  const shape: Record<string, string[]> = {};
  const objects = sql
    .exec<{ type: string; name: string }>(
      "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_\\_%' ESCAPE '\\' " +
        "AND name != '_cf_KV' ORDER BY name",
    )
    .toArray();
  for (const { type, name } of objects) {
    const pragma = type === "table" ? "table_info" : "index_info";
    const columns = sql.exec<Record<string, SqlStorageValue>>(`PRAGMA ${pragma}('${name}')`).toArray();
    shape[`${type}:${name}`] = columns
      .map((c) => (type === "table" ? `${c.name} ${c.type} notnull=${c.notnull} pk=${c.pk}` : String(c.name)))
      .sort();
  }
  return shape;
}

/** What the rooms' own `equals` say, read from a live room class. */
async function legacyOf(kind: RoomKind): Promise<KindMigrations["legacy"]> {
  return runInDurableObject(stubOf(kind, `equals-${kind}`), (instance) => instance.migrations.legacy);
}

const applied = (sql: SqlStorage) =>
  sql
    .exec<{ track: string; idx: number }>("SELECT track, idx FROM __haven_migrations ORDER BY track, idx")
    .toArray()
    .map((r) => `${r.track}#${r.idx}`);

describe("room migrations in two tracks", () => {
  it.each(Object.keys(KINDS) as RoomKind[])(
    "gives a %s room made before the split the same schema its equal prefix of the two tracks gives",
    async (kind) => {
      const { legacy, track } = KINDS[kind];
      const { equals } = await legacyOf(kind);
      const before = await runInDurableObject(stubOf(kind, `old-${kind}`), async (_i, state) => {
        await migrate(drizzle(state.storage), legacy);
        return schemaOf(state.storage.sql);
      });
      const after = await runInDurableObject(stubOf(kind, `new-${kind}`), (_i, state) => {
        migrateRoom(state.storage, prefix(coreMigrations, equals.core), kind, {
          track: prefix(track, equals.kind),
          legacy: { migrations: legacy, equals },
        });
        return schemaOf(state.storage.sql);
      });
      expect(Object.keys(before).length).toBeGreaterThan(0);
      expect(after).toEqual(before);
    },
  );

  it(
    "carries a home made before the split over without running " + "its tables' migrations again, keeping its data",
    async () => {
      const alice = await signup();
      const room = await createRoom(alice);
      // What an older Haven left: its combined journal applied by drizzle, minus the last entry, and a record.
      await runInDurableObject(stubOf("property", room.id), async (_i, state) => {
        await migrate(drizzle(state.storage), prefix(propertyLegacy, propertyLegacy.journal.entries.length - 1));
        state.storage.sql.exec(
          "INSERT INTO assets (id, name, category, location, make, model, serial_number, notes, photos, archived, " +
            "created_at, updated_at) VALUES ('old', 'Old boiler', 'hvac', '', '', '', '', '', '[]', 0, 1, 1)",
        );
      });
      await abortAllDurableObjects();
      const client = await RoomClient.connect("property", room.id, alice.cookie);
      await waitFor(() => client.synced, "the first sync");
      expect(client.doc.getMap("assets").has("old")).toBe(true);
      client.close();
      const res = await api(`/api/rooms/${room.id}/commands`, {
        method: "POST",
        cookie: alice.cookie,
        body: { name: "asset.create", args: { name: "New fridge", category: "appliance" }, key: crypto.randomUUID() },
      });
      expect(res.status, await res.clone().text()).toBe(200);
      const history = await runInDurableObject(stubOf("property", room.id), (_i, state) => ({
        tracks: applied(state.storage.sql),
        legacy: state.storage.sql.exec("SELECT COUNT(*) AS n FROM __drizzle_migrations").one().n,
      }));
      expect(history.legacy).toBe(propertyLegacy.journal.entries.length);
      expect(history.tracks).toEqual([
        ...coreMigrations.journal.entries.map((e) => `core#${e.idx}`),
        ...propertyTrack.journal.entries.map((e) => `property#${e.idx}`),
      ]);
    },
  );

  it.each([
    ["applied a migration this code does not have", "INSERT INTO __haven_migrations VALUES ('core', 99, 'x', ?, 0)"],
    ["skipped one in the middle", "DELETE FROM __haven_migrations WHERE track = 'core' AND created_at = ?"],
    ["has a pre-split history that diverges", "INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('', ?)"],
  ])("refuses to start a room, and changes nothing, when it %s", async (what, statement) => {
    const alice = await signup();
    const room = await createRoom(alice);
    const stub = () => stubOf("property", room.id);
    if (what.startsWith("has a pre-split")) {
      await runInDurableObject(stub(), async (_i, state) => {
        await migrate(drizzle(state.storage), propertyLegacy);
        state.storage.sql.exec(statement, 1);
      });
    } else {
      const first = await RoomClient.connect("property", room.id, alice.cookie);
      await waitFor(() => first.synced, "the first sync");
      first.close();
      const last = coreMigrations.journal.entries.at(-1)?.when ?? 0;
      const argument = statement.startsWith("INSERT") ? last + 1 : coreMigrations.journal.entries[0]?.when;
      await runInDurableObject(stub(), (_i, state) => void state.storage.sql.exec(statement, argument));
    }
    const schema = () => runInDurableObject(stub(), (_i, state) => schemaOf(state.storage.sql));
    const before = await schema();
    await abortAllDurableObjects();

    const refused = await RoomClient.connect("property", room.id, alice.cookie);
    expect((await refused.waitClosed()).code).toBe(CLOSE.ROOM_UNAVAILABLE);
    const outcome = await stub()
      .listQuarantine()
      .then(
        () => "loaded",
        (err: Error) => err.message,
      );
    expect(outcome).toMatch(/Migration history diverges|newer or different Haven/);
    expect(await schema()).toEqual(before);
  });
});
