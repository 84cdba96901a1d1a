/**
 * An upload's body streamed into R2, never held whole in memory: its length is fixed by `Content-Length`, its
 * type is what its first bytes are (not what the request claims), and its SHA-256 is taken on the way. A body
 * that turns out longer or shorter than it said, or of a type not allowed, is refused before R2 sees its end,
 * so nothing of it is stored. Used by a home's asset documents and its inbox captures.
 */
import type { Context } from "hono";
import { type FileType, SNIFF_BYTES, sniffFileType } from "../../schema/core/files";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";

/** The body's length and its bytes as a stream: a body without Content-Length was read by the body limit. */
export async function uploadBody(c: Context<AppEnv>): Promise<{ length: number; stream: ReadableStream<Uint8Array> }> {
  const declared = c.req.header("Content-Length");
  const body = c.req.raw.body;
  if (declared !== undefined && body) return { length: Number(declared), stream: body };
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  return { length: bytes.byteLength, stream: new Blob([bytes]).stream() };
}

/** Reads until the first SNIFF_BYTES are in (or the body ends): the chunks read, to be written first. */
async function readHead(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  let seen = 0;
  while (seen < SNIFF_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    seen += value.byteLength;
  }
  return chunks;
}

function joined(chunks: Uint8Array[], max: number): Uint8Array {
  const head = new Uint8Array(
    Math.min(
      max,
      chunks.reduce((n, chunk) => n + chunk.byteLength, 0),
    ),
  );
  let offset = 0;
  for (const chunk of chunks) {
    if (offset >= head.byteLength) break;
    head.set(chunk.subarray(0, head.byteLength - offset), offset);
    offset += chunk.byteLength;
  }
  return head;
}

/** The body is not as long as its Content-Length says: the client's error, not storage's. */
const lengthMismatch = () =>
  new ApiError(400, "validation_failed", "The body's length is not its Content-Length; nothing was stored.");

/**
 * Writes the head and then the rest of the body into each of `writables`, which take exactly `length` bytes: a
 * body that turns out longer or shorter is refused here, before R2 could see its end, so nothing of it is stored.
 */
async function pump(
  head: Uint8Array[],
  reader: ReadableStreamDefaultReader<Uint8Array>,
  writables: WritableStream<Uint8Array>[],
  length: number,
): Promise<void> {
  const writers = writables.map((w) => w.getWriter());
  let written = 0;
  const write = async (chunk: Uint8Array) => {
    written += chunk.byteLength;
    if (written > length) throw lengthMismatch();
    await Promise.all(writers.map((writer) => writer.write(chunk)));
  };
  try {
    for (const chunk of head) await write(chunk);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      await write(value);
    }
    if (written !== length) throw lengthMismatch();
    await Promise.all(writers.map((writer) => writer.close()));
  } catch (err) {
    await Promise.all(writers.map((writer) => writer.abort(err).catch(() => undefined)));
    throw err;
  }
}

const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

/** What an upload may be: its largest size, the types its first bytes may show, and the words for refusals. */
export interface UploadRules<T extends FileType> {
  maxBytes: number;
  types: readonly T[];
  /** The plural the size refusal names ("Documents may be at most 20 MB."). */
  what: string;
  /** The refusal of any other type. */
  typeError: string;
}

/** Streams the request's body into R2 at `r2Key`: its sniffed type, its length and its SHA-256 (hex). */
export async function streamToR2<T extends FileType>(
  c: Context<AppEnv>,
  bucket: R2Bucket,
  r2Key: string,
  rules: UploadRules<T>,
): Promise<{ type: T; length: number; sha256: string }> {
  const { length, stream } = await uploadBody(c);
  if (!Number.isSafeInteger(length) || length <= 0)
    throw new ApiError(400, "validation_failed", "Send the file as the body, with its Content-Length.");
  if (length > rules.maxBytes)
    throw new ApiError(413, "payload_too_large", `${rules.what} may be at most ${rules.maxBytes / 1024 / 1024} MB.`);
  const reader = stream.getReader();
  const head = await readHead(reader);
  const type = sniffFileType(joined(head, SNIFF_BYTES), rules.types);
  if (!type) {
    await reader.cancel();
    throw new ApiError(415, "unsupported_media_type", rules.typeError);
  }
  const fixed = new FixedLengthStream(length);
  const digest = new crypto.DigestStream("SHA-256");
  // An aborted upload rejects the digest too; it is awaited only once the body is stored.
  digest.digest.catch(() => undefined);
  const pumped = pump(head, reader, [fixed.writable, digest], length);
  const putting = bucket.put(r2Key, fixed.readable, { httpMetadata: { contentType: type } });
  // A refused body is answered as such; the put it aborted fails too, having stored nothing.
  const [body, put] = await Promise.allSettled([pumped, putting]);
  if (body.status === "rejected" && body.reason instanceof ApiError) throw body.reason;
  if (put.status === "rejected") throw put.reason;
  if (body.status === "rejected") throw body.reason;
  return { type, length, sha256: hex(await digest.digest) };
}
