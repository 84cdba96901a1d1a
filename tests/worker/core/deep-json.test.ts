import { describe, expect, it } from "vitest";
import { NOTICE_PREFIX } from "../../../schema/core/messages";
import { api, createRoom, type ErrorJson, json, RoomClient, signup, waitFor } from "../helpers";

/** `[[[…]]]` nested `depth` deep, as text: 5,000 levels fit in a command's 16 KB. */
const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

describe("deeply nested JSON", () => {
  it("answers 400 on POST /commands, and the room is untouched", async () => {
    const alice = await signup("Alice");
    const room = await createRoom(alice, "property", "Deep");
    const res = await api(`/api/rooms/${room.id}/commands`, {
      cookie: alice.cookie,
      rawBody: `{"name":"asset.create","key":"deep-${crypto.randomUUID()}","args":${nested(5_000)}}`,
      headers: { "Content-Type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect((await json<ErrorJson>(res)).error.code).toBe("invalid_json");
    const list = await api(`/api/rooms/${room.id}/commands`, {
      cookie: alice.cookie,
      body: { name: "asset.create", args: { name: "Boiler", category: "other" }, key: `ok-${crypto.randomUUID()}` },
    });
    expect(list.status).toBe(200);
  });

  it("answers validation_failed over the socket and keeps the room working", async () => {
    const alice = await signup("Alice");
    const room = await createRoom(alice, "property", "Deep socket");
    const client = await RoomClient.connect("property", room.id, alice.cookie);
    client.send(
      `${NOTICE_PREFIX}{"type":"command","id":1,"name":"asset.create",` +
        `"key":"deep-${crypto.randomUUID()}","args":${nested(5_000)}}`,
    );
    await waitFor(() => client.texts.some((t) => t.includes('"command_result"')), "an answer");
    const answer = client.texts.find((t) => t.includes('"command_result"')) ?? "";
    expect(JSON.parse(answer.slice(NOTICE_PREFIX.length))).toMatchObject({
      ok: false,
      error: { code: "validation_failed" },
    });
    expect(client.closed).toBeNull();
    client.close();
  });
});
