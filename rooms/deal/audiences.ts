/**
 * Who is served which document of a deal. The team (whoever sees internal data) shares the room's own document;
 * a buyer is served the `buyer` projection (public and confidential data), an editor or viewer the `public` one.
 * Each projection is built by the room from the records with schema/deal/classes.ts, so a buyer's socket never
 * carries an internal byte: it is not filtered on their device, it is never sent.
 */
import { can } from "../../schema/core/roles";
import { type ClassContext, projectForRole, type RecordType } from "../../schema/deal/classes";
import type { DealRoot } from "../../schema/deal/records";

export const DEAL_AUDIENCES = ["buyer", "public"] as const;
export type DealAudience = (typeof DEAL_AUDIENCES)[number];

/**
 * The role each audience's projection is built for: what that role may see is what the audience gets. A role that
 * sees confidential but not internal data is a buyer's; one that sees neither, a viewer's.
 */
const AUDIENCE_ROLE: Record<DealAudience, string> = { buyer: "buyer", public: "viewer" };

/** The audience a role is served: null for the team (the room's own document). */
export function audienceOfRole(role: string): DealAudience | null {
  if (can("deal", role, "deal.read_internal")) return null;
  return can("deal", role, "deal.read_confidential") ? "buyer" : "public";
}

/** The record type of each mirrored root (the activity feed's fields are internal: the team's only). */
const ROOT_TYPES: Record<DealRoot, RecordType> = {
  deal: "deal",
  milestones: "milestone",
  tasks: "task",
  documents: "document",
  activity: "activity",
};

const isRoot = (root: string): root is DealRoot => Object.hasOwn(ROOT_TYPES, root);

/** `record` of `root` as `audience` may see it; undefined when it may see nothing of it. */
export function projectRecord(
  audience: string,
  root: string,
  record: unknown,
  context: ClassContext,
): Record<string, unknown> | undefined {
  if (record === undefined || record === null || typeof record !== "object" || !isRoot(root)) return undefined;
  const type = ROOT_TYPES[root];
  const role = (AUDIENCE_ROLE as Record<string, string | undefined>)[audience];
  if (role === undefined) return undefined;
  return projectForRole(record as Record<string, unknown>, type, role, context) ?? undefined;
}
