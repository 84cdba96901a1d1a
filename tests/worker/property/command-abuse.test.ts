import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { COMMAND_BURST_PER_USER, COMMANDS_PER_SECOND_PER_USER } from "../../../config";
import { MAX_COMMAND_BYTES } from "../../../schema/core/commands";
import { NOTICE_PREFIX } from "../../../schema/core/messages";
import { api, createRoom, json, RoomClient, signup, waitFor } from "../helpers";

interface Answer {
  id: number;
  ok: boolean;
  error?: { code: string };
}

const answers = (client: RoomClient): Answer[] =>
  client.texts
    .filter((t) => t.includes('"command_result"'))
    .map((t) => JSON.parse(t.slice(NOTICE_PREFIX.length)) as Answer);

async function assetCount(roomId: string): Promise<number> {
  return runInDurableObject(
    env.property.get(env.property.idFromName(roomId)),
    (_i, state) => state.storage.sql.exec("SELECT count(*) AS n FROM assets").one().n as number,
  );
}

describe("commands under abuse", () => {
  it(
    "answers a flood past a person's allowance with " + "rate_limited, runs none of those, and keeps the socket",
    async () => {
      const alice = await signup("Alice");
      const room = await createRoom(alice, "property", "Flooded");
      const client = await RoomClient.connect("property", room.id, alice.cookie);
      // The allowance is taken as the room works through the frames, so the burst is spent on commands that are
      // cheap to refuse (a name no room has) and the valid ones after it outrun the refill on any machine.
      const total = COMMAND_BURST_PER_USER + 500;
      const frames = Array.from({ length: total }, (_, i) => {
        const args = { name: `Thing ${i}`, category: "other" };
        const command = {
          type: "command",
          id: i,
          name: i < COMMAND_BURST_PER_USER ? "asset.conjure" : "asset.create",
          args,
          key: `flood-${i}-${crypto.randomUUID()}`,
        };
        return `${NOTICE_PREFIX}${JSON.stringify(command)}`;
      });
      const started = Date.now();
      for (const frame of frames) client.send(frame);
      await waitFor(() => answers(client).length === total, "every command answered", 60_000);
      const seconds = (Date.now() - started) / 1000;
      const ok = answers(client).filter((a) => a.ok).length;
      const limited = answers(client).filter((a) => a.error?.code === "rate_limited").length;
      const refused = answers(client).filter((a) => a.error?.code === "unknown_command").length;
      expect(ok + limited + refused).toBe(total);
      // Those that got through (run or refused by name) are at most the burst and what refilled meanwhile.
      expect(limited).toBeGreaterThan(0);
      expect(ok + refused).toBeLessThanOrEqual(
        COMMAND_BURST_PER_USER + Math.ceil(seconds * COMMANDS_PER_SECOND_PER_USER) + 1,
      );
      expect(await assetCount(room.id)).toBe(ok);
      expect(client.closed).toBeNull();

      // The same person over HTTP shares the allowance: 429 with Retry-After, nothing run.
      const res = await api(`/api/rooms/${room.id}/commands`, {
        cookie: alice.cookie,
        body: { name: "asset.create", args: { name: "One more", category: "other" }, key: crypto.randomUUID() },
      });
      if (res.status === 429) {
        expect(res.headers.get("Retry-After")).toBe("1");
        expect(await assetCount(room.id)).toBe(ok);
      } else {
        expect(res.status).toBe(200);
      }
      client.close();
    },
  );

  it("refuses an oversized command sent over the socket and stores nothing", async () => {
    const alice = await signup("Alice");
    const room = await createRoom(alice, "property", "Big");
    const client = await RoomClient.connect("property", room.id, alice.cookie);
    const args = { name: "Huge", category: "other", notes: "x".repeat(MAX_COMMAND_BYTES) };
    const command = { type: "command", id: 1, name: "asset.create", args, key: crypto.randomUUID() };
    client.send(`${NOTICE_PREFIX}${JSON.stringify(command)}`);
    await waitFor(() => answers(client).length === 1, "the answer");
    expect(answers(client)[0]).toMatchObject({ ok: false, error: { code: "payload_too_large" } });
    expect(await assetCount(room.id)).toBe(0);
    client.close();
  });

  it("ignores other JSON on the channel and closes a socket that sends a command without an id", async () => {
    const alice = await signup("Alice");
    const room = await createRoom(alice, "property", "Odd frames");
    const client = await RoomClient.connect("property", room.id, alice.cookie);
    client.send(`${NOTICE_PREFIX}${JSON.stringify({ type: "welcome", userId: "someone-else" })}`);
    client.send(`${NOTICE_PREFIX}null`);
    const noId = {
      type: "command",
      name: "asset.create",
      args: { name: "A", category: "other" },
      key: crypto.randomUUID(),
    };
    client.send(`${NOTICE_PREFIX}${JSON.stringify(noId)}`);
    expect((await client.waitClosed()).code).toBe(4400);
    expect(await assetCount(room.id)).toBe(0);
    const list = await json<{ rooms: unknown[] }>(await api("/api/rooms", { cookie: alice.cookie }));
    expect(list.rooms).toHaveLength(1);
  });
});
