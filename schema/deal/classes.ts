/**
 * A deal's data classes: which role may see which field of which record. Pure: the room
 * builds each audience's projection (a buyer's document, HTTP answers) with these functions,
 * so a client never receives a byte it may not see and is never trusted to filter.
 *
 * Fail closed: a field the tables do not name is removed, a record whose identity the role
 * may not see vanishes whole (a buyer's answer is as if it did not exist).
 */
import { type Capability, can } from "../core/roles";

export const DATA_CLASSES = ["public", "internal", "confidential", "restricted"] as const;
export type DataClass = (typeof DATA_CLASSES)[number];

/** The capability that lets a role see each class: decided by capability, never by role name. */
export const CLASS_CAPABILITY = {
  public: "room.read",
  internal: "deal.read_internal",
  confidential: "deal.read_confidential",
  restricted: "audit.export",
} as const satisfies Record<DataClass, Capability>;

/** Whether a member with `role` in a deal may see data of `dataClass`. */
export function canSee(role: string, dataClass: DataClass): boolean {
  return can("deal", role, CLASS_CAPABILITY[dataClass]);
}

export const RECORD_TYPES = ["deal", "milestone", "task", "document", "note", "activity", "audit"] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/**
 * `shared`: internal unless the item is shared with the buyer (a task's `sharedWithBuyer`,
 * a document's task), then public, or confidential for a document marked confidential.
 */
type FieldClass = DataClass | "shared";

/** The class of every field of every record type; the `id` field decides whether the record exists for a role. */
export const FIELD_CLASSES = {
  deal: {
    id: "public",
    title: "public",
    address: "public",
    status: "public",
    stage: "public",
    keyDates: "public",
    timeZone: "public",
    parties: "public",
    createdAt: "public",
    purchasePrice: "confidential",
    financing: "confidential",
    commission: "internal",
    templateId: "internal",
  },
  milestone: {
    id: "public",
    name: "public",
    order: "public",
    status: "public",
    dueDate: "public",
    reachedAt: "public",
    // How many tasks a milestone holds would tell a buyer how many internal tasks there are.
    completed: "internal",
    total: "internal",
  },
  task: {
    id: "shared",
    milestoneId: "shared",
    order: "shared",
    title: "shared",
    description: "shared",
    assignee: "shared",
    due: "shared",
    dueDate: "shared",
    state: "shared",
    started: "shared",
    blocked: "shared",
    overdue: "shared",
    startedAt: "shared",
    completedAt: "shared",
    completedBy: "shared",
    sharedWithBuyer: "shared",
    documentRequested: "shared",
    createdAt: "shared",
    updatedAt: "shared",
    // A shared task's dependencies may name tasks that are not shared: their ids would tell they exist.
    dependsOn: "internal",
    notes: "internal",
    // Who on the team made it is the team's business.
    createdBy: "internal",
  },
  document: {
    id: "shared",
    taskId: "shared",
    name: "shared",
    type: "shared",
    size: "shared",
    status: "shared",
    versions: "shared",
    uploadedBy: "shared",
    confidential: "shared",
    reviewComment: "shared",
    reviewedBy: "shared",
    reviewedAt: "shared",
  },
  note: { id: "internal", taskId: "internal", author: "internal", body: "internal", createdAt: "internal" },
  /** The activity feed: the newest audit entries in words, for the team (`activity` root, records.ts). */
  activity: {
    id: "internal",
    seq: "internal",
    at: "internal",
    actorName: "internal",
    role: "internal",
    command: "internal",
    summary: "internal",
  },
  /** The audit log's whole entries (rooms/deal/audit-tables.ts), for its export. */
  audit: {
    seq: "restricted",
    id: "restricted",
    at: "restricted",
    actor: "restricted",
    actorName: "restricted",
    role: "restricted",
    command: "restricted",
    subject: "restricted",
    summary: "restricted",
    changes: "restricted",
    ip: "restricted",
    prevHash: "restricted",
    hash: "restricted",
  },
} as const satisfies Record<RecordType, Readonly<Record<string, FieldClass>> & { id: FieldClass }>;

/** What a record's classes depend on beyond itself: which tasks are shared (for their documents). */
export interface ClassContext {
  readonly sharedTaskIds: ReadonlySet<string>;
}

const NOTHING_SHARED: ClassContext = { sharedTaskIds: new Set() };

type AnyRecord = Readonly<Record<string, unknown>>;

function isShared(record: AnyRecord, type: RecordType, context: ClassContext): boolean {
  if (type === "task") return record.sharedWithBuyer === true;
  if (type === "document") return typeof record.taskId === "string" && context.sharedTaskIds.has(record.taskId);
  return false;
}

/** The class of one field of a record, given whether it (or its task) is shared. */
export function classOf(
  type: RecordType,
  field: string,
  record: AnyRecord,
  context = NOTHING_SHARED,
): DataClass | null {
  const table: Readonly<Record<string, FieldClass>> = FIELD_CLASSES[type];
  if (!Object.hasOwn(table, field)) return null;
  const declared = table[field];
  if (declared !== "shared") return declared ?? null;
  if (!isShared(record, type, context)) return "internal";
  return type === "document" && record.confidential === true ? "confidential" : "public";
}

/**
 * A copy of `record` holding only the fields `role` may see: every other field is absent
 * (not null, not empty). Null when the role may not see the record at all.
 */
export function projectForRole<T extends AnyRecord>(
  record: T,
  type: RecordType,
  role: string,
  context: ClassContext = NOTHING_SHARED,
): Partial<T> | null {
  const identity = classOf(type, "id", record, context);
  if (identity === null || !canSee(role, identity)) return null;
  const copy: Partial<T> = {};
  for (const field of Object.keys(record) as (keyof T & string)[]) {
    const dataClass = classOf(type, field, record, context);
    if (dataClass !== null && canSee(role, dataClass)) copy[field] = record[field];
  }
  return copy;
}

/** The shared tasks' ids, for the documents of a list of tasks. */
export function sharedTasksOf(tasks: readonly AnyRecord[]): ClassContext {
  const ids = tasks.filter((task) => task.sharedWithBuyer === true).map((task) => task.id);
  return { sharedTaskIds: new Set(ids.filter((id): id is string => typeof id === "string")) };
}

/**
 * A filter over lists for one role: each record projected, the ones the role may not see
 * gone entirely (a task not shared, for a buyer). Build a buyer's projection from this.
 */
export function visibleTo(role: string, context: ClassContext = NOTHING_SHARED) {
  return <T extends AnyRecord>(records: readonly T[], type: RecordType): Partial<T>[] =>
    records.flatMap((record) => {
      const projected = projectForRole(record, type, role, context);
      return projected === null ? [] : [projected];
    });
}
