/**
 * A site's compliance records over HTTP (docs/sites.md, "Records an inspector accepts"): the records a page at a
 * time, each a link of the site's hash chain, and verifying the chain. For every member of the site: an
 * inspector is given a viewer's account.
 */
import type { Context } from "hono";
import { kindStub } from "../../../rooms/stubs";
import type { Room } from "../../../schema/core/api";
import { siteRecordsPageSchema, siteRecordsQuery, siteRecordsVerifySchema } from "../../../schema/site/compliance";
import type { AppEnv } from "../../app-env";
import { notFound, parseWith } from "../../errors";
import { roomCaller } from "../../room-access";
import { notFound as notFoundCase, roomNotFound, validationFailed } from "../common";
import { defineRoute, json, type RouteDef } from "../define";

async function siteCaller(c: Context<AppEnv>): Promise<Room> {
  const { room } = await roomCaller(c);
  if (room.kind !== "site") throw notFound("Only sites keep compliance records.");
  return room;
}

const notASite = notFoundCase("The room is not a site.");

const recordsRoute = defineRoute({
  method: "get",
  path: "/api/rooms/{roomId}/records",
  summary: "A site's compliance records",
  description:
    "Hand-logged readings, their corrections and corrective actions, oldest first, each with its seq, the " +
    "previous record's hash and its own (docs/audit.md gives the recipe): `after` the last seq read, at most " +
    "`limit`. `head` is where the chain stood when the page was read.",
  tag: "Sites",
  auth: "session",
  query: siteRecordsQuery,
  ok: { 200: json("A page of records.", siteRecordsPageSchema) },
  errors: [roomNotFound, notASite, validationFailed("`after` or `limit` is not a whole number in range.")],
  handler: listRecords,
});
async function listRecords(c: Context<AppEnv>): Promise<Response> {
  const room = await siteCaller(c);
  const { after, limit } = parseWith(siteRecordsQuery, c.req.query());
  const page = await kindStub(c.env, "site", room.id).recordsPage(after, limit);
  return c.body(page, 200, { "Content-Type": "application/json", "Cache-Control": "no-store" });
}

const verifyRecordsRoute = defineRoute({
  method: "get",
  path: "/api/rooms/{roomId}/records/verify",
  summary: "Verify a site's compliance records",
  description:
    "Recomputes every record's hash up to the head and answers ok, or the first broken link: `altered`, " +
    "`removed`, `reordered`, `inserted` or `head_mismatch` (records at the end gone).",
  tag: "Sites",
  auth: "session",
  ok: { 200: json("The report (a broken chain is still a 200: the check itself succeeded).", siteRecordsVerifySchema) },
  errors: [roomNotFound, notASite],
  handler: verifyRecords,
});
async function verifyRecords(c: Context<AppEnv>): Promise<Response> {
  const room = await siteCaller(c);
  return c.json(await kindStub(c.env, "site", room.id).verifyRecords(), 200, { "Cache-Control": "no-store" });
}

export const siteRecordRoutes: readonly RouteDef[] = [recordsRoute, verifyRecordsRoute];
