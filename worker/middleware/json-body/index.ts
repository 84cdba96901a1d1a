import type { Context } from "hono";
import type { z } from "zod";
import { MAX_JSON_DEPTH } from "../../../config";
import { nestsDeeperThan } from "../../../schema/core/json-depth";
import type { AppEnv } from "../../app-env";
import { ApiError, parseWith } from "../../errors";

/** True when a Content-Type header names JSON (`application/json`, any parameters such as a charset). */
export function isJsonContentType(header: string | undefined): boolean {
  return header?.split(";")[0]?.trim().toLowerCase() === "application/json";
}

/**
 * Reads the request body as JSON and validates it. A body not labelled
 * `application/json` is a 415 (a plain HTML form cannot send that label), and malformed
 * JSON is a 400, never a 500, as is JSON nested deeper than MAX_JSON_DEPTH.
 */
export async function readJson<S extends z.ZodType>(c: Context<AppEnv>, schema: S): Promise<z.output<S>> {
  if (!isJsonContentType(c.req.header("Content-Type"))) {
    throw new ApiError(
      415,
      "unsupported_media_type",
      "Send the request body as JSON, with Content-Type: application/json.",
    );
  }
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new ApiError(400, "invalid_json", "The request body must be valid JSON.");
  }
  if (nestsDeeperThan(body, MAX_JSON_DEPTH))
    throw new ApiError(400, "invalid_json", `The request body may nest at most ${MAX_JSON_DEPTH} levels deep.`);
  return parseWith(schema, body);
}
