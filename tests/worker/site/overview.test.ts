/**
 * A site's line in the rooms list carries its open alerts with their units' names: what the overview
 * of every site a person belongs to shows. At most SITE_LINE_ALERTS of them; `open` still counts every one.
 */
import { describe, expect, it } from "vitest";
import { type Room, SITE_LINE_ALERTS } from "../../../schema/core/api";
import { type Account, api, json } from "../helpers";
import { type KeyedSite, keyedSite } from "./site-helpers";

const MINUTE = 60_000;

/** A fridge at 7 °C for 20 minutes, logged by hand: its temperature_high alert (critical by default) is raised. */
async function warmFridge(s: KeyedSite, areaId: string, name: string): Promise<string> {
  const unitId = await s.make("unit.create", { areaId, name, kind: "fridge" });
  for (const minutesAgo of [30, 25, 20, 15, 10]) {
    const args = { unitId, temperature: 7, takenAt: Date.now() - minutesAgo * MINUTE };
    expect((await s.command("reading.log", args)).status).toBe(200);
  }
  return unitId;
}

async function lineOf(who: Account, roomId: string): Promise<Room["site"]> {
  const { rooms } = await json<{ rooms: Room[] }>(await api("/api/rooms", { cookie: who.cookie }));
  return rooms.find((r) => r.id === roomId)?.site;
}

/** The site's line once `ready` holds (the room writes it just after the commit that changed it). */
async function lineWhen(who: Account, roomId: string, ready: (line: Room["site"]) => boolean): Promise<Room["site"]> {
  const until = Date.now() + 10_000;
  for (;;) {
    const line = await lineOf(who, roomId);
    if (ready(line)) return line;
    if (Date.now() > until) throw new Error(`the site's line is still ${JSON.stringify(line)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("a site's line for the overview", () => {
  it("names each open alert's unit and rule, and caps the list but not the count", async () => {
    const s = await keyedSite();
    const areaId = await s.make("area.create", { name: "Kitchen" });
    const walkIn = await warmFridge(s, areaId, "Walk-in");
    let line = await lineWhen(s.owner, s.room.id, (l) => (l?.alerts.length ?? 0) > 0);
    expect(line).toMatchObject({ open: 1, critical: 1 });
    expect(line?.alerts).toEqual([
      expect.objectContaining({ unitId: walkIn, unit: "Walk-in", rule: "temperature_high", severity: "critical" }),
    ]);

    for (let i = 0; i < SITE_LINE_ALERTS; i++) await warmFridge(s, areaId, `Fridge ${i + 1}`);
    line = await lineWhen(s.owner, s.room.id, (l) => l?.open === SITE_LINE_ALERTS + 1);
    expect(line?.alerts).toHaveLength(SITE_LINE_ALERTS);
  });
});
