/** Names are one line at the API: a person's, a room's and an asset's (schema/core/text.ts). */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, createRoom, type ErrorJson, json, signup } from "../helpers";

const BAD_NAMES = ["Eve\r\nBcc: x@example.com", "Eve\nFake line", "Eve\tTab", "Eve\u0000", "Eve\u007f", "Eve\u0085"];

describe("names with control characters", () => {
  it("are refused for a person at sign-up, 400 naming the field, and no account is made", async () => {
    for (const name of BAD_NAMES) {
      const email = `cc-${crypto.randomUUID()}@example.com`;
      const res = await api("/api/auth/signup", { body: { email, password: "correct horse battery", name } });
      expect(res.status, JSON.stringify(name)).toBe(400);
      const error = await json<ErrorJson>(res);
      expect(error.error.code).toBe("validation_failed");
      expect((error.error.details as { fields: { path: string }[] }).fields.map((f) => f.path)).toEqual(["name"]);
      const row = await env.DB.prepare("SELECT id FROM users WHERE email = ?1").bind(email).first();
      expect(row).toBeNull();
    }
  });

  it("are refused for an asset on create and update", async () => {
    const owner = await signup("Olive");
    const room = await createRoom(owner, "property", "Birch Lane");
    const run = (name: string, args: unknown) =>
      api(`/api/rooms/${room.id}/commands`, { cookie: owner.cookie, body: { name, args, key: crypto.randomUUID() } });
    const made = await run("asset.create", { id: "boiler", name: "Boiler", category: "hvac" });
    expect(made.status).toBe(200);
    for (const name of BAD_NAMES) {
      expect((await run("asset.create", { name, category: "hvac" })).status, JSON.stringify(name)).toBe(400);
      expect((await run("asset.update", { id: "boiler", name })).status, JSON.stringify(name)).toBe(400);
    }
  });
});
