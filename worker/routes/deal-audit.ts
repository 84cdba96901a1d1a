/**
 * A deal's audit log over HTTP: the export (JSON lines or CSV, streamed a page at a time), the chain's head and
 * verifying the chain. All three are for `audit.export` holders only (owners and admins): the log is the deal's
 * restricted class, and its head tells how much happened; anyone with the export can publish the head further.
 */
import type { Context } from "hono";
import { DEAL_AUDIT_EXPORT_PAGE_ENTRIES } from "../../config";
import { csvHeader } from "../../rooms/deal/audit-export";
import { kindStub } from "../../rooms/stubs";
import type { Room } from "../../schema/core/api";
import { auditExportQuery, auditHeadSchema, auditVerifySchema } from "../../schema/deal/audit";
import type { AppEnv } from "../app-env";
import { notFound, parseWith } from "../errors";
import { requireCapability, roomCaller } from "../room-access";
import { notFound as notFoundCase, roomWith, validationFailed } from "./common";
import { defineRoute, json, type RouteDef } from "./define";

/** The caller's deal: 404 for a room of another kind (before the capability, which only deals know). */
async function auditCaller(c: Context<AppEnv>): Promise<Room> {
  const { room } = await roomCaller(c);
  if (room.kind !== "deal") throw notFound("Only deals keep an audit log.");
  requireCapability(room, "audit.export");
  return room;
}

const notADeal = notFoundCase("The room is not a deal.");

const exportAuditRoute = defineRoute({
  method: "get",
  path: "/api/rooms/{roomId}/audit",
  summary: "Export the deal's audit log",
  description:
    "Every entry up to the head at the time of the request, oldest first, streamed. `jsonl`: one hash-chain entry " +
    "a line (`{seq, prevHash, hash, content}`), which `scripts/verify-audit-export.ts` checks alone against the " +
    "head; `csv`: the same entries as rows. The `X-Audit-Head-Seq` and `X-Audit-Head-Hash` headers name the head " +
    "the export ends at. See docs/audit.md.",
  tag: "Commands",
  auth: "session",
  query: auditExportQuery,
  ok: {
    200: {
      description: "The log, as JSON lines or CSV.",
      media: ["application/x-ndjson", "text/csv"],
      format: "text",
    },
  },
  errors: [...roomWith("audit.export"), notADeal, validationFailed("`format` is neither `jsonl` nor `csv`.")],
  handler: exportAudit,
});
async function exportAudit(c: Context<AppEnv>): Promise<Response> {
  const room = await auditCaller(c);
  const { format } = parseWith(auditExportQuery, c.req.query());
  const stub = kindStub(c.env, "deal", room.id);
  const head = await stub.auditHead();
  const encoder = new TextEncoder();
  let after = 0;
  // A page is asked for only when the reader wants more, so a large log is never held whole, here or in the room.
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (format === "csv") controller.enqueue(encoder.encode(csvHeader()));
    },
    async pull(controller) {
      const page =
        after >= head.seq ? null : await stub.auditExportPage(format, after, head.seq, DEAL_AUDIT_EXPORT_PAGE_ENTRIES);
      if (page?.lastSeq == null) {
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(page.text));
      after = page.lastSeq;
    },
  });
  const extension = format === "csv" ? "csv" : "jsonl";
  return new Response(body, {
    headers: {
      "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      "Content-Disposition": `attachment; filename="deal-audit-${room.id}.${extension}"`,
      "Cache-Control": "no-store",
      "X-Audit-Head-Seq": String(head.seq),
      "X-Audit-Head-Hash": head.hash,
    },
  });
}

const auditHeadRoute = defineRoute({
  method: "get",
  path: "/api/rooms/{roomId}/audit/head",
  summary: "The audit chain's head",
  description:
    "The last entry's seq and hash (`{seq: 0, hash: 64 zeros}` before the first). Keep it outside Haven: an " +
    "export checked against it proves that no entry up to it was changed, removed or reordered.",
  tag: "Commands",
  auth: "session",
  ok: { 200: json("The head.", auditHeadSchema) },
  errors: [...roomWith("audit.export"), notADeal],
  handler: auditHead,
});
async function auditHead(c: Context<AppEnv>): Promise<Response> {
  const room = await auditCaller(c);
  const head = await kindStub(c.env, "deal", room.id).auditHead();
  return c.json(head, 200, { "Cache-Control": "no-store" });
}

const verifyAuditRoute = defineRoute({
  method: "get",
  path: "/api/rooms/{roomId}/audit/verify",
  summary: "Verify the deal's audit chain",
  description:
    "Recomputes every entry's hash up to the head and answers ok, or the first broken link: `altered`, " +
    "`removed`, `reordered` (rows' seq numbers exchanged), `inserted` or `head_mismatch` (rows at the end gone).",
  tag: "Commands",
  auth: "session",
  ok: { 200: json("The report (a broken chain is still a 200: the check itself succeeded).", auditVerifySchema) },
  errors: [...roomWith("audit.export"), notADeal],
  handler: verifyAudit,
});
async function verifyAudit(c: Context<AppEnv>): Promise<Response> {
  const room = await auditCaller(c);
  return c.json(await kindStub(c.env, "deal", room.id).verifyAudit(), 200, { "Cache-Control": "no-store" });
}

export const dealAuditRoutes: readonly RouteDef[] = [exportAuditRoute, auditHeadRoute, verifyAuditRoute];
