/**
 * How the client looks on a phone and a desktop: nothing wider than the screen, an item's
 * move buttons clear of its assignee, the checklists before the members panel on a
 * narrow screen, and a landing page that says what Haven is. Screenshots of each page at
 * each width go to $LOOK_SHOTS_DIR (default: a temp folder) for a person to look at.
 */
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { openChecklists, openPeople, useAppInChromium } from "./chromium";

const UI_TIMEOUT_MS = 15_000;
const NARROW_WIDTHS = [390, 320];
const SHOTS_DIR = process.env.LOOK_SHOTS_DIR ?? join(tmpdir(), "haven-look");

const app = useAppInChromium("look");
let context: BrowserContext;
let page: Page;
let roomPath: string;

beforeAll(async () => {
  mkdirSync(SHOTS_DIR, { recursive: true });
  context = await app.browser.newContext({ baseURL: app.server.url, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  page = await context.newPage();
});

function shows<T>(read: () => Promise<T>) {
  return expect.poll(read, { timeout: UI_TIMEOUT_MS, interval: 50 });
}

/** How far the page is wider than the screen, in CSS pixels (0 when it fits). */
const overflowPx = (p: Page) => p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

async function shot(name: string, width: number): Promise<void> {
  await page.screenshot({ path: join(SHOTS_DIR, `${name}-${width}.png`), fullPage: true });
}

async function box(selector: string, index = 0) {
  const found = await page.locator(selector).nth(index).boundingBox();
  if (!found) throw new Error(`${selector} is not shown`);
  return found;
}

type Box = { x: number; y: number; width: number; height: number };
const intersects = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe("look", () => {
  it(
    "says on the landing page what Haven is, with the form first on " +
      "a phone and beside the description on a desktop",
    async () => {
      for (const width of [1280, ...NARROW_WIDTHS]) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto("/");
        await page.getByTestId("auth-submit").waitFor();
        // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText, the words as rendered, spaced
        const text = (await page.locator("#main").innerText()).toLowerCase();
        for (const word of ["home", "deal", "site"]) expect(text).toMatch(new RegExp(`\\b${word}\\b`));
        expect(await overflowPx(page)).toBeLessThanOrEqual(0);
        const form = await box(".auth-card");
        const about = await box(".auth-about");
        if (width < 880) expect(form.y + form.height).toBeLessThanOrEqual(about.y);
        else expect(about.x + about.width).toBeLessThanOrEqual(form.x);
        await shot("landing", width);
      }
    },
  );

  it("signs up and makes one room of each kind, with a checklist in one", async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByTestId("auth-mode-signup").click();
    await page.getByTestId("auth-name").fill("Ada");
    await page.getByTestId("auth-email").fill(`ada-${crypto.randomUUID().slice(0, 6)}@example.com`);
    await page.getByTestId("auth-password").fill("a long enough password");
    await page.getByTestId("auth-submit").click();
    await page.getByTestId("create-room-form").waitFor();
    for (const [kind, name] of [
      ["site", "North cold store"],
      ["deal", "Sale of 4 Elm Row"],
      ["property", "12 Oak Street"],
    ] as const) {
      await page.getByTestId("create-room-kind").selectOption(kind);
      await page.getByTestId("create-room-name").fill(name);
      await page.getByTestId("create-room-submit").click();
      await shows(() => page.getByTestId("room-link").first().textContent()).toContain(name);
    }
    // Each kind is told apart by its written name and by a colour of its own.
    const kinds = page.getByTestId("room-kind");
    expect(await kinds.allTextContents()).toEqual(["home", "deal", "site"]);
    const colours = await kinds.evaluateAll((els) => els.map((el) => getComputedStyle(el).backgroundColor));
    expect(new Set(colours).size).toBe(3);

    await page.getByTestId("room-link").first().click();
    await shows(() => page.getByTestId("connection-state").textContent()).toBe("Connected");
    roomPath = new URL(page.url()).pathname;
    await openChecklists(page);
    await page.getByTestId("new-checklist-title").fill("Spring jobs");
    await page.getByTestId("new-checklist-submit").click();
    for (const text of ["Clean the gutters and downpipes on the north side", "Service the boiler", "Paint the porch"]) {
      await page.getByTestId("new-item-input").fill(text);
      await page.getByTestId("new-item-input").press("Enter");
    }
    await shows(() => page.getByTestId("item").count()).toBe(3);
  });

  it("gives the room's work the page's width on a desktop, members and settings a page of their own", async () => {
    await page.goto(roomPath);
    await openChecklists(page);
    await shows(() => page.getByTestId("item").count()).toBe(3);
    expect(await page.getByTestId("members-panel").count()).toBe(0);
    const head = await box(".room-head");
    const checklists = await box("section.board");
    expect(checklists.width).toBeGreaterThanOrEqual(head.width - 1);
    expect(await overflowPx(page)).toBeLessThanOrEqual(0);
    await shot("room", 1280);

    await openPeople(page);
    await page.getByTestId("members-panel").waitFor();
    const members = await box('[data-testid="members-panel"]');
    const settings = await box('[data-testid="room-settings"]');
    expect(settings.x).toBeGreaterThanOrEqual(members.x + members.width);
    expect(await overflowPx(page)).toBeLessThanOrEqual(0);
    await shot("room-people", 1280);
    await page.goto("/rooms");
    await page.getByTestId("room-link").first().waitFor();
    await shot("rooms", 1280);
    await page.emulateMedia({ colorScheme: "dark" });
    await shot("rooms-dark", 1280);
    await page.emulateMedia({ colorScheme: "light" });
  });

  it("keeps a room made while the rooms list is still on its way", async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    // The first list is read before the room exists and its answer held back until after the
    // room is made: a late answer must not take the new room off the list.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let readEarly: () => void = () => undefined;
    const early = new Promise<void>((resolve) => {
      readEarly = resolve;
    });
    let delivered = Promise.resolve();
    let first = true;
    await page.route("**/api/rooms", async (route) => {
      if (route.request().method() !== "GET" || !first) return route.continue();
      first = false;
      const answered = (async () => {
        const response = await route.fetch();
        readEarly();
        await held;
        await route.fulfill({ response });
      })();
      delivered = answered;
      await answered;
    });
    await page.goto("/rooms");
    await early;
    await page.getByTestId("create-room-name").fill("Made while loading");
    const answer = page.waitForResponse((r) => r.url().endsWith("/api/rooms") && r.request().method() === "GET");
    await page.getByTestId("create-room-submit").click();
    await shows(() => page.getByTestId("room-link").first().textContent()).toContain("Made while loading");
    release();
    await delivered;
    await answer;
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    expect(await page.getByTestId("room-link").allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining("Made while loading")]),
    );
    await page.unroute("**/api/rooms");
  });

  describe.each(NARROW_WIDTHS)("at %i px", (width) => {
    it(
      "fits the rooms list and the room on the screen, puts the " +
        "checklists first and keeps an item's controls apart",
      async () => {
        await page.setViewportSize({ width, height: 800 });
        await page.goto("/rooms");
        await page.getByTestId("room-link").first().waitFor();
        expect(await overflowPx(page)).toBeLessThanOrEqual(0);
        await shot("rooms", width);

        await page.goto(roomPath);
        await openChecklists(page);
        await shows(() => page.getByTestId("item").count()).toBe(3);
        await shows(() => page.getByTestId("item-assignee").first().isVisible()).toBe(true);
        expect(await overflowPx(page)).toBeLessThanOrEqual(0);

        for (let i = 0; i < 3; i += 1) {
          const assignee = await box('select[data-testid="item-assignee"]', i);
          for (const button of ["item-move-up", "item-move-down"]) {
            const arrow = await box(`[data-testid="${button}"]`, i);
            expect(intersects(arrow, assignee), `item ${i}: ${button} overlaps the assignee select`).toBe(false);
          }
        }

        // Members and settings are a page of their own: the first checklist is the first thing below the header.
        expect(await page.getByTestId("members-panel").count()).toBe(0);
        expect((await box('[data-testid="checklist"]')).y).toBeLessThan(800 * 0.6);
        await shot("room", width);

        // Below the room's front page its header keeps to one line, so the page's own content comes first.
        await openPeople(page);
        await page.getByTestId("members-panel").waitFor();
        expect((await box(".room-head")).height).toBeLessThanOrEqual(64);
        expect((await box('[data-testid="members-panel"]')).y).toBeLessThan(800 * 0.4);
        expect(await overflowPx(page)).toBeLessThanOrEqual(0);
        await shot("room-people", width);
      },
    );
  });
});
