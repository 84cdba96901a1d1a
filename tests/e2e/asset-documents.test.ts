/**
 * A home's asset in a real browser: a PDF manual uploaded, listed with its size and date, downloaded (the same
 * bytes) and removed; a task of the asset marked done with a cost, which its history and the asset's 12-month
 * total show. The asset page is axe-clean, with targets of at least 24 px, at a desktop and a phone width, light
 * and dark.
 */
import { mkdirSync, readFileSync } from "node:fs";
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations, smallTargets } from "./axe";
import { useAppInChromium } from "./chromium";
import { command, createRoom, dayFromToday, type Session, signup } from "./clients";
import { pdfFile } from "./deal-pages";

const UI_TIMEOUT_MS = 15_000;
const SHOTS = "/tmp/shots/assetdocs";

const app = useAppInChromium("asset-documents");

async function signedIn(
  session: Session,
  options: { width: number; colorScheme: "light" | "dark" },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await app.browser.newContext({
    baseURL: app.server.url,
    viewport: { width: options.width, height: 900 },
    colorScheme: options.colorScheme,
    acceptDownloads: true,
    // axe is injected into the page; the app's CSP would refuse it.
    bypassCSP: true,
  });
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  const [name, value] = session.cookie.split("=", 2) as [string, string];
  await context.addCookies([{ name, value, url: app.server.url }]);
  return { context, page: await context.newPage() };
}

describe("an asset's documents and costs", () => {
  it("uploads, lists, downloads and removes a PDF, and totals a completion's cost", async () => {
    mkdirSync(SHOTS, { recursive: true });
    const olive = await signup(app.server.url, "Olive");
    const room = await createRoom(app.server.url, olive, "property", "Maple House");
    const asset = await command(app.server.url, olive, room.id, "asset.create", { name: "Boiler", category: "hvac" });
    const due = dayFromToday(-1).date;
    const task = await command(app.server.url, olive, room.id, "task.create", {
      title: "Annual boiler service",
      assetId: asset.id,
      schedule: { type: "once", date: due },
    });
    const { context, page } = await signedIn(olive, { width: 1280, colorScheme: "light" });

    // Marked done with a cost: the history shows it.
    await page.goto(`/rooms/${room.id}/tasks/${task.id}`);
    await page.getByTestId("task-detail").waitFor();
    await page.getByTestId("action-done").click();
    await page.getByTestId("done-cost").fill("149.90");
    await page.screenshot({ path: `${SHOTS}/task-done-form-1280.png`, fullPage: true });
    await page.getByTestId("done-submit").click();
    await expect.poll(() => page.getByTestId("history-cost").first().textContent()).toContain("149.90");
    await page.screenshot({ path: `${SHOTS}/task-history-1280.png`, fullPage: true });

    // The asset's total for the last 12 months, and the completion under it.
    await page.goto(`/rooms/${room.id}/assets/${asset.id}`);
    await page.getByTestId("asset-detail").waitFor();
    await expect.poll(() => page.getByTestId("asset-cost-total").textContent()).toContain("149.90");
    expect(await page.getByTestId("asset-cost-entries").textContent()).toContain("Annual boiler service");

    // A PDF manual, with a kind and a title, listed with its size and date.
    const pdf = { ...pdfFile("boiler manual"), name: "vaillant-ecotec.pdf" };
    await page.getByTestId("asset-document-input").setInputFiles(pdf);
    await page.getByTestId("asset-document-kind").selectOption("manual");
    await page.getByTestId("asset-document-title").fill("Boiler manual");
    await page.getByTestId("asset-document-submit").click();
    const row = page.getByTestId("asset-documents").locator("li").filter({ hasText: "Boiler manual" });
    await row.waitFor();
    expect(await row.textContent()).toContain("Manual");
    expect(await row.textContent()).toContain("PDF · 1 KB");

    // Downloaded through the Worker: the same bytes, under its file name.
    const [download] = await Promise.all([page.waitForEvent("download"), row.getByRole("link").click()]);
    expect(download.suggestedFilename()).toBe("vaillant-ecotec.pdf");
    const path = await download.path();
    expect(readFileSync(path)).toEqual(pdf.buffer);

    // Axe-clean, and looked at, at a desktop and a phone width, light and dark.
    expect([...(await axeViolations(page)), ...(await smallTargets(page))]).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/asset-1280-light.png`, fullPage: true });
    for (const [width, colorScheme] of [
      [1280, "dark"],
      [390, "light"],
      [390, "dark"],
    ] as const) {
      const view = await signedIn(olive, { width, colorScheme });
      await view.page.goto(`/rooms/${room.id}/assets/${asset.id}`);
      // A fresh browser's first visit connects to the room and syncs it first.
      await view.page.getByTestId("asset-documents").waitFor({ timeout: 2 * UI_TIMEOUT_MS });
      await expect.poll(() => view.page.getByTestId("asset-cost-total").textContent()).toContain("149.90");
      const found = [...(await axeViolations(view.page)), ...(await smallTargets(view.page))];
      expect(found, `${width} ${colorScheme}`).toEqual([]);
      await view.page.screenshot({ path: `${SHOTS}/asset-${width}-${colorScheme}.png`, fullPage: true });
      // The form a picked file opens, with its kind and title.
      await view.page.getByTestId("asset-document-input").setInputFiles({ ...pdf, name: "receipt.pdf" });
      await view.page.getByTestId("asset-document-title").waitFor();
      expect(await view.page.getByTestId("asset-document-title").inputValue()).toBe("receipt");
      const inForm = [...(await axeViolations(view.page)), ...(await smallTargets(view.page))];
      expect(inForm, `${width} ${colorScheme}, adding`).toEqual([]);
      await view.page.screenshot({ path: `${SHOTS}/asset-${width}-${colorScheme}-adding.png`, fullPage: true });
      await view.context.close();
    }

    // Removed after asking: the list is empty again, and the file is gone.
    const documentId = await row.getAttribute("data-document-id");
    await row.getByTestId("document-remove").click();
    await row.getByTestId("document-remove-confirm").click();
    await expect.poll(() => page.getByTestId("asset-documents").count()).toBe(0);
    const gone = await context.request.get(`/api/rooms/${room.id}/asset-documents/${documentId}`);
    expect(gone.status()).toBe(404);
    await context.close();
  });
});
