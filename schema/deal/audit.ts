/**
 * What a deal's audit routes speak: the export's query, the published chain head and the verify report. The chain
 * itself is rooms/core/hash-chain.ts; how to check an export alone is docs/audit.md.
 */
import { z } from "zod";

export const AUDIT_EXPORT_FORMATS = ["jsonl", "csv"] as const;
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

export const auditExportQuery = z.object({
  format: z
    .enum(AUDIT_EXPORT_FORMATS)
    .default("jsonl")
    .meta({ description: "`jsonl`: one chain entry a line, checkable alone; `csv`: one entry a row, for reading." }),
});

export {
  type AuditHead,
  type AuditVerifyReport,
  auditHeadSchema,
  auditVerifySchema,
  CHAIN_BREAKS,
} from "../core/chain";
