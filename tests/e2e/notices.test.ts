/**
 * A notice whose cause ends, in a real browser: a fridge's alert reaches the owner's bell, and when
 * the alert is resolved with a corrective action the entry says "Resolved" and the badge drops,
 * live, without a reload. The open panel is axe-clean at 1280 and 390 px, light and dark, and
 * screenshots of it are kept for a person to look at.
 */
import { mkdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ttnFixture } from "../fixtures/ttn/load";
import { axeViolations } from "./axe";
import { useAppInChromium } from "./chromium";
import { createRoom, type Session, signup } from "./clients";

const UI_TIMEOUT_MS = 15_000;
/** An alert goes readings → room → outbox → queue → consumer → bell socket: a few seconds in all. */
const DELIVERY_MS = 60_000;
const SHOTS = "/tmp/shots/notices";
const MINUTE_MS = 60_000;

const app = useAppInChromium("notices");

async function api(cookie: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${app.server.url}${path}`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: app.server.url, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function command<T>(owner: Session, roomId: string, name: string, args: unknown): Promise<T> {
  const res = await api(owner.cookie, `/api/rooms/${roomId}/commands`, { name, args, key: crypto.randomUUID() });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { result: T }).result;
}

const DEV_EUI = ttnFixture("milesight-em300-th").end_device_ids.dev_eui.toUpperCase();
let fCnt = 500;

async function uplink(roomId: string, key: string, at: number, temperature: number): Promise<void> {
  const body = ttnFixture("milesight-em300-th", at) as Record<string, unknown> & {
    uplink_message: Record<string, unknown>;
  };
  fCnt += 1;
  body.correlation_ids = [`as:up:${crypto.randomUUID()}`];
  body.uplink_message = { ...body.uplink_message, f_cnt: fCnt, decoded_payload: { battery: 96, temperature } };
  const res = await fetch(`${app.server.url}/api/sites/${roomId}/ttn`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

describe("a notice whose cause ends", () => {
  it("turns to Resolved in the open bell, live, and leaves the unread badge, once its alert is resolved", async () => {
    mkdirSync(SHOTS, { recursive: true });
    const owner = await signup(app.server.url, "Olive");
    const room = await createRoom(app.server.url, owner, "site", "Dessert bar");
    const areaId = (await command<{ id: string }>(owner, room.id, "area.create", { name: "Front" })).id;
    const unitId = (
      await command<{ id: string }>(owner, room.id, "unit.create", {
        areaId,
        name: "Dessert display case",
        kind: "fridge",
      })
    ).id;
    await command(owner, room.id, "device.assign", { devEui: DEV_EUI, unitId });
    const made = await api(owner.cookie, `/api/rooms/${room.id}/ingest-keys`, { label: "TTN" });
    const { key } = (await made.json()) as { key: string };

    const context = await app.browser.newContext({ baseURL: app.server.url, viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(UI_TIMEOUT_MS);
    const [name, value] = owner.cookie.split("=", 2) as [string, string];
    await context.addCookies([{ name, value, url: app.server.url }]);
    const page = await context.newPage();
    await page.goto("/rooms");
    await page.getByTestId("bell").waitFor();

    // 15 minutes above 5 °C: the alert is raised and, with no staff, its notice reaches the owner.
    const start = Date.now() - 30 * MINUTE_MS;
    for (const [i, t] of [7, 7, 7, 7].entries()) await uplink(room.id, key, start + i * 5 * MINUTE_MS, t);
    await page.getByTestId("bell-count").waitFor({ timeout: DELIVERY_MS });
    expect(await page.getByTestId("bell-count").textContent()).toBe("1");
    await page.getByTestId("bell").click();
    const entry = page.getByTestId("notification").first();
    await entry.waitFor();
    expect(await entry.textContent()).toContain("Dessert display case");
    expect(await entry.getByTestId("notification-room").textContent()).toBe("Dessert bar");
    expect(await entry.getAttribute("class")).toContain("bell-unread");
    expect(await entry.getByTestId("notification-resolution").count()).toBe(0);
    const alertId = new URL((await entry.getAttribute("href")) ?? "", app.server.url).searchParams.get("alert");

    // Resolved elsewhere (another person's phone): the open panel follows without a reload.
    await command(owner, room.id, "alert.resolve", {
      id: alertId,
      action: "Moved the desserts to the walk-in",
      product: "kept",
    });
    await entry.getByTestId("notification-resolution").waitFor({ timeout: DELIVERY_MS });
    expect(await entry.getByTestId("notification-resolution").textContent()).toBe("Resolved");
    await expect.poll(() => page.getByTestId("bell-count").count(), { timeout: UI_TIMEOUT_MS }).toBe(0);
    expect(await entry.getAttribute("class")).not.toContain("bell-unread");
    expect(await page.getByTestId("bell").getAttribute("aria-label")).toBe("Notifications");

    const found: Record<string, string[]> = {};
    for (const width of [1280, 390]) {
      for (const colorScheme of ["light", "dark"] as const) {
        await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
        await page.emulateMedia({ colorScheme });
        await page.getByTestId("notification-panel").waitFor();
        // The panel alone: axe misjudges the colours of a page button the open panel half covers.
        const list = await axeViolations(page, "[data-testid=notification-panel]");
        if (list.length > 0) found[`${width} ${colorScheme}`] = list;
        await page.screenshot({ path: `${SHOTS}/bell-${width}-${colorScheme}.png` });
      }
    }
    expect(found).toEqual({});
    await context.close();
  });
});
