/**
 * Deal templates people save: a deal's structure saved as a new template (`templates.save`), and the list of
 * templates a deal can start from. A saved one is used by `deal.create` with its `templateId`
 * (rooms/deal/saved-templates.ts says who may).
 */
import { count, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { z } from "zod";
import { MAX_SAVED_DEAL_TEMPLATES_PER_USER } from "../../config";
import { BUILT_IN_TEMPLATES } from "../../rooms/deal/handlers/deal";
import { newSavedTemplateId } from "../../rooms/deal/saved-templates";
import { kindStub } from "../../rooms/stubs";
import { dealTemplates } from "../../schema/d1";
import {
  savedTemplateSchema,
  saveTemplateBody,
  type TemplateListItem,
  templateListSchema,
} from "../../schema/deal/api";
import { type Template, templateSchema } from "../../schema/deal/templates";
import type { AppEnv } from "../app-env";
import { ApiError, parseWith } from "../errors";
import { readJson } from "../middleware/json-body";
import { requireAuth } from "../middleware/session";
import { requireCapability, requireMembership, roomCaller, roomNotFound } from "../room-access";
import { notFound, roomNotFound as roomNotFoundCase, roomWith, validationFailed } from "./common";
import { defineRoute, json, type RouteDef } from "./define";

const itemOf = (template: Template, builtIn: boolean): TemplateListItem => ({
  id: template.id,
  name: template.name,
  builtIn,
  milestones: template.milestones.length,
  tasks: template.milestones.reduce((sum, milestone) => sum + milestone.tasks.length, 0),
});

/** Inserts a saved template unless its owner (?2) has ?6 already: one statement, so racing saves cannot pass it. */
export const INSERT_WITHIN_LIMIT_SQL =
  "INSERT INTO deal_templates (id, owner_user_id, name, body, created_at) SELECT ?1, ?2, ?3, ?4, ?5 " +
  "WHERE (SELECT count(*) FROM deal_templates WHERE owner_user_id = ?2) < ?6";

const saveTemplateRoute = defineRoute({
  method: "post",
  path: "/api/rooms/{roomId}/deal/templates",
  summary: "Save the deal's structure as a new template",
  description:
    "Milestones and tasks with their assignee roles (a task assigned to a person takes that person's role, or the " +
    "coordinator's), relative due dates (a fixed date becomes days from the nearer key date), dependencies and " +
    "sharing. The template is the caller's; `deal.create` takes its id.",
  tag: "Deals",
  auth: "session",
  body: { json: saveTemplateBody },
  ok: { 201: json("The saved template.", savedTemplateSchema) },
  errors: [
    ...roomWith("templates.save"),
    notFound("The deal is not set up yet (`deal.create`)."),
    validationFailed("The deal's structure does not fit a template (too many tasks, say); `details.fields` says."),
    [413, "quota_exceeded", `The caller has ${MAX_SAVED_DEAL_TEMPLATES_PER_USER} saved templates already.`],
  ],
  handler: saveDealTemplate,
});
async function saveDealTemplate(c: Context<AppEnv>): Promise<Response> {
  const { db, user, room } = await roomCaller(c);
  // Before the capability: a room of another kind answers 404, as if it did not exist, whatever the role there.
  if (room.kind !== "deal") throw roomNotFound();
  requireCapability(room, "templates.save");
  const { name } = await readJson(c, saveTemplateBody);
  const tooMany = () =>
    new ApiError(413, "quota_exceeded", `You may keep at most ${MAX_SAVED_DEAL_TEMPLATES_PER_USER} templates.`);
  // Checked first so a caller at the limit does not make the room build a structure for nothing.
  const saved = await db.select({ n: count() }).from(dealTemplates).where(eq(dealTemplates.ownerUserId, user.id)).get();
  if ((saved?.n ?? 0) >= MAX_SAVED_DEAL_TEMPLATES_PER_USER) throw tooMany();
  const id = newSavedTemplateId();
  const structure = await kindStub(c.env, "deal", room.id).structure(id, name);
  if (!structure) throw new ApiError(404, "not_found", "This deal is not set up yet.");
  const template = parseWith(templateSchema, structure);
  // The limit again in the insert itself, so saves racing each other cannot pass it together.
  const inserted = await c.env.DB.prepare(INSERT_WITHIN_LIMIT_SQL)
    .bind(id, user.id, name, JSON.stringify(template), Date.now(), MAX_SAVED_DEAL_TEMPLATES_PER_USER)
    .run();
  if (inserted.meta.changes === 0) throw tooMany();
  return c.json({ template: itemOf(template, false) }, 201);
}

const templateListQuery = z.strictObject({
  roomId: z
    .string()
    .max(64)
    .optional()
    .meta({ description: "Also list the templates this room's owners saved, which a deal in it may start from." }),
});

/** A saved template's counts, read from its body in D1 without sending the bodies over. */
const SAVED_LIST_SQL =
  "SELECT id, name, json_array_length(body, '$.milestones') AS milestones, " +
  "(SELECT coalesce(sum(json_array_length(m.value, '$.tasks')), 0) FROM json_each(body, '$.milestones') m) " +
  "AS tasks FROM deal_templates WHERE owner_user_id = ?1 OR owner_user_id IN " +
  "(SELECT user_id FROM memberships WHERE room_id = ?2 AND role = 'owner') ORDER BY created_at DESC, id";

const listTemplatesRoute = defineRoute({
  method: "get",
  path: "/api/deal-templates",
  summary: "The templates a deal can start from",
  description:
    "The built-in templates, then the caller's saved ones, newest first (with `roomId`, also those the room's " +
    "owners saved).",
  tag: "Deals",
  auth: "session",
  query: templateListQuery,
  ok: { 200: json("The templates.", templateListSchema) },
  errors: [roomNotFoundCase, validationFailed("A query parameter is malformed.")],
  handler: listDealTemplates,
});
async function listDealTemplates(c: Context<AppEnv>): Promise<Response> {
  const { user } = requireAuth(c);
  const { roomId } = parseWith(templateListQuery, c.req.query());
  if (roomId !== undefined) await requireMembership(drizzle(c.env.DB), roomId, user.id);
  const { results } = await c.env.DB.prepare(SAVED_LIST_SQL)
    .bind(user.id, roomId ?? null)
    .all<{ id: string; name: string; milestones: number; tasks: number }>();
  const builtIn = [...BUILT_IN_TEMPLATES.values()].map((template) => itemOf(template, true));
  const saved = results.map((row) => ({ ...row, builtIn: false }));
  return c.json({ templates: [...builtIn, ...saved] });
}

export const dealTemplateRoutes: readonly RouteDef[] = [saveTemplateRoute, listTemplatesRoute];
