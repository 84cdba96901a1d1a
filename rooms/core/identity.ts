/**
 * The verified identity the Worker hands a room with each upgrade (HTTP commands carry the
 * same fields as an RPC argument). The Worker deletes every header with these names from
 * incoming requests before setting its own.
 */
export const IDENTITY_HEADERS = {
  userId: "x-haven-user-id",
  name: "x-haven-user-name",
  role: "x-haven-role",
  sessionId: "x-haven-session-id",
  /** The client's address as the Worker saw it (CF-Connecting-IP); absent when it saw none. */
  ip: "x-haven-client-ip",
} as const;

/** Every header prefix a client may not send into a room: ours and partyserver's control headers. */
export const RESERVED_HEADER_PREFIXES = ["x-haven-", "x-partykit-"] as const;

export interface VerifiedMember {
  userId: string;
  name: string;
  role: string;
  sessionId: string;
  /**
   * The client's address (Cloudflare's CF-Connecting-IP; under `wrangler dev` the socket's remote address,
   * which miniflare puts there), for the audit log. Null when the Worker saw none (a test calling it directly).
   */
  ip: string | null;
}

/** Longest text form of an IP address (IPv6 with an embedded IPv4 part is 45 characters). */
const MAX_IP_CHARS = 45;
const IP_SHAPE = /^[0-9A-Fa-f:.]+$/;

/** The client address as given, or null when it is absent or not the text form of an IP address. */
export function clientIp(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  if (!trimmed || trimmed.length > MAX_IP_CHARS || !IP_SHAPE.test(trimmed)) return null;
  return trimmed;
}
