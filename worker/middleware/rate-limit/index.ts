/**
 * Per-client request limits, counted exactly by the RateLimiter Durable Object of the
 * client. A client is its `CF-Connecting-IP`, which Cloudflare sets and a caller cannot
 * forge there; requests without one (local tools) share the bucket "unknown".
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../app-env";
import { rateLimited } from "../../errors";

export interface ClientLimit {
  /** Which count this is ("login", "signup", …); each has its own count per client. */
  bucket: string;
  maxRequests: number;
  windowMs: number;
  /** What the 429 tells the user. */
  message: string;
}

const HEX_GROUP = /^[0-9a-f]{1,4}$/;
const DOTTED_QUAD = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** The first four groups of an IPv6 address (its /64), or null when it is not one. */
function ipv6Prefix64(ip: string): string[] | null {
  const halves = (ip.toLowerCase().split("%")[0] ?? "").split("::");
  if (halves.length > 2) return null;
  const groups = (part: string | undefined) => (part ? part.split(":") : []);
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const all = [...head, ...tail];
  // Only the very last group may be an embedded IPv4 address (`::ffff:192.0.2.1`), which fills two.
  const valid = all.every((group, i) => HEX_GROUP.test(group) || (i === all.length - 1 && DOTTED_QUAD.test(group)));
  const width = all.length + (all.at(-1)?.includes(".") ? 1 : 0);
  if (!valid || (halves.length === 1 ? width !== 8 : width > 7)) return null;
  const zeros = Array<string>(8 - width).fill("0");
  return [...head, ...zeros, ...tail].slice(0, 4).map((group) => Number.parseInt(group, 16).toString(16));
}

/**
 * The key a client is counted under: its IPv4 address, or the /64 of its IPv6 address
 * (one subscriber is routinely given a whole /64, so single addresses would be free).
 */
export function clientKey(ip: string | null | undefined): string {
  const trimmed = ip?.trim();
  if (!trimmed) return "unknown";
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(trimmed);
  if (mapped?.[1]) return mapped[1];
  if (!trimmed.includes(":")) return trimmed;
  const prefix = ipv6Prefix64(trimmed);
  return prefix ? `${prefix.join(":")}::/64` : trimmed;
}

/** Answers 429 with `Retry-After` once the client has made `maxRequests` within `windowMs`. */
export function limitPerClient(limit: ClientLimit) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const key = clientKey(c.req.header("CF-Connecting-IP"));
    const limiter = c.env.RATE_LIMITER.get(c.env.RATE_LIMITER.idFromName(key));
    const result = await limiter.take(limit.bucket, limit.maxRequests, limit.windowMs);
    if (!result.allowed) throw rateLimited(limit.message, result.retryAfterSeconds);
    await next();
  });
}
