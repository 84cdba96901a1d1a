/**
 * The analysis on real audio made with sox and espeak-ng (tests/fixtures/audio/README.md says how), against the
 * numbers each file was made with. Tolerances: frequencies ±2 Hz (the FFT's bins are 3.9 Hz, interpolated), levels
 * ±0.5 dB, a repetition's rate ±0.1 Hz.
 */
import { describe, expect, it } from "vitest";
import { type Recording, recording } from "../../tests/fixtures/audio";
import { analyseAudio } from "./audio-analysis";
import { readWav } from "./wav";

const analysed = (name: Recording) => {
  const pcm = readWav(recording(name), 600);
  return analyseAudio(pcm.samples, pcm.sampleRate);
};
const HZ = 2;
const DB = 0.5;

describe("analysing a recording", () => {
  it("a 440 Hz tone at -6 dBFS peak: its pitch, peak and RMS (-3 dB below the peak), a steady tone", () => {
    const a = analysed("tone-440hz-6dbfs.wav");
    expect(a.durationSeconds).toBe(2);
    expect(Math.abs((a.dominantHz ?? 0) - 440)).toBeLessThan(HZ);
    expect(Math.abs(a.peakDbfs + 6.02)).toBeLessThan(DB);
    expect(Math.abs(a.rmsDbfs + 9.03)).toBeLessThan(DB);
    expect(Math.abs(a.noiseFloorDbfs - a.rmsDbfs)).toBeLessThan(DB);
    expect(Math.abs(a.centroidHz - 440)).toBeLessThan(20);
    expect([a.tonal, a.periodicity, a.peaks.length]).toEqual([true, null, 1]);
    expect(a.summary).toBe("Steady tone at 440 Hz, loud.");
  });

  it("a 120 Hz hum at -20 dBFS: a hum, moderate, nothing repeating", () => {
    const a = analysed("hum-120hz-20dbfs.wav");
    expect(Math.abs((a.dominantHz ?? 0) - 120)).toBeLessThan(HZ);
    expect(Math.abs(a.peakDbfs + 20)).toBeLessThan(DB);
    expect(a.periodicity).toBeNull();
    expect(a.summary).toBe("Steady hum at 120 Hz, moderate.");
  });

  it("white noise: a flat spectrum centred high, no pitch, no repetition", () => {
    const a = analysed("white-noise.wav");
    expect(a.flatness).toBeGreaterThan(0.5);
    expect(a.tonal).toBe(false);
    // Flat to 8 kHz: the centroid near the middle.
    expect(Math.abs(a.centroidHz - 4000)).toBeLessThan(400);
    expect(a.periodicity).toBeNull();
    expect(a.summary).toBe("Broadband hiss or rushing sound, moderate.");
  });

  it("a click train at 2 Hz: its rate from the envelope, silence between not taken for a sound", () => {
    const a = analysed("clicks-2hz.wav");
    expect(Math.abs((a.periodicity?.hz ?? 0) - 2)).toBeLessThan(0.1);
    expect(a.periodicity?.strength).toBeGreaterThan(0.6);
    expect(a.noiseFloorDbfs).toBeLessThan(-80);
    expect(Math.abs((a.dominantHz ?? 0) - 2500)).toBeLessThan(20);
    expect(a.summary).toBe("Repeating click or knock about twice a second, moderate.");
  });

  it("a hum with a knock on it: both, as the issue's furnace example", () => {
    const a = analysed("hum-and-clicks.wav");
    expect(Math.abs((a.dominantHz ?? 0) - 120)).toBeLessThan(HZ);
    expect(Math.abs((a.periodicity?.hz ?? 0) - 2)).toBeLessThan(0.1);
    expect(a.summary).toBe("Steady hum at 120 Hz, loud; repeating click or knock about twice a second.");
  });

  it("a 3.1 kHz beep twice a second (a smoke alarm's chirp): a beep, not a click", () => {
    const a = analysed("beeps-2hz.wav");
    expect(Math.abs((a.dominantHz ?? 0) - 3100)).toBeLessThan(HZ);
    expect(Math.abs((a.periodicity?.hz ?? 0) - 2)).toBeLessThan(0.1);
    expect(a.summary).toBe("Repeating beep or pulse about twice a second, loud.");
  });

  it("espeak-ng speech: a voice, its fundamental among the peaks' harmonics", () => {
    const a = analysed("speech.wav");
    expect(a.fundamentalHz).not.toBeNull();
    expect(a.fundamentalHz ?? 0).toBeGreaterThan(70);
    expect(a.fundamentalHz ?? 0).toBeLessThan(250);
    expect(a.summary).toBe("A voice or speech, moderate.");
  });

  it("silence: no pitch and says so", () => {
    const a = analyseAudio(new Float32Array(16_000), 16_000);
    expect([a.dominantHz, a.peaks, a.periodicity, a.rmsDbfs]).toEqual([null, [], null, -120]);
    expect(a.summary).toBe("Near silence: nothing clear was heard.");
  });
});
