/**
 * Sound in the browser: recording from the microphone with MediaRecorder, and the mono 16 kHz 16-bit PCM WAV of
 * any recording this browser can decode, which the server analyses without needing a codec for WebM, MP4 or MP3.
 */
import { pcm16Wav } from "../../../../schema/core/wav";
import { ApiError } from "../../api";

/** The rate the analysis WAV is resampled to: voices and household noises sit well below its 8 kHz. */
export const ANALYSIS_SAMPLE_RATE = 16_000;

/** Decodes a recording and mixes it down to mono at ANALYSIS_SAMPLE_RATE, as a WAV. */
export async function analysisWav(recording: Blob): Promise<Blob> {
  const context = new AudioContext();
  let decoded: AudioBuffer;
  try {
    decoded = await context.decodeAudioData(await recording.arrayBuffer());
  } catch {
    throw new ApiError(415, "unsupported_media_type", "This browser cannot play that file, so Haven cannot hear it.");
  } finally {
    void context.close();
  }
  const frames = Math.max(1, Math.ceil(decoded.duration * ANALYSIS_SAMPLE_RATE));
  const offline = new OfflineAudioContext(1, frames, ANALYSIS_SAMPLE_RATE);
  const source = offline.createBufferSource();
  source.buffer = decoded;
  source.connect(offline.destination);
  source.start();
  const rendered = await offline.startRendering();
  return new Blob([pcm16Wav(rendered.getChannelData(0), ANALYSIS_SAMPLE_RATE)], { type: "audio/wav" });
}

/** The first container MediaRecorder offers here: Chromium and Firefox record WebM/Opus, Safari MP4/AAC. */
function recorderType(): string | undefined {
  return ["audio/webm;codecs=opus", "audio/webm", "audio/mp4", "audio/ogg"].find((type) =>
    MediaRecorder.isTypeSupported(type),
  );
}

/** A recording in progress: `stop` ends it and answers the recording as made. */
export interface Recording {
  stop(): Promise<Blob>;
  cancel(): void;
}

/** Starts recording from the microphone; throws an ApiError with words for the user when it cannot. */
export async function startRecording(): Promise<Recording> {
  if (typeof MediaRecorder === "undefined" || !navigator.mediaDevices?.getUserMedia)
    throw new ApiError(0, "unsupported", "This browser cannot record sound; upload a recording instead.");
  let stream: MediaStream;
  try {
    // The noise is the point: no echo cancelling, noise suppression or gain riding, which take a knock or a hum
    // for something to remove.
    stream = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
    });
  } catch {
    throw new ApiError(0, "denied", "Haven may not use the microphone. Allow it in the browser's site settings.");
  }
  const recorder = new MediaRecorder(stream, { mimeType: recorderType() });
  const chunks: Blob[] = [];
  recorder.ondataavailable = (event) => {
    if (event.data.size > 0) chunks.push(event.data);
  };
  const release = () => {
    for (const track of stream.getTracks()) track.stop();
  };
  recorder.start(1_000);
  return {
    stop: () =>
      new Promise<Blob>((resolve) => {
        recorder.onstop = () => {
          release();
          resolve(new Blob(chunks, { type: recorder.mimeType.split(";")[0] || "audio/webm" }));
        };
        recorder.stop();
      }),
    cancel: () => {
      recorder.onstop = release;
      recorder.stop();
    },
  };
}
