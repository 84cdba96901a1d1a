/**
 * The durability contract, proven against the whole server process: 500 edits that a
 * second client has received survive a SIGKILL of wrangler and workerd.
 */
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { addChecklist, addItem, readChecklists } from "../../schema/core/checklists";
import { connect, createRoom, signup, useDevServer, waitFor, whenSynced } from "./clients";

const EDITS = 500;
const devServer = useDevServer("durability");

describe("durability across a crash", () => {
  it("keeps all 500 relayed edits after the server is killed with SIGKILL", async () => {
    let server = await devServer.start();
    const owner = await signup(server.url, "Owner");
    const room = await createRoom(server.url, owner, "property", "Crash test");

    const writer = connect(server.url, owner, "property", room.id);
    const reader = connect(server.url, owner, "property", room.id);
    await Promise.all([whenSynced(writer), whenSynced(reader)]);
    const listId = addChecklist(writer.doc, "Edits");
    for (let i = 0; i < EDITS; i++) addItem(writer.doc, listId, `edit ${i}`);
    await waitFor(
      () => readChecklists(reader.doc)[0]?.items.length === EDITS,
      "the reader to have all 500 edits",
      60_000,
    );

    await server.stop("SIGKILL");
    writer.destroy();
    reader.destroy();

    server = await devServer.start();
    const fresh = connect(server.url, owner, "property", room.id, new Y.Doc());
    await whenSynced(fresh);
    const items = readChecklists(fresh.doc)[0]?.items ?? [];
    expect(items).toHaveLength(EDITS);
    expect(items.map((i) => i.text)).toEqual(Array.from({ length: EDITS }, (_, i) => `edit ${i}`));
    fresh.destroy();
  });
});
