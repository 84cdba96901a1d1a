// Workers AI's side of `env.AI.run("@cf/openai/whisper", { audio })` for the workerd suite, bound as `AI`
// (vitest.config.ts); nothing here reaches the internet. It holds the caller to the model's published input (an
// array of byte values, 0 to 255, of an audio file) and to Whisper's 30 s window, reads the WAV it was given, and
// answers in the model's published output shape. No speech model runs here, so the words it answers describe
// what it heard: "(12.34 s of sound)", or nothing for silence.
import { WorkerEntrypoint } from "cloudflare:workers";

const WINDOW_SECONDS = 30;

/** The WAV's rate, channels, bits and its samples' RMS in dBFS; throws as the service would on a bad file. */
function readWav(bytes) {
  const view = new DataView(bytes.buffer);
  const tag = (at) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.length < 44 || tag(0) !== "RIFF" || tag(8) !== "WAVE") throw new Error("AiError: 5006: not a WAV file");
  let at = 12;
  let format = null;
  while (at + 8 <= bytes.length) {
    const size = view.getUint32(at + 4, true);
    if (tag(at) === "fmt ")
      format = {
        channels: view.getUint16(at + 10, true),
        rate: view.getUint32(at + 12, true),
        bits: view.getUint16(at + 22, true),
      };
    if (tag(at) === "data") {
      if (format?.bits !== 16) throw new Error("AiError: 5006: only 16-bit PCM is read here");
      const count = Math.floor(Math.min(size, bytes.length - at - 8) / 2);
      let sum = 0;
      for (let i = 0; i < count; i++) sum += (view.getInt16(at + 8 + i * 2, true) / 32768) ** 2;
      const rms = count > 0 ? Math.sqrt(sum / count) : 0;
      return { ...format, seconds: count / format.channels / format.rate, dbfs: 20 * Math.log10(rms || 1e-9) };
    }
    at += 8 + size + (size % 2);
  }
  throw new Error("AiError: 5006: the WAV has no data chunk");
}

export class Whisper extends WorkerEntrypoint {
  async run(model, input) {
    if (model !== "@cf/openai/whisper") throw new Error(`AiError: 5007: no such model ${model}`);
    const audio = input?.audio;
    if (!Array.isArray(audio) || audio.some((b) => !Number.isInteger(b) || b < 0 || b > 255))
      throw new Error("AiError: 5006: audio must be an array of integers from 0 to 255");
    const wav = readWav(Uint8Array.from(audio));
    if (wav.seconds > WINDOW_SECONDS + 0.01)
      throw new Error(`AiError: 5006: ${wav.seconds.toFixed(2)} s is longer than the model's window`);
    if (wav.dbfs < -60) return { text: "", word_count: 0, words: [], vtt: "WEBVTT\n" };
    const text = `(${wav.seconds.toFixed(2)} s of sound)`;
    return {
      text,
      word_count: 4,
      words: [{ word: text, start: 0, end: wav.seconds }],
      vtt: `WEBVTT\n\n00:00.000 --> 00:${wav.seconds.toFixed(3).padStart(6, "0")}\n${text}\n`,
    };
  }
}

export default {
  fetch() {
    return new Response("Whisper's side, for tests", { status: 404 });
  },
};
