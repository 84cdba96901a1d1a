/**
 * A deal room's records, in its own SQLite: the deal, its milestones, its tasks and what each waits for. The
 * document holds a mirror of them; a task's state is derived from these rows (rooms/deal/task-state.ts).
 */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** The deal itself (one row, id 1): made by `deal.create`. */
export const dealInfo = sqliteTable("deal_info", {
  id: integer("id").primaryKey(),
  title: text("title").notNull(),
  address: text("address").notNull(),
  status: text("status", { enum: ["open", "closed", "cancelled"] }).notNull(),
  acceptance: text("acceptance").notNull(),
  closing: text("closing").notNull(),
  timeZone: text("time_zone").notNull(),
  /** JSON array of parties. */
  parties: text("parties").notNull(),
  purchasePrice: integer("purchase_price"),
  /** JSON, or null. */
  financing: text("financing"),
  /** JSON, or null. */
  commission: text("commission"),
  templateId: text("template_id"),
  createdAt: integer("created_at").notNull(),
  createdBy: text("created_by").notNull(),
});

export const milestones = sqliteTable("deal_milestones", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  ord: integer("ord").notNull(),
  /** When its last task was completed; cleared when one is reopened or added. */
  reachedAt: integer("reached_at"),
  createdAt: integer("created_at").notNull(),
});

export const dealTasks = sqliteTable(
  "deal_tasks",
  {
    id: text("id").primaryKey(),
    milestoneId: text("milestone_id"),
    ord: integer("ord").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull(),
    notes: text("notes").notNull(),
    /** JSON `Assignee` without the name (a person's name is read from the members), or null. */
    assignee: text("assignee"),
    /** The assignee cannot see internal data (a buyer): the task stays shared with the buyer while so. */
    assigneeOutsider: integer("assignee_outsider", { mode: "boolean" }).notNull().default(false),
    /** JSON relative due rule, or null for a fixed date (or none). */
    dueRule: text("due_rule"),
    dueDate: text("due_date"),
    startedAt: integer("started_at"),
    startedBy: text("started_by"),
    completedAt: integer("completed_at"),
    completedBy: text("completed_by"),
    sharedWithBuyer: integer("shared_with_buyer", { mode: "boolean" }).notNull(),
    documentRequested: integer("document_requested", { mode: "boolean" }).notNull(),
    createdAt: integer("created_at").notNull(),
    /** Who created it: an agent may change the tasks they created. Null for a template's. */
    createdBy: text("created_by"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("deal_tasks_milestone_idx").on(t.milestoneId)],
);

/** `taskId` waits for `dependsOn`. */
export const dealDependencies = sqliteTable(
  "deal_dependencies",
  {
    taskId: text("task_id").notNull(),
    dependsOn: text("depends_on").notNull(),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.dependsOn] }), index("deal_dependencies_on_idx").on(t.dependsOn)],
);
