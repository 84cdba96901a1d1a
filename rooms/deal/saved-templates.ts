/**
 * A deal's structure as a template (schema/deal/templates.ts), and finding a saved one when a deal is created
 * from it. Saved templates live in D1 (`deal_templates`), which the room reads in a command's `vet` step, before
 * its transaction.
 */

import { asc } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import { DEAL_MAX_DUE_OFFSET_DAYS } from "../../config";
import { plainDate } from "../../schema/core/plain-date";
import { KEY_DATES, type KeyDate, type KeyDates, type RelativeDue } from "../../schema/deal/dates";
import type { AssigneeRole } from "../../schema/deal/records";
import { ASSIGNEE_ROLES, type Template, type TemplateTask, templateSchema } from "../../schema/deal/templates";
import type { RoomFacts } from "../core/commands";
import { log } from "../core/log";
import { allTaskRows, assigneeOf, infoRow, keyDatesOf, type TaskRow } from "./records";
import { dealDependencies, milestones } from "./tables";

/** Every saved template's id starts so: never a built-in's, so `deal.create` knows where to look. */
export const SAVED_TEMPLATE_PREFIX = "saved_";

/** A new saved template's id: the prefix and 32 hex digits (a template key: lower case, digits, _). */
export const newSavedTemplateId = (): string => `${SAVED_TEMPLATE_PREFIX}${crypto.randomUUID().replaceAll("-", "")}`;

/** Where a task's work goes when its person has no role a template names (an owner, a viewer, someone gone). */
const FALLBACK_ROLE: AssigneeRole = "transaction_coordinator";

/** Tasks in no milestone go into one more at the end, as a template holds tasks in milestones only. */
const LOOSE_MILESTONE = { key: "other_tasks", title: "Other tasks" } as const;

const isAssigneeRole = (role: string | undefined): role is AssigneeRole =>
  (ASSIGNEE_ROLES as readonly string[]).includes(role ?? "");

/** The role a template gives a task: its role, its person's role now, or the coordinator. */
function roleFor(row: TaskRow, roles: ReadonlyMap<string, string>): AssigneeRole {
  const assignee = assigneeOf(row);
  const role = assignee === null ? undefined : assignee.kind === "role" ? assignee.role : roles.get(assignee.userId);
  if (!isAssigneeRole(role)) return FALLBACK_ROLE;
  // A template's buyer task must be shared with the buyer; one that is not goes to the coordinator instead.
  return role === "buyer" && !row.sharedWithBuyer ? FALLBACK_ROLE : role;
}

/**
 * A task's due date as a template keeps it: its rule as it is; a fixed date as days from the nearer key date
 * (acceptance on a tie), within the offsets a template allows; no date at all as due at closing.
 */
export function relativeDueOf(row: Pick<TaskRow, "dueRule" | "dueDate">, keyDates: KeyDates): RelativeDue {
  if (row.dueRule !== null) return JSON.parse(row.dueRule) as RelativeDue;
  if (row.dueDate === null) return { anchor: "closing", offset: 0, unit: "days" };
  const due = plainDate(row.dueDate);
  const offsets = KEY_DATES.map((anchor): [KeyDate, number] => [
    anchor,
    plainDate(keyDates[anchor]).until(due, { largestUnit: "days" }).days,
  ]);
  const [anchor, offset] = offsets.reduce((best, each) => (Math.abs(each[1]) < Math.abs(best[1]) ? each : best));
  const clamped = Math.max(-DEAL_MAX_DUE_OFFSET_DAYS, Math.min(DEAL_MAX_DUE_OFFSET_DAYS, offset));
  return { anchor, offset: clamped, unit: "days" };
}

/**
 * The deal's milestones and tasks as a template named `name` (not yet checked by `templateSchema`: the caller does,
 * and answers what does not fit), or null before the deal is set up. `roles`: each member's role, by user id.
 */
export function templateOfDeal(
  db: DrizzleSqliteDODatabase,
  id: string,
  name: string,
  roles: ReadonlyMap<string, string>,
): Template | null {
  const info = infoRow(db);
  if (!info) return null;
  const keyDates = keyDatesOf(info);
  const rows = allTaskRows(db);
  const taskKeys = new Map(rows.map((row, i) => [row.id, `t${i + 1}`]));
  const waitsFor = new Map<string, string[]>();
  for (const edge of db.select().from(dealDependencies).all()) {
    const key = taskKeys.get(edge.dependsOn);
    if (key !== undefined) waitsFor.set(edge.taskId, [...(waitsFor.get(edge.taskId) ?? []), key]);
  }
  const taskOf = (row: TaskRow): TemplateTask => ({
    key: taskKeys.get(row.id) ?? row.id,
    title: row.title,
    assigneeRole: roleFor(row, roles),
    due: relativeDueOf(row, keyDates),
    dependsOn: waitsFor.get(row.id) ?? [],
    sharedWithBuyer: row.sharedWithBuyer,
  });
  const stored = db.select().from(milestones).orderBy(asc(milestones.ord)).all();
  const known = new Set(stored.map((milestone) => milestone.id));
  const laidOut = stored.map((milestone, i) => ({
    key: `m${i + 1}`,
    title: milestone.name,
    tasks: rows.filter((row) => row.milestoneId === milestone.id).map(taskOf),
  }));
  const loose = rows.filter((row) => row.milestoneId === null || !known.has(row.milestoneId)).map(taskOf);
  if (loose.length > 0) laidOut.push({ ...LOOSE_MILESTONE, tasks: loose });
  return { id, name, keyDates: [...KEY_DATES], milestones: laidOut };
}

/** Each member's role in the room, by user id, from D1. */
export async function memberRoles(d1: D1Database, roomId: string): Promise<Map<string, string>> {
  const { results } = await d1
    .prepare("SELECT user_id AS userId, role FROM memberships WHERE room_id = ?")
    .bind(roomId)
    .all<{ userId: string; role: string }>();
  return new Map(results.map((row) => [row.userId, row.role]));
}

/**
 * The saved template `templateId` names, if the caller may start a deal from it: it is theirs, or saved by an
 * owner of this room (who set the room up, and so vouches for the structures used in it). Null otherwise, or
 * when `templateId` is not a saved template's id (null, a built-in): the handler answers those.
 */
export async function findSavedTemplate(
  facts: RoomFacts,
  templateId: string | null,
  userId: string,
): Promise<Template | null> {
  if (templateId === null || !templateId.startsWith(SAVED_TEMPLATE_PREFIX)) return null;
  const row = await facts.d1
    .prepare(
      "SELECT body FROM deal_templates WHERE id = ?1 AND (owner_user_id = ?2 OR owner_user_id IN " +
        "(SELECT user_id FROM memberships WHERE room_id = ?3 AND role = 'owner'))",
    )
    .bind(templateId, userId, facts.roomId())
    .first<{ body: string }>();
  if (!row) return null;
  const parsed = templateSchema.safeParse(JSON.parse(row.body));
  if (parsed.success) return parsed.data;
  // Checked when saved; a body that no longer passes was stored by an older schema: refused as if unknown.
  log("deal.saved_template_invalid", { level: "warn", room: facts.roomId(), template: templateId });
  return null;
}
