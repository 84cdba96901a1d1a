/**
 * A home in two (and three) browsers, live: a real reminder from the room's alarm reaches
 * the assignee's bell and completes in one click; an offline completion and an online
 * edit of the same task both survive; a photo reaches the other screen at once; a member
 * ticks off only their own tasks; the calendar link and failed deliveries work for admins.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Room } from "../../schema/core/api";
import { type DevServer, startDevServer } from "../../scripts/dev-server";
import { launchChromium, signUpInBrowser } from "./chromium";
import { addMember, dayFromToday, type Session } from "./clients";

const UI_TIMEOUT_MS = 15_000;
/** A reminder goes room alarm → outbox → queue → consumer → bell socket; a few seconds in all. */
const REMINDER_TIMEOUT_MS = 20_000;
const SHOTS = "/tmp/shots";
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const WRANGLER = join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");

// The server is started here rather than through `useAppInChromium` because the dead-letter
// test writes rows into the server's own local D1, so it needs the state folder.
const persistTo = mkdtempSync(join(tmpdir(), "haven-home-live-"));
let server: DevServer;
let browser: Browser;

beforeAll(async () => {
  server = await startDevServer({ persistTo });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop("SIGKILL");
  rmSync(persistTo, { recursive: true, force: true });
});

/** One SQL statement against the running server's local D1, as `wrangler d1 execute` runs it. */
function d1(sql: string): void {
  const args = [WRANGLER, "d1", "execute", "DB", "--local", "--persist-to", persistTo, "--command", sql];
  const result = spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, CI: "true" },
  });
  if (result.status !== 0) throw new Error(`d1 execute failed:\n${result.stdout}\n${result.stderr}`);
}

async function context(): Promise<BrowserContext> {
  const ctx = await browser.newContext({ baseURL: server.url });
  ctx.setDefaultTimeout(UI_TIMEOUT_MS);
  return ctx;
}

async function signedIn(session: Session): Promise<{ context: BrowserContext; page: Page }> {
  const ctx = await context();
  const [name, value] = session.cookie.split("=", 2) as [string, string];
  await ctx.addCookies([{ name, value, url: server.url }]);
  return { context: ctx, page: await ctx.newPage() };
}

/**
 * An IANA zone where it is now between 10:00 and 22:00, so an overdue task's reminder
 * (sent at 09:00 local, or at once when that has passed) goes out now.
 */
function zoneInDaytime(): string {
  const zones = [
    "UTC",
    "Europe/Paris",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Pacific/Auckland",
    "Pacific/Kiritimati",
    "America/New_York",
    "America/Los_Angeles",
    "Pacific/Honolulu",
  ];
  const hourIn = (timeZone: string) =>
    Number(new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", hourCycle: "h23" }).format(new Date()));
  const zone = zones.find((z) => hourIn(z) >= 10 && hourIn(z) < 22);
  if (!zone) throw new Error("no candidate time zone is in daytime now");
  return zone;
}

/** Runs a command through the app's own API from a signed-in page. */
async function command(page: Page, roomId: string, name: string, args: unknown): Promise<number> {
  return page.evaluate(
    async ({ roomId, name, args }) => {
      const res = await fetch(`/api/rooms/${roomId}/commands`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name, args, key: `e2e-${crypto.randomUUID()}` }),
      });
      return res.status;
    },
    { roomId, name, args },
  );
}

async function addOverdueTask(page: Page, title: string, assigneeId = ""): Promise<string> {
  await page.getByTestId("tab-tasks").click();
  await page.getByTestId("add-task").click();
  await page.getByTestId("task-title").fill(title);
  if (assigneeId) await page.getByTestId("task-assignee").selectOption(assigneeId);
  await page.getByTestId("repeats-once").check();
  await page.getByTestId("task-once-date").fill(dayFromToday(-30).date);
  await page.getByTestId("task-save").click();
  const row = page.getByTestId("task-row").filter({ hasText: title });
  await row.waitFor();
  return (await row.getAttribute("data-task-id")) ?? "";
}

/** A picture drawn in the page, as file bytes: `noisy` makes a PNG above the 8 MB upload limit. */
async function drawnImage(page: Page, noisy: boolean): Promise<Buffer> {
  const base64 = await page.evaluate(async (noisy) => {
    const canvas = document.createElement("canvas");
    canvas.width = noisy ? 1900 : 800;
    canvas.height = noisy ? 1900 : 600;
    const g = canvas.getContext("2d");
    if (!g) throw new Error("no 2d context");
    if (noisy) {
      const pixels = g.createImageData(canvas.width, canvas.height);
      for (let i = 0; i < pixels.data.length; i += 65536)
        pixels.data.set(crypto.getRandomValues(new Uint8Array(Math.min(65536, pixels.data.length - i))), i);
      for (let i = 3; i < pixels.data.length; i += 4) pixels.data[i] = 255;
      g.putImageData(pixels, 0, 0);
    } else {
      g.fillStyle = "#dbeafe";
      g.fillRect(0, 0, 800, 600);
      g.fillStyle = "#64748b";
      g.fillRect(300, 80, 200, 440);
      g.fillStyle = "#1e293b";
      g.font = "bold 40px sans-serif";
      g.fillText("RHEEM 50 gal", 270, 560);
    }
    const blob = await new Promise<Blob | null>((resolve) =>
      canvas.toBlob(resolve, noisy ? "image/png" : "image/jpeg", 0.9),
    );
    if (!blob) throw new Error("canvas gave no image");
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let binary = "";
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(binary);
  }, noisy);
  return Buffer.from(base64, "base64");
}

/** Whether every photo in `scope` has loaded as a real picture. */
async function photosLoaded(page: Page, testId: string): Promise<number> {
  return page
    .getByTestId(testId)
    .locator("img")
    .evaluateAll(
      (imgs) => imgs.filter((img) => img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0).length,
    );
}

describe("a home, live", () => {
  let roomId = "";
  let olive: Page;
  let ownerContext: BrowserContext;
  let ownerSession: Session;
  let room: Room;
  let mo: { context: BrowserContext; page: Page; session: Session };

  beforeAll(async () => {
    ownerContext = await context();
    olive = await ownerContext.newPage();
    const email = `olive-${crypto.randomUUID().slice(0, 6)}@example.com`;
    await signUpInBrowser(olive, "Olive", email, "a long enough password");
    await olive.getByTestId("create-room-kind").selectOption("property");
    await olive.getByTestId("create-room-name").fill("Maple House");
    await olive.getByTestId("create-room-submit").click();
    await olive.getByTestId("room-link").first().click();
    await olive.getByTestId("dashboard").waitFor();
    roomId = new URL(olive.url()).pathname.split("/").pop() ?? "";
    expect(await command(olive, roomId, "home.settings", { timeZone: zoneInDaytime() })).toBe(200);

    const cookie = (await ownerContext.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    room = { id: roomId, kind: "property", name: "Maple House", role: "owner", archived: false };
    ownerSession = { user: { id: "", email, name: "Olive" }, cookie };
    const session = await addMember(server.url, ownerSession, room, "editor", "Mo");
    mo = { ...(await signedIn(session)), session };
    await mo.page.goto(`/rooms/${roomId}`);
    await mo.page.getByTestId("dashboard").waitFor();
  });
  afterAll(async () => {
    await Promise.all([ownerContext?.close(), mo?.context.close()]);
  });

  it("delivers a real reminder to the assignee's bell live, and its link completes the task in one click", async () => {
    // Olive's members list must know Mo before he can be picked as the assignee.
    await olive.reload();
    await olive.getByTestId("dashboard").waitFor();
    const taskId = await addOverdueTask(olive, "Test the sump pump", mo.session.user.id);

    // No reload on Mo's side: the count arrives over the notification socket.
    const count = mo.page.getByTestId("bell-count");
    await expect
      .poll(async () => ((await count.count()) > 0 ? count.textContent() : null), { timeout: REMINDER_TIMEOUT_MS })
      .toBe("1");
    await mo.page.getByTestId("bell").click();
    const note = mo.page.getByTestId("notification").first();
    await note.waitFor();
    // The link names the occurrence it is about: the once task's date, 30 days ago.
    expect(await note.getAttribute("href")).toBe(`/rooms/${roomId}/tasks/${taskId}?complete=${dayFromToday(-30).date}`);
    expect(await note.textContent()).toContain("Test the sump pump");
    await note.click();
    await expect
      .poll(() => new URL(mo.page.url()).pathname + new URL(mo.page.url()).search)
      .toBe(`/rooms/${roomId}/tasks/${taskId}?complete=${dayFromToday(-30).date}`);
    await mo.page.getByTestId("quick-done-button").click();
    await mo.page.getByTestId("quick-done-result").waitFor();
    await expect.poll(() => mo.page.getByTestId("task-next-due").textContent()).toBe("Nothing due");

    // Read now: the badge is gone, and the panel shows it read.
    await expect.poll(() => mo.page.getByTestId("bell-count").count()).toBe(0);
    await mo.page.getByTestId("bell").click();
    await mo.page.getByTestId("notification").first().waitFor();
    expect(await mo.page.getByTestId("notification").first().getAttribute("class")).not.toContain("bell-unread");
    await mo.page.getByTestId("bell").click();

    // The open panel lies inside the screen on a small phone, a phone and a desktop, below the bell.
    const viewport = mo.page.viewportSize();
    for (const width of [320, 390, 1280]) {
      await mo.page.setViewportSize({ width, height: 800 });
      await mo.page.getByTestId("bell").click();
      const panel = await mo.page.getByTestId("notification-panel").boundingBox();
      const bell = await mo.page.getByTestId("bell").boundingBox();
      expect(panel, `the panel at ${width} px`).not.toBeNull();
      if (!panel || !bell) continue;
      expect(panel.x, `the panel's left at ${width} px`).toBeGreaterThanOrEqual(0);
      expect(panel.x + panel.width, `the panel's right at ${width} px`).toBeLessThanOrEqual(width);
      expect(panel.y, `the panel's top at ${width} px`).toBeGreaterThanOrEqual(bell.y + bell.height);
      await mo.page.screenshot({ path: `${SHOTS}/bell-panel-${width}.png` });
      await mo.page.getByTestId("bell").click();
    }
    if (viewport) await mo.page.setViewportSize(viewport);
  });

  it("keeps both an offline completion and a concurrent online edit of the same task", async () => {
    await olive.goto(`/rooms/${roomId}`);
    const taskId = await addOverdueTask(olive, "Replace smoke alarm batteries");
    await mo.page.goto(`/rooms/${roomId}`);
    await mo.page.getByTestId("tab-tasks").click();
    const moRow = mo.page.locator(`[data-testid="task-row"][data-task-id="${taskId}"]`);
    await moRow.waitFor();

    await mo.context.setOffline(true);
    await moRow.getByTestId("task-done").click();
    await mo.page.getByTestId("pending-count").waitFor();

    await olive.goto(`/rooms/${roomId}/tasks/${taskId}`);
    await olive.getByTestId("task-edit").click();
    await olive.getByTestId("task-title").fill("Replace all smoke alarm batteries");
    await olive.locator("#task-notes").fill("9V, in the hall closet");
    await olive.getByTestId("task-save").click();
    await expect
      .poll(() => olive.getByTestId("task-title-heading").textContent())
      .toBe("Replace all smoke alarm batteries");

    await mo.context.setOffline(false);
    await expect.poll(() => mo.page.getByTestId("pending-count").count()).toBe(0);
    await mo.page.goto(`/rooms/${roomId}/tasks/${taskId}`);

    for (const page of [olive, mo.page]) {
      await expect
        .poll(() => page.getByTestId("task-title-heading").textContent())
        .toBe("Replace all smoke alarm batteries");
      await expect.poll(() => page.getByTestId("task-next-due").textContent()).toBe("Nothing due");
      await expect.poll(() => page.locator(".task-card .facts").textContent()).toContain("9V, in the hall closet");
      await expect.poll(() => page.getByTestId("history-list").locator("li").count()).toBe(1);
      expect(await page.getByTestId("history-list").textContent()).toContain("by Mo");
    }
  });

  it(
    "shows a photo Olive adds to an asset on Mo's screen at " + "once, and a completion's photo in the history",
    async () => {
      await olive.goto(`/rooms/${roomId}`);
      await olive.getByTestId("tab-assets").click();
      await olive.getByTestId("add-asset").click();
      await olive.getByTestId("asset-name").fill("Water heater");
      await olive.getByTestId("asset-category").selectOption("plumbing");
      await olive.locator("#asset-make").fill("Rheem");
      await olive.locator("#asset-location").fill("Basement");
      await olive.getByTestId("asset-save").click();
      const row = olive.getByTestId("asset-row").filter({ hasText: "Water heater" });
      await row.waitFor();
      const assetId = (await row.getAttribute("data-asset-id")) ?? "";
      await olive.goto(`/rooms/${roomId}/assets/${assetId}`);
      await mo.page.goto(`/rooms/${roomId}/assets/${assetId}`);
      await mo.page.getByTestId("asset-detail").waitFor();
      expect(await mo.page.getByTestId("asset-photos").count()).toBe(0);

      await olive
        .getByTestId("asset-photo-input")
        .setInputFiles({ name: "plate.jpg", mimeType: "image/jpeg", buffer: await drawnImage(olive, false) });
      await expect.poll(() => photosLoaded(mo.page, "asset-photos")).toBe(1);
      const photoId = await mo.page.getByTestId("asset-photos").locator("img").getAttribute("data-photo-id");
      expect(photoId).toMatch(/^[0-9a-f-]{36}$/);
      expect(await olive.getByTestId("asset-photos").locator("img").getAttribute("data-photo-id")).toBe(photoId);
      expect(await mo.page.getByTestId("asset-photos").locator("img").getAttribute("alt")).toBe(
        "Water heater, photo 1 of 1",
      );

      await olive.setViewportSize({ width: 1280, height: 900 });
      await olive.screenshot({ path: `${SHOTS}/home-asset-photo-1280.png`, fullPage: true });
      await olive.setViewportSize({ width: 390, height: 844 });
      await olive.screenshot({ path: `${SHOTS}/home-asset-photo-390.png`, fullPage: true });
      await olive.setViewportSize({ width: 1280, height: 900 });

      // A photo over the 8 MB limit is made smaller in the browser, then sent with the completion.
      const big = await drawnImage(olive, true);
      expect(big.byteLength).toBeGreaterThan(8 * 1024 * 1024);
      // Leaving a page that just encoded an 8 MB image can take a while on a loaded machine: wait for the
      // new page's document, not for every image on it (the controls below are waited for one by one).
      const away = { waitUntil: "domcontentloaded", timeout: 45_000 } as const;
      await olive.goto(`/rooms/${roomId}`, away);
      const taskId = await addOverdueTask(olive, "Flush the water heater");
      await olive.goto(`/rooms/${roomId}/tasks/${taskId}`, away);
      await olive.getByTestId("action-done").click();
      await olive
        .getByTestId("done-photo-input")
        .setInputFiles({ name: "flushed.png", mimeType: "image/png", buffer: big });
      await expect.poll(() => olive.getByTestId("done-photo-name").textContent()).toBe("flushed.png");
      await olive.getByTestId("done-submit").click();
      await expect.poll(() => photosLoaded(olive, "history-photo"), { timeout: 30_000 }).toBe(1);
      await mo.page.goto(`/rooms/${roomId}/tasks/${taskId}`);
      await expect.poll(() => photosLoaded(mo.page, "history-photo")).toBe(1);

      // Offline, the form says photos need a connection and the completion still goes.
      const second = await (async () => {
        await olive.goto(`/rooms/${roomId}`);
        return addOverdueTask(olive, "Check the anode rod");
      })();
      await olive.goto(`/rooms/${roomId}/tasks/${second}`);
      await olive.getByTestId("action-done").waitFor();
      await ownerContext.setOffline(true);
      await olive.getByTestId("action-done").click();
      await olive.getByTestId("done-photo-offline").waitFor();
      await olive.getByTestId("done-submit").click();
      await olive.getByTestId("task-pending").waitFor();
      await ownerContext.setOffline(false);
      await expect.poll(() => olive.getByTestId("task-next-due").textContent()).toBe("Nothing due");
    },
  );

  it("lets a member tick off only their own tasks, labelled 'Your tasks'", async () => {
    const session = await addMember(server.url, ownerSession, room, "member", "Kit");
    const kit = await signedIn(session);
    const kitId = session.user.id;
    await olive.goto(`/rooms/${roomId}`);
    await olive.getByTestId("dashboard").waitFor();
    await addOverdueTask(olive, "Feed the fish", kitId);

    await kit.page.goto(`/rooms/${roomId}`);
    await kit.page.getByTestId("dashboard").waitFor();
    expect(await kit.page.getByTestId("your-tasks").textContent()).toBe("Your tasks");
    expect(await kit.page.getByTestId("view-only").count()).toBe(0);
    await kit.page.getByTestId("tab-tasks").click();
    const mine = kit.page.getByTestId("my-task-list");
    await mine.getByTestId("task-row").filter({ hasText: "Feed the fish" }).waitFor();
    expect(await mine.getByTestId("task-row").count()).toBe(1);
    expect(await kit.page.getByTestId("other-task-list").getByTestId("task-done").count()).toBe(0);
    expect(await kit.page.getByTestId("add-task").count()).toBe(0);
    await mine.getByTestId("task-done").click();
    await expect.poll(() => mine.getByTestId("task-due").textContent()).toBe("Nothing due");
    expect(await mine.getByTestId("task-done").count()).toBe(0);
    await kit.context.close();
  });

  it("gives a calendar link once, and lists failed deliveries with Retry for admins", async () => {
    await olive.goto(`/rooms/${roomId}`);
    await olive.getByTestId("tab-tasks").click();
    const feed = olive.getByTestId("calendar-feed");
    await feed.locator("summary").click();
    await feed.getByTestId("calendar-feed-create").click();
    const webcal = (await feed.getByTestId("calendar-feed-webcal").textContent()) ?? "";
    const url = (await feed.getByTestId("calendar-feed-url").textContent()) ?? "";
    expect(webcal).toMatch(/^webcal:\/\/.+\.ics$/);
    expect(url.replace(/^https?:/, "webcal:")).toBe(webcal);
    const ics = await fetch(url);
    expect(ics.status).toBe(200);
    expect(await ics.text()).toContain("BEGIN:VCALENDAR");
    await olive.setViewportSize({ width: 1280, height: 900 });
    await olive.screenshot({ path: `${SHOTS}/home-calendar-feed-1280.png`, fullPage: true });
    await olive.setViewportSize({ width: 390, height: 844 });
    await olive.screenshot({ path: `${SHOTS}/home-calendar-feed-390.png`, fullPage: true });
    await olive.setViewportSize({ width: 1280, height: 900 });

    // Replaced: the first link stops working. Then off: nothing works.
    await feed.getByTestId("calendar-feed-replace").click();
    await feed.getByTestId("calendar-feed-replace-confirm").click();
    await expect.poll(() => feed.getByTestId("calendar-feed-url").textContent()).not.toBe(url);
    expect((await fetch(url)).status).toBe(404);
    const second = (await feed.getByTestId("calendar-feed-url").textContent()) ?? "";
    await feed.getByTestId("calendar-feed-off").click();
    await feed.getByTestId("calendar-feed-off-confirm").click();
    await feed.getByTestId("calendar-feed-create").waitFor();
    expect((await fetch(second)).status).toBe(404);
    await mo.page.goto(`/rooms/${roomId}/people`);
    await mo.page.getByTestId("room-people").waitFor();
    expect(await mo.page.getByTestId("failed-deliveries").count()).toBe(0);

    // Two jobs that failed every retry, as the queue's dead-letter consumer records them.
    const job = (title: string) =>
      JSON.stringify({
        type: "notify",
        key: `e2e:${title}`,
        roomId,
        audience: { userIds: ["nobody"] },
        title,
        body: "",
        url: `/rooms/${roomId}`,
        topic: "reminder",
      }).replaceAll("'", "''");
    const now = Date.now();
    d1(
      `INSERT INTO dead_letters (id, room_id, type, key, body, error, attempts, created_at) VALUES ` +
        `('dl-1', '${roomId}', 'notify', 'e2e:a', '${job("Overdue: Clean the gutters")}', 'email: 550 mailbox ` +
        `unavailable', 5, ${now - 60_000}), ` +
        `('dl-2', '${roomId}', 'notify', 'e2e:b', '${job("Due tomorrow: Service the furnace")}', 'push: 410 gone; ` +
        `email: timeout after 10 s', 5, ${now})`,
    );
    await olive.goto(`/rooms/${roomId}/people`);
    const failed = olive.getByTestId("failed-deliveries");
    await expect.poll(() => failed.getByTestId("dead-letter").count(), { timeout: UI_TIMEOUT_MS }).toBe(2);
    expect(await failed.getByTestId("dead-letter").first().textContent()).toContain(
      "Notification: Due tomorrow: Service the furnace",
    );
    await olive.setViewportSize({ width: 1280, height: 900 });
    await olive.screenshot({ path: `${SHOTS}/home-failed-deliveries-1280.png`, fullPage: true });
    await olive.setViewportSize({ width: 390, height: 844 });
    await olive.screenshot({ path: `${SHOTS}/home-failed-deliveries-390.png`, fullPage: true });
    await olive.setViewportSize({ width: 1280, height: 900 });

    // One is retried here; the other was retried elsewhere first, so the server says 409.
    const first = failed.locator('[data-dead-letter-id="dl-1"]');
    await first.getByTestId("dead-letter-retry").click();
    await first.getByTestId("dead-letter-retried").waitFor();
    const elsewhere = await olive.evaluate(
      async (id) => (await fetch(`/api/rooms/${id}/dead-letters/dl-2/retry`, { method: "POST" })).status,
      roomId,
    );
    expect(elsewhere).toBe(202);
    const other = failed.locator('[data-dead-letter-id="dl-2"]');
    await other.getByTestId("dead-letter-retry").click();
    await other.getByTestId("dead-letter-retried").waitFor();
    expect(await other.locator(".alert").count()).toBe(0);
  });
});
