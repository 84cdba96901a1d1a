import { env } from "cloudflare:test";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { AppEnv } from "../../app-env";
import { handleError } from "../../errors";
import { isJsonContentType, readJson } from ".";

const app = new Hono<AppEnv>();
app.onError(handleError);
app.post("/", async (c) => c.json(await readJson(c, z.object({ name: z.string() }))));
const post = (body: string, contentType?: string) =>
  app.request("/", { method: "POST", body, headers: contentType ? { "Content-Type": contentType } : {} }, env);

describe("readJson", () => {
  it("reads a body labelled application/json, with or without a charset", async () => {
    expect(await (await post('{"name":"a"}', "application/json")).json()).toEqual({ name: "a" });
    expect((await post('{"name":"a"}', "Application/JSON; charset=utf-8")).status).toBe(200);
  });

  it.each([
    ["no Content-Type", undefined],
    ["text/plain (what a cross-site form or no-cors fetch sends)", "text/plain"],
    ["a form", "application/x-www-form-urlencoded"],
    ["multipart", "multipart/form-data; boundary=x"],
    ["a JSON-looking but different type", "application/jsonp"],
  ])("answers 415 unsupported_media_type for %s", async (_label, contentType) => {
    const res = await post('{"name":"a"}', contentType);
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({
      error: {
        code: "unsupported_media_type",
        message: "Send the request body as JSON, with Content-Type: application/json.",
      },
    });
  });

  it("knows a JSON media type", () => {
    expect(isJsonContentType("application/json")).toBe(true);
    expect(isJsonContentType(" application/json ; charset=UTF-8")).toBe(true);
    expect(isJsonContentType("application/ld+json")).toBe(false);
    expect(isJsonContentType(undefined)).toBe(false);
  });
});

describe("readJson and nesting", () => {
  it("answers 400 invalid_json for JSON nested deeper than MAX_JSON_DEPTH, never 500", async () => {
    const res = await post(`{"name":"a","x":${"[".repeat(5_000)}${"]".repeat(5_000)}}`, "application/json");
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalid_json");
  });
});
