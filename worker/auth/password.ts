/**
 * Password hashing with PBKDF2-SHA-256 from WebCrypto, the slow KDF that runs natively in
 * Workers. Parameters are stored with each hash so they can be raised later; see
 * docs/security.md.
 */
import { PASSWORD_HASH_BYTES, PASSWORD_KDF_ITERATIONS, PASSWORD_SALT_BYTES } from "../../config";
import { constantTimeEqual, fromBase64, randomBytes, toBase64, utf8 } from "./crypto";

const SCHEME = "pbkdf2-sha256";

async function derive(password: string, salt: Uint8Array, iterations: number, bytes: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", utf8(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, bytes * 8);
  return new Uint8Array(bits);
}

/** Returns `pbkdf2-sha256$<iterations>$<salt>$<hash>` with a fresh random salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(PASSWORD_SALT_BYTES);
  const hash = await derive(password, salt, PASSWORD_KDF_ITERATIONS, PASSWORD_HASH_BYTES);
  return [SCHEME, PASSWORD_KDF_ITERATIONS, toBase64(salt), toBase64(hash)].join("$");
}

/** Checks a password against a stored hash in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iterations, salt, hash] = stored.split("$");
  if (scheme !== SCHEME || !iterations || !salt || !hash) return false;
  const expected = fromBase64(hash);
  const actual = await derive(password, fromBase64(salt), Number(iterations), expected.length);
  return constantTimeEqual(actual, expected);
}

/** A hash of a random password, checked when the email is unknown so both paths cost the same. */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(crypto.randomUUID());
  return decoyHash;
}
