import { Hono } from "hono";
import { describe, expect, it, vi } from "vitest";
import type { AppEnv } from "../../app-env";
import { ApiError, handleError } from "../../errors";
import { REQUEST_ID_HEADER, requestId } from ".";

function app() {
  const hono = new Hono<AppEnv>();
  hono.use("*", requestId);
  hono.get("/ok", (c) => c.json({ id: c.var.requestId }));
  hono.get("/boom", () => {
    throw new Error("disk on fire at /var/secret");
  });
  hono.get("/refused", () => {
    throw new ApiError(403, "forbidden", "No.");
  });
  hono.onError(handleError);
  return hono;
}

describe("request ids", () => {
  it("ends every request with one JSON line: id, method, route pattern (not the path), status, time", async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    try {
      const hono = app();
      hono.get("/feeds/:secret", (c) => c.text("feed"));
      const res = await hono.request("/feeds/s3cr3t-token");
      expect(lines).toHaveLength(1);
      const entry = JSON.parse(lines[0] ?? "{}") as Record<string, unknown>;
      expect(entry).toMatchObject({
        event: "request",
        requestId: res.headers.get(REQUEST_ID_HEADER),
        method: "GET",
        route: "/feeds/:secret",
        status: 200,
      });
      expect(entry.ms).toBeGreaterThanOrEqual(0);
      expect(lines[0]).not.toContain("s3cr3t-token");
      await app().request("/refused");
      expect(JSON.parse(lines[1] ?? "{}")).toMatchObject({ route: "/refused", status: 403 });
    } finally {
      spy.mockRestore();
    }
  });

  it("gives each request its own id, ignoring one the client sends, and returns it", async () => {
    const first = await app().request("/ok", { headers: { [REQUEST_ID_HEADER]: "forged" } });
    const second = await app().request("/ok");
    const id = first.headers.get(REQUEST_ID_HEADER);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(((await first.json()) as { id: string }).id).toBe(id);
    expect(second.headers.get(REQUEST_ID_HEADER)).not.toBe(id);
  });

  it("logs an unexpected error as one JSON line with the request id, and tells the client nothing of it", async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    const spyError = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const res = await app().request("/boom");
      expect(res.status).toBe(500);
      expect(await res.text()).not.toContain("disk on fire");
      const entry = JSON.parse(lines.find((line) => line.includes('"request.failed"')) ?? "{}") as Record<
        string,
        unknown
      >;
      expect(entry).toMatchObject({
        event: "request.failed",
        level: "error",
        requestId: res.headers.get(REQUEST_ID_HEADER),
        method: "GET",
        route: "/boom",
        error: "disk on fire at /var/secret",
      });
      expect(spyError).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
      spyError.mockRestore();
    }
  });

  it("does not log errors meant for the client", async () => {
    const spy = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      expect((await app().request("/refused")).status).toBe(403);
      expect(spy.mock.calls.flat().join("\n")).not.toContain("request.failed");
    } finally {
      spy.mockRestore();
    }
  });
});
