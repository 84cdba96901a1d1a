/**
 * A deal's records as the room mirrors them into a document and answers them over HTTP, shared with the client.
 * Each field's data class is in classes.ts: a buyer's projection holds only what a buyer may see of these.
 */
import type { KeyDates, RelativeDue } from "./dates";
import type { ASSIGNEE_ROLES } from "./templates";

/** The document roots only the room writes: the deal, its milestones, tasks, documents and activity feed. */
export const DEAL_SERVER_ROOTS = ["deal", "milestones", "tasks", "documents", "activity"] as const;
export type DealRoot = (typeof DEAL_SERVER_ROOTS)[number];

/** The single entry of the `deal` root. */
export const DEAL_INFO_ID = "info";

export const DEAL_STATUSES = ["open", "closed", "cancelled"] as const;
export type DealStatus = (typeof DEAL_STATUSES)[number];

export const FINANCING_TYPES = ["conventional", "fha", "va", "usda", "jumbo", "cash", "other"] as const;
export type FinancingType = (typeof FINANCING_TYPES)[number];

export interface Party {
  name: string;
  /** What they are to the deal ("Buyer", "Listing agent", "Lender"): free text, since deals vary. */
  role: string;
  email: string | null;
}

export interface Financing {
  type: FinancingType;
  lender: string | null;
  /** Whole dollars; null when not known yet. */
  loanAmount: number | null;
}

export interface Commission {
  /** Percent of the price, e.g. 2.5. */
  percent: number;
}

export interface Deal {
  id: typeof DEAL_INFO_ID;
  title: string;
  address: string;
  status: DealStatus;
  /** The first milestone not reached yet, or the last one when all are. Null: the deal has no milestones. */
  stage: string | null;
  keyDates: KeyDates;
  /** The IANA zone the deal's dates are in: a task is overdue at the end of its due day there. */
  timeZone: string;
  parties: Party[];
  /** Whole dollars. */
  purchasePrice: number | null;
  financing: Financing | null;
  commission: Commission | null;
  /** The template it was made from; null for an empty deal. */
  templateId: string | null;
  createdAt: number;
}

export interface Milestone {
  id: string;
  name: string;
  order: number;
  status: "pending" | "reached";
  /** The latest due date of its tasks, or null. */
  dueDate: string | null;
  reachedAt: number | null;
  /** Of its tasks: how many are completed, and how many there are. */
  completed: number;
  total: number;
}

export type AssigneeRole = (typeof ASSIGNEE_ROLES)[number];

/** A person (a member of the deal), or whoever holds a role. */
export type Assignee = { kind: "user"; userId: string; name: string } | { kind: "role"; role: AssigneeRole };

export type DealTaskState = "PENDING" | "BLOCKED" | "IN_PROGRESS" | "COMPLETED" | "OVERDUE";

export interface DealTask {
  id: string;
  milestoneId: string | null;
  order: number;
  title: string;
  /** What to do, in words the buyer may read when the task is shared. */
  description: string;
  /** Notes between the team; internal always. */
  notes: string;
  assignee: Assignee | null;
  /** The due date's rule relative to a key date; null: a fixed date (or none). */
  due: RelativeDue | null;
  /** YYYY-MM-DD in the deal's zone; resolved from `due` when it is relative. */
  dueDate: string | null;
  state: DealTaskState;
  started: boolean;
  blocked: boolean;
  overdue: boolean;
  startedAt: number | null;
  completedAt: number | null;
  completedBy: string | null;
  /** Ids of the tasks this one waits for. */
  dependsOn: string[];
  sharedWithBuyer: boolean;
  /** A document is asked for this task (an inspection report, a pre-approval letter). */
  documentRequested: boolean;
  createdAt: number;
  /** Who created it (an agent may change the tasks they created); null for a template's. Internal. */
  createdBy: string | null;
  updatedAt: number;
}

export const DOCUMENT_TYPES = ["application/pdf", "image/jpeg", "image/png"] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];
export const DOCUMENT_STATUSES = ["submitted", "approved", "returned"] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export interface DocumentVersion {
  version: number;
  name: string;
  type: DocumentType;
  size: number;
  sha256: string;
  uploadedBy: string;
  uploadedByName: string;
  uploadedAt: number;
}

export interface DealDocument {
  id: string;
  taskId: string;
  /** The latest version's file name. */
  name: string;
  type: DocumentType;
  size: number;
  status: DocumentStatus;
  /** Every version, oldest first; none is ever removed. */
  versions: DocumentVersion[];
  uploadedBy: string;
  /** Marked confidential: only roles that see confidential data see it, even on a shared task. */
  confidential: boolean;
  /** The reviewer's comment when returned (or approved with one). */
  reviewComment: string | null;
  reviewedBy: string | null;
  reviewedAt: number | null;
}

/** One line of the live activity feed: the audit log as the team reads it (no addresses, no hashes). */
export interface ActivityEntry {
  id: string;
  seq: number;
  at: number;
  actorName: string;
  role: string;
  command: string;
  /** What it was about, in words ("Home inspection"). */
  summary: string;
}
