/**
 * Quick capture in Chromium: a fake microphone plays a recording of a 120 Hz hum with clicks twice a second; one
 * person records it and files it, and a second browser sees the item go from "Analysing…" to analysed, with what
 * was heard in words and the spectrogram. A photo with GPS tags is captured and stored without them, and a capture
 * made offline is kept and sent when the connection returns.
 */
import { fileURLToPath } from "node:url";
import type { BrowserContext } from "playwright-core";
import { describe, expect, it } from "vitest";
import { imageMetadata } from "../../schema/core/exif";
import { GPS_JPEG } from "../fixtures/photos";
import { axeViolations, smallTargets } from "./axe";
import { useAppInChromium } from "./chromium";
import { addMember, createRoom, type Session, signup } from "./clients";

const microphone = fileURLToPath(new URL("../fixtures/audio/hum-and-clicks.wav", import.meta.url));
const app = useAppInChromium("inbox", {
  chromiumArgs: [
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    `--use-file-for-fake-audio-capture=${microphone}`,
  ],
});

async function openInbox(who: Session, roomId: string, width = 390): Promise<BrowserContext> {
  const context = await app.browser.newContext({ baseURL: app.server.url, viewport: { width, height: 844 } });
  context.setDefaultTimeout(20_000);
  const [name, value] = who.cookie.split("=", 2) as [string, string];
  await context.addCookies([{ name, value, url: app.server.url }]);
  const page = await context.newPage();
  await page.goto(`/rooms/${roomId}`);
  await page.getByTestId("tab-inbox").click();
  await page.getByTestId("inbox-tab").waitFor();
  return context;
}

/** A poll waits as long as the UI may take under load (vitest's default is 1 s). */
const POLL = { timeout: 20_000 };

describe("the inbox in the browser", () => {
  it("records from the microphone, and a second browser sees the item analysed", async () => {
    const owner = await signup(app.server.url, "Olive");
    const room = await createRoom(app.server.url, owner, "property", "Maple House");
    const bob = await addMember(app.server.url, owner, room, "editor", "Bob");
    const recorder = await openInbox(owner, room.id);
    const watcher = await openInbox(bob, room.id, 1280);
    const page = recorder.pages()[0];
    const seen = watcher.pages()[0];
    if (!page || !seen) throw new Error("no page");

    await page.getByTestId("capture-record").click();
    await page.getByText(/Stop \(3 s\)/).waitFor();
    await page.getByTestId("capture-record").click();
    await page.getByTestId("capture-sound-ready").waitFor();
    await page.getByTestId("capture-note").fill("Furnace knocking");
    await page.getByTestId("capture-save").click();

    const item = seen.getByTestId("inbox-item").filter({ hasText: "Furnace knocking" });
    await item.and(seen.locator('[data-status="processing"]')).waitFor();
    await item.and(seen.locator('[data-status="processed"]')).waitFor();
    const summary = (await item.getByTestId("capture-summary").textContent()) ?? "";
    expect(summary).toMatch(/hum at 1[12]\d Hz/);
    expect(summary).toMatch(/twice a second/);
    const spectrogram = item.getByTestId("capture-spectrogram");
    await expect.poll(() => spectrogram.evaluate((img: HTMLImageElement) => img.naturalHeight), POLL).toBe(256);
    // `wrangler dev` binds no Workers AI: the item says so, and nothing failed.
    expect(await item.getByTestId("capture-transcript").textContent()).toBe("Transcription is off in this Haven.");
    // Bob says something about it; Olive sees it under the item.
    await item.getByTestId("inbox-comment-text").fill("I heard it this morning too");
    await item.getByTestId("inbox-comment-send").click();
    await page.getByTestId("inbox-comments").getByText("I heard it this morning too").waitFor();
    await seen.screenshot({ path: "/tmp/shots/inbox-1280.png", fullPage: true });
    expect([...(await axeViolations(seen)), ...(await smallTargets(seen))], "axe on an analysed recording").toEqual([]);
    await page.getByTestId("inbox-item").and(page.locator('[data-status="processed"]')).waitFor();
    await page.screenshot({ path: "/tmp/shots/inbox-390.png", fullPage: true });
    await recorder.close();
    await watcher.close();
  }, 90_000);

  it("captures a photo without its location, and keeps an offline capture until a later visit sends it", async () => {
    const owner = await signup(app.server.url, "Olive");
    const room = await createRoom(app.server.url, owner, "property", "Maple House");
    const context = await openInbox(owner, room.id);
    const page = context.pages()[0];
    if (!page) throw new Error("no page");
    await page
      .getByTestId("capture-photo")
      .setInputFiles({ name: "stain.jpg", mimeType: "image/jpeg", buffer: Buffer.from(GPS_JPEG()) });
    await page.getByTestId("capture-photo-ready").waitFor();
    await page.getByTestId("capture-note").fill("Stain on the ceiling");
    await page.getByTestId("capture-save").click();
    const photo = page.getByTestId("inbox-item").filter({ hasText: "Stain on the ceiling" });
    await photo.and(page.locator('[data-status="processed"]')).waitFor();
    const id = (await photo.getAttribute("data-id")) ?? "";
    // The analysis: the thumbnail (320 px wide), its colours, how sharp it is.
    const thumbnail = photo.getByTestId("capture-thumbnail");
    await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth), POLL).toBe(320);
    await photo.getByTestId("capture-colours").waitFor();
    await page.screenshot({ path: "/tmp/shots/inbox-photo-390.png", fullPage: true });
    expect([...(await axeViolations(page)), ...(await smallTargets(page))], "axe on an analysed photo").toEqual([]);
    const stored = await fetch(`${app.server.url}/api/rooms/${room.id}/captures/${id}/photo`, {
      headers: { Cookie: owner.cookie },
    });
    expect(imageMetadata(new Uint8Array(await stored.arrayBuffer())).location).toBe(false);
    // From the inbox to work: a task made of it, its title from the note.
    await photo.getByTestId("inbox-make-task").click();
    await expect.poll(() => photo.getByTestId("task-title").inputValue(), POLL).toBe("Stain on the ceiling");
    await photo.getByTestId("task-save").click();
    await photo.getByTestId("inbox-task-link").waitFor();
    expect(await photo.getByTestId("inbox-task-link").textContent()).toBe("Stain on the ceiling");

    await context.setOffline(true);
    await page
      .getByTestId("capture-photo")
      .setInputFiles({ name: "stain.jpg", mimeType: "image/jpeg", buffer: Buffer.from(GPS_JPEG()) });
    await page.getByTestId("capture-photo-ready").waitFor();
    await page.getByTestId("capture-note").fill("Second stain, offline");
    await page.getByTestId("capture-save").click();
    await page.getByTestId("capture-waiting").waitFor();
    // The tab is closed before the connection returns: the capture waits in this browser's IndexedDB, and the
    // next visit sends it.
    await page.close();
    await context.setOffline(false);
    const later = await context.newPage();
    await later.goto(`/rooms/${room.id}`);
    await later.getByTestId("tab-inbox").click();
    const offline = later.getByTestId("inbox-item").filter({ hasText: "Second stain, offline" });
    await offline.and(later.locator('[data-status="processed"]')).waitFor();
    await expect.poll(() => later.getByTestId("capture-waiting").count(), POLL).toBe(0);
    await context.close();
  }, 90_000);
});
