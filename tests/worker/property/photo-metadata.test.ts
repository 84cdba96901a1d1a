/**
 * A photo that still says where it was taken is refused, for a home and a site alike, and nothing of it is stored;
 * the same picture without its GPS tags is taken. The JPEG is a real one, its tags written by exiftool.
 */
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { GPS_JPEG as gpsJpeg } from "../../fixtures/photos";
import { createRoom, type ErrorJson, json, ORIGIN, signup } from "../helpers";

const GPS_JPEG = gpsJpeg();

/** The same JPEG with its APP1 (EXIF) segment cut out, as a browser's redraw leaves it. */
function withoutExif(jpeg: Uint8Array): Uint8Array {
  for (let at = 2; at + 4 <= jpeg.length; ) {
    const length = ((jpeg[at + 2] as number) << 8) | (jpeg[at + 3] as number);
    if (jpeg[at + 1] === 0xe1) return new Uint8Array([...jpeg.subarray(0, at), ...jpeg.subarray(at + 2 + length)]);
    at += 2 + length;
  }
  return jpeg;
}

const upload = (roomId: string, cookie: string, body: Uint8Array) =>
  SELF.fetch(`${ORIGIN}/api/rooms/${roomId}/photos`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: ORIGIN, "Content-Type": "image/jpeg" },
    body,
  });

describe("a photo's metadata", () => {
  it.each(["property", "site"] as const)("refuses a JPEG with GPS tags in a %s and stores nothing", async (kind) => {
    const owner = await signup("Olive");
    const room = await createRoom(owner, kind, "With photos");
    const refused = await upload(room.id, owner.cookie, GPS_JPEG);
    expect(refused.status).toBe(400);
    const error = (await refused.json<ErrorJson>()).error;
    expect([error.code, error.message]).toEqual([
      "validation_failed",
      "This photo still carries where it was taken (GPS tags). Upload it through Haven's app, which removes them.",
    ]);
    expect((await env.BLOBS.list({ prefix: `rooms/${room.id}/` })).objects).toEqual([]);

    const taken = await upload(room.id, owner.cookie, withoutExif(GPS_JPEG));
    expect(taken.status).toBe(201);
    const { photoId } = await json<{ photoId: string }>(taken);
    expect(await env.BLOBS.head(`rooms/${room.id}/photos/${photoId}`)).not.toBeNull();
  });
});
