/**
 * A minimal y-protocols client over `ws`, identical for every server so that client-side
 * cost is the same whatever is measured. It speaks plain y-websocket framing (Haven, the
 * reference server) or Hocuspocus framing (document name before every message, plus an
 * authentication handshake).
 *
 * Arrival times are taken in the socket's message callback, before any decoding; frames
 * are decoded afterwards in one batch per event-loop turn, so decoding one reader's frame
 * does not delay the timestamp of the next reader's.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import WebSocket from "ws";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import type { Target } from "./jobs";

const MESSAGE_SYNC = 0;
const MESSAGE_AUTH = 2;
/** Hocuspocus: a sync message that must not trigger another step 1. */
const MESSAGE_SYNC_REPLY = 4;
const AUTH_TOKEN = 0;
const AUTH_PERMISSION_DENIED = 1;

export interface WireOptions {
  /**
   * Apply relayed updates to the local document (a full client) or only hand them to `onUpdate` (a wire-level reader).
   */
  apply: boolean;
  /** Every document update the server sent (sync step 2 or update), with its arrival time (performance.now()). */
  onUpdate?: (update: Uint8Array, arrivedAt: number) => void;
}

interface Pending {
  client: WireClient;
  data: Uint8Array;
  arrivedAt: number;
}

const queue: Pending[] = [];
let drainScheduled = false;

function drain(): void {
  drainScheduled = false;
  const batch = queue.splice(0, queue.length);
  for (const item of batch) item.client.handleFrame(item.data, item.arrivedAt);
}

export function toBytes(data: WebSocket.RawData): Uint8Array {
  if (Array.isArray(data)) data = Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Which of a target's identities the next client takes (round robin within this process). */
let nextIdentity = 0;

export class WireClient {
  readonly doc = new Y.Doc();
  readonly ws: WebSocket;
  readonly openedAt = performance.now();
  synced = false;
  syncedAt = 0;
  error: string | null = null;
  #waiters: Array<() => void> = [];

  constructor(
    readonly target: Target,
    deflate: boolean,
    private readonly options: WireOptions,
  ) {
    const headers = target.headers.length > 0 ? target.headers[nextIdentity++ % target.headers.length] : undefined;
    this.ws = new WebSocket(target.url, { perMessageDeflate: deflate, headers });
    this.ws.on("open", () => this.#onOpen());
    this.ws.on("message", (data: WebSocket.RawData, isBinary: boolean) => {
      if (!isBinary) return; // Haven's text notices are opt-in; nobody here asks for them.
      queue.push({ client: this, data: toBytes(data), arrivedAt: performance.now() });
      if (!drainScheduled) {
        drainScheduled = true;
        setImmediate(drain);
      }
    });
    this.ws.on("error", (err: Error) => this.#fail(`socket error: ${err.message}`));
    this.ws.on("close", (code: number, reason: Buffer) => this.#fail(`closed ${code} ${reason.toString()}`));
    // Local edits go to the server; remote ones carry this client as origin and do not.
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin !== this) this.sendUpdate(update);
    });
  }

  /** The negotiated WebSocket extensions, e.g. "permessage-deflate" or "". */
  get extensions(): string {
    return this.ws.extensions;
  }

  #fail(message: string): void {
    this.error ??= message;
    this.#wake();
  }

  #wake(): void {
    const waiters = this.#waiters.splice(0, this.#waiters.length);
    for (const w of waiters) w();
  }

  #encoder(): encoding.Encoder {
    const encoder = encoding.createEncoder();
    if (this.target.dialect === "hocuspocus") encoding.writeVarString(encoder, this.target.docName);
    return encoder;
  }

  #onOpen(): void {
    if (this.target.dialect === "hocuspocus") {
      const auth = this.#encoder();
      encoding.writeVarUint(auth, MESSAGE_AUTH);
      encoding.writeVarUint(auth, AUTH_TOKEN);
      encoding.writeVarString(auth, "bench");
      this.ws.send(encoding.toUint8Array(auth));
    }
    const step1 = this.#encoder();
    encoding.writeVarUint(step1, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(step1, this.doc);
    this.ws.send(encoding.toUint8Array(step1));
  }

  sendUpdate(update: Uint8Array): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    const encoder = this.#encoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeUpdate(encoder, update);
    this.ws.send(encoding.toUint8Array(encoder));
  }

  /** Decodes one binary frame from the server. Called from the batch drain. */
  handleFrame(data: Uint8Array, arrivedAt: number): void {
    try {
      const decoder = decoding.createDecoder(data);
      if (this.target.dialect === "hocuspocus") decoding.readVarString(decoder);
      const type = decoding.readVarUint(decoder);
      if (type === MESSAGE_SYNC || (type === MESSAGE_SYNC_REPLY && this.target.dialect === "hocuspocus")) {
        this.#handleSync(decoder, arrivedAt);
      } else if (type === MESSAGE_AUTH && this.target.dialect === "hocuspocus") {
        if (decoding.readVarUint(decoder) === AUTH_PERMISSION_DENIED)
          this.#fail(`permission denied: ${decoding.readVarString(decoder)}`);
      }
      // Awareness, sync status and anything else: not part of what is measured.
    } catch (err) {
      this.#fail(`bad frame: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  #handleSync(decoder: decoding.Decoder, arrivedAt: number): void {
    const step = decoding.readVarUint(decoder);
    if (step === syncProtocol.messageYjsSyncStep1) {
      const stateVector = decoding.readVarUint8Array(decoder);
      const reply = this.#encoder();
      encoding.writeVarUint(reply, MESSAGE_SYNC);
      syncProtocol.writeSyncStep2(reply, this.doc, stateVector);
      this.ws.send(encoding.toUint8Array(reply));
      return;
    }
    const update = decoding.readVarUint8Array(decoder);
    if (this.options.apply) Y.applyUpdate(this.doc, update, this);
    this.options.onUpdate?.(update, arrivedAt);
    if (step === syncProtocol.messageYjsSyncStep2 && !this.synced) {
      this.synced = true;
      this.syncedAt = arrivedAt;
    }
    this.#wake();
  }

  /** Resolves once `check` holds (checked after every sync frame); rejects on error or timeout. */
  until(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)),
        timeoutMs,
      );
      const test = () => {
        if (check()) {
          clearTimeout(timer);
          resolve();
        } else if (this.error !== null) {
          clearTimeout(timer);
          reject(new Error(`${what}: ${this.error}`));
        } else {
          this.#waiters.push(test);
        }
      };
      test();
    });
  }

  whenSynced(timeoutMs: number): Promise<void> {
    return this.until(() => this.synced, "sync", timeoutMs);
  }

  close(): void {
    this.error ??= "closed by client";
    this.ws.close();
  }
}

/** Opens `count` clients, at most `concurrency` handshakes at a time, and waits until all are synced. */
export async function connectMany(
  count: number,
  make: (index: number) => WireClient,
  timeoutMs: number,
  concurrency = 25,
): Promise<WireClient[]> {
  const clients: WireClient[] = [];
  for (let start = 0; start < count; start += concurrency) {
    const batch: WireClient[] = [];
    for (let i = start; i < Math.min(count, start + concurrency); i++) batch.push(make(i));
    await Promise.all(batch.map((c) => c.whenSynced(timeoutMs)));
    clients.push(...batch);
  }
  return clients;
}
