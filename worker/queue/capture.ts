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
import { type AudioAnalysisRecord, captureKey, capturePrefix } from "../../schema/property/inbox";
import { analyseAudio } from "../capture/audio-analysis";
import { imageSize } from "../capture/image-size";
import { spectrogram } from "../capture/spectrogram";
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

type Findings = {
  audio: AudioAnalysisRecord | null;
  photo: { width: number; height: number } | null;
  spectrogram: { key: string; width: number; height: number; bytes: number; sha256: string } | null;
};

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
  // Its own object per run: a message delivered twice (the queue delivers at least once) never shares a key.
  const key = captureKey(job.roomId, job.captureId, `spectrogram-${job.attempt}-${crypto.randomUUID()}.png`);
  await env.BLOBS.put(key, image.png, { httpMetadata: { contentType: "image/png" } });
  return {
    audio,
    photo: null,
    spectrogram: {
      key,
      width: image.width,
      height: image.height,
      bytes: image.png.byteLength,
      sha256: await sha256Hex(image.png),
    },
  };
}

async function analysePhoto(env: Env, photoKey: string): Promise<Findings> {
  const size = imageSize(await fileBytes(env, photoKey, "photo"));
  if (!size) throw new Unanalysable("The photo's size could not be read; it may be damaged.");
  return { audio: null, photo: size, spectrogram: null };
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
    else if (work.kind === "photo" && work.files.photo) findings = await analysePhoto(env, work.files.photo.r2Key);
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
    transcript: null,
  });
  // Deleted or retried while it ran: what it stored for this attempt belongs to nothing.
  if (!filed && findings.spectrogram) await env.BLOBS.delete(findings.spectrogram.key);
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
