import type { Context } from "hono";
import type { z } from "zod";
import type { AppEnv } from "../../app-env";
import { ApiError, parseWith } from "../../errors";

/** Reads the request body as JSON and validates it; malformed JSON is a 400, never a 500. */
export async function readJson<S extends z.ZodType>(c: Context<AppEnv>, schema: S): Promise<z.output<S>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new ApiError(400, "invalid_json", "The request body must be valid JSON.");
  }
  return parseWith(schema, body);
}
