/**
 * What a hash chain's routes speak (a deal's audit log, a site's compliance records): its head and the verify
 * report. The chain itself is rooms/core/hash-chain.ts; its recipe is in docs/audit.md.
 */
import { z } from "zod";

const hash = z.string().regex(/^[0-9a-f]{64}$/);

/** Where the chain stands: its last entry's seq and hash; `{ seq: 0, hash: 64 zeros }` before the first. */
export const auditHeadSchema = z
  .strictObject({
    seq: z.number().int().min(0),
    hash: hash.meta({ description: "Lowercase hex SHA-256 (docs/audit.md gives the recipe)." }),
  })
  .meta({ id: "AuditHead", description: "The audit chain's head." });
export type AuditHead = z.infer<typeof auditHeadSchema>;

export const CHAIN_BREAKS = ["altered", "removed", "reordered", "inserted", "head_mismatch"] as const;

export const auditVerifySchema = z
  .discriminatedUnion("ok", [
    z.strictObject({
      ok: z.literal(true),
      count: z.number().int().min(0).meta({ description: "Entries proven." }),
      head: auditHeadSchema,
    }),
    z.strictObject({
      ok: z.literal(false),
      seq: z.number().int().min(1).meta({ description: "The seq of the first link that is not proven." }),
      reason: z.enum(CHAIN_BREAKS),
      message: z.string(),
    }),
  ])
  .meta({ id: "AuditVerifyReport", description: "Whether the audit chain is intact, or its first broken link." });
export type AuditVerifyReport = z.infer<typeof auditVerifySchema>;
