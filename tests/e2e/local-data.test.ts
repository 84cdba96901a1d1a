/**
 * What a room leaves in the browser (issue 6): each opened room keeps its document in an
 * IndexedDB database `haven:<roomId>`. A reload by the same user keeps it; logging out
 * deletes it; someone else signing in deletes it before any of their rooms opens.
 */
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { openChecklists, useAppInChromium } from "./chromium";
import { createRoom, signup } from "./clients";

const UI_TIMEOUT_MS = 15_000;
const PASSWORD = "long enough password";

const app = useAppInChromium("local-data");

/** Polls what the page shows until it matches; playwright-core has no assertions of its own. */
function shows<T>(read: () => Promise<T>) {
  return expect.poll(read, { timeout: UI_TIMEOUT_MS, interval: 50 });
}

async function newContext(): Promise<BrowserContext> {
  const context = await app.browser.newContext({ baseURL: app.server.url });
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  return context;
}

/** The Haven room databases this origin holds. */
function roomDatabases(page: Page): Promise<string[]> {
  return page.evaluate(async () =>
    (await indexedDB.databases())
      .map((db) => db.name ?? "")
      .filter((name) => name.startsWith("haven:"))
      .sort(),
  );
}

async function signUpInUi(page: Page, name: string): Promise<void> {
  await page.goto("/");
  await page.getByTestId("auth-mode-signup").click();
  await page.getByTestId("auth-name").fill(name);
  await page.getByTestId("auth-email").fill(`${name.toLowerCase()}-${crypto.randomUUID().slice(0, 6)}@example.com`);
  await page.getByTestId("auth-password").fill(PASSWORD);
  await page.getByTestId("auth-submit").click();
  await page.getByTestId("create-room-form").waitFor();
}

/** Creates a room from the rooms page, opens it, adds a checklist; returns the room's id. */
async function openRoomWithChecklist(page: Page, roomName: string): Promise<string> {
  await page.getByTestId("create-room-name").fill(roomName);
  await page.getByTestId("create-room-kind").selectOption("property");
  await page.getByTestId("create-room-submit").click();
  const link = page.locator(`[data-testid="room-link"]:has-text("${roomName}")`);
  const roomId = (await link.getAttribute("data-room-id")) ?? "";
  await link.click();
  await shows(() => page.getByTestId("connection-state").textContent()).toBe("Connected");
  await openChecklists(page);
  await page.getByTestId("new-checklist-title").fill("Weekend jobs");
  await page.getByTestId("new-checklist-submit").click();
  await page.getByTestId("new-item-input").fill("Fix the fence");
  await page.getByTestId("new-item-input").press("Enter");
  await shows(() => page.getByTestId("item").count()).toBe(1);
  return roomId;
}

describe("local room data", () => {
  it("keeps a room's copy across the same user's reload and deletes it on logout", async () => {
    const context = await newContext();
    const page = await context.newPage();
    await signUpInUi(page, "Alice");
    const roomId = await openRoomWithChecklist(page, "Maple Street");
    await shows(() => roomDatabases(page)).toEqual([`haven:${roomId}`]);

    await page.reload();
    await shows(() => page.getByTestId("connection-state").textContent()).toBe("Connected");
    await openChecklists(page);
    await shows(() => page.getByTestId("item").count()).toBe(1);
    expect(await roomDatabases(page)).toEqual([`haven:${roomId}`]);

    await page.getByTestId("logout").click();
    await page.getByTestId("auth-form").waitFor();
    await shows(() => roomDatabases(page)).toEqual([]);
    expect(await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith("haven")))).toEqual([]);
    await context.close();
  });

  it("logs out offline too, and ends the session once Haven is reachable again", async () => {
    const context = await newContext();
    const page = await context.newPage();
    await signUpInUi(page, "Dana");
    const roomId = await openRoomWithChecklist(page, "Oak Lane");
    await shows(() => roomDatabases(page)).toEqual([`haven:${roomId}`]);

    await context.setOffline(true);
    await page.getByTestId("logout").click();
    await page.getByTestId("auth-form").waitFor();
    await shows(() => roomDatabases(page)).toEqual([]);

    // The cookie outlived the offline logout; the next load sends the logout first.
    await context.setOffline(false);
    await page.goto("/rooms");
    await page.getByTestId("auth-form").waitFor();
    const me = await page.evaluate(async () => (await fetch("/api/me")).status);
    expect(me).toBe(401);
    await context.close();
  });

  it("deletes one user's copies before another user's rooms open in the same browser", async () => {
    const bob = await signup(app.server.url, "Bob");
    const bobRoom = await createRoom(app.server.url, bob, "property", "Bob's flat");
    const context = await newContext();
    // Records, per page load, each database opened and each deletion completed, in order.
    await context.addInitScript(() => {
      const log: string[] = [];
      (window as unknown as { idbLog: string[] }).idbLog = log;
      const open = IDBFactory.prototype.open;
      IDBFactory.prototype.open = function (this: IDBFactory, name: string, version?: number) {
        log.push(`open ${name}`);
        return open.call(this, name, version);
      };
      const remove = IDBFactory.prototype.deleteDatabase;
      IDBFactory.prototype.deleteDatabase = function (this: IDBFactory, name: string) {
        const request = remove.call(this, name);
        request.addEventListener("success", () => log.push(`deleted ${name}`));
        return request;
      };
    });
    const page = await context.newPage();
    await signUpInUi(page, "Alice");
    const aliceRoom = await openRoomWithChecklist(page, "Maple Street");
    await shows(() => roomDatabases(page)).toEqual([`haven:${aliceRoom}`]);

    // Alice's session ends without a logout (as when it expires): her copy stays for now.
    await context.clearCookies();
    await page.goto("/login");
    await page.getByTestId("auth-form").waitFor();
    expect(await roomDatabases(page)).toEqual([`haven:${aliceRoom}`]);

    await page.getByTestId("auth-mode-login").click();
    await page.getByTestId("auth-email").fill(bob.user.email);
    await page.getByTestId("auth-password").fill(PASSWORD);
    await page.getByTestId("auth-submit").click();
    await page.getByTestId("create-room-form").waitFor();
    await page.locator(`[data-testid="room-link"][data-room-id="${bobRoom.id}"]`).click();
    await shows(() => page.getByTestId("connection-state").textContent()).toBe("Connected");

    expect(await roomDatabases(page)).toEqual([`haven:${bobRoom.id}`]);
    const log = await page.evaluate(() => (window as unknown as { idbLog: string[] }).idbLog);
    const deleted = log.indexOf(`deleted haven:${aliceRoom}`);
    expect(deleted).toBeGreaterThanOrEqual(0);
    expect(deleted).toBeLessThan(log.indexOf(`open haven:${bobRoom.id}`));
    await context.close();
  });
});
