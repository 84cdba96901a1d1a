/**
 * A cold-storage site's live alert board, in two browsers: a fridge warms past 5 °C, its
 * tile turns amber then red on both screens, a staff member acknowledges on one and the
 * other sees who at once, the fridge cools back, the corrective action is recorded and
 * both see it, and the unit's chart shows the excursion. A viewer sees no controls. Then
 * two people act on one alert at once, one of them offline, and both changes survive.
 */
import { mkdirSync } from "node:fs";
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { Room } from "../../schema/core/api";
import type { ReadingsAnswer } from "../../schema/site/api";
import { ttnFixture } from "../fixtures/ttn/load";
import { axeViolations, smallTargets } from "./axe";
import { openChecklists, signUpInBrowser, useAppInChromium } from "./chromium";
import { addMember, createRoom, type Session, signup } from "./clients";

const UI_TIMEOUT_MS = 15_000;
/** Raising an alert from a late batch waits for the room's breach check (BREACH_CHECK_GRACE_MS) and its alarm. */
const ALERT_TIMEOUT_MS = 120_000;
const SHOTS = "/tmp/shots";
const MINUTE_MS = 60_000;

const app = useAppInChromium("site-board");

async function signedInContext(
  session: Session,
  options: { bypassCSP?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await app.browser.newContext({ baseURL: app.server.url, ...options });
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  const [name, value] = session.cookie.split("=", 2) as [string, string];
  await context.addCookies([{ name, value, url: app.server.url }]);
  return { context, page: await context.newPage() };
}

/** A request to the API as the owner, from Node (with the Origin a browser would send). */
async function api(cookie: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${app.server.url}${path}`, {
    method,
    headers: {
      Cookie: cookie,
      Origin: app.server.url,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const DEV_EUI = ttnFixture("milesight-em300-th").end_device_ids.dev_eui.toUpperCase();
let fCnt = 100;

/** One TTN uplink of the fixture sensor, read at `at` (epoch ms) with `temperature` °C. */
async function uplink(roomId: string, key: string, at: number, temperature: number): Promise<string> {
  const body = ttnFixture("milesight-em300-th", at) as Record<string, unknown> & {
    uplink_message: Record<string, unknown>;
  };
  fCnt += 1;
  body.correlation_ids = [`as:up:${crypto.randomUUID()}`];
  body.uplink_message = {
    ...body.uplink_message,
    f_cnt: fCnt,
    decoded_payload: { battery: 96, humidity: 55, temperature },
  };
  const res = await fetch(`${app.server.url}/api/sites/${roomId}/ttn`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { status: string }).status;
}

const tile = (page: Page) => page.getByTestId("unit-tile").first();
const tileStatus = (page: Page) => tile(page).getAttribute("data-status");

describe("a site's live alert board", () => {
  it("shows an excursion live on two screens, from amber to red to acknowledged, cleared and resolved", async () => {
    mkdirSync(SHOTS, { recursive: true });
    const ownerContext = await app.browser.newContext({
      baseURL: app.server.url,
      viewport: { width: 1280, height: 900 },
    });
    ownerContext.setDefaultTimeout(UI_TIMEOUT_MS);
    const olive = await ownerContext.newPage();
    const cspErrors: string[] = [];
    olive.on(
      "console",
      (m) => m.type() === "error" && /Content Security Policy|Refused to/.test(m.text()) && cspErrors.push(m.text()),
    );
    const email = `olive-${crypto.randomUUID().slice(0, 6)}@example.com`;
    await signUpInBrowser(olive, "Olive", email, "a long enough password");
    await olive.getByTestId("create-room-kind").selectOption("site");
    await olive.getByTestId("create-room-name").fill("North cold store");
    await olive.getByTestId("create-room-submit").click();
    await olive.getByTestId("room-link").first().click();
    await olive.getByTestId("site-board").waitFor();
    await olive.getByTestId("board-empty").waitFor();
    const roomId = new URL(olive.url()).pathname.split("/").pop() ?? "";
    const cookie = (await ownerContext.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const room: Room = { id: roomId, kind: "site", name: "North cold store", role: "owner", archived: false };
    const owner: Session = { user: { id: "", email, name: "Olive" }, cookie };

    // The checklists stay one tab away.
    await openChecklists(olive);
    await olive.getByTestId("tab-board").click();

    // Setup: an area and a fridge through the page, a key through the API, then the sensor,
    // heard from once unassigned, put in the fridge from the waiting list.
    await olive.getByTestId("tab-setup").click();
    await olive.getByTestId("new-area-name").fill("Kitchen");
    await olive.getByTestId("new-area-submit").click();
    await olive.getByTestId("setup-area").filter({ hasText: "Kitchen" }).waitFor();
    await olive.getByTestId("new-unit-name").fill("Fridge 1");
    await olive.getByTestId("new-unit-kind").selectOption("fridge");
    await olive.getByTestId("new-unit-submit").click();
    await olive.getByTestId("setup-unit").filter({ hasText: "Fridge 1" }).waitFor();
    const made = await api(cookie, "POST", `/api/rooms/${roomId}/ingest-keys`, { label: "TTN production" });
    expect(made.status).toBe(201);
    const { key } = (await made.json()) as { key: string };
    await olive.reload();
    await olive.getByTestId("tab-setup").click();
    await olive.getByTestId("key-row").filter({ hasText: "TTN production" }).waitFor();
    expect(await olive.getByTestId("webhook-url").textContent()).toBe(`${app.server.url}/api/sites/${roomId}/ttn`);

    const now = Date.now();
    const at = (minutesAgo: number) => now - minutesAgo * MINUTE_MS;
    expect(await uplink(roomId, key, at(65), 3.4)).toBe("unclaimed");
    await olive.getByTestId("unclaimed-refresh").click();
    const waiting = olive.getByTestId("unclaimed-device").filter({ hasText: DEV_EUI });
    await waiting.waitFor();
    await waiting.getByTestId("assign-submit").click();
    await olive.getByTestId("assigned-device").filter({ hasText: DEV_EUI }).waitFor();
    await olive.setViewportSize({ width: 1280, height: 900 });
    await olive.screenshot({ path: `${SHOTS}/site-setup-1280.png`, fullPage: true });

    // Staff joins and opens the board beside the owner's.
    const staffSession = await addMember(app.server.url, owner, room, "staff", "Sam");
    const sam = await signedInContext(staffSession, { bypassCSP: true });
    await sam.page.setViewportSize({ width: 390, height: 844 });
    await sam.page.goto(`/rooms/${roomId}`);
    await sam.page.getByTestId("site-board").waitFor();
    expect(await sam.page.getByTestId("tab-setup").count()).toBe(0);
    await olive.getByTestId("tab-board").click();
    for (const page of [olive, sam.page]) await expect.poll(() => tileStatus(page)).toBe("no_data");

    // Warming: two readings inside the limit, then the first above 5 °C: amber on both.
    await uplink(roomId, key, at(60), 3.5);
    await uplink(roomId, key, at(55), 4.2);
    for (const page of [olive, sam.page]) {
      await expect.poll(() => tileStatus(page)).toBe("ok");
      await expect.poll(() => tile(page).getByTestId("unit-temp").textContent()).toMatch(/4[.,]2/);
    }
    await uplink(roomId, key, at(50), 5.6);
    for (const page of [olive, sam.page]) {
      await expect.poll(() => tileStatus(page)).toBe("pending");
      expect(await tile(page).getByTestId("unit-status").textContent()).toBe("Out of range");
    }
    // Fifteen minutes over the limit: red on both, with what it is in words.
    for (const [minutesAgo, t] of [
      [45, 6.4],
      [40, 7.1],
      [35, 7.8],
      [30, 8.1],
    ] as const) {
      await uplink(roomId, key, at(minutesAgo), t);
    }
    for (const page of [olive, sam.page]) {
      await expect.poll(() => tileStatus(page), { timeout: ALERT_TIMEOUT_MS }).toBe("critical");
      await tile(page).getByTestId("tile-alert").waitFor();
      await expect
        .poll(() => tile(page).getByTestId("tile-alert-words").textContent())
        .toMatch(/^Above 5 °C for \d+ min, peak 8[.,]1 °C$/);
      expect(await tile(page).getByTestId("unit-status").textContent()).toBe("Critical");
      expect(await tile(page).getByTestId("unit-trend").getAttribute("data-trend")).toBe("rising");
    }
    expect(await olive.getByTestId("attention-list").getByTestId("unit-tile").count()).toBe(1);

    // A viewer sees the alert and no control.
    const vic = await signedInContext(await addMember(app.server.url, owner, room, "viewer", "Vic"));
    await vic.page.goto(`/rooms/${roomId}`);
    await expect.poll(() => tileStatus(vic.page)).toBe("critical");
    await tile(vic.page).getByTestId("tile-alert").waitFor();
    expect(await vic.page.getByTestId("alert-ack").count()).toBe(0);
    expect(await vic.page.getByTestId("tile-resolve").count()).toBe(0);
    expect(await vic.page.getByTestId("tab-setup").count()).toBe(0);

    // Screenshots and axe, red: the owner's desktop (light, then dark), the staff phone, wall mode.
    await olive.screenshot({ path: `${SHOTS}/site-board-critical-1280.png`, fullPage: true });
    await olive.emulateMedia({ colorScheme: "dark" });
    await olive.screenshot({ path: `${SHOTS}/site-board-critical-1280-dark.png`, fullPage: true });
    await olive.emulateMedia({ colorScheme: "light" });
    await sam.page.screenshot({ path: `${SHOTS}/site-board-critical-390.png`, fullPage: true });
    expect([...(await axeViolations(sam.page)), ...(await smallTargets(sam.page))], "axe on the staff board").toEqual(
      [],
    );
    await sam.page.emulateMedia({ colorScheme: "dark" });
    expect(
      [...(await axeViolations(sam.page)), ...(await smallTargets(sam.page))],
      "axe on the staff board, dark",
    ).toEqual([]);
    await sam.page.emulateMedia({ colorScheme: "light" });
    await olive.getByTestId("wall-mode").click();
    await expect.poll(() => olive.evaluate(() => document.body.classList.contains("wall-mode"))).toBe(true);
    expect(await olive.locator(".topbar").isVisible()).toBe(false);
    await olive.screenshot({ path: `${SHOTS}/site-board-wall-1280.png` });
    await olive.getByTestId("wall-mode").click();
    await expect.poll(() => olive.evaluate(() => document.body.classList.contains("wall-mode"))).toBe(false);

    // Sam acknowledges with a note on the phone; Olive sees who at once.
    await tile(sam.page).getByTestId("alert-ack").click();
    await sam.page.getByTestId("alert-ack-note").fill("Checking the door seal");
    await sam.page.getByTestId("alert-ack-submit").click();
    await expect.poll(() => tile(olive).getByTestId("alert-acked").textContent()).toContain("Acknowledged by Sam");
    expect(await tile(olive).getByTestId("alert-acked").textContent()).toContain("Checking the door seal");
    expect(await tile(olive).getByTestId("alert-ack").count()).toBe(0);
    await expect.poll(() => tile(sam.page).getByTestId("alert-acked").count()).toBe(1);
    const alertId = (await tile(olive).getByTestId("tile-alert").getAttribute("data-alert-id")) ?? "";
    expect(alertId).not.toBe("");

    // Cooling back below the limit and its hysteresis clears it: green on both.
    for (const [minutesAgo, t] of [
      [25, 6.0],
      [20, 4.8],
      [15, 4.0],
      [10, 3.6],
    ] as const) {
      await uplink(roomId, key, at(minutesAgo), t);
    }
    for (const page of [olive, sam.page]) {
      await expect.poll(() => tileStatus(page), { timeout: ALERT_TIMEOUT_MS }).toBe("ok");
      // Acknowledged and back in range, it stays on the tile until its corrective action is recorded.
      await expect.poll(() => tile(page).getByTestId("tile-alert").getAttribute("data-lifecycle")).toBe("needs_action");
      expect(await tile(page).getByTestId("tile-alert-state").textContent()).toBe(
        "Back in range · corrective action needed",
      );
      expect(await tile(page).getByTestId("unit-status").textContent()).toBe("Action needed");
    }

    // The unit page: the chart of the excursion, and the corrective action, seen by both.
    await sam.page.goto(`/rooms/${roomId}/units/${await tile(sam.page).getAttribute("data-unit-id")}?alert=${alertId}`);
    await olive.getByTestId("unit-link").first().click();
    for (const page of [olive, sam.page]) {
      await page.getByTestId("unit-page").waitFor();
      await page.locator('[data-testid="unit-chart"] canvas').first().waitFor();
      await page.locator(`[data-testid="alert-item"][data-alert-id="${alertId}"]`).waitFor();
    }
    const item = (page: Page) => page.locator(`[data-testid="alert-item"][data-alert-id="${alertId}"]`);
    // Sam came by the alert's link: its corrective action form is open already.
    await item(sam.page).getByTestId("resolve-action").fill("Door seal replaced; product probed at 4 °C");
    await item(sam.page).getByTestId("resolve-product").selectOption("kept");
    await item(sam.page).getByTestId("resolve-submit").click();
    for (const page of [olive, sam.page]) {
      await expect.poll(() => item(page).getByTestId("alert-resolution-action").count()).toBe(1);
      expect(await item(page).getByTestId("alert-resolution-action").textContent()).toBe(
        "Door seal replaced; product probed at 4 °C",
      );
      expect(await item(page).getByTestId("alert-resolution-product").textContent()).toBe("Product kept");
    }
    expect(await item(olive).getByTestId("alert-acked").textContent()).toContain("Acknowledged by Sam");

    // The readings route gave the chart the whole excursion, with its limit and its alert.
    const unitId = (await olive.getByTestId("unit-page").getAttribute("data-unit-id")) ?? "";
    const readings = await api(
      cookie,
      "GET",
      `/api/rooms/${roomId}/units/${unitId}/readings?from=${at(120)}&to=${Date.now()}`,
    );
    expect(readings.status).toBe(200);
    const answer = (await readings.json()) as ReadingsAnswer;
    expect(answer.resolution).toBe("raw");
    expect(answer.mean).toEqual([3.5, 4.2, 5.6, 6.4, 7.1, 7.8, 8.1, 6.0, 4.8, 4.0, 3.6]);
    expect(answer.limits.high).toBe(5);
    expect(answer.alerts).toEqual([
      expect.objectContaining({ id: alertId, rule: "temperature_high", severity: "critical", startedAt: at(50) }),
    ]);
    expect(answer.alerts[0]?.clearedAt).toBeGreaterThan(at(30));
    expect(await olive.getByTestId("unit-chart-summary").textContent()).toContain("1 alert period shaded");

    // A manager sets the unit's own limit, and goes back to the inherited one; staff cannot.
    expect(await sam.page.getByTestId("rule-edit").count()).toBe(0);
    const warmRule = (page: Page) => page.locator('[data-testid="rule-row"][data-rule="temperature_high"]');
    expect(await warmRule(olive).getByTestId("rule-source").textContent()).toBe("default (FDA cold holding)");
    await warmRule(olive).getByTestId("rule-edit").click();
    await warmRule(olive).getByTestId("rule-threshold").fill("6");
    await warmRule(olive).getByTestId("rule-save").click();
    for (const page of [olive, sam.page]) {
      await expect.poll(() => warmRule(page).getByTestId("rule-source").textContent()).toBe("set for this unit");
      expect(await warmRule(page).getByTestId("rule-words").textContent()).toContain("Above 6 °C for 15 min");
    }
    await warmRule(olive).getByTestId("rule-inherit").click();
    await expect
      .poll(() => warmRule(sam.page).getByTestId("rule-source").textContent())
      .toBe("default (FDA cold holding)");

    // Staff logs a probe reading; the owner's page shows it as the latest at once.
    await sam.page.getByTestId("log-temperature").fill("3.9");
    await sam.page.getByTestId("log-note").fill("Probe, middle shelf");
    await sam.page.getByTestId("log-submit").click();
    await expect.poll(() => olive.getByTestId("unit-temp").textContent()).toMatch(/3[.,]9/);

    await olive.screenshot({ path: `${SHOTS}/site-unit-1280.png`, fullPage: true });
    await sam.page.screenshot({ path: `${SHOTS}/site-unit-390.png`, fullPage: true });
    expect([...(await axeViolations(sam.page)), ...(await smallTargets(sam.page))], "axe on the unit page").toEqual([]);
    await sam.page.emulateMedia({ colorScheme: "dark" });
    await sam.page.reload();
    await sam.page.locator('[data-testid="unit-chart"] canvas').first().waitFor();
    await sam.page.screenshot({ path: `${SHOTS}/site-unit-390-dark.png`, fullPage: true });
    expect(
      [...(await axeViolations(sam.page)), ...(await smallTargets(sam.page))],
      "axe on the unit page, dark",
    ).toEqual([]);
    await olive.goto(`/rooms/${roomId}`);
    await expect.poll(() => tileStatus(olive)).toBe("ok");
    await olive.screenshot({ path: `${SHOTS}/site-board-ok-1280.png`, fullPage: true });
    await olive.setViewportSize({ width: 390, height: 844 });
    await olive.getByTestId("tab-setup").click();
    await olive.screenshot({ path: `${SHOTS}/site-setup-390.png`, fullPage: true });

    expect(cspErrors).toEqual([]);
    await Promise.all([ownerContext.close(), sam.context.close(), vic.context.close()]);
  });

  it(
    "keeps both changes when one person acknowledges online while another, offline, records the corrective action " +
      "and " +
      "a probe reading",
    async () => {
      const url = app.server.url;
      const owner = await signup(url, "Ola");
      const room = await createRoom(url, owner, "site", "Offline kitchen");
      const command = async (name: string, args: unknown) =>
        expect(
          (await api(owner.cookie, "POST", `/api/rooms/${room.id}/commands`, { name, args, key: crypto.randomUUID() }))
            .status,
        ).toBe(200);
      await command("area.create", { id: "kitchen", name: "Kitchen" });
      await command("unit.create", { id: "line-fridge", areaId: "kitchen", name: "Line fridge", kind: "fridge" });
      await command("device.assign", { devEui: DEV_EUI, unitId: "line-fridge" });
      const { key } = (await (
        await api(owner.cookie, "POST", `/api/rooms/${room.id}/ingest-keys`, { label: "TTN" })
      ).json()) as { key: string };
      const now = Date.now();
      for (const [minutesAgo, t] of [
        [40, 6],
        [35, 6.5],
        [30, 7],
        [25, 7.5],
      ] as const) {
        await uplink(room.id, key, now - minutesAgo * MINUTE_MS, t);
      }
      const history = (await (
        await api(
          owner.cookie,
          "GET",
          `/api/rooms/${room.id}/units/line-fridge/readings?from=${now - 3_600_000}&to=${Date.now()}`,
        )
      ).json()) as ReadingsAnswer;
      const alertId = history.alerts[0]?.id ?? "";
      expect(alertId).not.toBe("");

      const ola = await signedInContext(owner);
      const sam = await signedInContext(await addMember(url, owner, room, "staff", "Sam"));
      const item = (page: Page) => page.locator(`[data-testid="alert-item"][data-alert-id="${alertId}"]`);
      await ola.page.goto(`/rooms/${room.id}/units/line-fridge`);
      await sam.page.goto(`/rooms/${room.id}/units/line-fridge?alert=${alertId}`);
      for (const page of [ola.page, sam.page]) await item(page).waitFor();

      // Sam's phone loses the network; Sam records what was done, and a probe reading.
      await sam.context.setOffline(true);
      await item(sam.page).getByTestId("resolve-action").fill("Moved the stock to the walk-in; binned the dairy");
      await item(sam.page).getByTestId("resolve-product").selectOption("partly_discarded");
      await item(sam.page).getByTestId("resolve-submit").click();
      await sam.page.getByTestId("log-temperature").fill("4.1");
      await sam.page.getByTestId("log-submit").click();
      await expect.poll(() => sam.page.getByTestId("pending-count").textContent()).toMatch(/2/);

      // Meanwhile Ola acknowledges, online.
      await item(ola.page).getByTestId("alert-ack").click();
      await item(ola.page).getByTestId("alert-ack-note").fill("Calling the engineer");
      await item(ola.page).getByTestId("alert-ack-submit").click();
      await expect.poll(() => item(ola.page).getByTestId("alert-acked").textContent()).toContain("Acknowledged by Ola");

      // Sam is back: the queued changes are sent, and both screens agree on both people's changes.
      await sam.context.setOffline(false);
      await expect.poll(() => sam.page.getByTestId("pending-count").count(), { timeout: 30_000 }).toBe(0);
      for (const page of [ola.page, sam.page]) {
        await expect.poll(() => item(page).getByTestId("alert-acked").textContent()).toContain("Acknowledged by Ola");
        expect(await item(page).getByTestId("alert-acked").textContent()).toContain("Calling the engineer");
        await expect
          .poll(() => item(page).getByTestId("alert-resolution-action").textContent())
          .toBe("Moved the stock to the walk-in; binned the dairy");
        await expect.poll(() => page.getByTestId("unit-temp").textContent()).toMatch(/4[.,]1/);
      }
      await Promise.all([ola.context.close(), sam.context.close()]);
    },
  );

  it("never shows a site with units as empty: not on a fresh browser, not after its connection drops", async () => {
    const owner = await signup(app.server.url, "Nia");
    const room = await createRoom(app.server.url, owner, "site", "Corner kitchen");
    for (const [name, args] of [
      ["area.create", { id: "kitchen", name: "Kitchen" }],
      ["unit.create", { id: "walk-in", areaId: "kitchen", name: "Walk-in cooler", kind: "walk_in_cooler" }],
    ] as const) {
      const res = await api(owner.cookie, "POST", `/api/rooms/${room.id}/commands`, {
        name,
        args,
        key: crypto.randomUUID(),
      });
      expect(res.status, await res.clone().text()).toBe(200);
    }
    const { context, page } = await signedInContext(owner);
    // Everything the page ever showed of the board's state and of its connection, frame by frame.
    await context.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="board-empty"]')) seen.push("empty");
        const state = document.querySelector('[data-testid="connection-state"]')?.textContent;
        if (state && seen.at(-1) !== state) seen.push(state);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    const seen = () => page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    await page.goto(`/rooms/${room.id}`);
    await expect.poll(() => page.getByTestId("unit-tile").count()).toBe(1);
    await expect.poll(() => page.getByTestId("connection-state").textContent()).toBe("Connected");
    const first = await seen();
    expect(first).not.toContain("empty");
    expect(first).not.toContain("Reconnecting…");
    expect(first[0]).toBe("Connecting…");

    // The link drops and comes back: the units stay on the board throughout.
    await context.setOffline(true);
    await expect.poll(() => page.getByTestId("connection-state").textContent()).toMatch(/Offline|Reconnecting/);
    expect(await page.getByTestId("unit-tile").count()).toBe(1);
    await context.setOffline(false);
    await expect.poll(() => page.getByTestId("connection-state").textContent()).toBe("Connected");
    expect(await seen()).not.toContain("empty");
    await context.close();
  });

  it("lets a manager change escalation, retention and ingest keys in Setup, seen at once by the owner", async () => {
    const url = app.server.url;
    const owner = await signup(url, "Omar");
    const room = await createRoom(url, owner, "site", "Setup kitchen");
    const omar = await signedInContext(owner);
    const mia = await signedInContext(await addMember(url, owner, room, "manager", "Mia"));
    for (const page of [omar.page, mia.page]) {
      await page.goto(`/rooms/${room.id}`);
      await page.getByTestId("tab-setup").click();
      await expect.poll(() => page.getByTestId("escalation-step").count()).toBe(3);
    }

    // Escalation: the owner's step dropped, and the admin taken off the manager's step.
    await mia.page.getByTestId("escalation-remove").last().click();
    await mia.page.getByTestId("escalation-step").nth(1).getByTestId("escalation-role-admin").click();
    await mia.page.getByTestId("escalation-save").click();
    await expect.poll(() => omar.page.getByTestId("escalation-step").count()).toBe(2);
    expect(
      await omar.page
        .getByTestId("escalation-step")
        .nth(1)
        .getByTestId("escalation-role-admin")
        .locator("input")
        .isChecked(),
    ).toBe(false);
    expect(
      await omar.page
        .getByTestId("escalation-step")
        .nth(1)
        .getByTestId("escalation-role-manager")
        .locator("input")
        .isChecked(),
    ).toBe(true);

    // Retention.
    await mia.page.getByTestId("retention-days").fill("400");
    await mia.page.getByTestId("rollup-retention-days").fill("4000");
    await mia.page.getByTestId("retention-save").click();
    await expect.poll(() => omar.page.getByTestId("retention-days").inputValue()).toBe("400");
    expect(await omar.page.getByTestId("rollup-retention-days").inputValue()).toBe("4000");

    // An ingest key, shown once, that TTN can use at once, and that stops working when revoked.
    await mia.page.getByTestId("new-key-label").fill("Gateway 2");
    await mia.page.getByTestId("new-key-submit").click();
    const key = ((await mia.page.getByTestId("new-key-value").textContent()) ?? "").trim();
    expect(key).toMatch(/^[A-Za-z0-9]{16,128}$/);
    expect(await uplink(room.id, key, Date.now() - MINUTE_MS, 3.1)).toBe("unclaimed");
    await mia.page.reload();
    await mia.page.getByTestId("tab-setup").click();
    const row = mia.page.getByTestId("key-row").filter({ hasText: "Gateway 2" });
    await row.waitFor();
    expect(await mia.page.getByTestId("new-key-value").count()).toBe(0);
    await row.getByTestId("key-revoke").click();
    await row.getByTestId("key-revoke-confirm").click();
    await expect.poll(() => mia.page.getByTestId("key-row").count()).toBe(0);
    const refused = await fetch(`${url}/api/sites/${room.id}/ttn`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${key}` },
      body: JSON.stringify(ttnFixture("milesight-em300-th")),
    });
    expect(refused.status).toBe(401);
    await Promise.all([omar.context.close(), mia.context.close()]);
  });
});
