/**
 * Deleting a home's task or asset from its page, in two browsers: the one who deletes is asked
 * in place (the record named, "cannot be undone"), and the record is gone from both screens.
 * An asset that still has tasks says so instead of deleting; a viewer or a member sees no Delete.
 */
import type { BrowserContext, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import type { Room } from "../../schema/core/api";
import { useAppInChromium } from "./chromium";
import { addMember, createRoom, type Session, signup } from "./clients";

const app = useAppInChromium("delete-records");
let room: Room;
let ownerSession: Session;
let owner: { context: BrowserContext; page: Page };
let sam: { context: BrowserContext; page: Page };

async function signedIn(session: Session): Promise<{ context: BrowserContext; page: Page }> {
  const context = await app.browser.newContext({ baseURL: app.server.url });
  context.setDefaultTimeout(15_000);
  const [name, value] = session.cookie.split("=", 2) as [string, string];
  await context.addCookies([{ name, value, url: app.server.url }]);
  return { context, page: await context.newPage() };
}

/** Runs a command as the owner through the API; answers its result. */
async function command(name: string, args: Record<string, unknown>): Promise<{ id: string }> {
  const res = await fetch(`${app.server.url}/api/rooms/${room.id}/commands`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Cookie: ownerSession.cookie },
    body: JSON.stringify({ name, args, key: `e2e-${crypto.randomUUID()}` }),
  });
  if (res.status !== 200) throw new Error(`${name}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { result: { id: string } }).result;
}

/** A task due a month from now, on `assetId` if given. */
async function newTask(title: string, assetId?: string): Promise<string> {
  const date = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const args = { title, schedule: { type: "once", date }, ...(assetId ? { assetId } : {}) };
  return (await command("task.create", args)).id;
}

const rowsOf = (page: Page, testId: string, text: string) => page.getByTestId(testId).filter({ hasText: text });

async function openTab(page: Page, tab: "tasks" | "assets"): Promise<void> {
  await page.goto(`/rooms/${room.id}`);
  await page.getByTestId(`tab-${tab}`).click();
}

beforeAll(async () => {
  ownerSession = await signup(app.server.url, "Owner");
  room = await createRoom(app.server.url, ownerSession, "property", "Maple House");
  const samSession = await addMember(app.server.url, ownerSession, room, "editor", "Sam");
  owner = await signedIn(ownerSession);
  sam = await signedIn(samSession);
});

describe("deleting a home's records", () => {
  it("asks by name from the keyboard, deletes the task and it is gone from both screens", async () => {
    const taskId = await newTask("Descale the kettle");
    await openTab(sam.page, "tasks");
    await rowsOf(sam.page, "task-row", "Descale the kettle").waitFor();
    await owner.page.goto(`/rooms/${room.id}/tasks/${taskId}`);

    const ask = owner.page.getByTestId("task-delete");
    expect(await ask.getAttribute("aria-label")).toBe("Delete task Descale the kettle");
    await ask.focus();
    await owner.page.keyboard.press("Enter");
    const prompt = owner.page.getByTestId("task-delete-prompt");
    expect(await prompt.textContent()).toBe(
      "Delete the task “Descale the kettle” and its history? This cannot be undone.",
    );
    expect(await owner.page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe(
      "task-delete-confirm",
    );
    // Escape takes it back, the focus on Delete again, and nothing was deleted.
    await owner.page.keyboard.press("Escape");
    expect(await prompt.count()).toBe(0);
    expect(await owner.page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("task-delete");
    expect(await rowsOf(sam.page, "task-row", "Descale the kettle").count()).toBe(1);

    await owner.page.keyboard.press("Enter");
    await owner.page.keyboard.press("Enter");
    await owner.page.waitForURL(new RegExp(`/rooms/${room.id}$`));
    await owner.page.getByTestId("tab-tasks").click();
    await owner.page.getByTestId("tasks-tab").waitFor();
    for (const page of [owner.page, sam.page])
      await expect.poll(() => rowsOf(page, "task-row", "Descale the kettle").count()).toBe(0);
    await sam.page.goto(`/rooms/${room.id}/tasks/${taskId}`);
    await expect
      .poll(() => sam.page.getByTestId("task-missing").textContent())
      .toContain("This task is not in this home");
  });

  it("says which tasks stand in the way of deleting an asset, then deletes it on both screens", async () => {
    const { id: assetId } = await command("asset.create", { name: "Chest freezer", category: "appliance" });
    const taskId = await newTask("Defrost the chest freezer", assetId);
    await owner.page.goto(`/rooms/${room.id}/assets/${assetId}`);
    await sam.page.goto(`/rooms/${room.id}/assets/${assetId}`);
    await sam.page.getByTestId("asset-detail").waitFor();

    await owner.page.getByTestId("asset-delete").click();
    expect(await owner.page.getByTestId("asset-delete-prompt").textContent()).toBe(
      "1 task belongs to Chest freezer (archived ones count too). Delete them or move them to another asset first.",
    );
    expect(await owner.page.getByTestId("asset-delete-confirm").count()).toBe(0);
    await owner.page.getByTestId("asset-delete-cancel").click();

    await command("task.delete", { id: taskId });
    await owner.page.getByTestId("asset-delete").click();
    expect(await owner.page.getByTestId("asset-delete-prompt").textContent()).toBe(
      "Delete the asset “Chest freezer”? This cannot be undone.",
    );
    await owner.page.getByTestId("asset-delete-confirm").click();
    await owner.page.waitForURL(new RegExp(`/rooms/${room.id}$`));
    // Sam was looking at the asset, the home's only one: the page says it is gone (not "Loading"), and the list too.
    await expect
      .poll(() => sam.page.getByTestId("asset-missing").textContent())
      .toContain("This asset is not in this home");
    for (const page of [owner.page, sam.page]) {
      await openTab(page, "assets");
      await page.getByTestId("assets-tab").waitFor();
      await expect.poll(() => rowsOf(page, "asset-row", "Chest freezer").count()).toBe(0);
    }
  });

  it("shows no Delete to a viewer or a member, who cannot delete", async () => {
    const { id: assetId } = await command("asset.create", { name: "Boiler", category: "hvac" });
    const taskId = await newTask("Service the boiler", assetId);
    for (const [role, name] of [
      ["viewer", "Vera"],
      ["member", "Milo"],
    ] as const) {
      const session = await addMember(app.server.url, ownerSession, room, role, name);
      const { context, page } = await signedIn(session);
      await page.goto(`/rooms/${room.id}/tasks/${taskId}`);
      await page.getByTestId("task-title-heading").waitFor();
      expect(await page.getByTestId("task-delete").count()).toBe(0);
      await page.goto(`/rooms/${room.id}/assets/${assetId}`);
      await page.getByTestId("asset-detail").waitFor();
      expect(await page.getByTestId("asset-delete").count()).toBe(0);
      await context.close();
    }
    // The same pages offer it to an editor.
    await sam.page.goto(`/rooms/${room.id}/tasks/${taskId}`);
    await sam.page.getByTestId("task-delete").waitFor();
  });
});
