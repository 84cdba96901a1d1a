/**
 * Transcription through the `AI` binding, which this suite binds to Whisper's side (tests/support/whisper-peer.js):
 * a recording longer than Whisper's 30 s window goes in windows, cut in its quiet moments, and what each window
 * heard is joined in order; a silent recording is transcribed as nothing; a photo is never sent.
 */
import { describe, expect, it } from "vitest";
import { pcm16Wav } from "../../../schema/core/wav";
import { RoomClient } from "../helpers";
import { home, inbox, PNG_3X2, putPart, untilStatus } from "./inbox-helpers";

const RATE = 16_000;

/** A 440 Hz tone for `seconds`, silent during each of `quiet` ([from, to] in seconds). */
function toneWith(seconds: number, quiet: [number, number][]): Uint8Array<ArrayBuffer> {
  const samples = new Float32Array(seconds * RATE);
  for (let i = 0; i < samples.length; i++) {
    const t = i / RATE;
    samples[i] = quiet.some(([from, to]) => t >= from && t < to) ? 0 : 0.3 * Math.sin(2 * Math.PI * 440 * t);
  }
  return pcm16Wav(samples, RATE);
}

async function fileRecording(wav: Uint8Array<ArrayBuffer>) {
  const { alice, room } = await home();
  const watcher = await RoomClient.connect("property", room.id, alice.cookie);
  const id = crypto.randomUUID();
  for (const part of ["original", "wav"]) expect((await putPart(room.id, id, part, alice, wav)).status).toBe(201);
  expect((await inbox(room.id, alice, "inbox.create", { id })).status).toBe(200);
  const item = await untilStatus(watcher, id, "processed", 30_000);
  watcher.close();
  return item;
}

describe("transcription", () => {
  it("sends a 70 s recording in windows cut where it is quiet, and joins what each heard", async () => {
    // Quiet from 27.5 s to 28.5 s and from 55 s to 56 s: the cuts land in them, not at 30 s and 60 s.
    const item = await fileRecording(
      toneWith(70, [
        [27.5, 28.5],
        [55, 56],
      ]),
    );
    expect(item.transcription).toBe("done");
    const windows = [...(item.transcript ?? "").matchAll(/\((\d+\.\d\d) s of sound\)/g)].map((m) => Number(m[1]));
    expect(windows).toHaveLength(3);
    for (const seconds of windows) expect(seconds).toBeLessThanOrEqual(30);
    expect(windows[0]).toBeGreaterThanOrEqual(27.5);
    expect(windows[0]).toBeLessThanOrEqual(28.5);
    expect((windows[0] ?? 0) + (windows[1] ?? 0)).toBeGreaterThanOrEqual(55);
    expect((windows[0] ?? 0) + (windows[1] ?? 0)).toBeLessThanOrEqual(56);
    expect(windows.reduce((a, b) => a + b, 0)).toBeCloseTo(70, 1);
  });

  it("transcribes silence as nothing said, and never sends a photo", async () => {
    const silent = await fileRecording(toneWith(5, [[0, 5]]));
    expect([silent.transcription, silent.transcript]).toEqual(["done", ""]);

    const { alice, room } = await home();
    const watcher = await RoomClient.connect("property", room.id, alice.cookie);
    const id = crypto.randomUUID();
    expect((await putPart(room.id, id, "photo", alice, PNG_3X2, { "Content-Type": "image/png" })).status).toBe(201);
    expect((await inbox(room.id, alice, "inbox.create", { id })).status).toBe(200);
    const photo = await untilStatus(watcher, id, "processed");
    expect([photo.transcription, photo.transcript]).toEqual(["off", null]);
    watcher.close();
  });
});
