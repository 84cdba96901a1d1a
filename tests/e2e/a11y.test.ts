/**
 * Accessibility in a real browser: axe-core (WCAG 2.2 AA and best practices) on every
 * page at a desktop and a phone width and in the dark colour scheme, failing on any violation, and keyboard focus that
 * never falls back to the page body when the page under it changes.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations, smallTargets } from "./axe";
import { openChecklists, openPeople, useAppInChromium } from "./chromium";
import { dayFromToday } from "./clients";

/** Desktop and phone widths, and the phone in the dark colour scheme (its own palette). */
const VIEWS: [number, "light" | "dark"][] = [
  [1280, "light"],
  [390, "light"],
  [390, "dark"],
];

const app = useAppInChromium("a11y");

const focusedTag = (page: Page) => page.evaluate(() => document.activeElement?.tagName ?? "none");

describe.each(VIEWS)("at %i px, %s", (width, colorScheme) => {
  it("has no axe violation on any page, and focus follows the page", async () => {
    const context = await app.browser.newContext({
      baseURL: app.server.url,
      viewport: { width, height: 900 },
      colorScheme,
      bypassCSP: true,
    });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const found: Record<string, string[]> = {};
    const check = async (label: string) => {
      const list = [...(await axeViolations(page)), ...(await smallTargets(page))];
      if (list.length > 0) found[label] = list;
    };

    await page.goto("/");
    await page.getByTestId("auth-submit").waitFor();
    await check("log in");
    await page.getByTestId("auth-mode-signup").click();
    await check("sign up");
    await page.getByTestId("auth-name").fill("Ada");
    await page
      .getByTestId("auth-email")
      .fill(`ada-${width}-${colorScheme}-${crypto.randomUUID().slice(0, 6)}@example.com`);
    await page.getByTestId("auth-password").fill("a long enough password");
    await page.getByTestId("auth-submit").click();
    await page.getByTestId("create-room-form").waitFor();
    await expect.poll(() => focusedTag(page)).toBe("H1");

    await page.getByTestId("create-room-name").fill("Maple Street");
    await page.getByTestId("create-room-submit").click();
    await page.getByTestId("room-link").first().waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("room-link");
    await check("rooms");
    await page.getByTestId("room-link").first().click();
    await page.getByTestId("room-name").waitFor();
    await expect.poll(() => focusedTag(page)).toBe("H1");
    // A home opens on its health dashboard; then its tasks (empty, the form, one overdue
    // task), the dashboard with that task overdue, then the shared checklists.
    await page.getByTestId("dashboard").waitFor();
    await check("home: health");
    await page.getByTestId("tab-tasks").click();
    await page.getByTestId("tasks-empty").waitFor();
    await check("home: tasks");
    await page.getByTestId("add-task").click();
    await page.getByTestId("task-title").fill("Flush the water heater");
    await page.getByTestId("repeats-once").check();
    const overdue = dayFromToday(-30);
    await page.getByTestId("task-once-date").fill(overdue.date);
    await expect.poll(() => page.getByTestId("schedule-words").textContent()).toContain(`Once, on ${overdue.words}`);
    await check("home: new task");
    await page.getByTestId("task-save").click();
    await page.getByTestId("task-row").filter({ hasText: "Flush the water heater" }).waitFor();
    await check("home: tasks, one overdue");
    // The task's own page, and its Delete asking in place.
    await page.getByTestId("task-row").filter({ hasText: "Flush the water heater" }).getByTestId("task-link").click();
    await page.getByTestId("task-detail").waitFor();
    await check("task");
    await page.getByTestId("task-delete").click();
    await page.getByTestId("task-delete-prompt").waitFor();
    await check("task: delete asked");
    await page.keyboard.press("Escape");
    await page.getByTestId("task-detail").locator(".back-link").click();
    await page.getByTestId("tab-home").click();
    await page.getByTestId("overdue-list").waitFor();
    await check("home: health, one overdue");
    await openChecklists(page);
    await page.getByTestId("new-checklist-title").fill("Spring");
    await page.getByTestId("new-checklist-submit").click();
    for (const text of ["Clean the gutters", "Service the boiler"]) {
      await page.getByTestId("new-item-input").fill(text);
      await page.getByTestId("new-item-input").press("Enter");
    }
    await expect.poll(() => page.getByTestId("item-text").count()).toBe(2);
    await check("room");

    await page.getByTestId("item-delete").first().focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByTestId("item-text").count()).toBe(1);
    expect(await focusedTag(page)).not.toBe("BODY");

    // The inbox, empty and with a note in it.
    await page.getByTestId("tab-inbox").click();
    await page.getByTestId("inbox-empty").waitFor();
    await check("home: inbox");
    await page.getByTestId("capture-note").fill("Buy salt for the water softener");
    await page.getByTestId("capture-save").click();
    await page.locator('[data-testid="inbox-item"][data-status="processed"]').waitFor();
    await check("home: inbox with a note");

    // An asset, and its page.
    await page.getByTestId("tab-assets").click();
    await page.getByTestId("add-asset").click();
    await page.getByTestId("asset-name").fill("Boiler");
    await check("home: new asset");
    await page.getByTestId("asset-save").click();
    await page.getByTestId("asset-row").first().waitFor();
    await check("home: assets");
    await page.getByTestId("asset-row").first().click();
    await page.getByTestId("asset-detail").waitFor();
    await check("asset");

    // The room's members and settings, the bell's panel and the notification settings.
    await openPeople(page);
    await page.getByTestId("members-panel").waitFor();
    await page.getByTestId("room-settings").waitFor();
    await check("members & settings");
    await page.getByTestId("bell").click();
    await page.getByTestId("notification-panel").waitFor();
    await check("notifications");
    await page.keyboard.press("Escape");
    await page.goto("/settings/notifications");
    await page.getByTestId("prefs-form").waitFor();
    await check("notification settings");

    // A site and a deal, each before it is set up.
    for (const [kind, name, testId] of [
      ["site", "North cold store", "board-empty"],
      ["deal", "Sale of 4 Elm Row", "deal-setup"],
    ] as const) {
      await page.goto("/rooms");
      await page.getByTestId("create-room-kind").selectOption(kind);
      await page.getByTestId("create-room-name").fill(name);
      await page.getByTestId("create-room-submit").click();
      await page.getByTestId("room-link").filter({ hasText: name }).click();
      await page.getByTestId(testId).waitFor();
      await check(`${kind}: new`);
    }
    await page.goto("/rooms");
    await page.getByTestId("room-link").filter({ hasText: "North cold store" }).click();
    await page.getByTestId("tab-setup").click();
    await page.getByTestId("site-setup").waitFor();
    await check("site: setup");

    await page.goto("/invite/not-a-real-token");
    await page.locator("#main h1").waitFor();
    await check("invite");
    await page.goto("/signin/not-a-real-token");
    await page.locator("#main h1").waitFor();
    await check("sign-in link");
    await page.goto("/no/such/page");
    await page.locator("#main h1").waitFor();
    await check("not found");

    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    await context.close();
    expect(found).toEqual({});
  });
});
