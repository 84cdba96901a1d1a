/**
 * A verified chore in two Chromium browsers: Kim (a household member) sends a photo as proof from her phone; Olive
 * sees it live on her desktop and sends it back with a comment, which Kim sees at once; Kim sends another, Olive
 * approves it, and both screens show the task done and its schedule moved on.
 */
import { mkdirSync } from "node:fs";
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { GPS_JPEG } from "../fixtures/photos";
import { axeViolations } from "./axe";
import { useAppInChromium } from "./chromium";
import { addMember, command, createRoom, type Session, signup } from "./clients";

const SHOTS = "/tmp/shots/proofs";
const app = useAppInChromium("proofs");

async function taskPage(who: Session, path: string, width: number): Promise<{ context: BrowserContext; page: Page }> {
  const context = await app.browser.newContext({ baseURL: app.server.url, viewport: { width, height: 844 } });
  context.setDefaultTimeout(20_000);
  const [name, value] = who.cookie.split("=", 2) as [string, string];
  await context.addCookies([{ name, value, url: app.server.url }]);
  const page = await context.newPage();
  await page.goto(path);
  await page.getByTestId("proof-panel").waitFor();
  return { context, page };
}

async function sendPhoto(page: Page): Promise<void> {
  await page
    .getByTestId("proof-photo-input")
    .setInputFiles({ name: "gutter.jpg", mimeType: "image/jpeg", buffer: Buffer.from(GPS_JPEG()) });
  await page.getByTestId("proof-ready").waitFor();
  await page.getByTestId("proof-send").click();
}

/** A poll waits as long as the UI may take under load (vitest's default is 1 s). */
const POLL = { timeout: 20_000 };

describe("a verified chore in the browser", () => {
  it("is sent on one browser, returned and then approved on another, and both screens agree", async () => {
    mkdirSync(SHOTS, { recursive: true });
    const owner = await signup(app.server.url, "Olive");
    const room = await createRoom(app.server.url, owner, "property", "Maple House");
    const kim = await addMember(app.server.url, owner, room, "member", "Kim");
    const today = new Date().toISOString().slice(0, 10);
    const { id } = await command(app.server.url, owner, room.id, "task.create", {
      title: "Clear the gutters",
      assignee: kim.user.id,
      proof: "photo",
      schedule: { type: "after_completion", every: 3, unit: "month", start: today },
    });
    const path = `/rooms/${room.id}/tasks/${id}`;
    const phone = await taskPage(kim, path, 390);
    const desk = await taskPage(owner, path, 1280);
    // Neither is offered "Mark done": the photo is how it gets done.
    expect(await phone.page.getByTestId("action-done").count()).toBe(0);

    await sendPhoto(phone.page);
    await phone.page.getByTestId("proof-waiting").waitFor();
    await desk.page.getByTestId("proof-photo").waitFor();
    expect(await desk.page.getByTestId("proof-status").textContent()).toContain("Waiting for review");
    expect(await axeViolations(desk.page, "[data-testid=proof-panel]")).toEqual([]);
    await desk.page.screenshot({ path: `${SHOTS}/review-1280.png` });

    await desk.page.getByTestId("proof-return-open").click();
    await desk.page.getByTestId("proof-comment-input").fill("The far end still has leaves");
    await desk.page.getByTestId("proof-return").click();
    await phone.page.getByTestId("proof-comment").filter({ hasText: "The far end still has leaves" }).waitFor();
    expect(await axeViolations(phone.page, "[data-testid=proof-panel]")).toEqual([]);
    await phone.page.screenshot({ path: `${SHOTS}/returned-390.png` });

    await sendPhoto(phone.page);
    await desk.page.getByTestId("proof-status").filter({ hasText: "Waiting for review" }).waitFor();
    const due = await phone.page.getByTestId("task-next-due").textContent();
    await desk.page.getByTestId("proof-approve").click();
    for (const { page } of [desk, phone]) {
      await expect.poll(() => page.getByTestId("proof-shown").count(), POLL).toBe(0);
      await expect.poll(() => page.getByTestId("task-next-due").textContent(), POLL).not.toBe(due);
    }
    await phone.page.screenshot({ path: `${SHOTS}/approved-390.png` });
    await phone.context.close();
    await desk.context.close();
  });
});
