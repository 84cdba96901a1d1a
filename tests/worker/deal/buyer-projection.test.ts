import { describe, expect, it } from "vitest";
import { CLOSE } from "../../../schema/core/messages";
import type { Deal, DealTask } from "../../../schema/deal/records";
import { type Account, api, RoomClient, waitFor } from "../helpers";
import { type DealTeam, dealTeam, run, setUpDeal } from "./deal-helpers";

/** Every byte a socket received, as text: a value anywhere in a Yjs frame shows up as its UTF-8. */
const rawText = (client: RoomClient) => client.binaries.map((frame) => new TextDecoder().decode(frame)).join("\n");

const SECRETS = ["INTERNAL-TITLE-ZQX", "INTERNAL-NOTE-ZQX", "SHARED-NOTE-ZQX", "AFTER-UNSHARE-ZQX"];

async function connect(team: DealTeam, who: Account) {
  return RoomClient.connect("deal", team.room.id, who.cookie);
}

function expectNoSecret(client: RoomClient, secrets = SECRETS) {
  const text = rawText(client);
  for (const secret of secrets) expect(text, `the buyer's frames carry ${secret}`).not.toContain(secret);
}

async function dealWithSecrets() {
  const team = await dealTeam();
  await setUpDeal(team, null, { financing: { type: "conventional", lender: "First Bank", loanAmount: 1 } });
  const internal = await run(team.coordinator, team.room, "deal.task.create", {
    title: "INTERNAL-TITLE-ZQX",
    notes: "INTERNAL-NOTE-ZQX",
  });
  const shared = await run(team.coordinator, team.room, "deal.task.create", {
    title: "Sign the disclosures",
    notes: "SHARED-NOTE-ZQX",
    sharedWithBuyer: true,
    assignee: { kind: "role", role: "buyer" },
  });
  return { team, internalId: internal.body.result?.id as string, sharedId: shared.body.result?.id as string };
}

describe("what a buyer's socket carries", () => {
  it("serves a buyer a projection with no internal value, and a viewer public data only", async () => {
    const { team, internalId, sharedId } = await dealWithSecrets();
    const buyer = await connect(team, team.buyer);
    const tasks = buyer.doc.getMap<DealTask>("tasks");
    expect([...tasks.keys()]).toEqual([sharedId]);
    expect(tasks.get(sharedId)).not.toHaveProperty("notes");
    expect(tasks.get(sharedId)).not.toHaveProperty("dependsOn");
    const deal = buyer.doc.getMap<Deal>("deal").get("info");
    expect(deal).not.toHaveProperty("commission");
    expect(deal?.purchasePrice).toBe(485_000);
    expect(buyer.doc.getMap("activity").size).toBe(0);
    expect(buyer.notices.find((n) => n.type === "welcome")).toMatchObject({ canWrite: false, audience: "buyer" });

    const viewer = await connect(team, team.viewer);
    expect(viewer.doc.getMap<Deal>("deal").get("info")).not.toHaveProperty("purchasePrice");
    expect(viewer.doc.getMap<Deal>("deal").get("info")).not.toHaveProperty("financing");
    expect(rawText(viewer)).not.toContain("First Bank");

    // Changes the team makes to what is internal never travel to the buyer's socket.
    await run(team.coordinator, team.room, "deal.task.update", { id: internalId, notes: "INTERNAL-NOTE-ZQX again" });
    await run(team.coordinator, team.room, "deal.task.update", { id: sharedId, notes: "SHARED-NOTE-ZQX again" });
    await run(team.coordinator, team.room, "deal.task.complete", { id: internalId });
    const team2 = await connect(team, team.agent);
    await waitFor(() => team2.doc.getMap<DealTask>("tasks").get(sharedId)?.notes === "SHARED-NOTE-ZQX again", "sync");
    expectNoSecret(buyer);
    expectNoSecret(viewer);
    for (const client of [buyer, viewer, team2]) client.socket.close();
  });

  it("adds a task when it is shared and removes it when un-shared, never carrying its internal fields", async () => {
    const { team, internalId } = await dealWithSecrets();
    const buyer = await connect(team, team.buyer);
    const tasks = buyer.doc.getMap<DealTask>("tasks");
    expect(tasks.has(internalId)).toBe(false);

    await run(team.coordinator, team.room, "deal.task.update", {
      id: internalId,
      title: "Now shared",
      sharedWithBuyer: true,
    });
    await waitFor(() => tasks.get(internalId)?.title === "Now shared", "the task shared with the buyer");
    expect(tasks.get(internalId)).not.toHaveProperty("notes");

    await run(team.coordinator, team.room, "deal.task.update", { id: internalId, sharedWithBuyer: false });
    await waitFor(() => !tasks.has(internalId), "the task un-shared");
    await run(team.coordinator, team.room, "deal.task.update", { id: internalId, title: "AFTER-UNSHARE-ZQX" });
    const agent = await connect(team, team.agent);
    await waitFor(() => agent.doc.getMap<DealTask>("tasks").get(internalId)?.title === "AFTER-UNSHARE-ZQX", "sync");
    expectNoSecret(buyer);
    buyer.socket.close();
    agent.socket.close();
  });

  it("switches an open socket at once when the member's role changes what they may see", async () => {
    const { team, internalId } = await dealWithSecrets();
    const setRole = (role: string) =>
      api(`/api/rooms/${team.room.id}/members/${team.buyer.user.id}`, {
        cookie: team.owner.cookie,
        method: "PATCH",
        body: { role },
      });
    const asBuyer = await connect(team, team.buyer);
    expect((await setRole("buyer_agent")).status).toBe(200);
    await waitFor(() => asBuyer.closed !== null, "the buyer's socket closed");
    expect(asBuyer.closed?.code).toBe(CLOSE.AUDIENCE_CHANGED);
    const asAgent = await connect(team, team.buyer);
    expect(asAgent.doc.getMap<DealTask>("tasks").has(internalId)).toBe(true);

    expect((await setRole("buyer")).status).toBe(200);
    await waitFor(() => asAgent.closed !== null, "the agent's socket closed");
    expect(asAgent.closed?.code).toBe(CLOSE.AUDIENCE_CHANGED);
    const again = await connect(team, team.buyer);
    expect(again.doc.getMap<DealTask>("tasks").has(internalId)).toBe(false);
    expectNoSecret(again);
    again.socket.close();
  });
});
