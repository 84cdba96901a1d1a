/**
 * A room hibernates when idle (workerd evicts an idle Durable Object after about ten
 * seconds; observed locally at under 25 s) and wakes on the next frame. Its sockets stay
 * open across that, and each socket's verified identity, role and presence entries come
 * back from its attachment, so editing goes on as before and nobody can take over
 * another member's presence in the gap.
 */
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { awarenessFrame, encodeAwareness } from "../../rooms/core/frames";
import { addChecklist, checklistsRoot, readChecklists } from "../../schema/core/checklists";
import { addMember, connect, createRoom, signup, useDevServer, waitFor, whenSynced } from "./clients";

const IDLE_MS = 25_000;
const devServer = useDevServer("hibernation");

/** Stops a provider's presence heartbeat, which would keep the room awake. */
function stopHeartbeat(provider: ReturnType<typeof connect>): void {
  clearInterval((provider.awareness as unknown as { _checkInterval: ReturnType<typeof setInterval> })._checkInterval);
}

describe("hibernation", () => {
  it(
    "keeps syncing its clients and their presence ownership after " + "the room has been idle long enough to hibernate",
    async () => {
      const server = await devServer.start();
      const owner = await signup(server.url, "Owner");
      const room = await createRoom(server.url, owner, "property", "Idle home");
      const mallory = await addMember(server.url, owner, room, "editor", "Mallory");
      const a = connect(server.url, owner, "property", room.id);
      const b = connect(server.url, owner, "property", room.id);
      b.awareness.setLocalState(null);
      await Promise.all([whenSynced(a), whenSynced(b)]);
      a.awareness.setLocalState({ editing: { checklistId: "c1", itemId: "i1" } });
      await waitFor(() => b.awareness.getStates().has(a.doc.clientID), "a's presence");
      stopHeartbeat(a);
      stopHeartbeat(b);
      const listId = addChecklist(a.doc, "Offer");
      await waitFor(() => readChecklists(b.doc)[0]?.title === "Offer", "first edit");
      const m = new WebSocket(`${server.url.replace(/^http/, "ws")}/parties/property/${room.id}`, {
        headers: { Cookie: mallory.cookie },
      });
      await new Promise<void>((resolve, reject) => {
        m.once("open", () => resolve());
        m.once("error", reject);
      });

      await new Promise((r) => setTimeout(r, IDLE_MS));

      // Mallory tries to take over a's presence entry, now that the room has been evicted.
      const fake = { editing: { checklistId: "c9", itemId: "fake" }, user: { id: owner.user.id, name: "Owner" } };
      m.send(awarenessFrame(encodeAwareness([{ clientId: a.doc.clientID, clock: 1_000, state: fake }])));
      m.send(awarenessFrame(encodeAwareness([{ clientId: 424_242, clock: 1, state: { editing: null } }])));
      await waitFor(() => b.awareness.getStates().has(424_242), "mallory's own presence after the wake", 10_000);
      expect(b.awareness.getStates().get(a.doc.clientID)).toMatchObject({ editing: { itemId: "i1" } });
      expect(b.awareness.getStates().get(424_242)).toMatchObject({ user: { id: mallory.user.id, name: "Mallory" } });

      checklistsRoot(a.doc).get(listId)?.set("title", "Inspection");
      addChecklist(b.doc, "Appraisal");
      await waitFor(() => readChecklists(b.doc)[0]?.title === "Inspection", "edit after wake", 10_000);
      await waitFor(() => readChecklists(a.doc).length === 2, "reverse edit after wake", 10_000);
      expect(a.wsconnected && b.wsconnected).toBe(true);
      m.close();
      a.destroy();
      b.destroy();
    },
  );
});
