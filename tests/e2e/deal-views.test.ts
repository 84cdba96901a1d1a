/**
 * A deal's screens in real browsers against the real room: a coordinator sets the deal up from the financed
 * template, reads the summary, the board and a task page with its dependencies both ways (a cycle is refused in
 * words), moves the closing date; a buyer on a second browser sees the timeline only, what is theirs to do, the
 * new closing date and a task unblocked at once, never an internal note; the rooms list shows the stage and
 * days to closing; the owner saves the deal as a template. Screenshots at 1280 and 390 px, axe on each screen.
 */
import { mkdirSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { Room } from "../../schema/core/api";
import { axeViolations, smallTargets } from "./axe";
import { signUpInBrowser, useAppInChromium } from "./chromium";
import { addMember, dayFromToday, type Session } from "./clients";
import { card, completeOnPage, dealPages, nextTask, openTask, pdfFile } from "./deal-pages";

const SHOTS = "/tmp/shots";
/** The deal's dates, relative to today so the test holds on any day: accepted 2 days ago, closing in 28. */
const ACCEPTED_DAYS_AGO = 2;
const CLOSING_IN_DAYS = 28;
const MOVED_CLOSING_IN_DAYS = 35;
const INTERNAL_NOTE = "Seller's agent hinted they would take 10k less";

const app = useAppInChromium("deal-views");

const { newContext, signedIn } = dealPages(app);

/** A full-page screenshot at 1280 px and at 390 px, and no axe violation at either width. */
async function look(page: Page, name: string): Promise<void> {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${SHOTS}/deal-${name}-${width}.png`, fullPage: true });
    expect([...(await axeViolations(page)), ...(await smallTargets(page))], `${name} at ${width} px`).toEqual([]);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** A deal room made and set up from the financed template over the API, as the page's signed-in user. */
async function dealByApi(page: Page, name: string): Promise<string> {
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const headers = { Cookie: cookie, Origin: app.server.url, "Content-Type": "application/json" };
  const made = await fetch(`${app.server.url}/api/rooms`, {
    method: "POST",
    headers,
    body: JSON.stringify({ kind: "deal", name }),
  });
  const { room } = (await made.json()) as { room: Room };
  const created = await fetch(`${app.server.url}/api/rooms/${room.id}/commands`, {
    method: "POST",
    headers,
    body: JSON.stringify({
      name: "deal.create",
      key: crypto.randomUUID(),
      args: {
        templateId: "financed_purchase",
        title: name,
        address: name.replace(/ purchase$/, ""),
        keyDates: { acceptance: dayFromToday(-ACCEPTED_DAYS_AGO).date, closing: dayFromToday(CLOSING_IN_DAYS).date },
        timeZone: "UTC",
      },
    }),
  });
  expect(created.status, await created.clone().text()).toBe(200);
  return room.id;
}

describe("a deal's screens", () => {
  it("runs from setup to a moved closing date, live for the team and the buyer", async () => {
    mkdirSync(SHOTS, { recursive: true });
    const olive = await (await newContext(1280)).newPage();
    const email = `olive-${crypto.randomUUID().slice(0, 6)}@example.com`;
    await signUpInBrowser(olive, "Olive", email, "a long enough password");
    await olive.getByTestId("create-room-kind").selectOption("deal");
    await olive.getByTestId("create-room-name").fill("12 Elm St purchase");
    await olive.getByTestId("create-room-submit").click();
    await olive.getByTestId("room-link").first().click();
    await olive.getByTestId("deal-setup").waitFor();
    const roomId = new URL(olive.url()).pathname.split("/").pop() ?? "";
    const cookie = (await olive.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const room: Room = { id: roomId, kind: "deal", name: "12 Elm St purchase", role: "owner", archived: false };
    const owner: Session = { user: { id: "", email, name: "Olive" }, cookie };

    // A buyer who opens the room before it is set up is told so.
    const bea = await signedIn(await addMember(app.server.url, owner, room, "buyer", "Bea"), 1280);
    await bea.goto(`/rooms/${roomId}`);
    await bea.getByTestId("deal-being-set-up").waitFor();

    // Setup: the closing date before acceptance is refused in words, then the real dates go through.
    await olive.getByTestId("setup-address").fill("12 Elm St, Springfield");
    await olive.getByTestId("setup-acceptance").fill(dayFromToday(-ACCEPTED_DAYS_AGO).date);
    await olive.getByTestId("setup-closing").fill(dayFromToday(-ACCEPTED_DAYS_AGO - 1).date);
    await olive.getByTestId("setup-template").selectOption("financed_purchase");
    await olive.getByTestId("setup-price").fill("485,000");
    await olive.getByTestId("setup-add-party").click();
    await olive.getByLabel("Party 1 name").fill("Bea Buyer");
    await olive.getByLabel("Party 1 role").fill("Buyer");
    await olive.getByTestId("setup-submit").click();
    await expect.poll(() => olive.locator("#closing-error").textContent()).toMatch(/before the offer was accepted/);
    await look(olive, "setup");
    await olive.getByTestId("setup-closing").fill(dayFromToday(CLOSING_IN_DAYS).date);
    await olive.getByTestId("setup-submit").click();

    // The summary: eight milestones with their counts, days to closing, blocked tasks counted.
    await olive.getByTestId("deal-summary").waitFor();
    await expect.poll(() => olive.getByTestId("milestone-row").count()).toBe(8);
    expect(await olive.getByTestId("stat-closing").textContent()).toContain(String(CLOSING_IN_DAYS));
    expect(Number(await olive.getByTestId("stat-blocked").locator(".deal-stat-value").textContent())).toBeGreaterThan(
      0,
    );
    expect(await olive.getByTestId("deal-stage").textContent()).toContain("Offer accepted");
    expect(await olive.getByTestId("who-owes-what").textContent()).toContain("Buyer");
    await look(olive, "summary");
    // The owner saves the deal's structure as a template of their own.
    await olive.getByTestId("save-template").click();
    await olive.getByTestId("save-template-name").fill("Elm St financed");
    await olive.getByTestId("save-template-submit").click();
    await olive.getByTestId("toast").filter({ hasText: "Saved as the template “Elm St financed”" }).waitFor();

    // The buyer's screen fills in live: the timeline alone, with what is theirs to do.
    await bea.getByTestId("deal-timeline").waitFor();
    expect(await bea.getByTestId("tab-summary").count()).toBe(0);
    await nextTask(bea, "Review and sign the seller's disclosures").waitFor();
    await nextTask(bea, "Wire the earnest money deposit").waitFor();
    expect(await nextTask(bea, "Wire the earnest money deposit").getByTestId("next-task-state").textContent()).toBe(
      "Blocked",
    );
    expect(await bea.getByTestId("deal-step").first().getAttribute("data-step")).toBe("current");
    await look(bea, "buyer-timeline");

    // The board, and a task page with its dependencies both ways; a cycle is refused naming it.
    await olive.getByTestId("tab-board").click();
    await olive.getByTestId("deal-board").waitFor();
    expect(
      await olive.locator('[data-testid="board-column"][data-state="BLOCKED"] [data-testid="board-card"]').count(),
    ).toBeGreaterThan(0);
    await look(olive, "board");
    await openTask(olive, "Open escrow with the title company");
    expect(await olive.getByTestId("depends-on").textContent()).toContain("Send the executed contract");
    expect(await olive.getByTestId("needed-by").textContent()).toContain("Introduce buyer, lender, escrow and agents");
    expect(await olive.getByTestId("task-due-rule").textContent()).toBe("acceptance + 1 business day");
    await olive.getByTestId("dependency-pick").selectOption({ label: "Introduce buyer, lender, escrow and agents" });
    await olive.getByTestId("dependency-add").click();
    await expect.poll(() => olive.getByTestId("dependency-error").textContent()).toMatch(/cycle/i);
    // A note is the team's: it never reaches the buyer.
    await olive.getByTestId("task-notes").fill(INTERNAL_NOTE);
    await olive.getByTestId("task-notes-save").click();
    await expect.poll(() => olive.getByTestId("task-notes-save").count()).toBe(0);
    await look(olive, "task");
    await olive.getByTestId("task-back").click();

    // Completing the chain before the buyer's deposit unblocks it on the buyer's screen at once.
    for (const title of [
      "Send the executed contract to all parties",
      "Open escrow with the title company",
      "Send verified wiring instructions",
    ]) {
      await completeOnPage(olive, title);
    }
    await expect
      .poll(() => nextTask(bea, "Wire the earnest money deposit").getByTestId("next-task-state").textContent())
      .toBe("To do");
    // The buyer's projection has neither the team's note nor a task not shared with the buyer.
    const buyerPage = (await bea.locator("body").textContent()) ?? "";
    expect(buyerPage).not.toContain(INTERNAL_NOTE);
    expect(buyerPage).not.toContain("Open escrow with the title company");

    // The buyer completes their own task; the team's board shows it done.
    await nextTask(bea, "Review and sign the seller's disclosures").getByTestId("task-complete").click();
    await expect.poll(() => nextTask(bea, "Review and sign the seller's disclosures").count()).toBe(0);
    await olive.getByTestId("tab-board").click();
    await card(olive, "Review and sign the seller's disclosures").waitFor();
    expect(
      await olive
        .locator('[data-testid="board-column"][data-state="COMPLETED"]')
        .getByText("Review and sign the seller's disclosures")
        .count(),
    ).toBe(1);

    // Moving the closing date: days to closing change on both screens.
    await olive.getByTestId("tab-summary").click();
    await olive.getByTestId("move-closing").click();
    await olive.getByTestId("move-closing-date").fill(dayFromToday(MOVED_CLOSING_IN_DAYS).date);
    await olive.getByTestId("move-closing-save").click();
    await expect
      .poll(() => olive.getByTestId("days-to-closing").textContent())
      .toBe(`${MOVED_CLOSING_IN_DAYS} days to closing`);
    await expect
      .poll(() => bea.getByTestId("timeline-days-to-closing").textContent())
      .toBe(`${MOVED_CLOSING_IN_DAYS} days to closing`);

    // The feed (the audit log's newest entries, mirrored by the room).
    await olive.getByTestId("tab-activity").click();
    await olive.getByTestId("deal-activity").waitFor();
    await look(olive, "activity");
  });

  it("shows each deal's stage and days to closing on the rooms list", async () => {
    const page = await (await newContext(1280)).newPage();
    const email = `rhea-${crypto.randomUUID().slice(0, 6)}@example.com`;
    await signUpInBrowser(page, "Rhea", email, "a long enough password");
    const roomId = await dealByApi(page, "4 Birch Lane purchase");
    await page.goto("/rooms");
    const glance = page.locator(`[data-room-id="${roomId}"]`).getByTestId("room-glance");
    await expect.poll(() => glance.textContent()).toContain(`${CLOSING_IN_DAYS} days to closing`);
    expect(await glance.getByTestId("room-stage").textContent()).toContain("Offer accepted");
    await look(page, "rooms");
  });

  it("uploads a document against a task, returns it with a comment and approves the corrected version", async () => {
    const page = await (await newContext(1280)).newPage();
    await signUpInBrowser(
      page,
      "Tess",
      `tess-${crypto.randomUUID().slice(0, 6)}@example.com`,
      "a long enough password",
    );
    const roomId = await dealByApi(page, "9 Ash Court purchase");
    await page.goto(`/rooms/${roomId}`);
    await openTask(page, "Upload the inspection report");
    await page.getByTestId("document-upload").setInputFiles(pdfFile("first"));
    const doc = page.getByTestId("document").first();
    await expect.poll(() => doc.getByTestId("document-status").textContent()).toBe("Waiting for review");
    await doc.getByTestId("document-return").click();
    await doc.getByTestId("document-return-comment").fill("Page 4 is missing");
    await doc.getByTestId("document-return-send").click();
    await expect.poll(() => doc.getByTestId("document-status").textContent()).toBe("Returned");
    expect(await doc.getByTestId("document-comment").textContent()).toContain("Page 4 is missing");

    // The corrected version goes back to review; both versions stay listed.
    await doc.getByTestId("document-new-version").click();
    await page.getByTestId("document-upload").setInputFiles(pdfFile("second"));
    await expect.poll(() => doc.getByTestId("document-version").count()).toBe(2);
    await expect.poll(() => doc.getByTestId("document-status").textContent()).toBe("Waiting for review");
    await look(page, "documents");
    await doc.getByTestId("document-approve").click();
    await expect.poll(() => doc.getByTestId("document-status").textContent()).toBe("Approved");
    const href = await doc.getByTestId("document-version").first().locator("a").getAttribute("href");
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const download = await fetch(`${app.server.url}${href}`, { headers: { Cookie: cookie } });
    expect(download.status).toBe(200);
    expect(await download.text()).toContain("second");
  });
});
