/**
 * A home's quick captures over HTTP: each file of a capture uploaded under the capture's id, and downloaded by the
 * home's members only, through the Worker (schema/property/inbox.ts, docs/captures.md).
 *
 * An upload follows the documents' order (asset-documents.ts): who, where and what are checked before a byte of
 * the body is read; a recording is streamed to R2 with its length fixed and its SHA-256 taken on the way; a photo
 * (at most 15 MB) is read whole, since a location can sit anywhere in it; then the room stages the file in a
 * command, and whatever the room refuses, the object no row holds is deleted again.
 */
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { CAPTURE_UPLOAD_WINDOW_MS, CAPTURE_UPLOADS_PER_USER_MAX } from "../../../config";
import { kindStub } from "../../../rooms/stubs";
import { COMMAND_ERROR_STATUS, type CommandOutcome } from "../../../schema/core/commands";
import { imageMetadata } from "../../../schema/core/exif";
import { type FileType, sniffFileType } from "../../../schema/core/files";
import { mayAddPhotos, PHOTO_TYPES } from "../../../schema/core/photos";
import {
  CAPTURE_PARTS,
  type CapturePart,
  captureId as captureIdSchema,
  captureKey,
  PART_RULES,
  RENDERED_PARTS,
  type RenderedPart,
} from "../../../schema/property/inbox";
import { stagedFileSchema } from "../../../schema/property/responses";
import type { AppEnv } from "../../app-env";
import { ApiError, errorBody, notFound, rateLimited } from "../../errors";
import { roomCaller, roomMember, roomNotFound } from "../../room-access";
import { notFound as notFoundCase, rateLimited as rateLimitedCase, roomWith, validationFailed } from "../common";
import { defineRoute, json, pathParam, type RouteDef } from "../define";
import { streamToR2 } from "../upload-stream";

const LARGEST = Math.max(...CAPTURE_PARTS.map((part) => PART_RULES[part].maxBytes));

/** Captures have their own body limit, the largest part's; each part's own is checked from `Content-Length`. */
const captureBodyLimit = bodyLimit({
  maxSize: LARGEST,
  onError: (c) =>
    c.json(errorBody("payload_too_large", `Capture files may be at most ${LARGEST / 1024 / 1024} MB.`), 413),
});

const PART_WORDS: Record<CapturePart, string> = {
  original: "Send the recording as made: WebM, Ogg, MP4, MP3 or WAV.",
  wav: "Send the recording as a PCM WAV file (Haven's app makes it).",
  photo: "Send a JPEG, PNG or WebP photo.",
};

function capturePath(c: Context<AppEnv>): { id: string; part: CapturePart } {
  const id = captureIdSchema.safeParse(pathParam(c, "captureId"));
  if (!id.success) throw new ApiError(400, "validation_failed", "A capture's id is a UUID the app makes.");
  const part = pathParam(c, "part");
  if (!CAPTURE_PARTS.includes(part as CapturePart))
    throw notFound(`A capture's files are ${CAPTURE_PARTS.join(", ")}.`);
  return { id: id.data, part: part as CapturePart };
}

/** A photo read whole (at most its part's limit): its type by its bytes, and saying nothing of where it was taken. */
async function photoBody(c: Context<AppEnv>): Promise<{ bytes: Uint8Array; type: (typeof PHOTO_TYPES)[number] }> {
  const declared = Number(c.req.header("Content-Length") ?? Number.NaN);
  if (declared > PART_RULES.photo.maxBytes)
    throw new ApiError(
      413,
      "payload_too_large",
      `Photos may be at most ${PART_RULES.photo.maxBytes / 1024 / 1024} MB.`,
    );
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.byteLength === 0) throw new ApiError(400, "validation_failed", "Send the photo as the body.");
  if (bytes.byteLength > PART_RULES.photo.maxBytes)
    throw new ApiError(
      413,
      "payload_too_large",
      `Photos may be at most ${PART_RULES.photo.maxBytes / 1024 / 1024} MB.`,
    );
  const type = sniffFileType(bytes, PHOTO_TYPES);
  if (!type) throw new ApiError(415, "unsupported_media_type", PART_WORDS.photo);
  if (imageMetadata(bytes).location)
    throw new ApiError(
      400,
      "validation_failed",
      "This photo still carries where it was taken (GPS tags). Capture it through Haven's app, which removes them.",
    );
  return { bytes, type };
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const uploadRoute = defineRoute({
  method: "put",
  path: "/api/rooms/{roomId}/captures/{captureId}/{part}",
  summary: "Upload a file of a capture",
  description:
    "The body is the file itself. `original` is the recording as made (WebM, Ogg, MP4, MP3 or WAV, at most " +
    `${PART_RULES.original.maxBytes} bytes), \`wav\` its mono PCM WAV for analysis (at most ` +
    `${PART_RULES.wav.maxBytes}), \`photo\` a JPEG, PNG or WebP photo without GPS tags (at most ` +
    `${PART_RULES.photo.maxBytes}). The type is what the first bytes are, not the Content-Type. Each part is ` +
    "uploaded once per capture; the command `inbox.create` then files the capture. Parts nobody files are deleted " +
    "after a day.",
  tag: "Homes",
  auth: "session",
  body: { media: ["application/octet-stream"] },
  ok: { 201: json("The staged file: its part, size and SHA-256.", stagedFileSchema) },
  errors: [
    ...roomWith("records.write"),
    notFoundCase("The room is not a home, or the part is not one of original, wav, photo."),
    validationFailed("The id is not a UUID, the body is empty or not as long as it said, or a photo has GPS tags."),
    [409, "conflict", "This part of the capture is already uploaded (nothing is replaced), or the capture is filed."],
    [413, "payload_too_large", "The file is over its part's limit."],
    [413, "quota_exceeded", "The home holds as many captures as it may."],
    [415, "unsupported_media_type", "The bytes are not of a type the part takes."],
    rateLimitedCase,
  ],
  middleware: [captureBodyLimit],
  handler: uploadCaptureFile,
});
async function uploadCaptureFile(c: Context<AppEnv>): Promise<Response> {
  const { user, room } = await roomCaller(c);
  if (room.kind !== "property") throw roomNotFound();
  // Whoever may add photos to a home may capture (schema/property/manifest.ts); checked before anything is read.
  if (!mayAddPhotos("property", room.role))
    throw new ApiError(403, "forbidden", "Your role in this home does not allow capturing.");
  const { id, part } = capturePath(c);
  const limiter = c.env.RATE_LIMITER.get(c.env.RATE_LIMITER.idFromName(`user:${user.id}`));
  const allowed = await limiter.take(`captures:${room.id}`, CAPTURE_UPLOADS_PER_USER_MAX, CAPTURE_UPLOAD_WINDOW_MS);
  if (!allowed.allowed)
    throw rateLimited(
      `At most ${CAPTURE_UPLOADS_PER_USER_MAX} capture files per person every ` +
        `${CAPTURE_UPLOAD_WINDOW_MS / 60_000} minutes.`,
      allowed.retryAfterSeconds,
    );
  // A fresh object per upload: a replayed id can never overwrite the bytes of a file already stored.
  const r2Key = captureKey(room.id, id, `${part}-${crypto.randomUUID()}`);
  let stored: { type: FileType; length: number; sha256: string };
  if (part === "photo") {
    const { bytes, type } = await photoBody(c);
    await c.env.BLOBS.put(r2Key, bytes, { httpMetadata: { contentType: type } });
    stored = { type, length: bytes.byteLength, sha256: await sha256Hex(bytes) };
  } else {
    const rules = PART_RULES[part];
    stored = await streamToR2(c, c.env.BLOBS, r2Key, {
      maxBytes: rules.maxBytes,
      types: rules.types,
      what: part === "wav" ? "Analysis WAVs" : "Recordings",
      typeError: PART_WORDS[part],
    });
  }
  const file = { captureId: id, part, r2Key, type: stored.type, bytes: stored.length, sha256: stored.sha256 };
  const stub = kindStub(c.env, "property", room.id);
  // RPC typing cannot carry `unknown` results across; the room returns a CommandOutcome.
  const { outcome, stored: held } = (await stub.stageCaptureFile(roomMember(c, user, room), file)) as unknown as {
    outcome: CommandOutcome;
    stored: boolean;
  };
  if (!outcome.ok) {
    if (!held) await c.env.BLOBS.delete(r2Key);
    const { code, message, details } = outcome.error;
    throw new ApiError(COMMAND_ERROR_STATUS[code], code, message, details);
  }
  return c.json(stagedFileSchema.parse(outcome.result), 201);
}

const downloadRoute = defineRoute({
  method: "get",
  path: "/api/rooms/{roomId}/captures/{captureId}/{part}",
  summary: "A file of an inbox item",
  description:
    "The recording as made (`original`), its analysis WAV (`wav`), the photo (`photo`), or what the analysis " +
    "rendered: a recording's `spectrogram` or a photo's `thumbnail` (PNGs), to members of the home only.",
  tag: "Homes",
  auth: "session",
  ok: { 200: { description: "The file.", media: ["audio/webm", "audio/wav", "image/png"], format: "binary" } },
  errors: [...roomWith("room.read"), notFoundCase("No such item, or it has no such file.")],
  handler: downloadCaptureFile,
});
async function downloadCaptureFile(c: Context<AppEnv>): Promise<Response> {
  const { room } = await roomCaller(c, "room.read");
  if (room.kind !== "property") throw roomNotFound();
  const id = captureIdSchema.safeParse(pathParam(c, "captureId"));
  const part = pathParam(c, "part");
  const known = [...CAPTURE_PARTS, ...RENDERED_PARTS] as readonly string[];
  if (!id.success || !known.includes(part)) throw notFound("No such file.");
  const found = await kindStub(c.env, "property", room.id).captureFile(id.data, part as CapturePart | RenderedPart);
  if (!found) throw notFound("No such item, or it has no such file.");
  const object = await c.env.BLOBS.get(found.r2Key);
  if (!object) throw notFound("This file is missing from storage.");
  return new Response(object.body, {
    headers: {
      "Content-Type": found.type,
      "Content-Length": String(object.size),
      // A retry renders a new spectrogram under the same path: the browser asks again, and the ETag saves a body.
      "Cache-Control": "private, no-cache",
      ETag: object.httpEtag,
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

export const captureRoutes: readonly RouteDef[] = [uploadRoute, downloadRoute];
