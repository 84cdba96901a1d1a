/**
 * Two people typing in the same field at the same time, in two Chromium windows: every
 * character of both arrives, in order, on both screens, and each person's caret stays
 * where they were typing. Also when one of them was offline.
 */
import type { BrowserContext, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { openChecklists, signUpInBrowser, useAppInChromium } from "./chromium";

const app = useAppInChromium("coediting");
let alice: { page: Page; context: BrowserContext };
let bob: { page: Page; context: BrowserContext };

async function person(name: string): Promise<{ page: Page; context: BrowserContext; email: string }> {
  const context = await app.browser.newContext({ baseURL: app.server.url });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const email = `${name.toLowerCase()}-${crypto.randomUUID().slice(0, 6)}@example.com`;
  await signUpInBrowser(page, name, email, "a long enough password");
  return { page, context, email };
}

const value = (page: Page, testId: string) => page.getByTestId(testId).first().inputValue();
const caret = (page: Page, testId: string) =>
  page
    .getByTestId(testId)
    .first()
    .evaluate((el) => (el as HTMLInputElement).selectionStart);

beforeAll(async () => {
  const a = await person("Alice");
  const b = await person("Bob");
  alice = a;
  bob = b;
  await a.page.getByTestId("create-room-name").fill("Shared home");
  await a.page.getByTestId("create-room-submit").click();
  await a.page.getByTestId("room-link").first().click();
  await a.page.getByTestId("room-people-link").waitFor();
  const roomId = new URL(a.page.url()).pathname.split("/").pop() ?? "";
  const invite = await a.page.request.post(`/api/rooms/${roomId}/invites`, {
    data: { email: b.email, role: "editor" },
    headers: { Origin: app.server.url },
  });
  const { invite: created } = (await invite.json()) as { invite: { token: string } };
  await b.page.request.post(`/api/invites/${created.token}/accept`, { headers: { Origin: app.server.url } });
  await b.page.goto(`/rooms/${roomId}`);
  await openChecklists(a.page);
  await openChecklists(b.page);
  await a.page.getByTestId("new-checklist-title").fill("Spring");
  await a.page.getByTestId("new-checklist-submit").click();
  await a.page.getByTestId("new-item-input").fill("Clean filters");
  await a.page.getByTestId("new-item-input").press("Enter");
  await b.page.getByTestId("item-text").first().waitFor();
  for (let tries = 0; (await value(b.page, "item-text")) !== "Clean filters"; tries++) {
    if (tries > 200) throw new Error("bob never saw the item");
    await new Promise((r) => setTimeout(r, 50));
  }
});

describe("co-editing one field", () => {
  it("merges typing at two places in one item, in order, with each caret where its person left it", async () => {
    const a = alice.page.getByTestId("item-text").first();
    const b = bob.page.getByTestId("item-text").first();
    await a.focus();
    await alice.page.keyboard.press("Control+End");
    await b.focus();
    await bob.page.keyboard.press("Control+Home");
    await Promise.all([a.pressSequentially(" in hall", { delay: 40 }), b.pressSequentially("Q3: ", { delay: 55 })]);
    for (const page of [alice.page, bob.page])
      await expect.poll(() => value(page, "item-text")).toBe("Q3: Clean filters in hall");
    expect(await caret(alice.page, "item-text")).toBe("Q3: Clean filters in hall".length);
    expect(await caret(bob.page, "item-text")).toBe("Q3: ".length);

    // Then bob adds to the end; alice's caret stays right after her "hall".
    await bob.page.keyboard.press("Control+End");
    await b.pressSequentially(" and attic", { delay: 20 });
    for (const page of [alice.page, bob.page])
      await expect.poll(() => value(page, "item-text")).toBe("Q3: Clean filters in hall and attic");
    expect(await caret(alice.page, "item-text")).toBe("Q3: Clean filters in hall".length);
  });

  it("keeps both people's characters in order when they type at the same spot at the same time", async () => {
    const a = alice.page.getByTestId("item-text").first();
    const b = bob.page.getByTestId("item-text").first();
    await a.focus();
    await alice.page.keyboard.press("Control+End");
    await b.focus();
    await bob.page.keyboard.press("Control+End");
    await Promise.all([a.pressSequentially(" bring", { delay: 30 }), b.pressSequentially(" ladder", { delay: 30 })]);
    await expect
      .poll(async () => (await value(alice.page, "item-text")) === (await value(bob.page, "item-text")))
      .toBe(true);
    const merged = await value(alice.page, "item-text");
    expect(merged).toContain(" bring");
    expect(merged).toContain(" ladder");
    expect(merged.length).toBe("Q3: Clean filters in hall and attic bring ladder".length);
  });

  it("merges an item edited offline with the same item edited online in the meantime", async () => {
    const item = (page: Page) => page.getByTestId("item-text").first();
    const before = await value(alice.page, "item-text");
    await bob.context.setOffline(true);
    await expect.poll(() => bob.page.getByTestId("connection-state").textContent()).toMatch(/Offline|Reconnecting/);
    await item(bob.page).focus();
    await bob.page.keyboard.press("Control+End");
    await item(bob.page).pressSequentially(" (bob)", { delay: 20 });
    await item(bob.page).blur();
    await item(alice.page).focus();
    await alice.page.keyboard.press("Control+Home");
    await item(alice.page).pressSequentially("Today: ", { delay: 20 });
    await item(alice.page).blur();
    await bob.context.setOffline(false);
    for (const page of [alice.page, bob.page])
      await expect.poll(() => value(page, "item-text"), { timeout: 15_000 }).toBe(`Today: ${before} (bob)`);
  });

  it("merges a rename made offline with one made online in the meantime", async () => {
    const title = (page: Page) => page.getByTestId("checklist-title").first();
    await bob.context.setOffline(true);
    await expect.poll(() => bob.page.getByTestId("connection-state").textContent()).toMatch(/Offline|Reconnecting/);
    await title(bob.page).focus();
    await bob.page.keyboard.press("Control+End");
    await title(bob.page).pressSequentially(" cleaning", { delay: 20 });
    await title(bob.page).blur();
    await title(alice.page).focus();
    await alice.page.keyboard.press("Control+Home");
    await title(alice.page).pressSequentially("Big ", { delay: 20 });
    await expect.poll(() => value(alice.page, "checklist-title")).toBe("Big Spring");
    await bob.context.setOffline(false);
    for (const page of [alice.page, bob.page])
      await expect.poll(() => value(page, "checklist-title"), { timeout: 15_000 }).toBe("Big Spring cleaning");
  });
});
