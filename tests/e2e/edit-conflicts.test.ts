/**
 * A task's edit form open in two browsers at once. A form opened before someone else
 * renamed the task keeps the new title when it saves only its notes; two people saving
 * the title at once: the second is shown the first one's title and chooses, and both
 * screens end up agreeing.
 */
import type { BrowserContext, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import type { Room } from "../../schema/core/api";
import { useAppInChromium } from "./chromium";
import { addMember, createRoom, type Session, signup } from "./clients";

const app = useAppInChromium("edit-conflicts");
let room: Room;
let owner: { session: Session; context: BrowserContext; page: Page };
let sam: { session: Session; context: BrowserContext; page: Page };

async function signedIn(session: Session): Promise<{ context: BrowserContext; page: Page }> {
  const context = await app.browser.newContext({ baseURL: app.server.url });
  context.setDefaultTimeout(15_000);
  const [name, value] = session.cookie.split("=", 2) as [string, string];
  await context.addCookies([{ name, value, url: app.server.url }]);
  return { context, page: await context.newPage() };
}

/** A task made through the API, due a month from now. */
async function newTask(title: string): Promise<string> {
  const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const res = await fetch(`${app.server.url}/api/rooms/${room.id}/commands`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Cookie: owner.session.cookie },
    body: JSON.stringify({
      name: "task.create",
      args: { title, schedule: { type: "once", date: due } },
      key: `e2e-${crypto.randomUUID()}`,
    }),
  });
  if (res.status !== 200) throw new Error(`task.create: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { result: { id: string } }).result.id;
}

/** Opens the task's page and its edit form. */
async function openForm(page: Page, taskId: string): Promise<void> {
  await page.goto(`/rooms/${room.id}/tasks/${taskId}`);
  await page.getByTestId("task-edit").click();
  await page.getByTestId("task-form").waitFor();
}

const heading = (page: Page) => page.getByTestId("task-title-heading").textContent();

beforeAll(async () => {
  const ownerSession = await signup(app.server.url, "Owner");
  room = await createRoom(app.server.url, ownerSession, "property", "Maple House");
  const samSession = await addMember(app.server.url, ownerSession, room, "editor", "Sam");
  owner = { session: ownerSession, ...(await signedIn(ownerSession)) };
  sam = { session: samSession, ...(await signedIn(samSession)) };
});

describe("a task's edit form in two browsers", () => {
  it("keeps the owner's new title when Sam's form, opened before it, saves only the notes", async () => {
    const taskId = await newTask("Replace furnace filter");
    await openForm(sam.page, taskId);
    await openForm(owner.page, taskId);
    await owner.page.getByTestId("task-title").fill("Replace the furnace filter (MERV 11)");
    await owner.page.getByTestId("task-save").click();
    await expect.poll(() => heading(owner.page)).toBe("Replace the furnace filter (MERV 11)");

    // Sam's form still shows the old title; Sam writes notes only.
    expect(await sam.page.getByTestId("task-title").inputValue()).toBe("Replace furnace filter");
    await sam.page.getByTestId("task-notes").fill("16x25x1, on the shelf in the garage");
    await sam.page.getByTestId("task-save").click();
    for (const page of [sam.page, owner.page]) {
      await expect.poll(() => heading(page)).toBe("Replace the furnace filter (MERV 11)");
      await expect.poll(() => page.locator(".task-card .facts").textContent()).toContain("16x25x1");
    }
  });

  it(
    "shows the second of two title saves the first one's title, " + "lets its user choose, and both screens agree",
    async () => {
      const taskId = await newTask("Clean gutters");
      await openForm(owner.page, taskId);
      await openForm(sam.page, taskId);
      await owner.page.getByTestId("task-title").fill("Clean gutters and downspouts");
      await sam.page.getByTestId("task-title").fill("Clean the gutters before winter");
      await Promise.all([owner.page.getByTestId("task-save").click(), sam.page.getByTestId("task-save").click()]);

      // The room runs one save first; the other is refused with the first one's title, and only it.
      const conflicted = async () => {
        const o = await owner.page.getByTestId("edit-conflict").count();
        const s = await sam.page.getByTestId("edit-conflict").count();
        return o + s === 1 ? (o === 1 ? "owner" : "sam") : null;
      };
      await expect.poll(conflicted).not.toBeNull();
      const second = (await conflicted()) === "owner" ? owner : sam;
      const first = second === owner ? sam : owner;
      const [firstTitle, secondTitle] =
        second === owner
          ? ["Clean the gutters before winter", "Clean gutters and downspouts"]
          : ["Clean gutters and downspouts", "Clean the gutters before winter"];
      await expect.poll(() => heading(first.page)).toBe(firstTitle);

      const note = second.page.getByTestId("edit-conflict");
      expect(await note.getAttribute("data-field")).toBe("title");
      expect(await note.getByTestId("edit-conflict-theirs").textContent()).toBe(`“${firstTitle}”`);
      const title = second.page.getByTestId("task-title");
      expect((await title.getAttribute("aria-describedby"))?.split(" ")).toContain(await note.getAttribute("id"));
      expect(await second.page.getByRole("alert").first().textContent()).toContain("Someone else changed");
      // Nothing of the refused save was kept: the form still holds its user's title.
      expect(await title.inputValue()).toBe(secondTitle);

      // From the keyboard: "Use mine", the focus back in the title, then save again.
      await note.getByTestId("conflict-use-mine").focus();
      await second.page.keyboard.press("Enter");
      await expect.poll(() => second.page.getByTestId("edit-conflict").count()).toBe(0);
      expect(await second.page.evaluate(() => document.activeElement?.id)).toBe("task-title");
      await second.page.getByTestId("task-save").click();
      for (const page of [first.page, second.page]) await expect.poll(() => heading(page)).toBe(secondTitle);
    },
  );

  it("takes the other person's value with 'Keep theirs', sending nothing of that field", async () => {
    const taskId = await newTask("Test smoke alarms");
    await openForm(owner.page, taskId);
    await openForm(sam.page, taskId);
    await owner.page.getByTestId("task-lead").fill("7");
    await owner.page.getByTestId("task-save").click();
    await owner.page.getByTestId("task-title-heading").waitFor();
    await sam.page.getByTestId("task-lead").fill("3");
    await sam.page.getByTestId("task-notes").fill("Every bedroom and the hall");
    await sam.page.getByTestId("task-save").click();
    const note = sam.page.getByTestId("edit-conflict");
    await note.waitFor();
    expect(await note.getByTestId("edit-conflict-theirs").textContent()).toBe("7 days before");
    await note.getByTestId("conflict-keep-theirs").click();
    expect(await sam.page.getByTestId("task-lead").inputValue()).toBe("7");
    await sam.page.getByTestId("task-save").click();
    for (const page of [owner.page, sam.page]) {
      await expect.poll(() => page.locator(".task-card .facts").textContent()).toContain("Every bedroom");
      await expect.poll(() => page.locator(".task-card .facts").textContent()).toContain("7 days");
    }
  });
});
