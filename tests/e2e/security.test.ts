/**
 * Security end to end, against a real `wrangler dev`: the static client carries the same
 * security headers as the API (the assets binding applies dist/client/_headers), the app
 * runs in Chromium under its Content-Security-Policy without a single violation, and a
 * locked-out owner gets back in through the sign-in link that wrangler writes to an .eml file.
 */
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { LOGIN_MAX_FAILURES } from "../../config";
import { SECURITY_HEADERS } from "../../worker/middleware/security-headers/policy";
import { openChecklists, openPeople, useAppInChromium } from "./chromium";
import { useMailbox } from "./mailbox";

const UI_TIMEOUT_MS = 15_000;
const PASSWORD = "a long enough password";

const mailbox = useMailbox("haven-mail-");
const app = useAppInChromium("security", { env: { TMPDIR: mailbox.dir } });

function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${app.server.url}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function signInLinkFor(email: string): Promise<string> {
  let link: string | undefined;
  await expect
    .poll(
      () => {
        const mail = mailbox.sent().find((text) => text.includes(`To: <${email}>`));
        link = mail?.match(/https?:\/\/[^\s"<>]+\/signin\/[a-z2-9]+/)?.[0];
        return link;
      },
      { timeout: UI_TIMEOUT_MS, interval: 100 },
    )
    .toBeDefined();
  return link as string;
}

/** A browser context whose pages report every Content-Security-Policy violation into `violations`. */
async function watchedContext(violations: string[]): Promise<{ context: BrowserContext; page: Page }> {
  const context = await app.browser.newContext({ baseURL: app.server.url });
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  const page = await context.newPage();
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  page.on("pageerror", (error) => violations.push(`page error: ${error.message}`));
  return { context, page };
}

function shows<T>(read: () => Promise<T>) {
  return expect.poll(read, { timeout: UI_TIMEOUT_MS, interval: 50 });
}

describe("security headers", () => {
  it("are the same on the static client and on the API", async () => {
    const html = await (await fetch(`${app.server.url}/`)).text();
    const script = html.match(/\/assets\/[^"]+\.js/)?.[0];
    expect(script).toBeDefined();
    for (const path of ["/api/me", "/", "/login", "/signin/whatever", script as string, "/favicon.svg"]) {
      const res = await fetch(`${app.server.url}${path}`);
      for (const [name, value] of Object.entries(SECURITY_HEADERS))
        expect(res.headers.get(name), `${name} on ${path}`).toBe(value);
    }
  });
});

describe("under the Content-Security-Policy", () => {
  it("the app works without a single violation: sign up, a live room, checklists, invites", async () => {
    const violations: string[] = [];
    const { context, page } = await watchedContext(violations);
    await page.goto("/");
    await page.getByTestId("auth-mode-signup").click();
    await page.getByTestId("auth-name").fill("Csp Owner");
    await page.getByTestId("auth-email").fill(`csp-${crypto.randomUUID().slice(0, 8)}@example.com`);
    await page.getByTestId("auth-password").fill(PASSWORD);
    await page.getByTestId("auth-submit").click();
    await page.getByTestId("create-room-name").fill("Policy house");
    await page.getByTestId("create-room-kind").selectOption("property");
    await page.getByTestId("create-room-submit").click();
    await page.getByTestId("room-link").first().click();
    await shows(() => page.getByTestId("connection-state").textContent()).toBe("Connected");
    await openChecklists(page);
    await page.getByTestId("new-checklist-title").fill("Spring");
    await page.getByTestId("new-checklist-submit").click();
    await page.getByTestId("new-item-input").fill("Clean the filters");
    await page.getByTestId("new-item-input").press("Enter");
    await page.getByTestId("item-done").check();

    await openPeople(page);
    await page.getByTestId("invite-email").fill("guest@example.com");
    await page.getByTestId("invite-role").selectOption("viewer");
    await page.getByTestId("invite-submit").click();
    await shows(() => page.getByTestId("pending-invite").count()).toBe(1);
    await page.getByTestId("invite-revoke").click();
    await page.getByTestId("invite-revoke-confirm").click();
    await shows(() => page.getByTestId("pending-invite").count()).toBe(0);

    await page.reload();
    await page.getByTestId("room-people-back").click();
    await openChecklists(page);
    await shows(() => page.getByTestId("item-done").isChecked()).toBe(true);
    expect(violations).toEqual([]);
    await context.close();
  });
});

describe("sign-in link", () => {
  it(
    "gets a locked-out owner back in: 429 offers the link, the " + "emailed link survives a prefetch and signs in once",
    async () => {
      const email = `locked-${crypto.randomUUID().slice(0, 8)}@example.com`;
      expect((await post("/api/auth/signup", { email, password: PASSWORD, name: "Locked Owner" })).status).toBe(201);
      for (let i = 0; i < LOGIN_MAX_FAILURES; i++)
        expect((await post("/api/auth/login", { email, password: `guess-${i}` })).status).toBe(401);

      const violations: string[] = [];
      const { context, page } = await watchedContext(violations);
      await page.goto("/login");
      await page.getByTestId("auth-email").fill(email);
      await page.getByTestId("auth-password").fill(PASSWORD);
      await page.getByTestId("auth-submit").click();
      await page.getByTestId("auth-error-link").click();
      await shows(() => page.getByTestId("auth-email").inputValue()).toBe(email);
      await page.getByTestId("auth-submit").click();
      await page.getByTestId("auth-link-sent").waitFor();

      const link = await signInLinkFor(email);
      expect(link.startsWith(`${app.server.url}/signin/`)).toBe(true);
      // A mail scanner opening the link gets the page, and the link stays unspent.
      expect((await fetch(link)).status).toBe(200);

      await page.goto(link);
      await page.getByTestId("signin-submit").click();
      await page.getByTestId("create-room-form").waitFor();
      expect(new URL(page.url()).pathname).toBe("/rooms");
      expect((await post("/api/auth/login", { email, password: PASSWORD })).status).toBe(200);

      const again = await context.newPage();
      await again.goto(link);
      await again.getByTestId("signin-submit").click();
      await shows(async () => (await again.getByTestId("signin-error").textContent()) ?? "").toContain("not valid");
      expect(violations).toEqual([]);
      await context.close();
    },
  );
});
