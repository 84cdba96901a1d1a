/**
 * A room hibernates when idle (workerd evicts an idle Durable Object after about ten
 * seconds; observed locally at under 25 s) and wakes on the next frame. Its sockets stay
 * open across that, and each socket's verified identity and role come back from its
 * attachment, so editing goes on as before.
 */
import { describe, expect, it } from "vitest";
import { addChecklist, checklistsRoot, readChecklists } from "../../schema/checklists";
import { connect, createRoom, signup, useDevServer, waitFor, whenSynced } from "./clients";

const IDLE_MS = 25_000;
const devServer = useDevServer("hibernation");

describe("hibernation", () => {
  it("keeps syncing its clients after the room has been idle long enough to hibernate", async () => {
    const server = await devServer.start();
    const owner = await signup(server.url, "Owner");
    const room = await createRoom(server.url, owner, "deal", "Idle deal");
    const a = connect(server.url, owner, "deal", room.id);
    const b = connect(server.url, owner, "deal", room.id);
    // No presence heartbeats: they would keep the room awake.
    a.awareness.setLocalState(null);
    b.awareness.setLocalState(null);
    await Promise.all([whenSynced(a), whenSynced(b)]);
    const listId = addChecklist(a.doc, "Offer");
    await waitFor(() => readChecklists(b.doc)[0]?.title === "Offer", "first edit");

    await new Promise((r) => setTimeout(r, IDLE_MS));

    checklistsRoot(a.doc).get(listId)?.set("title", "Inspection");
    addChecklist(b.doc, "Appraisal");
    await waitFor(() => readChecklists(b.doc)[0]?.title === "Inspection", "edit after wake", 10_000);
    await waitFor(() => readChecklists(a.doc).length === 2, "reverse edit after wake", 10_000);
    expect(a.wsconnected && b.wsconnected).toBe(true);
    a.destroy();
    b.destroy();
  });
});
