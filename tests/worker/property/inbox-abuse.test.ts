/**
 * Every way to get a capture wrong: each a clear error, or a `failed` item with the reason, and nothing
 * half-written left in R2 or the room.
 */
import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CAPTURE_MAX_SECONDS, CAPTURE_UPLOADS_PER_USER_MAX } from "../../../config";
import worker from "../../../worker";
import { recording } from "../../fixtures/audio";
import { addMember, type ErrorJson, ORIGIN, RoomClient } from "../helpers";
import { runQueue } from "../notify/support";
import { capturedObjects, home, inbox, itemIn, json, putPart, untilStatus } from "./inbox-helpers";

const ZIP = Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x21, 0x6b, 0x3c, 0x58);

/** The test's R2 bucket with some methods replaced: the rest still reach the real one. */
function bucketWith(overrides: Record<string, unknown>): R2Bucket {
  return new Proxy(env.BLOBS, {
    get(target, property) {
      if (typeof property === "string" && property in overrides) return overrides[property];
      const value: unknown = Reflect.get(target, property);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** A PCM WAV header with the fields given, and `body` bytes of silence after it. */
function wav(fields: { channels?: number; rate?: number; bits?: number; dataBytes?: number }, body: number) {
  const channels = fields.channels ?? 1;
  const rate = fields.rate ?? 16_000;
  const bits = fields.bits ?? 16;
  const bytes = new Uint8Array(44 + body);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, text: string) => {
    for (let i = 0; i < text.length; i++) bytes[at + i] = text.charCodeAt(i);
  };
  ascii(0, "RIFF");
  view.setUint32(4, 36 + body, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, rate, true);
  view.setUint32(28, (rate * channels * bits) / 8, true);
  view.setUint16(32, (channels * bits) / 8, true);
  view.setUint16(34, bits, true);
  ascii(36, "data");
  view.setUint32(40, fields.dataBytes ?? body, true);
  return bytes;
}

/** Uploads `bytes` as both files of a recording and files it; answers the item once the consumer is done. */
async function fileRecording(
  room: { id: string },
  who: Parameters<typeof putPart>[3] & object,
  client: RoomClient,
  bytes: Uint8Array,
) {
  const id = crypto.randomUUID();
  expect((await putPart(room.id, id, "original", who, bytes)).status).toBe(201);
  expect((await putPart(room.id, id, "wav", who, bytes)).status).toBe(201);
  expect((await inbox(room.id, who, "inbox.create", { id })).status).toBe(200);
  return { id, item: await untilStatus(client, id, "failed") };
}

describe("bad captures", () => {
  it("refuses empty, cut-short, mistyped and oversized files, storing nothing", async () => {
    const { alice, room } = await home();
    const id = crypto.randomUUID();
    const expectError = async (res: Response, status: number, code: string) => {
      expect(res.status).toBe(status);
      expect((await json<ErrorJson>(res)).error.code).toBe(code);
    };
    await expectError(await putPart(room.id, id, "wav", alice, new Uint8Array(0)), 400, "validation_failed");
    await expectError(await putPart(room.id, id, "photo", alice, new Uint8Array(0)), 400, "validation_failed");
    // A zip is no photo, no recording; a WebP photo is no WAV.
    await expectError(await putPart(room.id, id, "photo", alice, ZIP), 415, "unsupported_media_type");
    await expectError(await putPart(room.id, id, "original", alice, ZIP), 415, "unsupported_media_type");
    await expectError(
      await putPart(room.id, id, "wav", alice, new TextEncoder().encode("RIFF\u0000\u0000\u0000\u0000WEBPVP8 ")),
      415,
      "unsupported_media_type",
    );
    await expectError(
      await putPart(room.id, "not-a-uuid", "wav", alice, recording("speech.wav")),
      400,
      "validation_failed",
    );
    await expectError(await putPart(room.id, id, "transcript", alice, recording("speech.wav")), 404, "not_found");
    // A three-hour recording's WAV (16 kHz mono 16-bit: 345 MB) is refused by its Content-Length, unread.
    const threeHours = 3 * 3600 * 32_000;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(wav({}, 64 * 1024));
      },
    });
    const long = await SELF.fetch(`${ORIGIN}/api/rooms/${room.id}/captures/${id}/wav`, {
      method: "PUT",
      headers: { Cookie: alice.cookie, Origin: ORIGIN, "Content-Length": String(threeHours + 44) },
      body: endless,
      duplex: "half",
    } as RequestInit);
    await expectError(long, 413, "payload_too_large");
    // A body shorter than its Content-Length: refused, not stored cut short.
    const speech = recording("speech.wav");
    const short = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(speech.subarray(0, 5_000));
        controller.close();
      },
    });
    const cut = await SELF.fetch(`${ORIGIN}/api/rooms/${room.id}/captures/${id}/wav`, {
      method: "PUT",
      headers: { Cookie: alice.cookie, Origin: ORIGIN, "Content-Length": String(speech.byteLength) },
      body: short,
      duplex: "half",
    } as RequestInit);
    await expectError(cut, 400, "validation_failed");
    expect(await capturedObjects(room.id)).toEqual([]);
    // Nothing was staged: filing the id finds nothing to file.
    await expectError(await inbox(room.id, alice, "inbox.create", { id }), 400, "validation_failed");
  }, 30_000);

  it("refuses anyone who may not capture, and uploads past a person's allowance", async () => {
    const { alice, room } = await home();
    const viewer = await addMember(alice, room, "viewer", "Vera");
    const id = crypto.randomUUID();
    const refused = await putPart(room.id, id, "wav", viewer, recording("speech.wav"));
    expect(refused.status).toBe(403);
    expect((await putPart(room.id, id, "wav", null, recording("speech.wav"))).status).toBe(401);
    expect((await inbox(room.id, viewer, "inbox.create", { id, note: "hello" })).status).toBe(403);
    // Another person cannot file, nor add to, what someone else uploaded.
    const editor = await addMember(alice, room, "editor", "Ed");
    expect((await putPart(room.id, id, "wav", alice, recording("speech.wav"))).status).toBe(201);
    expect((await putPart(room.id, id, "original", editor, recording("speech.wav"))).status).toBe(403);
    expect((await inbox(room.id, editor, "inbox.create", { id })).status).toBe(403);
    expect(await capturedObjects(room.id)).toHaveLength(1);
    // A flood: past the allowance every upload is refused before its body is read.
    const tiny = wav({}, 320);
    let limited = 0;
    for (let i = 0; i < CAPTURE_UPLOADS_PER_USER_MAX + 2; i++) {
      const res = await putPart(room.id, crypto.randomUUID(), "wav", editor, tiny);
      if (res.status === 429) limited += 1;
    }
    expect(limited).toBeGreaterThanOrEqual(2);
    expect((await capturedObjects(room.id)).length).toBeLessThanOrEqual(1 + CAPTURE_UPLOADS_PER_USER_MAX);
  }, 60_000);

  it("never replaces a file: a replayed upload id and a filed capture are conflicts", async () => {
    const { alice, room } = await home();
    const id = crypto.randomUUID();
    const speech = recording("speech.wav");
    expect((await putPart(room.id, id, "wav", alice, speech)).status).toBe(201);
    const again = await putPart(room.id, id, "wav", alice, recording("tone-440hz-6dbfs.wav"));
    expect(again.status).toBe(409);
    expect(await capturedObjects(room.id)).toHaveLength(1);
    expect((await inbox(room.id, alice, "inbox.create", { id })).status).toBe(200);
    expect((await putPart(room.id, id, "original", alice, speech)).status).toBe(409);
    expect((await inbox(room.id, alice, "inbox.create", { id })).status).toBe(409);
    // A recording and a photo under one id are refused when filed.
    const both = crypto.randomUUID();
    await putPart(room.id, both, "wav", alice, speech);
    const png = Uint8Array.from(
      atob("iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAIAAAASFvFNAAAAEElEQVR4nGM4sWUaBDHAWQB9eAxtFcC9XwAAAABJRU5ErkJggg=="),
      (ch) => ch.charCodeAt(0),
    );
    await putPart(room.id, both, "photo", alice, png);
    expect((await inbox(room.id, alice, "inbox.create", { id: both })).status).toBe(400);
  }, 30_000);

  it("files a WAV that lies about itself as failed, with the reason, and retries on request", async () => {
    const { alice, room } = await home();
    const client = await RoomClient.connect("property", room.id, alice.cookie);
    const cases: [Uint8Array, RegExp][] = [
      [wav({ channels: 0 }, 3_200), /channels/i],
      [wav({ rate: 0 }, 3_200), /sample rate/i],
      [wav({ dataBytes: 10_000_000 }, 3_200), /more|truncated|damaged/i],
      // Eleven minutes at 4 kHz, 8-bit: small enough to upload, too long to analyse.
      [wav({ rate: 4_000, bits: 8 }, 4_000 * 60 * (CAPTURE_MAX_SECONDS / 60 + 1)), /at most 600 s/],
    ];
    for (const [bytes, reason] of cases) {
      const { id, item } = await fileRecording(room, alice, client, bytes);
      expect(item.reason).toMatch(reason);
      expect(item.files.spectrogram).toBeUndefined();
      // Retry runs it again, as the next attempt; the file is still bad, so it fails again.
      expect((await inbox(room.id, alice, "inbox.retry", { id })).status).toBe(200);
      const again = await untilStatus(client, id, "failed");
      expect(again.attempt).toBe(2);
    }
    // Only a failed item can be retried.
    const note = crypto.randomUUID();
    await inbox(room.id, alice, "inbox.create", { id: note, note: "Just a note" });
    expect((await inbox(room.id, alice, "inbox.retry", { id: note })).status).toBe(409);
    client.close();
  }, 90_000);

  it("leaves nothing in R2 when storage fails mid-upload", async () => {
    const { alice, room } = await home();
    const id = crypto.randomUUID();
    const speech = recording("speech.wav");
    const failing = bucketWith({
      put: async (_key: string, value: ReadableStream<Uint8Array>) => {
        const reader = value.getReader();
        await reader.read();
        await reader.cancel();
        throw new Error("R2 is unavailable");
      },
    });
    const ctx = createExecutionContext();
    const request = new Request(`${ORIGIN}/api/rooms/${room.id}/captures/${id}/wav`, {
      method: "PUT",
      headers: { Cookie: alice.cookie, Origin: ORIGIN, "Content-Length": String(speech.byteLength) },
      body: speech,
    });
    const res = await worker.fetch(request, { ...env, BLOBS: failing }, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(500);
    expect(await capturedObjects(room.id)).toEqual([]);
    expect((await inbox(room.id, alice, "inbox.create", { id })).status).toBe(400);
  });

  it("drops the findings of a capture deleted while its analysis runs, and what it stored", async () => {
    const { alice, room } = await home();
    const client = await RoomClient.connect("property", room.id, alice.cookie);
    const id = crypto.randomUUID();
    const bytes = recording("hum-and-clicks.wav");
    await putPart(room.id, id, "original", alice, bytes);
    await putPart(room.id, id, "wav", alice, bytes);
    await inbox(room.id, alice, "inbox.create", { id });
    // The consumer, as the queue runs it, with the WAV's read held until the item is deleted.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reading = () => {};
    const started = new Promise<void>((resolve) => {
      reading = resolve;
    });
    const stored: string[] = [];
    const bucket = bucketWith({
      get: async (key: string) => {
        reading();
        await held;
        return env.BLOBS.get(key);
      },
      put: (key: string, value: Uint8Array, options: R2PutOptions) => {
        stored.push(key);
        return env.BLOBS.put(key, value, options);
      },
    });
    const job = { type: "capture.analyse", key: `capture.analyse:${id}:1`, roomId: room.id, captureId: id, attempt: 1 };
    const run = runQueue(job, { env: { ...env, BLOBS: bucket } });
    await started;
    expect((await inbox(room.id, alice, "inbox.delete", { id })).status).toBe(200);
    release();
    const { result } = await run;
    expect(result.explicitAcks).toHaveLength(1);
    expect(stored).toHaveLength(1);
    expect(itemIn(client, id)).toBeUndefined();
    const start = Date.now();
    while ((await capturedObjects(room.id)).length > 0 && Date.now() - start < 10_000)
      await new Promise((r) => setTimeout(r, 50));
    expect(await capturedObjects(room.id)).toEqual([]);
    client.close();
  }, 30_000);

  it("says on the item when the analysis failed on every retry, and refuses deletes outside the room", async () => {
    const { alice, room } = await home();
    const client = await RoomClient.connect("property", room.id, alice.cookie);
    const id = crypto.randomUUID();
    const bytes = recording("speech.wav");
    await putPart(room.id, id, "original", alice, bytes);
    await putPart(room.id, id, "wav", alice, bytes);
    await inbox(room.id, alice, "inbox.create", { id });
    // R2 failing on every read: each try is retried, and after the last the dead-letter queue files it failed.
    const broken = bucketWith({
      get: async () => {
        throw new Error("R2 read failed");
      },
    });
    const job = { type: "capture.analyse", key: `capture.analyse:${id}:1`, roomId: room.id, captureId: id, attempt: 1 };
    const tried = await runQueue(job, { env: { ...env, BLOBS: broken } });
    expect(tried.result.retryMessages).toHaveLength(1);
    // Run at once, before the real queue's batch (it waits up to a second) could analyse it.
    await runQueue(job, { queueName: "haven-jobs-dlq", attempts: 6 });
    const item = await untilStatus(client, id, "failed");
    expect(item.reason).toMatch(/every try/);

    const other = await home();
    const outside = await runQueue({
      type: "blobs.delete",
      key: `blobs.delete:${crypto.randomUUID()}`,
      roomId: room.id,
      keys: [`rooms/${other.room.id}/captures/x/original-y`],
    });
    expect(outside.result.explicitAcks).toHaveLength(1);
    client.close();
  }, 30_000);
});
