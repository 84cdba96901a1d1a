/**
 * The `capture.analyse` job: reads a home's capture from R2, measures it (worker/capture) and reports to the room,
 * which files the findings only if the item still waits for that attempt. A file that can never be analysed (not
 * a WAV, damaged, too long, missing) is reported as `failed` with the reason, at once; anything else that throws
 * (R2 or the room unavailable) is retried by the queue and, after the last retry, reported failed by the
 * dead-letter consumer. The `blobs.delete` job deletes the objects a room forgot.
 */
import { CAPTURE_MAX_SECONDS } from "../../config";
import { kindStub } from "../../rooms/stubs";
import type { BlobsDeleteJob, CaptureJob } from "../../schema/core/jobs";
import {
  type AudioAnalysisRecord,
  captureKey,
  capturePrefix,
  type PhotoAnalysisRecord,
  type Transcription,
} from "../../schema/property/inbox";
import { analyseAudio } from "../capture/audio-analysis";
import { decodeImage } from "../capture/image-decode";
import { imageSize } from "../capture/image-size";
import { lookAt } from "../capture/photo-analysis";
import { spectrogram } from "../capture/spectrogram";
import { transcribe } from "../capture/transcribe";
import { readWav, WavError } from "../capture/wav";
import { type JobOutcome, JobRejected } from "./outcome";

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A reason the file itself gives: retrying cannot help. */
class Unanalysable extends Error {}

async function fileBytes(env: Env, r2Key: string, what: string): Promise<Uint8Array> {
  const object = await env.BLOBS.get(r2Key);
  if (!object) throw new Unanalysable(`The ${what} is missing from storage.`);
  return new Uint8Array(await object.arrayBuffer());
}

type Rendered = { key: string; width: number; height: number; bytes: number; sha256: string };
type Findings = Transcription & {
  audio: AudioAnalysisRecord | null;
  photo: PhotoAnalysisRecord | null;
  spectrogram: Rendered | null;
  thumbnail: Rendered | null;
};

/** A photo says nothing. */
const NOT_HEARD: Transcription = { transcription: "off", transcript: null };

/** Stores a PNG the analysis rendered, its own object per run (the queue may deliver a message twice). */
async function storeRendered(
  env: Env,
  job: CaptureJob,
  part: string,
  image: { png: Uint8Array; width: number; height: number },
): Promise<Rendered> {
  const key = captureKey(job.roomId, job.captureId, `${part}-${job.attempt}-${crypto.randomUUID()}.png`);
  await env.BLOBS.put(key, image.png, { httpMetadata: { contentType: "image/png" } });
  return {
    key,
    width: image.width,
    height: image.height,
    bytes: image.png.byteLength,
    sha256: await sha256Hex(image.png),
  };
}

async function analyseRecording(env: Env, job: CaptureJob, wavKey: string): Promise<Findings> {
  let pcm: ReturnType<typeof readWav>;
  try {
    pcm = readWav(await fileBytes(env, wavKey, "recording's WAV"), CAPTURE_MAX_SECONDS);
  } catch (error) {
    if (error instanceof WavError) throw new Unanalysable(`The recording could not be read: ${error.message}`);
    throw error;
  }
  const audio = analyseAudio(pcm.samples, pcm.sampleRate);
  const image = await spectrogram(pcm.samples, pcm.sampleRate);
  const stored = await storeRendered(env, job, "spectrogram", image);
  const heard = await transcribe(env.AI, pcm.samples, pcm.sampleRate);
  return { audio, photo: null, spectrogram: stored, thumbnail: null, ...heard };
}

async function analysePhoto(env: Env, job: CaptureJob, photoKey: string): Promise<Findings> {
  const bytes = await fileBytes(env, photoKey, "photo");
  const size = imageSize(bytes);
  if (!size) throw new Unanalysable("The photo's size could not be read; it may be damaged.");
  const pixels = await decodeImage(bytes);
  // A WebP, or a PNG of a kind not decoded here: measured by its header alone.
  if (!pixels)
    return {
      ...NOT_HEARD,
      audio: null,
      photo: { ...size, colours: null, blur: null },
      spectrogram: null,
      thumbnail: null,
    };
  const look = await lookAt(pixels);
  return {
    ...NOT_HEARD,
    audio: null,
    photo: { ...size, colours: look.colours, blur: look.blur },
    spectrogram: null,
    thumbnail: await storeRendered(env, job, "thumbnail", look.thumbnail),
  };
}

export async function handleCapture(env: Env, job: CaptureJob): Promise<JobOutcome> {
  const room = kindStub(env, "property", job.roomId);
  const work = await room.captureWork(job.captureId);
  // Deleted, retried or done meanwhile: nothing to do for this attempt.
  if (work?.status !== "processing" || work.attempt !== job.attempt) return { done: true };
  const started = Date.now();
  let findings: Findings;
  try {
    if (work.kind === "audio" && work.files.wav) findings = await analyseRecording(env, job, work.files.wav.r2Key);
    else if (work.kind === "photo" && work.files.photo) findings = await analysePhoto(env, job, work.files.photo.r2Key);
    else throw new Unanalysable("Nothing in this capture can be analysed.");
  } catch (error) {
    if (!(error instanceof Unanalysable)) throw error;
    await room.reportAnalysis({ ok: false, captureId: job.captureId, attempt: job.attempt, reason: error.message });
    return { done: true };
  }
  const filed = await room.reportAnalysis({
    ok: true,
    captureId: job.captureId,
    attempt: job.attempt,
    ...findings,
  });
  // Deleted or retried while it ran: what it stored for this attempt belongs to nothing.
  const rendered = [findings.spectrogram, findings.thumbnail].flatMap((image) => (image ? [image.key] : []));
  if (!filed && rendered.length > 0) await env.BLOBS.delete(rendered);
  console.log(
    JSON.stringify({
      event: "capture_analysed",
      roomId: job.roomId,
      captureId: job.captureId,
      attempt: job.attempt,
      kind: work.kind,
      filed,
      ms: Date.now() - started,
    }),
  );
  return { done: true };
}

/** After the last retry: the item says its analysis failed, and offers Retry. */
export async function captureGaveUp(env: Env, job: CaptureJob, error: string): Promise<void> {
  await kindStub(env, "property", job.roomId).reportAnalysis({
    ok: false,
    captureId: job.captureId,
    attempt: job.attempt,
    reason: `The analysis failed on every try (${error.slice(0, 300)}). Try again later.`,
  });
}

export async function handleBlobsDelete(env: Env, job: BlobsDeleteJob): Promise<JobOutcome> {
  const prefix = capturePrefix(job.roomId);
  if (job.keys.some((key) => !key.startsWith(prefix) || key.includes("..")))
    throw new JobRejected("blobs.delete names objects outside the room's captures");
  await env.BLOBS.delete(job.keys);
  return { done: true };
}
