/**
 * Many sites at a glance: a manager of two sites opens the overview from the rooms list; the site with a critical
 * alert comes first with its alert in words, the quiet one after it; an alert raised at the quiet one meanwhile
 * appears without a reload; a site's name opens its board. Axe-clean, at 390 and 1280 px.
 */
import { mkdirSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations } from "./axe";
import { useAppInChromium } from "./chromium";
import { command, createRoom, type Session, signup } from "./clients";

const SHOTS = "/tmp/shots/sites";
const MINUTE = 60_000;
const app = useAppInChromium("sites-overview");

/** A site with one fridge; `warm` logs 7 °C by hand for 20 minutes, which raises its critical alert. */
async function siteWithFridge(owner: Session, name: string) {
  const url = app.server.url;
  const room = await createRoom(url, owner, "site", name);
  const areaId = (await command(url, owner, room.id, "area.create", { name: "Kitchen" })).id;
  const unitId = (await command(url, owner, room.id, "unit.create", { areaId, name: "Walk-in", kind: "fridge" })).id;
  const warm = async () => {
    for (const minutesAgo of [30, 25, 20, 15, 10])
      await command(url, owner, room.id, "reading.log", {
        unitId,
        temperature: 7,
        takenAt: Date.now() - minutesAgo * MINUTE,
      });
  };
  return { room, warm };
}

async function open(owner: Session, width: number): Promise<Page> {
  const context = await app.browser.newContext({
    baseURL: app.server.url,
    viewport: { width, height: 900 },
    bypassCSP: true,
  });
  context.setDefaultTimeout(20_000);
  const [name, value] = owner.cookie.split("=", 2) as [string, string];
  await context.addCookies([{ name, value, url: app.server.url }]);
  return context.newPage();
}

const names = (page: Page) => page.getByTestId("site-glance-link").allTextContents();

describe("many sites at a glance", () => {
  it("puts the site in trouble first, follows a new alert live, and opens a board", async () => {
    mkdirSync(SHOTS, { recursive: true });
    const owner = await signup(app.server.url, "Gia");
    const harbour = await siteWithFridge(owner, "Harbour Kitchen");
    const bayside = await siteWithFridge(owner, "Bayside Café");
    await harbour.warm();

    const page = await open(owner, 1280);
    await page.goto("/rooms");
    await page.getByTestId("sites-overview-link").click();
    await page.getByTestId("sites-overview").waitFor();
    await expect.poll(() => names(page), { timeout: 20_000 }).toEqual(["Harbour Kitchen", "Bayside Café"]);
    const first = page.getByTestId("site-glance").first();
    expect(await first.getByTestId("site-glance-status").textContent()).toBe("Critical alert");
    expect(await first.getByTestId("site-glance-alert").textContent()).toContain("Walk-in: Too warm");
    expect(await page.getByTestId("site-glance").nth(1).getByTestId("site-glance-status").textContent()).toBe(
      "All clear",
    );
    await page.screenshot({ path: `${SHOTS}/overview-1280.png`, fullPage: true });
    expect(await axeViolations(page), "axe on the overview").toEqual([]);

    // An alert at Bayside, raised meanwhile: the overview shows it without a reload, both in trouble now.
    await bayside.warm();
    const second = page.locator(`[data-testid="site-glance"][data-room-id="${bayside.room.id}"]`);
    await expect
      .poll(() => second.getByTestId("site-glance-status").textContent(), { timeout: 30_000 })
      .toBe("Critical alert");

    const phone = await open(owner, 390);
    await phone.goto("/sites");
    await phone.getByTestId("site-glance").first().waitFor();
    await phone.screenshot({ path: `${SHOTS}/overview-390.png`, fullPage: true });
    expect(await axeViolations(phone), "axe on the overview at 390 px").toEqual([]);

    await page.getByText("Harbour Kitchen").click();
    await page.getByTestId("unit-tile").first().waitFor();
    expect(new URL(page.url()).pathname).toBe(`/rooms/${harbour.room.id}`);
    await page.context().close();
    await phone.context().close();
  }, 120_000);
});
