/**
 * A deal, as core sees it: its roles and capabilities. A deal keeps the four base roles so
 * core's invites, role changes and the generic checklists work unchanged; `editor` and `viewer`
 * carry only core's capabilities, so they see a deal's public data only (schema/deal/classes.ts).
 */
import { BASE_ROLES, type KindManifest } from "../core/kind";
import { DEAL_SERVER_ROOTS } from "./records";

const CAPABILITIES = [
  /** See internal data: task details not shared with the buyer, notes between agents, commission. */
  "deal.read_internal",
  /** See confidential data: purchase price, financing details, documents marked confidential. */
  "deal.read_confidential",
  /** Change the deal's own record: address, parties, purchase price, commission, financing. */
  "deal.edit",
  /** Manage every task, milestone and key date: create, change, assign, reopen, complete any. */
  "tasks.manage",
  /** Create tasks and assign them (to a person or a role). */
  "tasks.create_assign",
  /** Complete tasks assigned to oneself or one's role (a home's `tasks.complete_own` is the home's). */
  "tasks.complete_assigned",
  /** Upload a document against any task one can see. */
  "documents.upload",
  /** Upload the documents asked of oneself: against tasks assigned to oneself or one's role. */
  "documents.upload_own",
  /** Approve a submitted document, or return it with a comment. */
  "documents.review",
  /** Export and verify the audit log (the restricted class). */
  "audit.export",
  /** Save a deal's structure as a new template. */
  "templates.save",
] as const;
type DealCapability = (typeof CAPABILITIES)[number];

/** What a buyer does: their own tasks and the documents asked of them. */
const BUYER: readonly DealCapability[] = ["deal.read_confidential", "tasks.complete_assigned", "documents.upload_own"];
/** What a buyer's agent adds: sees the whole deal, creates and assigns tasks, uploads any document. */
const AGENT: readonly DealCapability[] = [...BUYER, "deal.read_internal", "tasks.create_assign", "documents.upload"];
/** What a coordinator adds: every task, milestone and key date, the deal record, document review. */
const COORDINATOR: readonly DealCapability[] = [...AGENT, "deal.edit", "tasks.manage", "documents.review"];

export const dealKind = {
  noun: "deal",
  capabilities: CAPABILITIES,
  roles: {
    owner: [...BASE_ROLES.owner, ...CAPABILITIES],
    admin: [...BASE_ROLES.admin, ...CAPABILITIES],
    /**
     * Runs the file: every task, milestone and key date; invites the parties (only as roles
     * it could hold itself, so never admin or owner).
     */
    transaction_coordinator: ["room.read", "doc.write", "members.invite", ...COORDINATOR],
    /** The buyer's agent: sees the deal, creates and assigns tasks, keeps the checklists. */
    buyer_agent: ["room.read", "doc.write", ...AGENT],
    /** Sees the buyer timeline and what is shared with buyers; no internal data, ever. */
    buyer: ["room.read", ...BUYER],
    editor: BASE_ROLES.editor,
    viewer: BASE_ROLES.viewer,
  },
  serverRoots: DEAL_SERVER_ROOTS,
  photoCapabilities: [],
} as const satisfies KindManifest<DealCapability>;
