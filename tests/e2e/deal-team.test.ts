/**
 * A deal team on three browsers side by side: a coordinator sets the deal up from the financed template, the
 * agent and the buyer run the inspection with them (each completion unblocking its dependents on all three
 * screens at once), a report is returned and resubmitted, the agent works offline while the coordinator moves
 * the closing date (both changes survive), and the deal runs to closing. The buyer's socket never carries a
 * team note or an unshared task's title. Side-by-side screenshots in /tmp/shots/deal-team-*.png.
 */
import { mkdirSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useAppInChromium } from "./chromium";
import { addMember, createRoom, dayFromToday, type Session, signup } from "./clients";
import { card, completeOnPage, dealPages, nextTask, openTask, pdfFile } from "./deal-pages";

const SHOTS = "/tmp/shots";
/** How soon a change made on one screen must show on the others, without a reload. */
const LIVE_MS = 5_000;
const CLOSING_IN_DAYS = 28;
const MOVED_CLOSING_IN_DAYS = 35;
const INTERNAL_NOTE = "Seller will credit 5k if pushed";
const UNSHARED_TITLE = "Send the repair request to the seller's agent";

const app = useAppInChromium("deal-team");
const { signedIn } = dealPages(app);

const inColumn = (page: Page, state: string, title: string) =>
  page.locator(`[data-testid="board-column"][data-state="${state}"]`).getByTestId("board-card").filter({
    hasText: title,
  });

/** The three screens' viewports next to each other in one picture. */
async function sideBySide(name: string, pages: Page[]): Promise<void> {
  const shots = await Promise.all(pages.map((page) => page.screenshot()));
  const sheet = await app.browser.newPage({ viewport: { width: 1920, height: 480 } });
  const images = shots.map((shot) => `<img style="width:33%" src="data:image/png;base64,${shot.toString("base64")}">`);
  await sheet.setContent(`<body style="margin:0;display:flex;gap:4px;background:#888">${images.join("")}</body>`);
  await sheet.screenshot({ path: `${SHOTS}/deal-team-${name}.png`, fullPage: true });
  await sheet.close();
}

/** The text of every frame the page's sockets receive from now on (Yjs writes strings as UTF-8). */
function framesOf(page: Page): string[] {
  const frames: string[] = [];
  page.on("websocket", (socket) =>
    socket.on("framereceived", ({ payload }) => {
      frames.push(typeof payload === "string" ? payload : payload.toString("utf8"));
    }),
  );
  return frames;
}

async function api(session: Session, path: string, body?: unknown): Promise<Response> {
  return fetch(`${app.server.url}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { Cookie: session.cookie, Origin: app.server.url, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe("a deal team on three browsers", () => {
  it("runs a deal from template to closing, live on every screen, the buyer seeing nothing internal", async () => {
    mkdirSync(SHOTS, { recursive: true });
    const owner = await signup(app.server.url, "Owen");
    const room = await createRoom(app.server.url, owner, "deal", "7 Oak Row purchase");
    const tc = await addMember(app.server.url, owner, room, "transaction_coordinator", "Cora");
    const agentSession = await addMember(app.server.url, owner, room, "buyer_agent", "Abe");
    const buyerSession = await addMember(app.server.url, owner, room, "buyer", "Bea");
    const [cora, abe, bea] = await Promise.all([tc, agentSession, buyerSession].map((s) => signedIn(s, 1280)));
    if (!cora || !abe || !bea) throw new Error("three pages");
    // Every byte the buyer's sockets receive, to search for internal values at the end; the coordinator's too,
    // to show the search finds a value where it is sent.
    const buyerFrames = framesOf(bea);
    const coordinatorFrames = framesOf(cora);
    await Promise.all([cora, abe, bea].map((page) => page.goto(`/rooms/${room.id}`)));

    // 1. The coordinator sets the deal up through the setup screen.
    await cora.getByTestId("setup-address").fill("7 Oak Row, Springfield");
    await cora.getByTestId("setup-acceptance").fill(dayFromToday(-1).date);
    await cora.getByTestId("setup-closing").fill(dayFromToday(CLOSING_IN_DAYS).date);
    await cora.getByTestId("setup-template").selectOption("financed_purchase");
    await cora.getByTestId("setup-submit").click();
    await cora.getByTestId("deal-summary").waitFor();
    await bea.getByTestId("deal-timeline").waitFor({ timeout: LIVE_MS });
    await abe.getByTestId("tab-board").click();
    await cora.getByTestId("tab-board").click();
    await card(cora, "Hand over the keys").waitFor();
    const taskIds = new Map<string, string>(
      await cora
        .getByTestId("board-card")
        .evaluateAll((cards) =>
          cards.map((c) => [c.querySelector("a")?.textContent ?? "", c.getAttribute("data-task-id") ?? ""]),
        ),
    );
    // A team note on a task not shared with the buyer.
    await openTask(cora, UNSHARED_TITLE);
    await cora.getByTestId("task-notes").fill(INTERNAL_NOTE);
    await cora.getByTestId("task-notes-save").click();
    await expect.poll(() => cora.getByTestId("task-notes-save").count()).toBe(0);
    await cora.getByTestId("task-back").click();
    await sideBySide("setup", [cora, abe, bea]);

    // 2. The inspection: each completion unblocks what waits for it on all three screens at once.
    expect(await inColumn(cora, "BLOCKED", "Attend the home inspection").count()).toBe(1);
    await completeOnPage(abe, "Schedule the home inspection");
    await abe.getByTestId("tab-board").click();
    await Promise.all([
      inColumn(cora, "PENDING", "Attend the home inspection").waitFor({ timeout: LIVE_MS }),
      inColumn(abe, "PENDING", "Attend the home inspection").waitFor({ timeout: LIVE_MS }),
      expect
        .poll(() => nextTask(bea, "Attend the home inspection").getByTestId("next-task-state").textContent(), {
          timeout: LIVE_MS,
        })
        .toBe("To do"),
    ]);
    await nextTask(bea, "Attend the home inspection").getByTestId("task-complete").click();
    await Promise.all([
      inColumn(cora, "PENDING", "Upload the inspection report").waitFor({ timeout: LIVE_MS }),
      inColumn(abe, "PENDING", "Upload the inspection report").waitFor({ timeout: LIVE_MS }),
    ]);

    // 4. The report is returned with a comment and resubmitted; both versions are kept.
    await openTask(abe, "Upload the inspection report");
    await abe.getByTestId("document-upload").setInputFiles(pdfFile("first"));
    await openTask(cora, "Upload the inspection report");
    const coraDoc = cora.getByTestId("document").first();
    const abeDoc = abe.getByTestId("document").first();
    await expect.poll(() => coraDoc.getByTestId("document-status").textContent()).toBe("Waiting for review");
    await coraDoc.getByTestId("document-return").click();
    await coraDoc.getByTestId("document-return-comment").fill("Page 4 is missing");
    await coraDoc.getByTestId("document-return-send").click();
    await expect.poll(() => abeDoc.getByTestId("document-status").textContent(), { timeout: LIVE_MS }).toBe("Returned");
    expect(await abeDoc.getByTestId("document-comment").textContent()).toContain("Page 4 is missing");
    await abeDoc.getByTestId("document-new-version").click();
    await abe.getByTestId("document-upload").setInputFiles(pdfFile("second"));
    await expect.poll(() => coraDoc.getByTestId("document-version").count(), { timeout: LIVE_MS }).toBe(2);
    await expect.poll(() => coraDoc.getByTestId("document-status").textContent()).toBe("Waiting for review");
    await sideBySide("document", [cora, abe, bea]);
    await coraDoc.getByTestId("document-approve").click();
    await expect.poll(() => abeDoc.getByTestId("document-status").textContent(), { timeout: LIVE_MS }).toBe("Approved");
    await abe.getByTestId("task-complete").click();
    await expect.poll(() => abe.getByTestId("task-state").textContent()).toBe("Done");
    await expect
      .poll(() => nextTask(bea, "Review the inspection report").getByTestId("next-task-state").textContent(), {
        timeout: LIVE_MS,
      })
      .toBe("To do");
    await abe.getByTestId("task-back").click();
    await cora.getByTestId("task-back").click();

    // 5. The agent works offline while the coordinator moves the closing date; both changes survive.
    await abe.context().setOffline(true);
    await openTask(abe, "Review the deal timeline with the buyer");
    await abe.getByTestId("task-complete").click();
    await abe.getByTestId("toast").filter({ hasText: "sent when you are back online" }).waitFor();
    await cora.getByTestId("tab-summary").click();
    await cora.getByTestId("move-closing").click();
    await cora.getByTestId("move-closing-date").fill(dayFromToday(MOVED_CLOSING_IN_DAYS).date);
    await cora.getByTestId("move-closing-save").click();
    await expect
      .poll(() => cora.getByTestId("days-to-closing").textContent())
      .toBe(`${MOVED_CLOSING_IN_DAYS} days to closing`);
    await abe.context().setOffline(false);
    await expect.poll(() => abe.getByTestId("task-state").textContent()).toBe("Done");
    await abe.getByTestId("task-back").click();
    const closingWords = `${MOVED_CLOSING_IN_DAYS} days to closing`;
    await expect.poll(() => abe.getByTestId("deal-days-to-closing").textContent()).toContain(closingWords);
    await expect.poll(() => bea.getByTestId("timeline-days-to-closing").textContent()).toBe(closingWords);
    await cora.getByTestId("tab-board").click();
    await inColumn(cora, "COMPLETED", "Review the deal timeline with the buyer").waitFor({ timeout: LIVE_MS });
    const reviewed = await api(
      tc,
      `/api/rooms/${room.id}/deal/tasks/${taskIds.get("Review the deal timeline with the buyer")}`,
    );
    expect(JSON.stringify(await reviewed.json())).toContain('"COMPLETED"');
    const summary = (await (await api(tc, `/api/rooms/${room.id}/deal`)).json()) as {
      deal: { keyDates: { closing: string } };
    };
    expect(summary.deal.keyDates.closing).toBe(dayFromToday(MOVED_CLOSING_IN_DAYS).date);
    await sideBySide("offline", [cora, abe, bea]);

    // 6. The rest is completed over the API, a pass at a time until nothing more can be (dependency order).
    const open = new Set(taskIds.values());
    for (let progress = true; progress && open.size > 0; ) {
      progress = false;
      for (const id of [...open]) {
        const name = "deal.task.complete";
        const res = await api(tc, `/api/rooms/${room.id}/commands`, { name, key: crypto.randomUUID(), args: { id } });
        if (res.status === 200 || (await res.text()).includes("already")) {
          open.delete(id);
          progress = true;
        }
      }
    }
    expect(open.size).toBe(0);
    const closing = (page: Page) =>
      page.getByTestId("milestone-row").filter({ hasText: "Closing" }).getByTestId("milestone-count");
    await cora.getByTestId("tab-summary").click();
    await abe.getByTestId("tab-summary").click();
    await expect.poll(() => closing(cora).textContent(), { timeout: LIVE_MS }).toContain("Reached");
    await expect.poll(() => closing(abe).textContent(), { timeout: LIVE_MS }).toContain("Reached");
    await expect
      .poll(() => bea.getByTestId("deal-step").last().getAttribute("data-step"), { timeout: LIVE_MS })
      .toBe("reached");
    await sideBySide("closing", [cora, abe, bea]);

    // 3. Nothing internal ever reached the buyer: not on the page, not in a frame of their socket.
    const buyerText = (await bea.locator("body").textContent()) ?? "";
    expect(buyerText).not.toContain(INTERNAL_NOTE);
    expect(buyerText).not.toContain(UNSHARED_TITLE);
    expect(coordinatorFrames.join("\n")).toContain(INTERNAL_NOTE);
    expect(buyerFrames.length).toBeGreaterThan(0);
    const received = buyerFrames.join("\n");
    expect(received).toContain("Attend the home inspection");
    expect(received).not.toContain(INTERNAL_NOTE);
    expect(received).not.toContain(UNSHARED_TITLE);
  });
});
