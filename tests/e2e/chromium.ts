/** Debian's Chromium with the app under `wrangler dev`, as every browser test here uses them. */
export { CHROMIUM_ARGS, launchChromium } from "../../scripts/chromium";

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchChromium } from "../../scripts/chromium";
import type { DevServer, DevServerOptions } from "../../scripts/dev-server";
import { useDevServer } from "./clients";

/**
 * The app under `wrangler dev` and one Chromium for a test file: started once before the
 * file's tests, the browser closed after them (the server by `useDevServer`).
 */
export function useAppInChromium(
  name: string,
  options: Pick<DevServerOptions, "env"> & { chromiumArgs?: readonly string[] } = {},
): { readonly server: DevServer; readonly browser: Browser } {
  const devServer = useDevServer(name, { env: options.env });
  let server: DevServer | null = null;
  let browser: Browser | null = null;
  beforeAll(async () => {
    server = await devServer.start();
    browser = await launchChromium(options.chromiumArgs);
  });
  afterAll(async () => {
    await browser?.close();
  });
  const started = <T>(value: T | null): T => {
    if (value === null) throw new Error(`${name}: the app is not started yet`);
    return value;
  };
  return {
    get server() {
      return started(server);
    },
    get browser() {
      return started(browser);
    },
  };
}

/** Signs a new person up through the app's own form; the page ends on the rooms list. */
export async function signUpInBrowser(page: Page, name: string, email: string, password: string): Promise<void> {
  await page.goto("/");
  await page.getByTestId("auth-mode-signup").click();
  await page.getByTestId("auth-name").fill(name);
  await page.getByTestId("auth-email").fill(email);
  await page.getByTestId("auth-password").fill(password);
  await page.getByTestId("auth-submit").click();
  await page.getByTestId("create-room-form").waitFor();
}

/**
 * A home (property room) opens on its health dashboard, not on the shared checklists: this
 * switches the open room to its Checklists tab and waits for the checklist board (which
 * a viewer sees too, without the new-checklist form).
 */
export async function openChecklists(page: Page): Promise<void> {
  await page.getByTestId("tab-checklists").click();
  await page.locator("#checklists-heading").waitFor();
}

/** Opens the open room's own members-and-settings page from the link in its header. */
export async function openPeople(page: Page): Promise<void> {
  await page.getByTestId("room-people-link").click();
  await page.getByTestId("room-people").waitFor();
}
