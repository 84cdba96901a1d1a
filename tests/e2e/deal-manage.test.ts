/**
 * Managing a deal in real browsers against the real room: closing, cancelling (asked in place) and reopening it;
 * adding and renaming milestones; editing a task's title and description, with a stale form's conflict shown and
 * resolved, by a coordinator and by the agent who created a task; deleting a task (asked in place); marking a
 * document confidential, which takes it from a viewer's screen at once. Roles without the capability see none of
 * these controls. Each control at 1280 px, with a screenshot at 390 px and axe at both widths; refusals are shown
 * in words.
 */
import { mkdirSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { Room } from "../../schema/core/api";
import { axeViolations, smallTargets } from "./axe";
import { signUpInBrowser, useAppInChromium } from "./chromium";
import { addMember, dayFromToday, type Session } from "./clients";
import { card, dealPages, openTask, pdfFile } from "./deal-pages";

const SHOTS = "/tmp/shots";
/** Relative to today so the test holds on any day. */
const ACCEPTED_DAYS_AGO = 2;
const CLOSING_IN_DAYS = 28;

const app = useAppInChromium("deal-manage");

const { newContext, signedIn } = dealPages(app);

/** Axe at 1280 px, then a full-page screenshot and axe at 390 px, then back to 1280. */
async function look(page: Page, name: string): Promise<void> {
  expect([...(await axeViolations(page)), ...(await smallTargets(page))], `${name} at 1280 px`).toEqual([]);
  await page.setViewportSize({ width: 390, height: 900 });
  await page.screenshot({ path: `${SHOTS}/deal-manage-${name}-390.png`, fullPage: true });
  expect([...(await axeViolations(page)), ...(await smallTargets(page))], `${name} at 390 px`).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Opens the task from the board; its id, from the address. */
async function openTaskId(page: Page, title: string): Promise<string> {
  await openTask(page, title);
  return decodeURIComponent(new URL(page.url()).pathname.split("/").pop() ?? "");
}

interface Owned {
  page: Page;
  owner: Session;
  room: Room;
}

async function command(owner: Session, roomId: string, name: string, args: unknown): Promise<Response> {
  return fetch(`${app.server.url}/api/rooms/${roomId}/commands`, {
    method: "POST",
    headers: { Cookie: owner.cookie, Origin: app.server.url, "Content-Type": "application/json" },
    body: JSON.stringify({ name, key: crypto.randomUUID(), args }),
  });
}

/** An owner signed up in a browser, with a deal room set up from the financed template over the API. */
async function ownedDeal(name: string): Promise<Owned> {
  mkdirSync(SHOTS, { recursive: true });
  const page = await (await newContext(1280)).newPage();
  const email = `owner-${crypto.randomUUID().slice(0, 6)}@example.com`;
  await signUpInBrowser(page, "Olive", email, "a long enough password");
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const owner: Session = { user: { id: "", email, name: "Olive" }, cookie };
  const made = await fetch(`${app.server.url}/api/rooms`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: app.server.url, "Content-Type": "application/json" },
    body: JSON.stringify({ kind: "deal", name }),
  });
  const room = ((await made.json()) as { room: Room }).room;
  const created = await command(owner, room.id, "deal.create", {
    templateId: "financed_purchase",
    title: name,
    address: name.replace(/ purchase$/, ""),
    keyDates: { acceptance: dayFromToday(-ACCEPTED_DAYS_AGO).date, closing: dayFromToday(CLOSING_IN_DAYS).date },
    timeZone: "UTC",
  });
  expect(created.status, await created.clone().text()).toBe(200);
  await page.goto(`/rooms/${room.id}`);
  await page.getByTestId("deal-summary").waitFor();
  return { page, owner, room };
}

describe("managing a deal", () => {
  it("closes, cancels (asked in place) and reopens the deal from the summary; an agent has none", async () => {
    const { page, owner, room } = await ownedDeal("3 Birch Lane purchase");
    const status = () => page.getByTestId("deal-status").textContent();
    await look(page, "status-open");

    await page.getByTestId("deal-close").click();
    await expect.poll(status).toBe("Closed");
    await page.getByTestId("deal-reopen").waitFor();
    await look(page, "status-closed");
    await page.getByTestId("deal-reopen").click();
    await expect.poll(status).toBe("Open");

    // Cancelling asks once more; "Cancel" on the question changes nothing.
    await page.getByTestId("deal-cancel").click();
    await look(page, "status-cancel-asking");
    await page.getByTestId("deal-cancel-cancel").click();
    expect(await status()).toBe("Open");
    await page.getByTestId("deal-cancel").click();
    await page.getByTestId("deal-cancel-confirm").click();
    await expect.poll(status).toBe("Cancelled");
    await page.getByTestId("deal-reopen").click();
    await expect.poll(status).toBe("Open");

    const agent = await signedIn(await addMember(app.server.url, owner, room, "buyer_agent", "Aaron"), 1280);
    await agent.goto(`/rooms/${room.id}`);
    await agent.getByTestId("deal-summary").waitFor();
    expect(await agent.getByTestId("deal-status-actions").count()).toBe(0);
    expect(await agent.getByTestId("milestone-rename").count()).toBe(0);
    expect(await agent.getByTestId("milestone-new").count()).toBe(0);
  });

  it("adds and renames milestones, live on a second screen; an empty name is refused in words", async () => {
    const { page, owner, room } = await ownedDeal("5 Cedar Row purchase");
    const coordinator = await signedIn(
      await addMember(app.server.url, owner, room, "transaction_coordinator", "Tia"),
      1280,
    );
    await coordinator.goto(`/rooms/${room.id}`);
    await coordinator.getByTestId("deal-summary").waitFor();
    const names = (p: Page) => p.getByTestId("milestone-name").allTextContents();

    await coordinator.getByTestId("milestone-new-submit").click();
    expect(await coordinator.getByTestId("milestone-new-error").textContent()).toContain("Give the milestone a name");
    await coordinator.getByTestId("milestone-new-name").fill("Home warranty");
    await coordinator.getByTestId("milestone-new-submit").click();
    await expect.poll(async () => (await names(coordinator)).at(-1)).toBe("Home warranty");
    await expect.poll(async () => (await names(page)).at(-1)).toBe("Home warranty");
    expect(await coordinator.getByTestId("milestone-new-name").inputValue()).toBe("");
    await look(coordinator, "milestone-new");

    const inspection = coordinator.getByTestId("milestone-row").filter({ hasText: "Inspection" });
    await inspection.getByTestId("milestone-rename").click();
    await inspection.getByTestId("milestone-rename-name").fill("   ");
    await inspection.getByTestId("milestone-rename-save").click();
    expect(await inspection.getByTestId("milestone-rename-error").textContent()).toContain("Give the milestone a name");
    await look(coordinator, "milestone-rename");
    await inspection.getByTestId("milestone-rename-name").fill("Home inspection");
    await inspection.getByTestId("milestone-rename-save").click();
    await expect.poll(() => names(page)).toContain("Home inspection");
    expect(await names(coordinator)).not.toContain("Inspection");
    await expect.poll(() => inspection.getByTestId("milestone-rename-name").count()).toBe(0);
  });

  it("edits a task's title and description, shows a stale form's conflict, deletes a task asked in place", async () => {
    const { page, owner, room } = await ownedDeal("7 Dogwood Way purchase");
    const taskId = await openTaskId(page, "Schedule the home inspection");

    // An agent edits the tasks they created, and no other; deleting stays the coordinator's.
    const agentSession = await addMember(app.server.url, owner, room, "buyer_agent", "Aaron");
    const agent = await signedIn(agentSession, 1280);
    const made = await command(agentSession, room.id, "deal.task.create", { title: "Send the buyer the disclosures" });
    expect(made.status, await made.clone().text()).toBe(200);
    const ownTask = ((await made.json()) as { result: { id: string } }).result.id;
    await agent.goto(`/rooms/${room.id}/tasks/${ownTask}`);
    await agent.getByTestId("task-edit").click();
    await agent.getByTestId("task-edit-title").fill("Send the seller's disclosures");
    await agent.getByTestId("task-edit-save").click();
    await expect.poll(() => agent.getByTestId("task-title").textContent()).toBe("Send the seller's disclosures");
    expect(await agent.getByTestId("task-delete").count()).toBe(0);
    await agent.goto(`/rooms/${room.id}/tasks/${taskId}`);
    await agent.getByTestId("deal-task").waitFor();
    await expect.poll(() => agent.getByTestId("task-title").textContent()).toBe("Schedule the home inspection");
    expect(await agent.getByTestId("task-edit").count()).toBe(0);
    expect(await agent.getByTestId("task-delete").count()).toBe(0);

    await page.getByTestId("task-edit").click();
    await page.getByTestId("task-edit-title").fill("");
    await page.getByTestId("task-edit-save").click();
    expect(await page.getByTestId("task-edit-title-error").textContent()).toBe("Give the task a title.");
    await page.getByTestId("task-edit-title").fill("Book the home inspector");
    await page.getByTestId("task-edit-description").fill("Ask for radon testing too.");
    await look(page, "task-edit");
    await page.getByTestId("task-edit-save").click();
    await expect.poll(() => page.getByTestId("task-title").textContent()).toBe("Book the home inspector");
    expect(await page.getByTestId("task-description").textContent()).toBe("Ask for radon testing too.");
    await expect.poll(() => agent.getByTestId("task-title").textContent()).toBe("Book the home inspector");

    // A stale form: someone else renames the task while it is open here; saving shows their title in words.
    await page.getByTestId("task-edit").click();
    const renamed = await command(owner, room.id, "deal.task.update", {
      id: taskId,
      title: "Call the inspector",
      base: { title: "Book the home inspector" },
    });
    expect(renamed.status, await renamed.clone().text()).toBe(200);
    await expect.poll(() => page.getByTestId("task-title").textContent()).toBe("Call the inspector");
    await page.getByTestId("task-edit-title").fill("Book the inspector for Tuesday");
    await page.getByTestId("task-edit-save").click();
    await page.getByTestId("edit-conflict").waitFor();
    expect(await page.getByTestId("edit-conflict-theirs").textContent()).toBe("“Call the inspector”");
    expect(await page.getByTestId("task-edit-error").textContent()).not.toBe("");
    await look(page, "task-edit-conflict");
    await page.getByTestId("conflict-use-mine").click();
    await page.getByTestId("task-edit-save").click();
    await expect.poll(() => page.getByTestId("task-title").textContent()).toBe("Book the inspector for Tuesday");

    // Deleting asks in place; the task leaves the board here and on the agent's screen.
    await page.getByTestId("task-delete").click();
    await look(page, "task-delete-asking");
    await page.getByTestId("task-delete-confirm").click();
    // Back on the deal, on the tab last open (the board).
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/rooms/${room.id}`);
    await page.getByTestId("board-card").first().waitFor();
    expect(await card(page, "Book the inspector for Tuesday").count()).toBe(0);
    await agent.getByTestId("task-not-found").waitFor();
  });

  it("marks a document confidential, which a viewer then no longer sees; an agent has no such control", async () => {
    const { page, owner, room } = await ownedDeal("9 Elm Court purchase");
    const taskId = await openTaskId(page, "Upload the inspection report");
    await page.getByTestId("document-upload").setInputFiles(pdfFile("report"));
    const doc = page.getByTestId("document").first();
    await expect.poll(() => doc.getByTestId("document-status").textContent()).toBe("Waiting for review");

    const viewer = await signedIn(await addMember(app.server.url, owner, room, "viewer", "Vic"), 1280);
    await viewer.goto(`/rooms/${room.id}/tasks/${taskId}`);
    await viewer.getByTestId("deal-task").waitFor();
    await expect.poll(() => viewer.getByTestId("document").count()).toBe(1);
    expect(await viewer.getByTestId("document-confidential").count()).toBe(0);

    await doc.getByTestId("document-confidential").check();
    await expect.poll(() => doc.textContent()).toContain("Confidential");
    await expect.poll(() => viewer.getByTestId("document").count()).toBe(0);
    await look(page, "document-confidential");
    await doc.getByTestId("document-confidential").uncheck();
    await expect.poll(() => viewer.getByTestId("document").count()).toBe(1);

    const agent = await signedIn(await addMember(app.server.url, owner, room, "buyer_agent", "Aaron"), 1280);
    await agent.goto(`/rooms/${room.id}/tasks/${taskId}`);
    await agent.getByTestId("document").first().waitFor();
    expect(await agent.getByTestId("document-confidential").count()).toBe(0);
  });
});
