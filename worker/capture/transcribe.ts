/**
 * What was said in a recording, through Workers AI's Whisper when the deployment binds `AI` (docs/captures.md).
 * Whisper hears 30 s at a time, and the model takes the audio as an array of byte values, eight bytes of memory a
 * byte of WAV: so the recording goes a window of at most 30 s at a time, each cut in its quietest moment near the
 * end so a word is seldom split. A transcription that fails leaves the analysis as it is: the item says so.
 */
import { pcm16Wav } from "../../schema/core/wav";
import { TRANSCRIPT_MAX_CHARS, type Transcription } from "../../schema/property/inbox";

export const WHISPER_MODEL = "@cf/openai/whisper";
/** Whisper's own window. */
export const WINDOW_SECONDS = 30;
/** A cut is sought in the window's last 3 s. */
const SEEK_SECONDS = 3;
/** The stretch whose loudness is compared when seeking the cut. */
const STEP_SECONDS = 0.05;

/** The one call of the binding Haven makes, as the model's published schema has it. */
export interface WhisperBinding {
  run(model: typeof WHISPER_MODEL, input: { audio: number[] }): Promise<unknown>;
}

/** Where each window ends: at most WINDOW_SECONDS long, ending on the quietest step of its last SEEK_SECONDS. */
export function windows(samples: Float32Array, sampleRate: number): [number, number][] {
  const longest = Math.floor(WINDOW_SECONDS * sampleRate);
  const step = Math.max(1, Math.floor(STEP_SECONDS * sampleRate));
  const out: [number, number][] = [];
  for (let start = 0; start < samples.length; ) {
    let end = Math.min(samples.length, start + longest);
    if (end < samples.length) {
      let quietest = Number.POSITIVE_INFINITY;
      for (let at = end - step; at >= Math.max(start + step, end - SEEK_SECONDS * sampleRate); at -= step) {
        let energy = 0;
        for (let i = at; i < at + step; i++) energy += (samples[i] ?? 0) ** 2;
        if (energy < quietest) {
          quietest = energy;
          end = at + Math.floor(step / 2);
        }
      }
    }
    out.push([start, end]);
    start = end;
  }
  return out;
}

function textOf(answer: unknown): string {
  if (typeof answer !== "object" || answer === null || typeof (answer as { text?: unknown }).text !== "string")
    throw new Error("Whisper answered without a text");
  return (answer as { text: string }).text.trim();
}

export async function transcribe(
  ai: WhisperBinding | undefined,
  samples: Float32Array,
  sampleRate: number,
): Promise<Transcription> {
  if (!ai) return { transcription: "off", transcript: null };
  const heard: string[] = [];
  try {
    for (const [start, end] of windows(samples, sampleRate)) {
      const wav = pcm16Wav(samples.subarray(start, end), sampleRate);
      const text = textOf(await ai.run(WHISPER_MODEL, { audio: Array.from(wav) }));
      if (text) heard.push(text);
    }
  } catch (error) {
    console.log(JSON.stringify({ event: "transcription_failed", error: String(error).slice(0, 300) }));
    return { transcription: "failed", transcript: null };
  }
  return { transcription: "done", transcript: heard.join(" ").slice(0, TRANSCRIPT_MAX_CHARS) };
}
