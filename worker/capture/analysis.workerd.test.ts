/**
 * The analysis in workerd, where the queue consumer runs it: the same numbers as in Node (audio-analysis.test.ts
 * states the tolerances), and a spectrogram through workerd's own CompressionStream.
 */
import { describe, expect, it } from "vitest";
import { recording } from "../../tests/fixtures/audio";
import { analyseAudio } from "./audio-analysis";
import { spectrogram } from "./spectrogram";
import { readWav } from "./wav";

describe("the capture analysis in workerd", () => {
  it("hears the furnace example: a 120 Hz hum with a knock twice a second", async () => {
    const pcm = readWav(recording("hum-and-clicks.wav"), 600);
    const a = analyseAudio(pcm.samples, pcm.sampleRate);
    expect(Math.abs((a.dominantHz ?? 0) - 120)).toBeLessThan(2);
    expect(Math.abs((a.periodicity?.hz ?? 0) - 2)).toBeLessThan(0.1);
    expect(a.summary).toBe("Steady hum at 120 Hz, loud; repeating click or knock about twice a second.");
    const image = await spectrogram(pcm.samples, pcm.sampleRate);
    expect([image.width, image.height]).toEqual([375, 256]);
    expect(Array.from(image.png.subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]);
  });

  it("measures a tone's level and pitch exactly as in Node", () => {
    const pcm = readWav(recording("tone-440hz-6dbfs.wav"), 600);
    const a = analyseAudio(pcm.samples, pcm.sampleRate);
    expect([a.peakDbfs, a.rmsDbfs, a.summary]).toEqual([-6, -9, "Steady tone at 440 Hz, loud."]);
  });
});
