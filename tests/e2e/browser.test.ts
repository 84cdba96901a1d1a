/**
 * The browser suite: real Chromium driving the built client against a real app.server. Two
 * people co-edit a checklist and see each other; a viewer cannot change anything; a
 * reload keeps the data; an edit made offline arrives after reconnecting.
 */
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { openChecklists, openPeople, signUpInBrowser, useAppInChromium } from "./chromium";
import { dayFromToday } from "./clients";

const UI_TIMEOUT_MS = 15_000;
/** How far apart two readings of "now" in this file may be: far less than a day, far more than the file takes. */
const CLOCKS_AGREE_MS = 30 * 60_000;

const app = useAppInChromium("browser");
const contexts: BrowserContext[] = [];

interface Person {
  name: string;
  email: string;
  page: Page;
  context: BrowserContext;
}

async function newPerson(name: string): Promise<Person> {
  const context = await app.browser.newContext({ baseURL: app.server.url });
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  contexts.push(context);
  const page = await context.newPage();
  const email = `${name.toLowerCase()}-${crypto.randomUUID().slice(0, 6)}@example.com`;
  await signUpInBrowser(page, name, email, "a long enough password");
  return { name, email, page, context };
}

async function inviteLink(owner: Person, email: string, role: string): Promise<string> {
  const page = owner.page;
  await openPeople(page);
  const link = page.getByTestId("invite-link");
  const previous = (await link.count()) > 0 ? await link.textContent() : null;
  await page.getByTestId("invite-email").fill(email);
  await page.getByTestId("invite-role").selectOption(role);
  await page.getByTestId("invite-submit").click();
  await shows(async () => ((await link.count()) > 0 ? await link.textContent() : null)).toSatisfy(
    (text: string | null) => text !== null && text !== previous && text.includes("/invite/"),
  );
  const url = ((await link.textContent()) ?? "").trim();
  await page.getByTestId("room-people-back").click();
  await openChecklists(page);
  return url;
}

async function acceptInvite(person: Person, link: string): Promise<void> {
  await person.page.goto(link);
  await person.page.getByTestId("connection-state").waitFor();
  await shows(() => person.page.getByTestId("connection-state").textContent()).toBe("Connected");
  await openChecklists(person.page);
}

/** Polls what the page shows until it matches; playwright-core has no assertions of its own. */
function shows<T>(read: () => Promise<T>) {
  return expect.poll(read, { timeout: UI_TIMEOUT_MS, interval: 50 });
}

function itemTexts(page: Page): Promise<string[]> {
  return page
    .getByTestId("item-text")
    .evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value ?? el.textContent ?? ""));
}

describe("browser", () => {
  let alice: Person;
  let bob: Person;

  it("lets two people co-edit a checklist and see each other", async () => {
    alice = await newPerson("Alice");
    await alice.page.getByTestId("create-room-name").fill("Maple Street");
    await alice.page.getByTestId("create-room-kind").selectOption("property");
    await alice.page.getByTestId("create-room-submit").click();
    await alice.page.getByTestId("room-link").first().click();
    await shows(() => alice.page.getByTestId("connection-state").textContent()).toBe("Connected");
    await openChecklists(alice.page);

    bob = await newPerson("Bob");
    await acceptInvite(bob, await inviteLink(alice, bob.email, "editor"));

    await alice.page.getByTestId("new-checklist-title").fill("Weekend jobs");
    await alice.page.getByTestId("new-checklist-submit").click();
    await alice.page.getByTestId("new-item-input").fill("Fix the fence");
    await alice.page.getByTestId("new-item-input").press("Enter");

    await shows(() => bob.page.getByTestId("item-text").inputValue()).toBe("Fix the fence");
    await bob.page.getByTestId("item-done").check();
    await shows(() => alice.page.getByTestId("item-done").isChecked()).toBe(true);

    await bob.page.getByTestId("new-item-input").fill("Clean the gutters");
    await bob.page.getByTestId("new-item-input").press("Enter");
    await shows(() => alice.page.getByTestId("item").count()).toBe(2);
    expect(await itemTexts(alice.page)).toEqual(["Fix the fence", "Clean the gutters"]);

    await shows(() => alice.page.locator('[data-testid="presence-avatar"][title="Bob"]').isVisible()).toBe(true);
    await shows(() => bob.page.locator('[data-testid="presence-avatar"][title="Alice"]').isVisible()).toBe(true);

    await bob.page.getByTestId("item-text").first().focus();
    await shows(async () => (await alice.page.getByTestId("item-editors").first().textContent()) ?? "").toContain(
      "Bob",
    );
  });

  it("shows a viewer everything and lets them change nothing", async () => {
    const carol = await newPerson("Carol");
    await acceptInvite(carol, await inviteLink(alice, carol.email, "viewer"));
    await shows(() => carol.page.getByTestId("view-only").isVisible()).toBe(true);
    await shows(() => carol.page.getByTestId("item").count()).toBe(2);
    // A viewer reads text, not greyed-out controls: nothing in a checklist takes input.
    await shows(() => carol.page.getByTestId("item-text").first().textContent()).toBe("Fix the fence");
    await shows(() => carol.page.getByTestId("checklist").locator("input, select, textarea, button").count()).toBe(0);
    expect(await carol.page.getByTestId("new-item-input").count()).toBe(0);

    await alice.page.getByTestId("new-item-input").fill("Paint the porch");
    await alice.page.getByTestId("new-item-input").press("Enter");
    await shows(() => carol.page.getByTestId("item").count()).toBe(3);
  });

  it("keeps the data across a reload", async () => {
    await alice.page.reload();
    await shows(() => alice.page.getByTestId("connection-state").textContent()).toBe("Connected");
    await openChecklists(alice.page);
    await shows(() => alice.page.getByTestId("item").count()).toBe(3);
    expect(await itemTexts(alice.page)).toEqual(["Fix the fence", "Clean the gutters", "Paint the porch"]);
    await shows(() => alice.page.getByTestId("item-done").first().isChecked()).toBe(true);
  });

  it("delivers an edit made offline once the connection returns", async () => {
    await bob.context.setOffline(true);
    await shows(() => bob.page.getByTestId("connection-state").textContent()).toMatch(/Offline|Reconnecting/);
    await bob.page.getByTestId("new-item-input").fill("Written offline");
    await bob.page.getByTestId("new-item-input").press("Enter");
    await shows(() => bob.page.getByTestId("item").count()).toBe(4);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await itemTexts(alice.page)).not.toContain("Written offline");

    await bob.context.setOffline(false);
    await shows(() => bob.page.getByTestId("connection-state").textContent()).toBe("Connected");
    await shows(() => alice.page.getByTestId("item").count()).toBe(4);
    expect(await itemTexts(alice.page)).toContain("Written offline");
  });

  it(
    "tells someone typing in an item that another person " + "deleted it, and keeps their keyboard in the list",
    async () => {
      const last = bob.page.getByTestId("item-text").last();
      await last.focus();
      await last.pressSequentially(" and sign", { delay: 10 });
      await shows(async () => (await itemTexts(alice.page)).at(-1)).toBe("Written offline and sign");
      await alice.page.getByTestId("item-delete").last().click();
      await shows(() => bob.page.getByTestId("toast").last().textContent()).toContain(
        "deleted the item you were editing: “Written offline and sign”",
      );
      await shows(() => bob.page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe(
        "new-item-input",
      );
    },
  );

  it("undoes a person's own deletion from the notice and with Ctrl+Z, for everyone", async () => {
    const before = await itemTexts(alice.page);
    await alice.page.getByTestId("item-delete").first().click();
    await shows(async () => (await itemTexts(bob.page)).length).toBe(before.length - 1);
    await alice.page.getByTestId("toast-action").last().click();
    await shows(() => itemTexts(bob.page)).toEqual(before);

    await alice.page.getByTestId("item-delete").last().click();
    await shows(async () => (await itemTexts(bob.page)).length).toBe(before.length - 1);
    await alice.page.locator("#main h1").click();
    await alice.page.keyboard.press("Control+z");
    await shows(() => itemTexts(bob.page)).toEqual(before);
    expect(await itemTexts(alice.page)).toEqual(before);
  });

  it("shows a due date box only once someone adds a date, and the date reaches everyone", async () => {
    const row = alice.page.getByTestId("item").first();
    expect(await row.getByTestId("item-due").count()).toBe(0);
    await row.getByTestId("item-add-due").click();
    const due = dayFromToday(14).date;
    await row.getByTestId("item-due").fill(due);
    await shows(() => bob.page.getByTestId("item").first().getByTestId("item-due").inputValue()).toBe(due);
  });

  // `npm run test:future` moves the clock with a preload every process inherits: this fails if the
  // server (workerd), a page in Chromium or this runner missed it.
  it("reads one clock in this runner, the server and the browser", async () => {
    const roomId = /\/rooms\/([^/?#]+)/.exec(alice.page.url())?.[1];
    const res = await alice.page.request.get(`/api/rooms/${roomId}/members`);
    expect(res.status()).toBe(200);
    const { members } = (await res.json()) as { members: { joinedAt: string }[] };
    const lastJoinedAt = Math.max(...members.map((member) => Date.parse(member.joinedAt)));
    const pageNow = await alice.page.evaluate(() => Date.now());
    const now = Date.now();
    // Carol joined during this file's earlier tests, minutes ago; a clock that missed the move is days off.
    expect(now - lastJoinedAt).toBeGreaterThanOrEqual(0);
    expect(now - lastJoinedAt).toBeLessThan(CLOCKS_AGREE_MS);
    expect(Math.abs(pageNow - now)).toBeLessThan(CLOCKS_AGREE_MS);
  });
});
