/** What the deal browser tests share: a signed-in page per person, and the deal screens' common moves. */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import type { DevServer } from "../../scripts/dev-server";
import type { Session } from "./clients";

const UI_TIMEOUT_MS = 15_000;

export interface DealPages {
  newContext(width: number): Promise<BrowserContext>;
  /** A page in a context of its own (its own cookies, storage and network) signed in as `session`. */
  signedIn(session: Session, width: number): Promise<Page>;
}

export function dealPages(app: { readonly server: DevServer; readonly browser: Browser }): DealPages {
  async function newContext(width: number): Promise<BrowserContext> {
    // UTC, so the deal's zone (the maker's) and dayFromToday's dates agree; axe needs the CSP bypassed.
    const context = await app.browser.newContext({
      baseURL: app.server.url,
      viewport: { width, height: 900 },
      timezoneId: "UTC",
      bypassCSP: true,
    });
    context.setDefaultTimeout(UI_TIMEOUT_MS);
    return context;
  }
  async function signedIn(session: Session, width: number): Promise<Page> {
    const context = await newContext(width);
    const [name, value] = session.cookie.split("=", 2) as [string, string];
    await context.addCookies([{ name, value, url: app.server.url }]);
    return context.newPage();
  }
  return { newContext, signedIn };
}

export const card = (page: Page, title: string) => page.getByTestId("board-card").filter({ hasText: title });
export const nextTask = (page: Page, title: string) => page.getByTestId("next-task").filter({ hasText: title });

export async function openTask(page: Page, title: string): Promise<void> {
  await page.getByTestId("tab-board").click();
  await card(page, title).getByRole("link", { name: title }).click();
  await page.getByTestId("deal-task").waitFor();
  await expect.poll(() => page.getByTestId("task-title").textContent()).toBe(title);
}

export async function completeOnPage(page: Page, title: string): Promise<void> {
  await openTask(page, title);
  await page.getByTestId("task-complete").click();
  await expect.poll(() => page.getByTestId("task-state").textContent()).toBe("Done");
  await page.getByTestId("task-back").click();
}

/** A small real PDF (the room sniffs the type from the bytes); `text` tells its versions apart. */
export function pdfFile(text: string): { name: string; mimeType: string; buffer: Buffer } {
  return {
    name: "inspection.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n`),
  };
}
