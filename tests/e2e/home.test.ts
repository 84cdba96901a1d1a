/**
 * A home kept by a family of two, in two browsers: records added by one show up live for
 * the other, a reminder's one-step "Mark done" moves both dashboards, a viewer can change
 * nothing, and a completion made offline reaches everyone once the browser is back.
 */
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { Room } from "../../schema/core/api";
import { signUpInBrowser, useAppInChromium } from "./chromium";
import { addMember, type Session } from "./clients";

const UI_TIMEOUT_MS = 15_000;
const SHOTS = "/tmp/shots";

const app = useAppInChromium("home");

async function signedInContext(session: Session): Promise<{ context: BrowserContext; page: Page }> {
  const context = await app.browser.newContext({ baseURL: app.server.url });
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  const [name, value] = session.cookie.split("=", 2) as [string, string];
  await context.addCookies([{ name, value, url: app.server.url }]);
  return { context, page: await context.newPage() };
}

const statValue = (page: Page, id: string) => page.getByTestId(`${id}-value`).textContent();

async function addOverdueTask(page: Page, title: string): Promise<string> {
  await page.getByTestId("tab-tasks").click();
  await page.getByTestId("add-task").click();
  await page.getByTestId("task-title").fill(title);
  await page.getByTestId("repeats-once").check();
  await page.getByTestId("task-once-date").fill("2025-01-15");
  await expect.poll(() => page.getByTestId("schedule-words").textContent()).toContain("Once, on January 15, 2025");
  await page.getByTestId("task-save").click();
  const row = page.getByTestId("task-row").filter({ hasText: title });
  await row.waitFor();
  return (await row.getAttribute("data-task-id")) ?? "";
}

describe("a home", () => {
  it("is kept together live, with one-step completion, a read-only viewer and offline completion", async () => {
    // The home takes its maker's time zone when it is created.
    const owner = await app.browser.newContext({ baseURL: app.server.url, timezoneId: "Europe/Lisbon" });
    owner.setDefaultTimeout(UI_TIMEOUT_MS);
    const olive = await owner.newPage();
    const email = `olive-${crypto.randomUUID().slice(0, 6)}@example.com`;
    await signUpInBrowser(olive, "Olive", email, "a long enough password");
    await olive.getByTestId("create-room-kind").selectOption("property");
    await olive.getByTestId("create-room-name").fill("Maple House");
    await olive.getByTestId("create-room-submit").click();
    await olive.getByTestId("room-link").first().click();
    await olive.getByTestId("dashboard").waitFor();
    const roomId = new URL(olive.url()).pathname.split("/").pop() ?? "";
    expect(await olive.getByTestId("health-score").textContent()).toBe("100");

    const cookie = (await owner.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const room: Room = { id: roomId, kind: "property", name: "Maple House", role: "owner", archived: false };
    const ownerSession: Session = { user: { id: "", email, name: "Olive" }, cookie };
    const mo = await signedInContext(await addMember(app.server.url, ownerSession, room, "editor", "Mo"));
    await mo.page.goto(`/rooms/${roomId}`);
    await mo.page.getByTestId("dashboard").waitFor();

    // Olive adds an asset and an overdue task; Mo sees both without reloading.
    await olive.getByTestId("tab-assets").click();
    await olive.getByTestId("add-asset").click();
    await olive.getByTestId("asset-name").fill("Water heater");
    await olive.getByTestId("asset-category").selectOption("plumbing");
    await olive.getByTestId("asset-save").click();
    await olive.getByTestId("asset-row").filter({ hasText: "Water heater" }).waitFor();
    const taskId = await addOverdueTask(olive, "Flush the water heater");

    await mo.page.getByTestId("tab-assets").click();
    await mo.page.getByTestId("asset-row").filter({ hasText: "Water heater" }).waitFor();
    await mo.page.getByTestId("tab-home").click();
    await expect.poll(() => statValue(mo.page, "stat-overdue")).toBe("1");
    await olive.getByTestId("tab-home").click();
    await expect.poll(() => statValue(olive, "stat-overdue")).toBe("1");
    expect(await olive.getByTestId("health-label").textContent()).toBe("At risk");

    // The reminder's link: one click completes, and both dashboards move.
    await mo.page.goto(`/rooms/${roomId}/tasks/${taskId}?complete=1`);
    const quick = mo.page.getByTestId("quick-done-button");
    await quick.waitFor();
    await expect
      .poll(() => mo.page.evaluate(() => document.activeElement?.getAttribute("data-testid")))
      .toBe("quick-done-button");
    await quick.click();
    await mo.page.getByTestId("quick-done-result").waitFor();
    await expect.poll(() => mo.page.getByTestId("task-next-due").textContent()).toBe("Nothing due");
    await expect.poll(() => statValue(olive, "stat-overdue")).toBe("0");
    await expect.poll(() => statValue(olive, "stat-completed")).toBe("1");
    await mo.page.goto(`/rooms/${roomId}`);
    await expect.poll(() => statValue(mo.page, "stat-completed")).toBe("1");
    expect(await statValue(mo.page, "stat-overdue")).toBe("0");

    // A viewer sees no controls, and the server refuses a command forced from their page.
    const vic = await signedInContext(await addMember(app.server.url, ownerSession, room, "viewer", "Vic"));
    await vic.page.goto(`/rooms/${roomId}`);
    await vic.page.getByTestId("dashboard").waitFor();
    await vic.page.getByTestId("tab-tasks").click();
    await vic.page.getByTestId("tasks-tab").waitFor();
    expect(await vic.page.getByTestId("add-task").count()).toBe(0);
    await vic.page.getByTestId("tab-assets").click();
    expect(await vic.page.getByTestId("add-asset").count()).toBe(0);
    const forced = await vic.page.evaluate(async (id) => {
      const res = await fetch(`/api/rooms/${id}/commands`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          name: "asset.create",
          args: { name: "Sneaky", category: "other" },
          key: "viewer-forced-1",
        }),
      });
      return res.status;
    }, roomId);
    expect(forced).toBe(403);

    // Offline: Mo marks a task done, it waits, then syncs when the network returns.
    await addOverdueTask(olive, "Clean the gutters");
    await olive.getByTestId("tab-home").click();
    await expect.poll(() => statValue(olive, "stat-overdue")).toBe("1");
    await expect.poll(() => statValue(mo.page, "stat-overdue")).toBe("1");
    await mo.context.setOffline(true);
    await mo.page.getByTestId("overdue-list").getByTestId("task-done").click();
    await mo.page.getByTestId("pending-count").waitFor();
    expect(await mo.page.getByTestId("task-pending").first().textContent()).toContain("waiting to sync");
    await mo.context.setOffline(false);
    await expect.poll(() => mo.page.getByTestId("pending-count").count()).toBe(0);
    await expect.poll(() => statValue(mo.page, "stat-overdue")).toBe("0");
    await expect.poll(() => statValue(olive, "stat-overdue")).toBe("0");
    await expect.poll(() => statValue(olive, "stat-completed")).toBe("2");
    await expect.poll(() => statValue(mo.page, "stat-completed")).toBe("2");

    await olive.setViewportSize({ width: 1280, height: 900 });
    await olive.screenshot({ path: `${SHOTS}/home-dashboard-1280.png`, fullPage: true });
    await olive.setViewportSize({ width: 390, height: 844 });
    await olive.screenshot({ path: `${SHOTS}/home-dashboard-390.png`, fullPage: true });
    await olive.getByTestId("tab-tasks").click();
    await olive.screenshot({ path: `${SHOTS}/home-tasks-390.png`, fullPage: true });
    await olive.goto(`/rooms/${roomId}/tasks/${taskId}`);
    await olive.getByTestId("task-detail").waitFor();
    await olive.screenshot({ path: `${SHOTS}/home-task-390.png`, fullPage: true });

    // The owner moves the home to another time zone; an editor has no such control.
    await olive.goto(`/rooms/${roomId}`);
    await olive.getByTestId("tab-tasks").click();
    expect(await olive.getByTestId("home-time-zone-value").textContent()).toBe("Europe/Lisbon");
    await olive.getByTestId("home-time-zone").locator("summary").click();
    await olive.getByTestId("home-time-zone-input").fill("America/New_York");
    await olive.getByTestId("home-time-zone-save").click();
    await expect.poll(() => olive.getByTestId("home-time-zone-value").textContent()).toBe("America/New_York");
    await olive.getByTestId("home-time-zone-input").fill("Mars/Olympus");
    await olive.getByTestId("home-time-zone-save").click();
    await expect
      .poll(() => olive.getByTestId("home-time-zone").getByRole("alert").textContent())
      .toContain("not a time zone");
    expect(await olive.getByTestId("home-time-zone-value").textContent()).toBe("America/New_York");
    await mo.page.getByTestId("tab-tasks").click();
    expect(await mo.page.getByTestId("home-time-zone").count()).toBe(0);

    // A long overdue list shows its first eight on the dashboard, and the rest on request.
    for (let i = 0; i < 9; i++) {
      const res = await fetch(`${app.server.url}/api/rooms/${roomId}/commands`, {
        method: "POST",
        headers: { Cookie: cookie, Origin: app.server.url, "Content-Type": "application/json" },
        body: JSON.stringify({
          name: "task.create",
          args: { title: `Old job ${i}`, schedule: { type: "once", date: `2026-01-0${i + 1}` } },
          key: crypto.randomUUID(),
        }),
      });
      expect(res.status).toBe(200);
    }
    await olive.getByTestId("tab-home").click();
    const overdueRows = olive.getByTestId("overdue-list").getByTestId("task-row");
    await expect.poll(() => olive.getByTestId("overdue-list-all").textContent()).toBe("Show all 9 overdue tasks");
    expect(await overdueRows.count()).toBe(8);
    await olive.getByTestId("overdue-list-all").click();
    expect(await overdueRows.count()).toBe(9);

    await Promise.all([owner.close(), mo.context.close(), vic.context.close()]);
  });
});
