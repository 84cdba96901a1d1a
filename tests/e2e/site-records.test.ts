/**
 * A reading logged by hand on a phone with no connection: staff log 41 °F at the walk-in, the phone keeps it, and
 * when the connection returns it reaches the site's records as read (41 °F, judged as 5 °C), with her name and the
 * time she made the check, not the time it synced; the records' chain verifies. The manager then records what was
 * done about it, verifies it, corrects a misread value (the original stays) and checks the chain on the Records
 * tab. Axe-clean, at 390 and 1280 px.
 */
import { mkdirSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { SiteRecordsPage } from "../../schema/site/compliance";
import { axeViolations, smallTargets } from "./axe";
import { useAppInChromium } from "./chromium";
import { addMember, command, createRoom, type Session, signup } from "./clients";

const SHOTS = "/tmp/shots/sites";
const POLL = { timeout: 20_000 };
const app = useAppInChromium("site-records");

async function unitPage(who: Session, path: string, width: number, height: number): Promise<Page> {
  const context = await app.browser.newContext({
    baseURL: app.server.url,
    viewport: { width, height },
    bypassCSP: true,
  });
  context.setDefaultTimeout(20_000);
  const [name, value] = who.cookie.split("=", 2) as [string, string];
  await context.addCookies([{ name, value, url: app.server.url }]);
  const page = await context.newPage();
  await page.goto(path);
  await page.getByTestId("log-temperature").waitFor();
  return page;
}

async function records(who: Session, roomId: string): Promise<SiteRecordsPage> {
  const res = await fetch(`${app.server.url}/api/rooms/${roomId}/records`, { headers: { Cookie: who.cookie } });
  return (await res.json()) as SiteRecordsPage;
}

describe("a reading logged by hand", () => {
  it("is kept on a phone offline and reaches the records with the time of the check and who", async () => {
    mkdirSync(SHOTS, { recursive: true });
    const url = app.server.url;
    const owner = await signup(url, "Olga");
    const room = await createRoom(url, owner, "site", "Harbour Kitchen");
    const areaId = (await command(url, owner, room.id, "area.create", { name: "Kitchen" })).id;
    const unitId = (await command(url, owner, room.id, "unit.create", { areaId, name: "Walk-in", kind: "fridge" })).id;
    const staff = await addMember(url, owner, room, "staff", "Stu");
    const path = `/rooms/${room.id}/units/${unitId}`;
    const phone = await unitPage(staff, path, 390, 844);

    await phone.context().setOffline(true);
    await phone.getByTestId("log-scale").selectOption("F");
    await phone.getByTestId("log-temperature").fill("41");
    await phone.getByTestId("log-note").fill("Probe in the middle shelf");
    const checked = Date.now();
    await phone.getByTestId("log-submit").click();
    await phone.getByText("It syncs when you are back online").first().waitFor();
    // Ready for the next unit: the value cleared, the scale kept.
    expect(await phone.getByTestId("log-temperature").inputValue()).toBe("");
    expect(await phone.getByTestId("log-scale").inputValue()).toBe("F");
    await phone.screenshot({ path: `${SHOTS}/log-reading-offline-390.png`, fullPage: true });
    expect(
      [...(await axeViolations(phone, ".log-reading")), ...(await smallTargets(phone))],
      "axe on the log form",
    ).toEqual([]);
    expect((await records(owner, room.id)).entries).toEqual([]);
    // Some time passes before the connection comes back.
    await phone.waitForTimeout(1_500);
    const online = Date.now();
    await phone.context().setOffline(false);

    await expect.poll(async () => (await records(owner, room.id)).entries.length, POLL).toBe(1);
    const [entry] = (await records(owner, room.id)).entries;
    expect(entry?.content).toMatchObject({
      kind: "manual_log",
      unitId,
      value: 41,
      scale: "F",
      celsius: 5,
      by: staff.user.id,
      byName: "Stu",
      note: "Probe in the middle shelf",
    });
    const content = entry?.content as { takenAt: number; at: number };
    expect(content.takenAt).toBeGreaterThanOrEqual(checked - 1_000);
    expect(content.takenAt).toBeLessThan(online);
    expect(content.at).toBeGreaterThanOrEqual(online - 1_000);
    const verified = await fetch(`${url}/api/rooms/${room.id}/records/verify`, { headers: { Cookie: owner.cookie } });
    expect(await verified.json()).toMatchObject({ ok: true, count: 1 });

    // The manager's desktop shows the unit's latest reading: the one logged by hand, in °C.
    const desk = await unitPage(owner, path, 1280, 900);
    await expect.poll(() => desk.getByTestId("unit-page").textContent(), POLL).toContain("5.0 °C");
    await desk.screenshot({ path: `${SHOTS}/log-reading-1280.png`, fullPage: true });
    expect(await axeViolations(desk, ".log-reading"), "axe on the log form at 1280 px").toEqual([]);

    // The manager reads the records: records what was done about the reading, verifies Stu's log, checks the chain.
    await desk.goto(`/rooms/${room.id}`);
    await desk.getByTestId("tab-records").click();
    const log = desk.getByTestId("record-entry").filter({ hasText: "41 °F (5.0 °C) by hand" });
    await expect.poll(() => log.textContent(), POLL).toContain("Stu");
    await log.getByTestId("record-act").click();
    await log.getByTestId("act-found").fill("Door ajar after the delivery");
    await log.getByTestId("act-action").fill("Closed it; probed the product at 4 °C");
    await log.getByTestId("act-submit").click();
    await desk.getByTestId("record-entry").and(desk.locator('[data-kind="corrective_action"]')).waitFor();
    await log.getByTestId("record-verify").click();
    await expect.poll(() => log.textContent(), POLL).toContain("Verified by Olga");
    // Her own corrective action is not hers to verify.
    const action = desk.getByTestId("record-entry").and(desk.locator('[data-kind="corrective_action"]'));
    expect(await action.getByTestId("record-verify").count()).toBe(0);
    // The reading was misread: corrected by a new record; the original stays, marked corrected.
    await log.getByTestId("record-correct").click();
    await log.getByTestId("correct-temperature").fill("40");
    await log.getByTestId("correct-scale").selectOption("F");
    await log.getByTestId("correct-reason").fill("Misread the probe");
    await log.getByTestId("correct-submit").click();
    const correction = desk.getByTestId("record-entry").and(desk.locator('[data-kind="correction"]'));
    await expect.poll(() => correction.textContent(), POLL).toContain("corrected to 40 °F (4.4 °C), because Misread");
    await expect.poll(() => log.textContent(), POLL).toContain("Corrected since");
    expect(await log.getByTestId("record-correct").count()).toBe(0);
    await desk.getByTestId("records-verify-chain").click();
    await expect
      .poll(() => desk.getByTestId("records-chain").textContent(), POLL)
      .toBe("Intact: all 4 records are as they were made.");
    await desk.screenshot({ path: `${SHOTS}/records-1280.png`, fullPage: true });
    expect(await axeViolations(desk, ".site-records"), "axe on the records").toEqual([]);
    await phone.context().close();
    await desk.context().close();
  }, 90_000);
});
