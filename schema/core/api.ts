/**
 * Request bodies the API accepts (validated with zod at the boundary) and the shapes it
 * answers with. The worker, the client and the tests import this one module.
 */
import { z } from "zod";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../../config";
import type { ErrorCode } from "./errors";
import { ROOM_KINDS, type RoomKind } from "./roles";
import { singleLineName } from "./text";

const email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: "must be a valid email address" }))
  .transform((s) => s.toLowerCase());

export const signupBody = z.object({
  email,
  password: z
    .string()
    .min(PASSWORD_MIN_LENGTH, { message: `must be at least ${PASSWORD_MIN_LENGTH} characters` })
    .max(PASSWORD_MAX_LENGTH),
  name: singleLineName(100),
});

export const loginBody = z.object({
  email,
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});

export const loginLinkBody = z.object({ email });

export const consumeLoginLinkBody = z.object({
  token: z.string().regex(/^[a-z2-9]{1,64}$/, { message: "must be the token from a sign-in link" }),
});

export const createRoomBody = z.object({
  kind: z.enum(ROOM_KINDS),
  name: singleLineName(120),
});

export const updateRoomBody = z
  .object({
    name: singleLineName(120),
    archived: z.boolean(),
  })
  .partial()
  .refine((body) => body.name !== undefined || body.archived !== undefined, {
    message: "name or archived is required",
  });

export const createInviteBody = z.object({
  email,
  role: z.string().min(1).max(64),
});

export const updateMemberBody = z.object({
  role: z.string().min(1).max(64),
});

export type SignupBody = z.infer<typeof signupBody>;
export type LoginBody = z.infer<typeof loginBody>;
export type LoginLinkBody = z.infer<typeof loginLinkBody>;
export type ConsumeLoginLinkBody = z.infer<typeof consumeLoginLinkBody>;
export type CreateRoomBody = z.infer<typeof createRoomBody>;
export type UpdateRoomBody = z.infer<typeof updateRoomBody>;
export type CreateInviteBody = z.infer<typeof createInviteBody>;
export type UpdateMemberBody = z.infer<typeof updateMemberBody>;

export interface User {
  id: string;
  email: string;
  name: string;
}

export interface Room {
  id: string;
  kind: RoomKind;
  name: string;
  /** The caller's role in this room. */
  role: string;
  /** Archived rooms keep everything but leave the main list. */
  archived: boolean;
  /** A deal room's line in the rooms list, once the deal is set up (only in the list: `GET /api/rooms`). */
  deal?: RoomDealLine;
  /** A home's line in the rooms list: its due dates, so the list counts what is overdue today. */
  home?: RoomHomeLine;
  /** A site's line in the rooms list: its open alerts. */
  site?: RoomSiteLine;
}

/**
 * What the rooms list counts of a home: "2 overdue · 1 due today". Dates, not counts, so the count
 * moves at the home's midnight without the room waking.
 */
export interface RoomHomeLine {
  timeZone: string;
  /** Next due dates (YYYY-MM-DD) of the open tasks, soonest first, at most `MAX_LISTED_DUE_DATES`. */
  due: string[];
  /** Whether open tasks due later than the last of `due` were left out. */
  more: boolean;
}

/** What the rooms list shows of a site: "1 alert", "3 alerts · 1 critical". */
export interface RoomSiteLine {
  /** Alerts on the board: active, or back in range but not yet closed. */
  open: number;
  /** Critical alerts whose condition lasts. */
  critical: number;
  /** The open alerts, worst first, at most SITE_LINE_ALERTS: for the overview of every site a person belongs to. */
  alerts: RoomSiteAlert[];
}

/** One open alert of a site, as its line carries it. */
export interface RoomSiteAlert {
  id: string;
  unitId: string;
  unit: string;
  /** The rule's kind (schema/site/rules.ts). */
  rule: string;
  severity: "warning" | "critical";
  state: string;
  raisedAt: number;
}

/** How many open alerts a site's line carries. */
export const SITE_LINE_ALERTS = 10;

/** What the rooms list shows of a deal: "Inspection · 18 days to closing". */
export interface RoomDealLine {
  /** The first milestone not reached (the last when all are); null for a deal without milestones. */
  stage: string | null;
  /** The closing date, YYYY-MM-DD in the deal's time zone. */
  closing: string;
  status: "open" | "closed" | "cancelled";
}

export interface Member {
  userId: string;
  email: string;
  name: string;
  role: string;
  joinedAt: string;
}

export interface Invite {
  token: string;
  url: string;
  role: string;
  email: string;
  expiresAt: string;
}

/**
 * What anyone holding an invite's link is shown before signing in: never the invited
 * email. `hasAccount` says whether the invited address already has an account, so the
 * page can open on "Log in" rather than "Sign up".
 */
export interface InvitePreview {
  roomName: string;
  roomKind: RoomKind;
  invitedBy: string;
  role: string;
  expiresAt: string;
  hasAccount: boolean;
}

/**
 * An invite not yet accepted, as owners and admins see it. `id` is
 * the SHA-256 of its token: the token itself is never shown again.
 */
export interface PendingInvite {
  id: string;
  email: string;
  role: string;
  invitedBy: { userId: string; name: string };
  createdAt: string;
  expiresAt: string;
}

export interface ApiErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}
