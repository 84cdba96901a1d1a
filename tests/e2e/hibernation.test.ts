/**
 * A room hibernates when idle (workerd evicts an idle Durable Object after about ten
 * seconds; observed locally at under 25 s) and wakes on the next frame. Its sockets stay
 * open across that, and each socket's verified identity and role come back from its
 * attachment, so editing goes on as before.
 */
import { describe, expect, it } from "vitest";
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
    a.doc.getMap("deal").set("stage", "offer");
    await waitFor(() => b.doc.getMap("deal").get("stage") === "offer", "first edit");

    await new Promise((r) => setTimeout(r, IDLE_MS));

    a.doc.getMap("deal").set("stage", "inspection");
    b.doc.getMap("deal").set("price", 450_000);
    await waitFor(() => b.doc.getMap("deal").get("stage") === "inspection", "edit after wake", 10_000);
    await waitFor(() => a.doc.getMap("deal").get("price") === 450_000, "reverse edit after wake", 10_000);
    expect(a.wsconnected && b.wsconnected).toBe(true);
    a.destroy();
    b.destroy();
  });
});
