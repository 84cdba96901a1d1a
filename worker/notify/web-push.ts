/**
 * Web Push delivery from the Worker: RFC 8030 (the request to the push service), RFC 8291 (aes128gcm
 * payload encryption, RFC 8188 framing) and RFC 8292 (VAPID). Written on WebCrypto alone because
 * @block65/webcrypto-web-push 1.0.2 speaks the pre-RFC "aesgcm" draft and the old `WebPush` + `Crypto-Key`
 * VAPID headers, which current push services no longer accept.
 */

import { concatBytes } from "../../schema/core/bytes";
import { pushEndpointProblem } from "../../schema/core/push-endpoint";
import { fromBase64, randomBytes, toBase64 } from "../auth/crypto";

/** The subscription's keys, base64url as `PushSubscription.toJSON()` gives them. */
export interface PushSubscriptionKeys {
  p256dh: string;
  auth: string;
}

export interface PushTarget {
  endpoint: string;
  keys: PushSubscriptionKeys;
}

/**
 * The application server's identity.
 * - `publicKey`: base64url uncompressed P-256 point (65 bytes), the `applicationServerKey` the client subscribed with.
 * - `privateKey`: base64url of the 32-byte private scalar `d` (a JWK's `d`), not a JWK or PEM.
 * - `subject`: a `mailto:` or `https:` contact for the push service's operator.
 */
export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  subject: string;
}

export type PushUrgency = "very-low" | "low" | "normal" | "high";

export interface PushOptions {
  /** How long the push service keeps an undelivered message; defaults to one day. */
  ttlSeconds?: number;
  urgency?: PushUrgency;
  /** Replaces an undelivered message with the same topic: up to 32 base64url characters. */
  topic?: string;
  /** The test push service's origin (the workerd suite's PUSH_TEST_ORIGIN binding); unset everywhere else. */
  testOrigin?: string;
}

/**
 * What the push service said. `gone` (404/410): the subscription has expired, delete it.
 * `retryable` (429, 5xx, or no answer at all, reported as status 0): try again later. A redirect
 * (3xx) is a failure that is not followed. `message` holds the status only: what a push service
 * (or whatever answered in its place) wrote in its body is never kept or shown.
 */
export type PushOutcome =
  | { ok: true; status: number }
  | { ok: false; status: number; gone: boolean; retryable: boolean; message: string };

/** Thrown before any request when the target, keys, options or payload cannot make a valid push. */
export class WebPushError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebPushError";
  }
}

/** The endpoint is not one Haven posts to: this subscription can never receive a push; forget it. */
export class PushEndpointRefused extends WebPushError {
  constructor(message: string) {
    super(message);
    this.name = "PushEndpointRefused";
  }
}

/** The record size written in the header. Everything fits in one record (see MAX_PLAINTEXT_BYTES). */
const RECORD_SIZE = 4096;
const SALT_BYTES = 16;
const POINT_BYTES = 65;
const TAG_BYTES = 16;
const HEADER_BYTES = SALT_BYTES + 4 + 1 + POINT_BYTES;
/**
 * Push services only promise to accept 4096-byte bodies (RFC 8291 §4), and the body also holds the
 * 86-byte header, the GCM tag and the padding delimiter, which leaves 3993 bytes for the JSON.
 */
export const MAX_PLAINTEXT_BYTES = RECORD_SIZE - HEADER_BYTES - TAG_BYTES - 1;
const DEFAULT_TTL_SECONDS = 24 * 60 * 60;
/** RFC 8292 allows up to 24 hours; half that leaves room for a push service whose clock runs ahead. */
const JWT_LIFETIME_SECONDS = 12 * 60 * 60;
const URGENCIES: readonly PushUrgency[] = ["very-low", "low", "normal", "high"];

const encoder = new TextEncoder();

function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string, what: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) throw new WebPushError(`${what} is not base64url.`);
  const plain = text.replace(/=+$/, "").replace(/-/g, "+").replace(/_/g, "/");
  try {
    return fromBase64(plain + "=".repeat((4 - (plain.length % 4)) % 4));
  } catch {
    throw new WebPushError(`${what} is not base64url.`);
  }
}

const concat = (...parts: Uint8Array[]): Uint8Array => concatBytes(parts);

function uncompressedPoint(text: string, what: string): Uint8Array {
  const bytes = fromBase64Url(text, what);
  if (bytes.length !== POINT_BYTES || bytes[0] !== 0x04) {
    throw new WebPushError(`${what} must be an uncompressed P-256 point (65 bytes starting 0x04).`);
  }
  return bytes;
}

async function hkdf(
  salt: Uint8Array,
  ikm: Uint8Array | ArrayBuffer,
  info: Uint8Array,
  bytes: number,
): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", ikm, "HKDF", false, ["deriveBits"]);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt, info }, key, bytes * 8));
}

/** A sender key pair and salt for one message; fresh unless a test pins them to a published vector. */
export interface MessageSecrets {
  salt: Uint8Array;
  keyPair: CryptoKeyPair;
}

/**
 * The aes128gcm body for `plaintext` (RFC 8291 §3–4): salt | rs | idlen | sender public key, then one
 * record of plaintext, the 0x02 last-record delimiter and no further padding.
 */
export async function encryptPushMessage(
  plaintext: Uint8Array,
  keys: PushSubscriptionKeys,
  secrets?: MessageSecrets,
): Promise<Uint8Array> {
  if (plaintext.length > MAX_PLAINTEXT_BYTES) {
    throw new WebPushError(
      `Push payload is ${plaintext.length} bytes; at most ${MAX_PLAINTEXT_BYTES} fit in one push.`,
    );
  }
  const uaPublic = uncompressedPoint(keys.p256dh, "Subscription key p256dh");
  const authSecret = fromBase64Url(keys.auth, "Subscription key auth");
  if (authSecret.length !== 16) throw new WebPushError("Subscription key auth must be 16 bytes.");

  const salt = secrets?.salt ?? randomBytes(SALT_BYTES);
  const keyPair =
    secrets?.keyPair ??
    ((await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"])) as CryptoKeyPair);
  const asPublic = new Uint8Array((await crypto.subtle.exportKey("raw", keyPair.publicKey)) as ArrayBuffer);

  let uaKey: CryptoKey;
  try {
    uaKey = await crypto.subtle.importKey("raw", uaPublic, { name: "ECDH", namedCurve: "P-256" }, false, []);
  } catch {
    throw new WebPushError("Subscription key p256dh is not a point on P-256.");
  }
  // Passed as a variable: workers-types names the ECDH peer key `$public`, but the runtime reads `public`.
  const ecdh = { name: "ECDH", public: uaKey };
  const ecdhSecret = await crypto.subtle.deriveBits(ecdh, keyPair.privateKey, 256);

  const keyInfo = concat(encoder.encode("WebPush: info\0"), uaPublic, asPublic);
  const ikm = await hkdf(authSecret, ecdhSecret, keyInfo, 32);
  const cek = await hkdf(salt, ikm, encoder.encode("Content-Encoding: aes128gcm\0"), 16);
  const nonce = await hkdf(salt, ikm, encoder.encode("Content-Encoding: nonce\0"), 12);

  const aesKey = await crypto.subtle.importKey("raw", cek, "AES-GCM", false, ["encrypt"]);
  const record = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-GCM", iv: nonce }, aesKey, concat(plaintext, Uint8Array.of(0x02))),
  );

  const header = new Uint8Array(HEADER_BYTES);
  header.set(salt, 0);
  new DataView(header.buffer).setUint32(SALT_BYTES, RECORD_SIZE);
  header[SALT_BYTES + 4] = POINT_BYTES;
  header.set(asPublic, SALT_BYTES + 5);
  return concat(header, record);
}

async function signingKey(vapid: VapidKeys): Promise<CryptoKey> {
  const point = uncompressedPoint(vapid.publicKey, "VAPID public key");
  const d = fromBase64Url(vapid.privateKey, "VAPID private key");
  if (d.length !== 32) throw new WebPushError("VAPID private key must be the 32-byte scalar d, base64url.");
  const jwk: JsonWebKey = {
    kty: "EC",
    crv: "P-256",
    x: toBase64Url(point.subarray(1, 33)),
    y: toBase64Url(point.subarray(33)),
    d: toBase64Url(d),
  };
  try {
    return await crypto.subtle.importKey("jwk", jwk, { name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
  } catch {
    throw new WebPushError("VAPID keys do not form a P-256 key pair.");
  }
}

/** RFC 8292 §3: `vapid t=<ES256 JWT for the endpoint's origin>, k=<public key>`. */
async function vapidAuthorization(endpoint: URL, vapid: VapidKeys): Promise<string> {
  if (!/^(mailto:|https:)/.test(vapid.subject))
    throw new WebPushError("VAPID subject must be a mailto: or https: URL.");
  const key = await signingKey(vapid);
  const part = (value: object): string => toBase64Url(encoder.encode(JSON.stringify(value)));
  const exp = Math.floor(Date.now() / 1000) + JWT_LIFETIME_SECONDS;
  const unsigned = `${part({ typ: "JWT", alg: "ES256" })}.${part({ aud: endpoint.origin, exp, sub: vapid.subject })}`;
  // WebCrypto's ECDSA signature is already r|s, the form JWS ES256 wants.
  const signature = new Uint8Array(
    await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, key, encoder.encode(unsigned)),
  );
  return `vapid t=${unsigned}.${toBase64Url(signature)}, k=${vapid.publicKey}`;
}

/** The endpoint as a URL, if it is a known push service's (schema/core/push-endpoint.ts). */
function pushEndpoint(endpoint: string, testOrigin: string | undefined): URL {
  const problem = pushEndpointProblem(endpoint, testOrigin);
  if (problem !== null) throw new PushEndpointRefused(`Push endpoint ${problem}.`);
  return new URL(endpoint);
}

function pushHeaders(options: PushOptions): Record<string, string> {
  const ttl = options.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  if (!Number.isSafeInteger(ttl) || ttl < 0)
    throw new WebPushError("ttlSeconds must be a whole number of seconds, 0 or more.");
  const headers: Record<string, string> = {
    TTL: String(ttl),
    "Content-Encoding": "aes128gcm",
    "Content-Type": "application/octet-stream",
  };
  if (options.urgency !== undefined) {
    if (!URGENCIES.includes(options.urgency)) throw new WebPushError(`urgency must be one of ${URGENCIES.join(", ")}.`);
    headers.Urgency = options.urgency;
  }
  if (options.topic !== undefined) {
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(options.topic))
      throw new WebPushError("topic must be 1 to 32 base64url characters.");
    headers.Topic = options.topic;
  }
  return headers;
}

/**
 * Encrypts `payload` as JSON for one subscription and posts it to its push service. Bad input (endpoint,
 * keys, options, a payload too large for one push) throws WebPushError without sending; everything the
 * push service or the network does comes back as a PushOutcome.
 */
export async function sendWebPush(
  target: PushTarget,
  payload: unknown,
  vapid: VapidKeys,
  options: PushOptions = {},
): Promise<PushOutcome> {
  const endpoint = pushEndpoint(target.endpoint, options.testOrigin);
  const headers = pushHeaders(options);
  const json = JSON.stringify(payload) as string | undefined;
  if (json === undefined) throw new WebPushError("Push payload must be JSON-serialisable.");
  const body = await encryptPushMessage(encoder.encode(json), target.keys);
  headers.Authorization = await vapidAuthorization(endpoint, vapid);

  let response: Response;
  try {
    // A redirect is answered, not followed: its target is an address nobody checked.
    response = await fetch(endpoint, { method: "POST", headers, body, redirect: "manual" });
  } catch {
    return { ok: false, status: 0, gone: false, retryable: true, message: "Push service unreachable" };
  }
  const { status } = response;
  await response.body?.cancel();
  if (status >= 200 && status < 300) return { ok: true, status };
  return {
    ok: false,
    status,
    gone: status === 404 || status === 410,
    retryable: status === 429 || status >= 500,
    message:
      status >= 300 && status < 400
        ? `Push service redirected (${status}); not followed`
        : `Push service answered ${status}`,
  };
}

/** A new VAPID identity in the formats VapidKeys expects: the public point and the private scalar d. */
export async function generateVapidKeys(): Promise<{ publicKey: string; privateKey: string }> {
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
  const point = new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer);
  const jwk = (await crypto.subtle.exportKey("jwk", pair.privateKey)) as JsonWebKey;
  if (!jwk.d) throw new Error("WebCrypto exported a private key without d.");
  return { publicKey: toBase64Url(point), privateKey: jwk.d };
}
