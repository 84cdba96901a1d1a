/**
 * A home's inbox: quick captures (a recording, a photo, a line of text) filed by the family and analysed in the
 * background. Shared by the upload route, the room, the queue consumer and the client (docs/captures.md).
 *
 * A capture's files are uploaded first, each under the capture's id (`PUT /api/rooms/:roomId/captures/:id/:part`);
 * the command `inbox.create` then files them as one item, `processing` until the consumer has analysed them.
 */
import { z } from "zod";
import { CAPTURE_AUDIO_MAX_BYTES, CAPTURE_PHOTO_MAX_BYTES, CAPTURE_WAV_MAX_BYTES } from "../../config";
import type { FileType } from "../core/files";
import { PHOTO_TYPES } from "../core/photos";

/** The files a capture may have: the recording as made, its mono 16 kHz WAV for analysis, or a photo. */
export const CAPTURE_PARTS = ["original", "wav", "photo"] as const;
/** The files the analysis renders: a recording's spectrogram, a photo's thumbnail. */
export const RENDERED_PARTS = ["spectrogram", "thumbnail"] as const;
export type RenderedPart = (typeof RENDERED_PARTS)[number];
export type CapturePart = (typeof CAPTURE_PARTS)[number];

/** Recordings as browsers make them (MediaRecorder's WebM or MP4), or a file picked: Ogg, MP3, WAV. */
export const AUDIO_TYPES = ["audio/webm", "audio/ogg", "audio/mp4", "audio/mpeg", "audio/wav"] as const;

/** What each part may be, by its first bytes, and how large. */
export const PART_RULES: Readonly<Record<CapturePart, { types: readonly FileType[]; maxBytes: number }>> = {
  original: { types: AUDIO_TYPES, maxBytes: CAPTURE_AUDIO_MAX_BYTES },
  wav: { types: ["audio/wav"], maxBytes: CAPTURE_WAV_MAX_BYTES },
  photo: { types: PHOTO_TYPES, maxBytes: CAPTURE_PHOTO_MAX_BYTES },
};

/** Where a capture's file lives in R2: under its room and capture, each upload its own object. */
export const captureKey = (roomId: string, captureId: string, name: string) =>
  `rooms/${roomId}/captures/${captureId}/${name}`;

/** Everything of a room's captures in R2 starts with this. */
export const capturePrefix = (roomId: string) => `rooms/${roomId}/captures/`;

export const CAPTURE_STATUSES = ["processing", "processed", "failed"] as const;
export type CaptureStatus = (typeof CAPTURE_STATUSES)[number];

export const CAPTURE_KINDS = ["audio", "photo", "text"] as const;
export type CaptureKind = (typeof CAPTURE_KINDS)[number];

/** The longest note on a capture: a line or two typed on a phone. */
export const CAPTURE_NOTE_MAX_CHARS = 500;
/** The longest comment on an item, and how many one item keeps (each is mirrored with it). */
export const CAPTURE_COMMENT_MAX_CHARS = 1_000;
export const MAX_COMMENTS_PER_CAPTURE = 50;

export const captureId = z.uuid();

const finite = z.number().finite();

/** What the consumer measured in a recording (worker/capture/audio-analysis.ts), as the room keeps it. */
export const audioAnalysis = z
  .object({
    durationSeconds: finite.min(0),
    sampleRate: z.number().int().positive(),
    rmsDbfs: finite,
    peakDbfs: finite,
    noiseFloorDbfs: finite,
    dominantHz: finite.nullable(),
    peaks: z.array(z.object({ hz: finite, db: finite })).max(5),
    centroidHz: finite,
    tonal: z.boolean(),
    flatness: finite,
    fundamentalHz: finite.nullable(),
    periodicity: z.object({ hz: finite, strength: finite }).nullable(),
    summary: z.string().max(500),
  })
  .strict();
export type AudioAnalysisRecord = z.infer<typeof audioAnalysis>;

/**
 * What the consumer measured in a photo: its size always; its dominant colours and blur score when its pixels
 * could be read (JPEG, 8-bit PNG), else null.
 */
export const photoAnalysis = z
  .object({
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    colours: z
      .array(z.object({ hex: z.string().regex(/^#[0-9a-f]{6}$/), share: z.number().min(0).max(1) }).strict())
      .max(5)
      .nullable(),
    blur: z
      .object({ variance: finite.min(0), sharp: z.boolean() })
      .strict()
      .nullable(),
  })
  .strict();
export type PhotoAnalysisRecord = z.infer<typeof photoAnalysis>;

/** The spectrogram image the consumer rendered. */
export const spectrogramImage = z.object({
  key: z.string().min(1).max(300),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  bytes: z.number().int().positive(),
});

/** A stored file of a capture, as the inbox lists it. */
export interface CaptureFile {
  type: string;
  bytes: number;
  /** Hex SHA-256 of the bytes as stored. */
  sha256: string;
}

/** The longest transcript kept: about 50 minutes of speech, five times the longest recording. */
export const TRANSCRIPT_MAX_CHARS = 20_000;

/**
 * Whether a recording was transcribed: `off` without an `AI` binding (and for photos and notes), `failed` when
 * Whisper could not be reached or answered nonsense (the analysis stands), `done` with what was heard, which may be
 * nothing.
 */
export type Transcription =
  | { transcription: "off" | "failed"; transcript: null }
  | { transcription: "done"; transcript: string };

/** An inbox item, as the room mirrors it into its document (`inbox` root). */
export interface InboxItem {
  id: string;
  kind: CaptureKind;
  note: string;
  assetId: string | null;
  status: CaptureStatus;
  /** Why analysis failed, for a person; null unless `failed`. */
  reason: string | null;
  /** Analysis runs so far: each retry is the next. */
  attempt: number;
  files: Partial<Record<CapturePart | RenderedPart, CaptureFile>>;
  audio: AudioAnalysisRecord | null;
  photo: PhotoAnalysisRecord | null;
  spectrogram: { width: number; height: number } | null;
  thumbnail: { width: number; height: number } | null;
  transcription: Transcription["transcription"];
  /** What was said, when `transcription` is `done`; null otherwise. */
  transcript: string | null;
  /** What the family said about it, oldest first. */
  comments: { id: string; by: string; byName: string; text: string; at: number }[];
  /** The task made from it, if any. */
  taskId: string | null;
  archived: boolean;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

/** The inbox's commands (besides the upload route's): their names and arguments. */
export const inboxCommands = {
  /** Files the parts uploaded under `id` as one item; with none, `note` is the item. */
  "inbox.create": z
    .object({
      id: captureId,
      note: z
        .string()
        .trim()
        .max(CAPTURE_NOTE_MAX_CHARS, `may be at most ${CAPTURE_NOTE_MAX_CHARS} characters`)
        .default(""),
      assetId: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,64}$/, "is not an id")
        .nullable()
        .default(null),
    })
    .strict(),
  /** Runs the analysis of a failed item again. */
  "inbox.retry": z.object({ id: captureId }).strict(),
  "inbox.archive": z.object({ id: captureId, archived: z.boolean() }).strict(),
  /** A comment on an item; `commentId` makes a replayed one land once. */
  "inbox.comment": z
    .object({
      id: captureId,
      commentId: captureId,
      text: z
        .string()
        .trim()
        .min(1, "is required")
        .max(CAPTURE_COMMENT_MAX_CHARS, `may be at most ${CAPTURE_COMMENT_MAX_CHARS} characters`),
    })
    .strict(),
  /** Deletes the item and its files. */
  "inbox.delete": z.object({ id: captureId }).strict(),
} as const;
