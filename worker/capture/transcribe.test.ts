/**
 * The windows a recording is sent to Whisper in, and what the item says when there is no binding or the binding
 * fails: `transcribe` never throws, and a failed transcription leaves the analysis alone.
 */
import { describe, expect, it, vi } from "vitest";
import { TRANSCRIPT_MAX_CHARS } from "../../schema/property/inbox";
import { transcribe, type WhisperBinding, WINDOW_SECONDS, windows } from "./transcribe";

const RATE = 16_000;

function loud(seconds: number): Float32Array {
  return Float32Array.from({ length: seconds * RATE }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 300 * i) / RATE));
}

describe("windows", () => {
  it("covers every sample once, in windows of at most 30 s", () => {
    const cuts = windows(loud(95), RATE);
    expect(cuts[0]?.[0]).toBe(0);
    expect(cuts.at(-1)?.[1]).toBe(95 * RATE);
    for (const [i, [start, end]] of cuts.entries()) {
      expect(end - start).toBeLessThanOrEqual(WINDOW_SECONDS * RATE);
      expect(end).toBeGreaterThan(start);
      if (i > 0) expect(start).toBe(cuts[i - 1]?.[1]);
    }
  });

  it("cuts in the quiet moment before the window ends", () => {
    const samples = loud(45);
    samples.fill(0, 28.8 * RATE, 29.0 * RATE);
    const [first] = windows(samples, RATE);
    expect((first?.[1] ?? 0) / RATE).toBeGreaterThanOrEqual(28.8);
    expect((first?.[1] ?? 0) / RATE).toBeLessThanOrEqual(29.0);
  });

  it("sends a short recording whole", () => {
    expect(windows(loud(3), RATE)).toEqual([[0, 3 * RATE]]);
  });
});

describe("transcribe", () => {
  it("is off without a binding", async () => {
    expect(await transcribe(undefined, loud(2), RATE)).toEqual({ transcription: "off", transcript: null });
  });

  it("joins the windows' words in order and keeps at most the longest transcript", async () => {
    let call = 0;
    const ai: WhisperBinding = { run: async () => ({ text: ` part ${++call} ` }) };
    expect(await transcribe(ai, loud(65), RATE)).toEqual({ transcription: "done", transcript: "part 1 part 2 part 3" });
    const chatty: WhisperBinding = { run: async () => ({ text: "word ".repeat(10_000) }) };
    expect((await transcribe(chatty, loud(2), RATE)).transcript).toHaveLength(TRANSCRIPT_MAX_CHARS);
  });

  it("says it failed, without throwing, when the service fails or answers without a text", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const down: WhisperBinding = {
      run: async () => {
        throw new Error("AiError: 3040: Capacity temporarily exceeded");
      },
    };
    expect(await transcribe(down, loud(2), RATE)).toEqual({ transcription: "failed", transcript: null });
    expect(await transcribe({ run: async () => ({ words: [] }) }, loud(2), RATE)).toEqual({
      transcription: "failed",
      transcript: null,
    });
    expect(log).toHaveBeenCalledWith(expect.stringContaining("transcription_failed"));
    log.mockRestore();
  });
});
