/**
 * The browser's and the push service's halves of Web Push, for tests: subscriber keys, RFC 8291 decryption
 * and RFC 8292 VAPID verification. WebCrypto only (no node: imports), so it runs in Node and in workerd,
 * and written apart from worker/notify/web-push.ts (HKDF spelled out with HMAC as RFC 8291 §3.4 does)
 * so a shared mistake cannot make the round trip pass.
 */

const encoder = new TextEncoder();

export function bytesToBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function base64UrlToBytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function join(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

async function hmac(key: Uint8Array, data: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const k = await crypto.subtle.importKey("raw", join(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, join(data)));
}

/** The subscription a browser makes: an ECDH P-256 key pair and a 16-byte auth secret. */
export interface SubscriberKeys {
  p256dh: string;
  auth: string;
  privateJwk: JsonWebKey;
}

export async function createSubscriberKeys(): Promise<SubscriberKeys> {
  const pair = (await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, [
    "deriveBits",
  ])) as CryptoKeyPair;
  const publicKey = new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer);
  const privateJwk = (await crypto.subtle.exportKey("jwk", pair.privateKey)) as JsonWebKey;
  return {
    p256dh: bytesToBase64Url(publicKey),
    auth: bytesToBase64Url(crypto.getRandomValues(new Uint8Array(16))),
    privateJwk,
  };
}

/** The salt, record size and sender key at the front of an aes128gcm body (RFC 8188 §2.1). */
export interface Aes128gcmHeader {
  salt: Uint8Array<ArrayBuffer>;
  recordSize: number;
  senderPublicKey: Uint8Array<ArrayBuffer>;
}

export function parseAes128gcmHeader(body: Uint8Array): Aes128gcmHeader {
  if (body.length < 21) throw new Error("aes128gcm body shorter than its header");
  const idLength = body[20];
  if (idLength !== 65) throw new Error(`keyid is ${idLength} bytes; RFC 8291 needs the 65-byte sender key`);
  if (body.length < 21 + idLength) throw new Error("aes128gcm body shorter than its keyid");
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  return {
    salt: join(body.subarray(0, 16)),
    recordSize: view.getUint32(16),
    senderPublicKey: join(body.subarray(21, 21 + idLength)),
  };
}

/** RFC 8291 decryption of a single-record aes128gcm body, as the subscribing browser does it. */
export async function decryptPushPayload(
  body: Uint8Array,
  subscriber: { privateJwk: JsonWebKey; p256dh: string; auth: string },
): Promise<string> {
  const { salt, recordSize, senderPublicKey } = parseAes128gcmHeader(body);
  const record = join(body.subarray(21 + senderPublicKey.length));
  if (record.length > recordSize)
    throw new Error(`record of ${record.length} bytes exceeds rs ${recordSize}: more than one record`);
  if (record.length < 17) throw new Error("record shorter than a GCM tag and a delimiter");

  const uaPublic = base64UrlToBytes(subscriber.p256dh);
  const authSecret = base64UrlToBytes(subscriber.auth);
  const uaPrivate = await crypto.subtle.importKey(
    "jwk",
    { kty: "EC", crv: "P-256", x: subscriber.privateJwk.x, y: subscriber.privateJwk.y, d: subscriber.privateJwk.d },
    { name: "ECDH", namedCurve: "P-256" },
    false,
    ["deriveBits"],
  );
  const asPublic = await crypto.subtle.importKey(
    "raw",
    senderPublicKey,
    { name: "ECDH", namedCurve: "P-256" },
    false,
    [],
  );
  // A variable, not a literal: workers-types calls the peer key `$public`, WebCrypto itself reads `public`.
  const ecdh = { name: "ECDH", public: asPublic };
  const ecdhSecret = new Uint8Array(await crypto.subtle.deriveBits(ecdh, uaPrivate, 256));

  // RFC 8291 §3.4, step by step.
  const prkKey = await hmac(authSecret, ecdhSecret);
  const keyInfo = join(encoder.encode("WebPush: info\0"), uaPublic, senderPublicKey);
  const ikm = await hmac(prkKey, join(keyInfo, Uint8Array.of(1)));
  const prk = await hmac(salt, ikm);
  const cek = (await hmac(prk, join(encoder.encode("Content-Encoding: aes128gcm\0"), Uint8Array.of(1)))).slice(0, 16);
  const nonce = (await hmac(prk, join(encoder.encode("Content-Encoding: nonce\0"), Uint8Array.of(1)))).slice(0, 12);

  const key = await crypto.subtle.importKey("raw", cek, "AES-GCM", false, ["decrypt"]);
  const padded = new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv: nonce }, key, record));
  // RFC 8188 §2: trailing zero padding, then the delimiter, 0x02 in the last record.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (end < 0 || padded[end] !== 0x02) throw new Error("last record lacks the 0x02 delimiter");
  return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(padded.subarray(0, end));
}

/** Who signed a valid VAPID header, and until when it is good. */
export interface VapidIdentity {
  subject: string;
  publicKey: string;
  expires: number;
}

function jsonPart(part: string): Record<string, unknown> {
  const value: unknown = JSON.parse(new TextDecoder().decode(base64UrlToBytes(part)));
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new Error("JWT part is not a JSON object");
  return value as Record<string, unknown>;
}

/**
 * Checks `Authorization: vapid t=<jwt>, k=<key>` as a push service must (RFC 8292 §3–4): ES256 signed by k,
 * aud is the push service's own origin, exp in the future and no more than 24 hours away, sub present.
 */
export async function verifyVapidAuthorization(
  authorization: string,
  audience: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<VapidIdentity> {
  const match = /^vapid\s+(.*)$/i.exec(authorization.trim());
  if (!match?.[1]) throw new Error("Authorization scheme is not vapid");
  const params = new Map<string, string>();
  for (const param of match[1].split(",")) {
    const eq = param.indexOf("=");
    if (eq > 0) params.set(param.slice(0, eq).trim().toLowerCase(), param.slice(eq + 1).trim());
  }
  const token = params.get("t");
  const publicKey = params.get("k");
  if (!token || !publicKey) throw new Error("vapid Authorization needs both t and k");

  const [header, claims, signature, ...rest] = token.split(".");
  if (header === undefined || claims === undefined || signature === undefined || rest.length > 0) {
    throw new Error("t is not a three-part JWT");
  }
  if (jsonPart(header).alg !== "ES256") throw new Error("JWT alg is not ES256");
  const key = await crypto.subtle.importKey(
    "raw",
    base64UrlToBytes(publicKey),
    { name: "ECDSA", namedCurve: "P-256" },
    false,
    ["verify"],
  );
  const valid = await crypto.subtle.verify(
    { name: "ECDSA", hash: "SHA-256" },
    key,
    base64UrlToBytes(signature),
    encoder.encode(`${header}.${claims}`),
  );
  if (!valid) throw new Error("JWT signature does not verify with k");

  const body = jsonPart(claims);
  if (body.aud !== audience) throw new Error(`JWT aud ${String(body.aud)} is not ${audience}`);
  if (typeof body.exp !== "number") throw new Error("JWT has no exp");
  if (body.exp <= nowSeconds) throw new Error("JWT has expired");
  if (body.exp > nowSeconds + 24 * 60 * 60) throw new Error("JWT exp is more than 24 hours away");
  if (typeof body.sub !== "string" || !/^(mailto:|https:)/.test(body.sub))
    throw new Error("JWT sub is not a mailto: or https: contact");
  return { subject: body.sub, publicKey, expires: body.exp };
}

/** One message the test push service accepted. */
export interface ReceivedPush {
  /** The path part of the subscription endpoint it was posted to. */
  path: string;
  /** Request headers, names in lower case. */
  headers: Record<string, string>;
  body: Uint8Array<ArrayBuffer>;
  vapid: VapidIdentity;
}

/** ReceivedPush as GET /__received sends it: the body in base64url. */
export type ReceivedPushJson = Omit<ReceivedPush, "body"> & { body: string };

export function receivedToJson(push: ReceivedPush): ReceivedPushJson {
  return { ...push, body: bytesToBase64Url(push.body) };
}

export function receivedFromJson(push: ReceivedPushJson): ReceivedPush {
  return { ...push, body: base64UrlToBytes(push.body) };
}
