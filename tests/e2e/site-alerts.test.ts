/**
 * The board a kitchen trusts: each alert's state in words on its tile with the actions it
 * still needs (and both work there), a pending tile counting down to its alert, and wall
 * mode fitting every unit of a 7- and a 12-unit site on 1280×800 with the site's name and
 * the time. Axe-clean and screenshotted at 1280 and 390 px, light and dark.
 */
import { mkdirSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ttnFixture } from "../fixtures/ttn/load";
import { axeViolations, smallTargets } from "./axe";
import { useAppInChromium } from "./chromium";
import { addMember, createRoom, type Session, signup } from "./clients";

const UI_TIMEOUT_MS = 15_000;
const SHOTS = "/tmp/shots/sites";
const MINUTE_MS = 60_000;
const app = useAppInChromium("site-alerts");
let fCnt = 1;

async function call(cookie: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${app.server.url}${path}`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: app.server.url, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** A site of `n` units in two areas, each with its own sensor; returns how to command and feed it. */
async function seedSite(owner: Session, name: string, n: number) {
  const room = await createRoom(app.server.url, owner, "site", name);
  const command = async (cmd: string, args: unknown) => {
    const res = await call(owner.cookie, `/api/rooms/${room.id}/commands`, {
      name: cmd,
      args,
      key: crypto.randomUUID(),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    return ((await res.json()) as { result: { id: string } }).result;
  };
  const made = await call(owner.cookie, `/api/rooms/${room.id}/ingest-keys`, { label: "TTN" });
  const { key } = (await made.json()) as { key: string };
  const areas = [
    (await command("area.create", { name: "Kitchen" })).id,
    (await command("area.create", { name: "Bar" })).id,
  ];
  const units: { id: string; devEui: string }[] = [];
  for (let i = 0; i < n; i++) {
    const devEui = `24E124136B50${String(i).padStart(4, "0")}`;
    const { id } = await command("unit.create", { areaId: areas[i % 2], name: `Fridge ${i + 1}`, kind: "fridge" });
    await command("device.assign", { devEui, unitId: id });
    units.push({ id, devEui });
  }
  const uplink = async (devEui: string, minutesAgo: number, temperature: number) => {
    const body = ttnFixture("milesight-em300-th", Date.now() - minutesAgo * MINUTE_MS) as Record<string, unknown> & {
      end_device_ids: Record<string, unknown>;
      uplink_message: Record<string, unknown>;
    };
    body.correlation_ids = [`as:up:${crypto.randomUUID()}`];
    body.end_device_ids = { ...body.end_device_ids, dev_eui: devEui, device_id: `em300-${devEui.toLowerCase()}` };
    body.uplink_message = {
      ...body.uplink_message,
      f_cnt: fCnt++,
      decoded_payload: { battery: 96, humidity: 55, temperature },
    };
    const res = await fetch(`${app.server.url}/api/sites/${room.id}/ttn`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.clone().text()).toBe(200);
  };
  for (const u of units) await uplink(u.devEui, 2, 3.5);
  return { room, units, command, uplink };
}

async function openBoard(owner: Session, roomId: string, width: number, height: number, dark = false): Promise<Page> {
  const context = await app.browser.newContext({
    baseURL: app.server.url,
    viewport: { width, height },
    bypassCSP: true,
    colorScheme: dark ? "dark" : "light",
  });
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  const [name, value] = owner.cookie.split("=", 2) as [string, string];
  await context.addCookies([{ name, value, url: app.server.url }]);
  const page = await context.newPage();
  await page.goto(`/rooms/${roomId}`);
  await page.getByTestId("unit-tile").first().waitFor();
  return page;
}

const tileOf = (page: Page, unitId: string) => page.locator(`[data-testid="unit-tile"][data-unit-id="${unitId}"]`);

/** Every tile's box lies inside the viewport: nothing to scroll to. */
async function allTilesInView(page: Page, count: number): Promise<void> {
  const boxes = await page
    .getByTestId("unit-tile")
    .evaluateAll((tiles) =>
      tiles
        .map((t) => t.getBoundingClientRect())
        .map((r) => ({ top: r.top, bottom: r.bottom, left: r.left, right: r.right })),
    );
  expect(boxes).toHaveLength(count);
  for (const box of boxes) {
    expect(box.top).toBeGreaterThanOrEqual(0);
    expect(box.left).toBeGreaterThanOrEqual(0);
    expect(box.bottom).toBeLessThanOrEqual(800);
    expect(box.right).toBeLessThanOrEqual(1280);
  }
}

async function checkWall(page: Page, siteName: string, count: number, shot: string): Promise<void> {
  await page.getByTestId("wall-mode").click();
  await expect.poll(() => page.evaluate(() => document.body.classList.contains("wall-mode"))).toBe(true);
  expect(await page.getByTestId("wall-site").textContent()).toBe(siteName);
  expect(await page.getByTestId("wall-time").textContent()).toMatch(/\d{1,2}[:.]\d{2}/);
  await allTilesInView(page, count);
  await page.screenshot({ path: `${SHOTS}/${shot}` });
}

describe("the site board's alert lifecycle and wall mode", () => {
  it("shows each state in words with its actions, counts a pending unit down, and both actions work", async () => {
    mkdirSync(SHOTS, { recursive: true });
    const owner = await signup(app.server.url, "Hana");
    const site = await seedSite(owner, "Harbour Kitchen", 12);
    const [pending, raised, cleared] = site.units as [
      (typeof site.units)[0],
      (typeof site.units)[0],
      (typeof site.units)[0],
    ];
    // Pending: over 5 °C since 5 minutes ago, its 15 minutes not up.
    await site.uplink(pending.devEui, 5, 6.2);
    // Raised: 15 minutes over the limit.
    for (const m of [30, 25, 20, 15]) await site.uplink(raised.devEui, m, 7.5);
    // Acknowledged, then back in range: waiting for its corrective action.
    for (const m of [30, 25, 20, 15]) await site.uplink(cleared.devEui, m, 7.2);
    const page = await openBoard(owner, site.room.id, 1280, 800);
    const clearedAlert = tileOf(page, cleared.id).getByTestId("tile-alert");
    await clearedAlert.waitFor();
    const clearedId = (await clearedAlert.getAttribute("data-alert-id")) ?? "";
    await site.command("alert.ack", { id: clearedId, note: "Door shut" });
    for (const m of [10, 5, 1]) await site.uplink(cleared.devEui, m, 3.2);

    await expect
      .poll(() => tileOf(page, pending.id).getByTestId("unit-pending").textContent())
      .toMatch(/^ ?Alerts in (9|10) min unless it recovers$/);
    const raisedTile = tileOf(page, raised.id);
    await expect.poll(() => raisedTile.getByTestId("tile-alert").getAttribute("data-lifecycle")).toBe("active_unack");
    expect(await raisedTile.getByTestId("tile-alert-state").textContent()).toBe("Out of range · not acknowledged");
    expect(await raisedTile.getByTestId("alert-ack").count()).toBe(1);
    expect(await raisedTile.getByTestId("tile-resolve").count()).toBe(1);
    const clearedTile = tileOf(page, cleared.id);
    await expect.poll(() => clearedTile.getByTestId("tile-alert").getAttribute("data-lifecycle")).toBe("needs_action");
    expect(await clearedTile.getByTestId("unit-status").textContent()).toBe("Action needed");
    expect(await clearedTile.getByTestId("alert-ack").count()).toBe(0);
    expect(await page.getByTestId("board-summary").textContent()).toContain("12 units");

    for (const dark of [false, true]) {
      const suffix = dark ? "-dark" : "";
      for (const width of [1280, 390]) {
        const shotPage = await openBoard(owner, site.room.id, width, width === 390 ? 844 : 800, dark);
        await tileOf(shotPage, raised.id).getByTestId("tile-alert").waitFor();
        await shotPage.screenshot({ path: `${SHOTS}/board-${width}${suffix}.png`, fullPage: true });
        expect(
          [...(await axeViolations(shotPage)), ...(await smallTargets(shotPage))],
          `axe board ${width}${suffix}`,
        ).toEqual([]);
        await shotPage.getByTestId("wall-mode").click();
        await expect.poll(() => shotPage.evaluate(() => document.body.classList.contains("wall-mode"))).toBe(true);
        await shotPage.screenshot({ path: `${SHOTS}/wall-${width}${suffix}.png`, fullPage: width === 390 });
        expect(
          [...(await axeViolations(shotPage)), ...(await smallTargets(shotPage))],
          `axe wall ${width}${suffix}`,
        ).toEqual([]);
        await shotPage.context().close();
      }
    }

    // Acknowledge from the tile, then record the corrective action from the tile.
    await raisedTile.getByTestId("alert-ack").click();
    await raisedTile.getByTestId("alert-ack-note").fill("On my way");
    await raisedTile.getByTestId("alert-ack-submit").click();
    await expect.poll(() => raisedTile.getByTestId("tile-alert").getAttribute("data-lifecycle")).toBe("active_ack");
    expect(await raisedTile.getByTestId("tile-alert-state").textContent()).toBe("Acknowledged · still out of range");
    await clearedTile.getByTestId("tile-resolve").click();
    await clearedTile.getByTestId("resolve-action").fill("Door seal checked; product probed at 4 °C");
    await clearedTile.getByTestId("resolve-submit").click();
    await expect.poll(() => clearedTile.getByTestId("tile-alert").count()).toBe(0);
    expect(await clearedTile.getByTestId("unit-status").textContent()).toBe("OK");

    await checkWall(page, "Harbour Kitchen", 12, "wall-12-units-1280x800.png");
    await page.context().close();
  });

  it("acknowledges all waiting alerts with one note while a colleague offline acknowledges one", async () => {
    const owner = await signup(app.server.url, "Hana");
    const site = await seedSite(owner, "Harbour Kitchen", 4);
    const warm = site.units.slice(0, 3);
    for (const u of warm) for (const m of [30, 25, 20, 15]) await site.uplink(u.devEui, m, 7.5);
    const staff = await addMember(app.server.url, owner, site.room, "staff", "Stu");
    const manager = await openBoard(owner, site.room.id, 1280, 800);
    // The rooms list says so too.
    const list = await manager.context().newPage();
    await list.goto("/rooms");
    const glance = list.locator(`[data-room-id="${site.room.id}"]`).getByTestId("room-glance");
    await expect.poll(() => glance.textContent()).toBe("3 alerts · 3 critical");
    await list.close();
    const colleague = await openBoard(staff, site.room.id, 390, 844);
    await expect.poll(() => colleague.getByTestId("bulk-ack").textContent()).toContain("Acknowledge all 3");
    const [first] = warm as [(typeof warm)[0]];

    // The colleague's phone drops off the network and acknowledges one alert from its tile.
    await colleague.context().setOffline(true);
    const offlineTile = tileOf(colleague, first.id);
    await offlineTile.getByTestId("alert-ack").click();
    await offlineTile.getByTestId("alert-ack-note").fill("Checking the seal");
    await offlineTile.getByTestId("alert-ack-submit").click();
    await colleague.getByText("It syncs when you are back online").first().waitFor();

    // Meanwhile the manager acknowledges everything still waiting, with one note.
    await manager.getByTestId("bulk-ack").click();
    await manager.getByTestId("bulk-ack-note").fill("Delivery left the doors open");
    await manager.getByTestId("bulk-ack-submit").click();
    for (const u of warm)
      await expect
        .poll(() => tileOf(manager, u.id).getByTestId("tile-alert").getAttribute("data-lifecycle"))
        .toBe("active_ack");
    expect(await manager.getByTestId("bulk-ack").count()).toBe(0);

    // Back online, the colleague's acknowledgement arrives second: refused in words, not dropped silently,
    // and both screens agree that all three are acknowledged, with the manager's note.
    await colleague.context().setOffline(false);
    await colleague.getByText("made while offline was not saved: This alert is already acknowledged").waitFor();
    for (const u of warm)
      await expect
        .poll(() => tileOf(colleague, u.id).getByTestId("tile-alert").getAttribute("data-lifecycle"))
        .toBe("active_ack");
    const acks = async (page: Page) =>
      Promise.all(warm.map((u) => tileOf(page, u.id).getByTestId("alert-acked").textContent()));
    expect(await acks(manager)).toEqual(warm.map(() => expect.stringContaining("Delivery left the doors open")));
    await expect.poll(() => acks(colleague)).toEqual(await acks(manager));
    await manager.context().close();
    await colleague.context().close();
  });

  it("fits a seven-unit site on a 1280×800 wall", async () => {
    const owner = await signup(app.server.url, "Ivo");
    const site = await seedSite(owner, "Harbour Kitchen", 7);
    const page = await openBoard(owner, site.room.id, 1280, 800);
    await checkWall(page, "Harbour Kitchen", 7, "wall-7-units-1280x800.png");
    await page.context().close();
  });
});
