/**
 * Core's audit hook: a handler reports the fields it changed (`ctx.changed`), and a room that hands its own writer
 * gets each command's entry in the command's transaction instead of the plain `audit_log` row. Rooms without one
 * (homes, sites) keep writing the plain row. The client's address travels with the verified identity.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { drizzle } from "drizzle-orm/durable-sqlite";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  type AuditEntry,
  type AuditWriter,
  CommandError,
  type CommandTable,
  command,
  runCommand,
} from "../../../rooms/core/commands";
import type { HavenRoom } from "../../../rooms/core/HavenRoom";
import type { VerifiedMember } from "../../../rooms/core/identity";
import { stateOf } from "../../../rooms/core/sockets";
import { createRoom, RoomClient, signup, upgrade } from "../helpers";

const ACTOR: VerifiedMember = { userId: "u-1", name: "Dana", role: "owner", sessionId: "s-1", ip: "203.0.113.7" };

/** A command that renames a thing, schedules a job (a write the rollback must undo) and reports what changed. */
const COMMANDS: CommandTable = {
  "test.rename": command({
    args: z.strictObject({ title: z.string(), count: z.number().optional() }),
    anyOf: ["room.read"],
    subject: () => "thing:1",
    run(ctx, args) {
      ctx.schedule({ id: "job:1", kind: "test", dueAt: ctx.now + 60_000, payload: null });
      ctx.changed("thing:1", "title", "Old title", args.title);
      ctx.changed("thing:1", "unchanged", { a: 1, b: [2] }, { b: [2], a: 1 });
      ctx.changed("thing:2", "count", null, args.count ?? null);
      return { renamed: true };
    },
  }),
  "test.not_json": command({
    args: z.strictObject({}),
    anyOf: ["room.read"],
    subject: () => "thing:1",
    run(ctx) {
      ctx.schedule({ id: "job:1", kind: "test", dueAt: ctx.now + 60_000, payload: null });
      ctx.changed("thing:1", "at", null, Number.NaN);
    },
  }),
};

const envelope = (name: string, args: unknown, key = crypto.randomUUID()) => ({ name, args, key });

type Counts = { audit: number; commands: number; jobs: number };

/** Runs `test.rename` in a fresh home's storage with `audit` as the room's writer (none: core's plain row). */
async function runInHome(args: unknown, audit?: AuditWriter, key?: string, name = "test.rename") {
  const room = await createRoom(await signup(), "property");
  const stub = env.property.get(env.property.idFromName(room.id)) as unknown as DurableObjectStub<HavenRoom>;
  await stub.listQuarantine(); // migrates the room's tables
  return runInDurableObject(stub, async (_instance, state) => {
    const storage = {
      roomId: room.id,
      storage: state.storage,
      db: drizzle(state.storage),
      ...(audit ? { audit } : {}),
    };
    const facts = {
      isMember: async () => true,
      member: async () => ({ role: "owner", name: "Dana" }),
      roomId: () => room.id,
      d1: env.DB,
    };
    const run = () =>
      runCommand({ ...storage, kind: "property", commands: COMMANDS, facts }, ACTOR, envelope(name, args, key), 64);
    const count = (table: string) => state.storage.sql.exec(`SELECT count(*) AS n FROM ${table}`).one().n as number;
    const counts = (): Counts => ({
      audit: count("audit_log"),
      commands: count("command_log"),
      jobs: count("scheduled_jobs"),
    });
    const first = await run().catch((error: unknown) => error as Error);
    const afterFirst = counts();
    const plain = state.storage.sql.exec("SELECT actor, actor_name, command, subject, args FROM audit_log").toArray();
    return { first, afterFirst, plain, again: key ? await run() : null };
  });
}

describe("the audit hook", () => {
  it("hands the room's writer who, role, address, what and the changed fields, instead of the plain row", async () => {
    const entries: AuditEntry[] = [];
    const { first, afterFirst } = await runInHome({ title: "New title", count: 3 }, (entry) => entries.push(entry));
    expect(first).toMatchObject({ outcome: { ok: true, result: { renamed: true }, replayed: false } });
    expect(afterFirst).toEqual({ audit: 0, commands: 1, jobs: 1 });
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    expect(entry?.actor).toEqual(ACTOR);
    expect(entry).toMatchObject({ command: "test.rename", subject: "thing:1", args: { title: "New title", count: 3 } });
    expect(Math.abs((entry?.at ?? 0) - Date.now())).toBeLessThan(60_000);
    // The same value (keys in another order) is no change.
    expect(entry?.changes).toEqual([
      { subject: "thing:1", field: "title", before: "Old title", after: "New title" },
      { subject: "thing:2", field: "count", before: null, after: 3 },
    ]);
  });

  it("writes the entry once: a retried key replays the first answer and calls the writer no second time", async () => {
    let calls = 0;
    const { again } = await runInHome({ title: "x" }, () => void calls++, "same-key");
    expect(again?.outcome).toMatchObject({ ok: true, replayed: true });
    expect(calls).toBe(1);
  });

  it("rolls the whole command back when the writer refuses", async () => {
    const refuse: AuditWriter = () => {
      throw new CommandError("conflict", "The audit log refused this entry.");
    };
    const { first, afterFirst } = await runInHome({ title: "New title" }, refuse);
    expect(first).toMatchObject({ outcome: { ok: false, error: { code: "conflict" } }, touched: null });
    expect(afterFirst).toEqual({ audit: 0, commands: 0, jobs: 0 });
  });

  it("refuses a change JSON cannot carry, with nothing committed", async () => {
    const { first, afterFirst } = await runInHome({}, () => undefined, undefined, "test.not_json");
    expect(String(first)).toMatch(/canonical JSON/);
    expect(afterFirst).toEqual({ audit: 0, commands: 0, jobs: 0 });
  });

  it("leaves rooms without a writer on core's plain row, as homes and sites always were", async () => {
    const { first, afterFirst, plain } = await runInHome({ title: "New title" });
    expect(first).toMatchObject({ outcome: { ok: true } });
    expect(afterFirst).toEqual({ audit: 1, commands: 1, jobs: 1 });
    expect(plain).toEqual([
      { actor: "u-1", actor_name: "Dana", command: "test.rename", subject: "thing:1", args: '{"title":"New title"}' },
    ]);
  });
});

describe("the client's address", () => {
  /** The member a room's open socket holds, as the room sees it. */
  async function socketMember(headers: Record<string, string>): Promise<VerifiedMember | null> {
    const owner = await signup();
    const room = await createRoom(owner, "property");
    const res = await upgrade(`/parties/property/${room.id}`, { cookie: owner.cookie, headers });
    expect(res.status).toBe(101);
    res.webSocket?.accept();
    const stub = env.property.get(env.property.idFromName(room.id)) as unknown as DurableObjectStub<HavenRoom>;
    let member: VerifiedMember | null = null;
    // The upgrade answers before the room has stored the socket's attachment.
    for (let attempt = 0; attempt < 50 && member === null; attempt++) {
      member = await runInDurableObject(stub, (instance) => {
        const [socket] = [...instance.getConnections()];
        return socket ? (stateOf(socket)?.member ?? null) : null;
      });
      if (member === null) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    res.webSocket?.close();
    return member;
  }

  it("reaches the room with the socket's verified identity", async () => {
    expect((await socketMember({ "CF-Connecting-IP": "198.51.100.23" }))?.ip).toBe("198.51.100.23");
    expect((await socketMember({ "CF-Connecting-IP": "2001:db8::1" }))?.ip).toBe("2001:db8::1");
  });

  it("is null when the Worker saw none, and a client cannot claim one with Haven's header", async () => {
    expect((await socketMember({ "x-haven-client-ip": "6.6.6.6" }))?.ip).toBeNull();
    expect(
      (await socketMember({ "CF-Connecting-IP": "not an address", "x-haven-client-ip": "6.6.6.6" }))?.ip,
    ).toBeNull();
  });

  it("keeps stock clients working (RoomClient syncs as before)", async () => {
    const owner = await signup();
    const room = await createRoom(owner, "property");
    const client = await RoomClient.connect("property", room.id, owner.cookie);
    expect(client.synced).toBe(true);
    client.close();
  });
});
