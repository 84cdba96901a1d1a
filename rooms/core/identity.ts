/**
 * The verified identity the Worker hands a room with each upgrade. The Worker deletes
 * every header with these names from incoming requests before setting its own.
 */
export const IDENTITY_HEADERS = {
  userId: "x-haven-user-id",
  name: "x-haven-user-name",
  role: "x-haven-role",
  sessionId: "x-haven-session-id",
} as const;

/** Every header prefix a client may not send into a room: ours and partyserver's control headers. */
export const RESERVED_HEADER_PREFIXES = ["x-haven-", "x-partykit-"] as const;

export interface VerifiedMember {
  userId: string;
  name: string;
  role: string;
  sessionId: string;
}
