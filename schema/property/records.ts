/**
 * A home's records: assets and maintenance tasks. The room's SQLite holds them; the room
 * mirrors each one, as plain JSON, into a server-owned root of the document
 * (`assets`, `tasks`, `home`), so every client sees them live and offline. Clients change
 * them only through the commands in ./commands.
 */
import type { AssetDocument } from "./documents";
import type { Schedule } from "./recurrence";

export const ASSET_CATEGORIES = [
  "appliance",
  "hvac",
  "plumbing",
  "electrical",
  "roof",
  "garden",
  "vehicle",
  "other",
] as const;
export type AssetCategory = (typeof ASSET_CATEGORIES)[number];

export interface Asset {
  id: string;
  name: string;
  category: AssetCategory;
  /** Where in the house: "Basement", "Kitchen". */
  location: string;
  make: string;
  model: string;
  serialNumber: string;
  purchaseDate: string | null;
  warrantyEnd: string | null;
  notes: string;
  /** Photo ids, served at `/api/rooms/:roomId/photos/:photoId`. */
  photos: string[];
  /** Its documents (manuals, receipts), oldest first, served at `/api/rooms/:roomId/asset-documents/:id`. */
  documents: AssetDocument[];
  archived: boolean;
  createdAt: number;
  updatedAt: number;
}

/** What a task may need as proof that it was done: a photo, a recording, or either. */
export const PROOF_KINDS = ["photo", "audio", "any"] as const;
export type ProofKind = (typeof PROOF_KINDS)[number];

/**
 * The proof submitted for a task's current occurrence, while it waits for review or after it came back. An
 * approved one closes the occurrence and is kept in the task's history instead.
 */
export interface TaskReview {
  submissionId: string;
  /** The inbox item that holds the photo or recording. */
  captureId: string;
  occurrence: string | null;
  by: string;
  byName: string;
  at: number;
  note: string;
  status: "pending" | "returned";
  /** Why it came back, and who sent it back; null while pending. */
  comment: string | null;
  reviewedByName: string | null;
  reviewedAt: number | null;
}

export interface Task {
  id: string;
  /** The asset it maintains; null for the home as a whole. */
  assetId: string | null;
  title: string;
  notes: string;
  /** User id; null means every member who may complete tasks is reminded. */
  assignee: string | null;
  schedule: Schedule;
  /**
   * The schedule in words ("Every 3 months on the 1st"), written by the room so clients need
   * no recurrence code to show it.
   */
  scheduleText: string;
  /** Days before the due date the first reminder goes out (0 = on the day). */
  leadDays: number;
  /** Proof its completion needs, reviewed by another member; null when marking it done is enough. */
  proof: ProofKind | null;
  /** The current occurrence's submitted proof, pending or returned; null when there is none. */
  review: TaskReview | null;
  /** The date of the current occurrence, as the schedule gives it; null once a one-off is done or a rule has ended. */
  occurrence: string | null;
  /** When it is due: the occurrence, or later if snoozed. */
  nextDue: string | null;
  archived: boolean;
  lastCompletedOn: string | null;
  lastCompletedBy: string | null;
  completions: number;
  createdAt: number;
  updatedAt: number;
}

/** One completion or skip in a task's history (served by query, not mirrored). */
export interface Completion {
  id: string;
  taskId: string;
  kind: "done" | "skipped";
  /** The occurrence it closed. */
  occurrence: string | null;
  /** The local date it was done on. */
  on: string;
  at: number;
  by: string;
  byName: string;
  note: string;
  photoId: string | null;
  /** What it cost, in hundredths of `currency`; null when nobody said. */
  costCents: number | null;
  currency: string | null;
  /** The inbox item submitted as proof, when the task needed one; null otherwise. */
  captureId: string | null;
  /** Who approved that proof; null without one. */
  reviewedByName: string | null;
}

/** The `home` root: settings and counters the dashboard needs. */
export interface HomeInfo {
  timeZone: string;
  /** The currency costs are recorded in (ISO 4217). */
  currency: string;
  /** Completions in the home's current month, as of the last completion (`month` is YYYY-MM). */
  completedThisMonth: { month: string; count: number };
}

/** Names of the document roots only the room writes. */
export const PROPERTY_SERVER_ROOTS = ["assets", "tasks", "home", "inbox"] as const;
