/** What `GET /health` and `GET /health/ready` answer (worker/routes/health.ts, docs/operations.md). */
import { z } from "zod";

export const HEALTH_CHECKS = ["d1", "r2", "rooms"] as const;
export type HealthCheck = (typeof HEALTH_CHECKS)[number];

export const livenessSchema = z
  .strictObject({ status: z.literal("ok") })
  .meta({ id: "Liveness", description: "The Worker runs." });

const checkSchema = z.strictObject({
  status: z.enum(["ok", "failed"]),
  ms: z.number().min(0).meta({ description: "How long the check took." }),
});

export const readinessSchema = z
  .strictObject({
    status: z.enum(["ok", "failed"]),
    checks: z.strictObject({ d1: checkSchema, r2: checkSchema, rooms: checkSchema }),
  })
  .meta({ id: "Readiness", description: "Each dependency the Worker needs, reached or not." });
export type Readiness = z.infer<typeof readinessSchema>;
