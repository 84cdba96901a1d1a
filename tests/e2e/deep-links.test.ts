/**
 * Every address shape the app answers, opened directly in a fresh browser context as a
 * link from an email or a bookmark opens it: the Worker serves the app for the path and the
 * router shows the right page. The emailed links (a reminder's "Mark done", a sign-in
 * link, an invite) are taken from the mail the app really sent.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Room } from "../../schema/core/api";
import { useAppInChromium } from "./chromium";
import { createRoom, type Session, signup } from "./clients";
import { useMailbox } from "./mailbox";

const UI_TIMEOUT_MS = 15_000;
/** A reminder goes room alarm → outbox → queue → consumer → email; a few seconds in all. */
const MAIL_TIMEOUT_MS = 30_000;

const mailbox = useMailbox("haven-deep-links-mail-");
const app = useAppInChromium("deep-links", { env: { TMPDIR: mailbox.dir } });

const contexts: BrowserContext[] = [];
afterAll(async () => {
  await Promise.all(contexts.map((context) => context.close()));
});

/** A new context (no history, no app state), signed in as `session` when given. */
async function freshPage(session?: Session): Promise<Page> {
  const context = await app.browser.newContext({ baseURL: app.server.url });
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  contexts.push(context);
  if (session) {
    const [name, value] = session.cookie.split("=", 2) as [string, string];
    await context.addCookies([{ name, value, url: app.server.url }]);
  }
  return context.newPage();
}

async function command(session: Session, roomId: string, name: string, args: unknown): Promise<{ id: string }> {
  const res = await fetch(`${app.server.url}/api/rooms/${roomId}/commands`, {
    method: "POST",
    headers: { Cookie: session.cookie, Origin: app.server.url, "Content-Type": "application/json" },
    body: JSON.stringify({ name, args, key: crypto.randomUUID() }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { result: { id: string } }).result;
}

/** The first link into the app in the newest mail to `address` matching `path`, as path and query. */
async function mailedLink(address: string, path: RegExp): Promise<string> {
  let link: string | undefined;
  await expect
    .poll(
      () => {
        for (const mail of mailbox.sent().filter((text) => text.includes(`To: <${address}>`))) {
          for (const [, href] of mail.matchAll(/href="([^"]+)"/g)) {
            const url = new URL(href ?? "", app.server.url);
            if (path.test(url.pathname)) link = url.pathname + url.search;
          }
        }
        return link;
      },
      { timeout: MAIL_TIMEOUT_MS, interval: 200 },
    )
    .toBeDefined();
  return link as string;
}

/** An IANA zone where it is now between 10:00 and 22:00, so an overdue task's reminder goes out at once. */
function zoneInDaytime(): string {
  const zones = ["UTC", "Europe/Paris", "Asia/Kolkata", "Asia/Tokyo", "Pacific/Auckland", "America/Los_Angeles"];
  const hourIn = (timeZone: string) =>
    Number(new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", hourCycle: "h23" }).format(new Date()));
  const zone = zones.find((z) => hourIn(z) >= 10 && hourIn(z) < 22);
  if (!zone) throw new Error("no candidate time zone is in daytime now");
  return zone;
}

const pathOf = (page: Page) => {
  const url = new URL(page.url());
  return url.pathname + url.search;
};

describe("deep links", () => {
  let owner: Session;
  let home: Room;
  let site: Room;
  let taskId: string;
  let assetId: string;
  let unitId: string;
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    owner = await signup(app.server.url, "Ada");
    home = await createRoom(app.server.url, owner, "property", "12 Oak Street");
    site = await createRoom(app.server.url, owner, "site", "North cold store");
    await command(owner, home.id, "home.settings", { timeZone: zoneInDaytime() });
    assetId = (await command(owner, home.id, "asset.create", { name: "Boiler", category: "hvac" })).id;
    taskId = (
      await command(owner, home.id, "task.create", {
        title: "Service the boiler",
        assignee: owner.user.id,
        schedule: { type: "once", date: yesterday },
      })
    ).id;
    const area = await command(owner, site.id, "area.create", { name: "Kitchen" });
    unitId = (await command(owner, site.id, "unit.create", { areaId: area.id, name: "Fridge 1", kind: "fridge" })).id;
  });

  it("opens an emailed reminder's link ready to mark the task done", async () => {
    const link = await mailedLink(owner.user.email, /\/tasks\//);
    expect(link).toBe(`/rooms/${home.id}/tasks/${taskId}?complete=${yesterday}`);
    const page = await freshPage(owner);
    await page.goto(link);
    await page.getByTestId("quick-done-button").waitFor();
    expect(await page.getByTestId("room-name").textContent()).toBe("12 Oak Street");
  });

  it("opens a reminder's link after its occurrence was done: says so, and offers no 'Mark done'", async () => {
    const id = (
      await command(owner, home.id, "task.create", {
        title: "Vacuum the fridge coils",
        schedule: { type: "calendar", rrule: "FREQ=MONTHLY", start: yesterday },
      })
    ).id;
    await command(owner, home.id, "task.complete", { id, occurrence: yesterday });
    const page = await freshPage(owner);
    await page.goto(`/rooms/${home.id}/tasks/${id}?complete=${yesterday}`);
    const moved = page.getByTestId("quick-done-moved");
    await moved.waitFor();
    expect(await moved.textContent()).toMatch(/has been dealt with: done .* by Ada\. Next due /);
    expect(await page.getByTestId("quick-done-button").count()).toBe(0);
    await page.context().close();
  });

  it("opens a room, its members page, a task, an asset, a unit with an alert and notification settings", async () => {
    const page = await freshPage(owner);
    await page.goto(`/rooms/${home.id}`);
    await page.getByTestId("dashboard").waitFor();
    await page.goto(`/rooms/${home.id}/people`);
    await page.getByTestId("members-panel").waitFor();
    await page.goto(`/rooms/${home.id}/tasks/${taskId}`);
    await page.getByTestId("task-detail").waitFor();
    expect(await page.getByTestId("quick-done").count()).toBe(0);
    await page.goto(`/rooms/${home.id}/assets/${assetId}`);
    await page.getByTestId("asset-detail").waitFor();
    await page.goto(`/rooms/${site.id}/units/${unitId}?alert=unknown-alert`);
    await page.getByTestId("unit-page").waitFor();
    expect(await page.getByTestId("unit-title").textContent()).toContain("Fridge 1");
    await page.goto(`/rooms/${site.id}`);
    await page.getByTestId("site-board").waitFor();
    await page.goto("/settings/notifications");
    await page.getByTestId("prefs-form").waitFor();
    // Push is on for the account, but this browser holds no subscription: the box says so, and saving keeps
    // the account's setting for the devices that have one.
    expect(await page.getByTestId("prefs-push").isChecked()).toBe(false);
    await page.getByTestId("prefs-email").uncheck();
    await page.getByTestId("prefs-save").click();
    const prefs = async () => {
      const res = await fetch(`${app.server.url}/api/notification-prefs`, { headers: { Cookie: owner.cookie } });
      return ((await res.json()) as { prefs: { email: boolean; push: boolean } }).prefs;
    };
    await expect.poll(prefs).toEqual(expect.objectContaining({ email: false, push: true }));
    // A text box writes in the app's own typeface, as every other field does (not the browser's monospace).
    expect(
      await page.evaluate(() => {
        const box = document.body.appendChild(document.createElement("textarea"));
        const field = document.body.appendChild(document.createElement("input"));
        return [getComputedStyle(box).fontFamily, getComputedStyle(field).fontFamily];
      }),
    ).toSatisfy(([box, field]: string[]) => box === field && !/monospace/.test(box ?? ""));
    await page.goto("/");
    await expect.poll(() => pathOf(page)).toBe("/rooms");
    await page.getByTestId("room-link").first().waitFor();
  });

  it("sends a signed-out visitor of a room's task to log in, and back to the task afterwards", async () => {
    const page = await freshPage();
    const task = `/rooms/${home.id}/tasks/${taskId}?complete=1`;
    await page.goto(task);
    await expect.poll(() => pathOf(page)).toBe(`/login?next=${encodeURIComponent(task)}`);
    await page.getByTestId("auth-email").fill(owner.user.email);
    await page.getByTestId("auth-password").fill("long enough password");
    await page.getByTestId("auth-submit").click();
    await expect.poll(() => pathOf(page)).toBe(task);
    await page.getByTestId("quick-done-button").waitFor();
  });

  it("opens an emailed sign-in link and an emailed invite", async () => {
    const res = await fetch(`${app.server.url}/api/auth/login-link`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: app.server.url },
      body: JSON.stringify({ email: owner.user.email }),
    });
    expect(res.status).toBeLessThan(300);
    const signInLink = await mailedLink(owner.user.email, /^\/signin\//);
    const signInPage = await freshPage();
    await signInPage.goto(signInLink);
    await signInPage.getByTestId("signin-link-page").waitFor();

    const bea = await signup(app.server.url, "Bea");
    const invited = await fetch(`${app.server.url}/api/rooms/${home.id}/invites`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: owner.cookie, Origin: app.server.url },
      body: JSON.stringify({ email: bea.user.email, role: "editor" }),
    });
    expect(invited.status).toBe(201);
    const inviteLink = await mailedLink(bea.user.email, /^\/invite\//);
    const invitePage = await freshPage();
    await invitePage.goto(inviteLink);
    await invitePage.getByTestId("invite-summary").waitFor();
    expect(await invitePage.getByTestId("invite-summary").textContent()).toContain("12 Oak Street");
  });

  it("answers not found for addresses that name nothing, signed in or not", async () => {
    const page = await freshPage(owner);
    for (const path of ["/nowhere", `/rooms/${home.id}/tasks`, `/rooms/${home.id}/boilers/1`, "/invite/a/b"]) {
      await page.goto(path);
      await page.getByTestId("not-found").waitFor();
    }
    const signedOut = await freshPage();
    await signedOut.goto(`/rooms/${home.id}/nothing/here`);
    await signedOut.getByTestId("not-found").waitFor();
    await signedOut.goto("/rooms");
    await expect.poll(() => pathOf(signedOut)).toBe(`/login?next=${encodeURIComponent("/rooms")}`);
  });
});
