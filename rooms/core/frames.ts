/**
 * Decoding and checking of what clients send a room, apart from any runtime. A frame is
 * fully decoded and validated before anything in the room changes, so a malformed frame
 * can be refused without touching the document.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_QUERY_AWARENESS = 3;

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** Parsed JSON state; null means the client left. */
  state: Record<string, unknown> | null;
}

export type ClientFrame =
  | { kind: "sync-step1"; stateVector: Uint8Array }
  | { kind: "update"; update: Uint8Array }
  | { kind: "awareness"; entries: AwarenessEntry[] }
  | { kind: "query-awareness" };

export type FrameResult = { ok: true; frame: ClientFrame } | { ok: false; reason: string };

function finished(decoder: decoding.Decoder): boolean {
  return decoder.pos === decoder.arr.length;
}

function decodeAwareness(payload: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(payload);
  const count = decoding.readVarUint(decoder);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const parsed: unknown = JSON.parse(decoding.readVarString(decoder));
    if (parsed !== null && (typeof parsed !== "object" || Array.isArray(parsed))) {
      throw new Error("awareness state must be an object or null");
    }
    entries.push({ clientId, clock, state: parsed as Record<string, unknown> | null });
  }
  if (!finished(decoder)) throw new Error("trailing bytes in awareness update");
  return entries;
}

/** Encodes awareness entries back into the y-protocols awareness update format. */
export function encodeAwareness(entries: AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, JSON.stringify(entry.state));
  }
  return encoding.toUint8Array(encoder);
}

/** Decodes one binary frame from a client; anything that is not well-formed y-protocols is refused. */
export function parseClientFrame(bytes: Uint8Array): FrameResult {
  try {
    const decoder = decoding.createDecoder(bytes);
    const type = decoding.readVarUint(decoder);
    let frame: ClientFrame;
    if (type === MESSAGE_SYNC) {
      const step = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (step === syncProtocol.messageYjsSyncStep1) {
        Y.decodeStateVector(payload);
        frame = { kind: "sync-step1", stateVector: payload };
      } else if (step === syncProtocol.messageYjsSyncStep2 || step === syncProtocol.messageYjsUpdate) {
        Y.decodeUpdate(payload);
        frame = { kind: "update", update: payload };
      } else {
        return { ok: false, reason: `unknown sync step ${step}` };
      }
    } else if (type === MESSAGE_AWARENESS) {
      frame = { kind: "awareness", entries: decodeAwareness(decoding.readVarUint8Array(decoder)) };
    } else if (type === MESSAGE_QUERY_AWARENESS) {
      frame = { kind: "query-awareness" };
    } else {
      return { ok: false, reason: `unknown message type ${type}` };
    }
    if (!finished(decoder)) return { ok: false, reason: "trailing bytes after message" };
    return { ok: true, frame };
  } catch (err) {
    return { ok: false, reason: `undecodable frame: ${err instanceof Error ? err.message : "invalid"}` };
  }
}

/** True for an update that carries nothing (no structs, no deletions), as sync replies often do. */
export function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0;
}

/** A sync frame carrying `payload` for the given step. */
export function syncFrame(step: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, step);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

/** An awareness frame carrying an encoded awareness update. */
export function awarenessFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}
