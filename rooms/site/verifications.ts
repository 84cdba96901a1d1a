/**
 * A second person's check of a site's record (HACCP's verification: a manager reviews the monitoring and the
 * corrective actions), kept as a record of its own in the chain. Nobody verifies their own record, a record is
 * verified once, and a verification is not itself verified.
 */
import type { VerificationRecord } from "../../schema/site/compliance";
import { type CommandContext, CommandError } from "../core/commands";
import { appendRecord, isNamedBy, recordById } from "./records";

export function verifyRecord(ctx: CommandContext, a: { recordId: string; note: string }): VerificationRecord {
  const record = recordById(ctx.db, a.recordId);
  if (!record || record.kind === "verification")
    throw new CommandError("not_found", "No such record to verify in this site.", {
      fields: [{ path: "recordId", message: "is not a reading, correction or corrective action of this site" }],
    });
  if (record.by === ctx.actor.userId)
    throw new CommandError("forbidden", "Nobody verifies their own record: another manager does.");
  if (isNamedBy(ctx.sql, { kind: "verification", field: "verifies" }, record.id))
    throw new CommandError("conflict", "This record was verified already.");
  const verification: VerificationRecord = {
    kind: "verification",
    id: crypto.randomUUID(),
    at: ctx.now,
    by: ctx.actor.userId,
    byName: ctx.actor.name,
    verifies: record.id,
    note: a.note,
  };
  appendRecord(ctx, verification);
  return verification;
}
