/**
 * A photo leaves the browser without where it was taken: a real JPEG with GPS tags and a camera serial (written by
 * exiftool) is picked on an asset's page, and what the home stores carries neither, at most 2048 px on its longest
 * side. The server would refuse it otherwise (tests/worker/property/photo-metadata.test.ts).
 */
import { describe, expect, it } from "vitest";
import { PHOTO_MAX_SIDE_PX } from "../../config";
import { imageMetadata } from "../../schema/core/exif";
import { GPS_JPEG } from "../fixtures/photos";
import { useAppInChromium } from "./chromium";
import { createRoom, signup } from "./clients";

const app = useAppInChromium("photo-privacy");

describe("a photo's privacy", () => {
  it("arrives without GPS tags or serial number, redrawn to at most 2048 px", async () => {
    const owner = await signup(app.server.url, "Olive");
    const room = await createRoom(app.server.url, owner, "property", "Maple House");
    const made = await fetch(`${app.server.url}/api/rooms/${room.id}/commands`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: owner.cookie, Origin: app.server.url },
      body: JSON.stringify({ name: "asset.create", args: { name: "Ceiling", category: "other" }, key: "e2e-asset" }),
    });
    const assetId = ((await made.json()) as { result: { id: string } }).result.id;
    const original = GPS_JPEG();
    expect(imageMetadata(original)).toEqual({ location: true, serial: true });

    const context = await app.browser.newContext({ baseURL: app.server.url, viewport: { width: 390, height: 844 } });
    context.setDefaultTimeout(15_000);
    const [name, value] = owner.cookie.split("=", 2) as [string, string];
    await context.addCookies([{ name, value, url: app.server.url }]);
    const page = await context.newPage();
    await page.goto(`/rooms/${room.id}/assets/${assetId}`);
    await page.getByTestId("asset-detail").waitFor();
    await page
      .getByTestId("asset-photo-input")
      .setInputFiles({ name: "stain.jpg", mimeType: "image/jpeg", buffer: Buffer.from(original) });
    const img = page.getByTestId("asset-photos").locator("img").first();
    await img.waitFor();
    const photoId = (await img.getAttribute("data-photo-id")) ?? "";

    const stored = await fetch(`${app.server.url}/api/rooms/${room.id}/photos/${photoId}`, {
      headers: { Cookie: owner.cookie },
    });
    expect(stored.status).toBe(200);
    const bytes = new Uint8Array(await stored.arrayBuffer());
    expect(imageMetadata(bytes)).toEqual({ location: false, serial: false });
    const size = await page.evaluate(async (url) => {
      const bitmap = await createImageBitmap(await (await fetch(url)).blob());
      return [bitmap.width, bitmap.height];
    }, `/api/rooms/${room.id}/photos/${photoId}`);
    expect(size).toEqual([PHOTO_MAX_SIDE_PX, Math.round((1600 * PHOTO_MAX_SIDE_PX) / 2400)]);
    await context.close();
  });
});
