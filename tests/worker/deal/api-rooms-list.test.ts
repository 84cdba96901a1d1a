/** The rooms list shows each deal room's stage, closing date and status, kept up by the room after its commands. */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Room } from "../../../schema/core/api";
import { type Account, api, createRoom, json } from "../helpers";
import { dayFromToday, dealTeam, run, setUpDeal } from "./deal-helpers";

async function listed(who: Account, roomId: string): Promise<Room | undefined> {
  const res = await api("/api/rooms", { cookie: who.cookie });
  expect(res.status).toBe(200);
  return (await json<{ rooms: Room[] }>(res)).rooms.find((room) => room.id === roomId);
}

describe("the rooms list", () => {
  it("gives a deal room its stage, closing and status once set up, and follows them as they change", async () => {
    const team = await dealTeam();
    const home = await createRoom(team.owner, "property", "A home");
    expect(await listed(team.owner, team.room.id)).not.toHaveProperty("deal");
    await setUpDeal(team, null, { timeZone: "UTC" });
    const inspection = await run(team.coordinator, team.room, "deal.milestone.create", { name: "Inspection" });
    await run(team.coordinator, team.room, "deal.milestone.create", { name: "Appraisal" });
    const task = await run(team.coordinator, team.room, "deal.task.create", {
      title: "Inspect",
      milestoneId: inspection.body.result?.id,
    });
    const closing = dayFromToday(20);
    for (const who of [team.owner, team.buyer])
      expect((await listed(who, team.room.id))?.deal).toEqual({ stage: "Inspection", closing, status: "open" });

    await run(team.coordinator, team.room, "deal.task.complete", { id: task.body.result?.id });
    const later = dayFromToday(30);
    await run(team.coordinator, team.room, "deal.key_dates", { closing: later });
    expect((await listed(team.buyer, team.room.id))?.deal).toEqual({
      stage: "Appraisal",
      closing: later,
      status: "open",
    });
    await run(team.coordinator, team.room, "deal.status", { status: "closed" });
    expect((await listed(team.agent, team.room.id))?.deal?.status).toBe("closed");
    expect(await listed(team.owner, home.id)).not.toHaveProperty("deal");
  });

  it("leaves the line unchanged when a command is refused", async () => {
    const team = await dealTeam();
    await setUpDeal(team, null, { timeZone: "UTC" });
    const refused = await run(team.coordinator, team.room, "deal.key_dates", { closing: dayFromToday(-30) });
    expect(refused.status).toBe(400);
    expect((await listed(team.owner, team.room.id))?.deal?.closing).toBe(dayFromToday(20));
  });

  it("leaves out a line that does not read as a deal's, and lists the rest", async () => {
    const team = await dealTeam();
    await setUpDeal(team, null, { timeZone: "UTC" });
    for (const junk of ["{not json", JSON.stringify({ stage: 3 }), JSON.stringify({ closing: "2030-01-01" })]) {
      await env.DB.prepare("UPDATE rooms SET list_summary = ? WHERE id = ?").bind(junk, team.room.id).run();
      const room = await listed(team.owner, team.room.id);
      expect(room?.name).toBe(team.room.name);
      expect(room).not.toHaveProperty("deal");
    }
  });
});
