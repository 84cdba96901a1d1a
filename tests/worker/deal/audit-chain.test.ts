/**
 * A deal's hash-chained audit log in the room: one entry per command in the command's transaction, verify naming
 * the first broken link of a log changed behind the room's back, the export (JSON lines and CSV) checked alone
 * against the published head, who may read it, and the activity feed mirrored from its newest entries.
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { DEAL_ACTIVITY_MIRROR_ENTRIES, DEAL_AUDIT_EXPORT_PAGE_ENTRIES, VERIFY_BATCH_ENTRIES } from "../../../config";
import { type CommandTable, command } from "../../../rooms/core/commands";
import { appendEntrySync, canonicalJson, GENESIS_HASH, verifyChain } from "../../../rooms/core/hash-chain";
import type { VerifiedMember } from "../../../rooms/core/identity";
import { type AuditChainEntry, type AuditContent, HASHED_BYTES } from "../../../rooms/deal/audit";
import { entriesFromCsv } from "../../../rooms/deal/audit-export";
import type { ActivityEntry } from "../../../schema/deal/records";
import { type Account, api, createRoom, type ErrorJson, json, RoomClient, signup, waitFor } from "../helpers";
import {
  auditRows,
  bodyText,
  checkAlone,
  type DealTeam,
  dealStub,
  dealTeam,
  exportText,
  head,
  tamper,
  verify,
} from "./audit-helpers";

/** A command that renames a task and reports it: the log's content does not depend on the deal's own handlers. */
const RENAME: CommandTable = {
  "test.rename": command({
    args: z.strictObject({ task: z.string(), title: z.string() }),
    anyOf: ["room.read"],
    subject: (args) => `task:${args.task}`,
    run(ctx, args) {
      ctx.changed(`task:${args.task}`, "title", `Task ${args.task}`, args.title);
    },
  }),
};

/** Task titles in turn: quotes, a spreadsheet formula, and text JSON must escape (controls, a backslash, not ASCII). */
const TITLES = [
  (i: number) => `=HYPERLINK("x","${i}")`,
  (i: number) => `Step "${i}", done`,
  (i: number) => `Step ${i}\n\tdone \\ é 中 🙂 \u0007 \u001f`,
];

/** Commands one person runs before the next takes over: fewer than a person's command burst allows. */
const PER_PERSON = 900;

/**
 * Runs `count` renames in the room as `account` with `role`, from `ip`, through the room's own command path; past
 * PER_PERSON, as the team's other members in turn.
 */
async function fill(team: DealTeam, count: number, account: Account = team.admin, role = "admin", ip = "192.0.2.10") {
  const people = [account, team.owner, team.coordinator, team.agent];
  await runInDurableObject(dealStub(team.room), async (instance) => {
    (instance as unknown as { commands: CommandTable }).commands = RENAME;
    for (let i = 1; i <= count; i++) {
      const person = people[Math.floor((i - 1) / PER_PERSON) % people.length] ?? account;
      const member: VerifiedMember = { userId: person.user.id, name: person.user.name, role, sessionId: "s", ip };
      const args = { task: String(i), title: TITLES[i % TITLES.length]?.(i) ?? "" };
      const outcome = await instance.command(member, { name: "test.rename", args, key: crypto.randomUUID() }, 100);
      if (!outcome.ok) throw new Error(outcome.error.message);
    }
  });
}

/** Rows as the chain's entries, the way the room reads them. */
function entriesOf(rows: (Record<string, SqlStorageValue> | undefined)[]): AuditChainEntry[] {
  return rows.map((row) => {
    const { seq, prev_hash, hash, actor_name, changes, ...rest } = row ?? {};
    const content = { ...rest, actorName: actor_name, changes: JSON.parse(String(changes)) } as AuditContent;
    return { seq: Number(seq), prevHash: String(prev_hash), hash: String(hash), content };
  });
}

describe("the deal's audit chain", () => {
  it("appends one entry per command with who, role, when, what, before and after, and the address", async () => {
    const team = await dealTeam();
    const before = Date.now();
    await fill(team, 2, team.coordinator, "transaction_coordinator", "2001:db8::7");
    const rows = await auditRows(team.room);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      seq: 1,
      actor: team.coordinator.user.id,
      actor_name: "Cole Coordinator",
      role: "transaction_coordinator",
      command: "test.rename",
      subject: "task:1",
      summary: 'Step "1", done',
      ip: "2001:db8::7",
      prev_hash: GENESIS_HASH,
    });
    expect(JSON.parse(String(rows[0]?.changes))).toEqual([
      { subject: "task:1", field: "title", before: "Task 1", after: 'Step "1", done' },
    ]);
    expect(Number(rows[0]?.at)).toBeGreaterThanOrEqual(before);
    expect(rows[1]?.prev_hash).toBe(rows[0]?.hash);
    // Core's plain row is not written besides.
    const plain = await runInDurableObject(dealStub(team.room), (_i, state) =>
      state.storage.sql.exec("SELECT count(*) AS n FROM audit_log").one(),
    );
    expect(plain.n).toBe(0);
    expect(await verify(team.room, team.admin)).toEqual({
      ok: true,
      count: 2,
      head: { seq: 2, hash: rows[1]?.hash },
    });
  });

  it("verifies an empty log, and a long one across verify pages", async () => {
    const team = await dealTeam();
    expect(await verify(team.room, team.owner)).toEqual({ ok: true, count: 0, head: { seq: 0, hash: GENESIS_HASH } });
    await fill(team, VERIFY_BATCH_ENTRIES + 44);
    expect(await verify(team.room, team.owner)).toMatchObject({ ok: true, count: 300, head: { seq: 300 } });
  });

  it("puts together in SQLite the very bytes the recipe hashes, for text JSON must escape too", async () => {
    const team = await dealTeam();
    await fill(team, 6);
    const rows = await auditRows(team.room);
    const stored = await runInDurableObject(dealStub(team.room), (_i, state) =>
      state.storage.sql
        .exec(`SELECT ${HASHED_BYTES} AS bytes FROM deal_audit ORDER BY seq`)
        .toArray()
        .map((row) => new Uint8Array(row.bytes as ArrayBuffer)),
    );
    const recipe = entriesOf(rows).map(({ seq, prevHash, content }) =>
      new TextEncoder().encode(`${prevHash}\n{"content":${canonicalJson(content)},"seq":${seq}}`),
    );
    expect(stored).toEqual(recipe);
    expect(rows.some((row) => String(row.summary).includes("\u0007"))).toBe(true);
  });

  it("judges a row whose changes are the same JSON written otherwise by its content, as the recipe does", async () => {
    const team = await dealTeam();
    await fill(team, 3);
    await tamper(team.room, "UPDATE deal_audit SET changes = ' ' || changes || ' ' WHERE seq = 2");
    expect(await verify(team.room, team.admin)).toMatchObject({ ok: true, count: 3 });
  });

  it("finds a row changed behind the room's back as altered", async () => {
    const team = await dealTeam();
    await fill(team, 5);
    await tamper(team.room, "UPDATE deal_audit SET changes = replace(changes, 'Task 3', 'Task 9') WHERE seq = 3");
    expect(await verify(team.room, team.admin)).toMatchObject({ ok: false, seq: 3, reason: "altered" });
  });

  it("finds a row whose hash was replaced as altered", async () => {
    const team = await dealTeam();
    await fill(team, 5);
    await tamper(
      team.room,
      "UPDATE deal_audit SET hash = (CASE substr(hash, 1, 1) WHEN 'f' THEN 'e' ELSE 'f' END) || substr(hash, 2) " +
        "WHERE seq = 3",
    );
    expect(await verify(team.room, team.admin)).toMatchObject({ ok: false, seq: 3, reason: "altered" });
  });

  it("finds a row rewritten by someone who knows the recipe and recomputed its hash, at the next link", async () => {
    const team = await dealTeam();
    await fill(team, 5);
    const [, second, third] = await auditRows(team.room);
    const content = { ...(entriesOf([second, third])[1]?.content as AuditContent), summary: "Nothing happened" };
    const forged = appendEntrySync({ seq: 2, hash: String(second?.hash) }, content);
    await tamper(
      team.room,
      `UPDATE deal_audit SET summary = 'Nothing happened', hash = '${forged.hash}' WHERE seq = 3`,
    );
    expect(await verify(team.room, team.admin)).toMatchObject({ ok: false, seq: 4, reason: "altered" });
  });

  it("finds a deleted row as removed, and the last row deleted as a head mismatch", async () => {
    const team = await dealTeam();
    await fill(team, 5);
    await tamper(team.room, "DELETE FROM deal_audit WHERE seq = 2");
    expect(await verify(team.room, team.admin)).toMatchObject({ ok: false, seq: 2, reason: "removed" });
    const other = await dealTeam();
    await fill(other, 5);
    await tamper(other.room, "DELETE FROM deal_audit WHERE seq = 5");
    expect(await verify(other.room, other.admin)).toMatchObject({ ok: false, seq: 5, reason: "head_mismatch" });
  });

  it("finds two rows' seq numbers exchanged as reordered", async () => {
    const team = await dealTeam();
    await fill(team, 6);
    await tamper(
      team.room,
      "UPDATE deal_audit SET seq = -1 WHERE seq = 3",
      "UPDATE deal_audit SET seq = 3 WHERE seq = 4",
      "UPDATE deal_audit SET seq = 4 WHERE seq = -1",
    );
    const report = await verify(team.room, team.admin);
    expect(report).toMatchObject({ ok: false, seq: 3, reason: "reordered" });
    expect(report.ok === false && report.message).toMatch(/stored as seq 4/);
  });

  it("finds rows added after the head as inserted", async () => {
    const team = await dealTeam();
    await fill(team, 3);
    await tamper(
      team.room,
      "INSERT INTO deal_audit SELECT 4, 'forged', at, actor, actor_name, role, command, subject, summary, changes, " +
        "ip, hash, hash FROM deal_audit WHERE seq = 3",
    );
    expect(await verify(team.room, team.admin)).toMatchObject({ ok: false, seq: 4, reason: "inserted" });
  });

  it("keeps the next entry after the old last one when rows at the end were removed", async () => {
    const team = await dealTeam();
    await fill(team, 4);
    await tamper(team.room, "DELETE FROM deal_audit WHERE seq = 4");
    await fill(team, 1);
    const rows = await auditRows(team.room);
    expect(rows.map((row) => row.seq)).toEqual([1, 2, 3, 5]);
    expect(await verify(team.room, team.admin)).toMatchObject({ ok: false, seq: 4, reason: "removed" });
  });
});

describe("the audit export", () => {
  async function exported(team: DealTeam) {
    const jsonl = await exportText(team.room, team.admin, "jsonl");
    const csv = await exportText(team.room, team.owner, "csv");
    return { jsonl, csv, jsonlText: await bodyText(jsonl), csvText: await bodyText(csv) };
  }

  it("streams JSON lines that the standalone verifier proves against the published head", async () => {
    const team = await dealTeam();
    const total = DEAL_AUDIT_EXPORT_PAGE_ENTRIES + 100; // two of the Worker's pages
    await fill(team, total);
    const published = await head(team.room, team.admin);
    expect(published.seq).toBe(total);
    const { jsonl, jsonlText } = await exported(team);
    expect(jsonl.status).toBe(200);
    expect(jsonl.headers.get("Content-Type")).toBe("application/x-ndjson; charset=utf-8");
    expect(jsonl.headers.get("Content-Disposition")).toContain(`deal-audit-${team.room.id}.jsonl`);
    expect(jsonl.headers.get("X-Audit-Head-Hash")).toBe(published.hash);
    expect(checkAlone(jsonlText, published.hash)).toEqual({ ok: true, count: total, head: published.hash });
    const entries = jsonlText
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as AuditChainEntry);
    expect(entries.at(-1)?.hash).toBe(published.hash);
    expect(await verifyChain(entries, { expectedHead: published.hash })).toMatchObject({ ok: true, count: total });
    // An export changed afterwards no longer passes.
    expect(checkAlone(jsonlText.replace("Task 7", "Task 8"), published.hash)).toMatchObject({ ok: false, line: 7 });
  });

  it("writes CSV rows that read back to the same entries, with spreadsheet formulas defused", async () => {
    const team = await dealTeam();
    await fill(team, 7);
    const { csv, csvText, jsonlText } = await exported(team);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const lines = csvText.split("\r\n");
    expect(lines[0]).toBe("seq,id,at,time,actor,actor_name,role,command,subject,summary,changes,ip,prev_hash,hash");
    expect(lines[3]).toContain(`'=HYPERLINK(""x"",""3"")`);
    const fromCsv = entriesFromCsv(csvText);
    expect(fromCsv).toEqual(
      jsonlText
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line)),
    );
    expect(await verifyChain(fromCsv, { expectedHead: (await head(team.room, team.admin)).hash })).toMatchObject({
      ok: true,
      count: 7,
    });
  });

  it("ends at the head it names even while commands go on", async () => {
    const team = await dealTeam();
    await fill(team, 3);
    const res = await exportText(team.room, team.admin, "jsonl");
    await fill(team, 2);
    const text = await bodyText(res);
    expect(res.headers.get("X-Audit-Head-Seq")).toBe("3");
    expect(checkAlone(text, res.headers.get("X-Audit-Head-Hash") ?? "")).toMatchObject({ ok: true, count: 3 });
  });

  it("is for owners and admins only: a coordinator, an agent and a buyer get 403, others 404", async () => {
    const team = await dealTeam();
    await fill(team, 1);
    for (const account of [team.coordinator, team.agent, team.buyer]) {
      for (const path of ["audit?format=jsonl", "audit?format=csv", "audit/head", "audit/verify"]) {
        const res = await api(`/api/rooms/${team.room.id}/${path}`, { cookie: account.cookie });
        expect(res.status, `${account.user.name} ${path}`).toBe(403);
        expect((await json<ErrorJson>(res)).error.code).toBe("forbidden");
      }
    }
    const stranger = await signup("Stan Stranger");
    const res = await api(`/api/rooms/${team.room.id}/audit`, { cookie: stranger.cookie });
    expect(res.status).toBe(404);
    expect((await json<ErrorJson>(res)).error.code).toBe("room_not_found");
    expect((await api(`/api/rooms/${team.room.id}/audit`)).status).toBe(401);
  });

  it("refuses an unknown format, and a room that is not a deal", async () => {
    const team = await dealTeam();
    const bad = await api(`/api/rooms/${team.room.id}/audit?format=xlsx`, { cookie: team.admin.cookie });
    expect(bad.status).toBe(400);
    expect((await json<ErrorJson>(bad)).error.code).toBe("validation_failed");
    const owner = await signup();
    const home = await createRoom(owner, "property");
    for (const path of ["audit", "audit/head", "audit/verify"]) {
      const res = await api(`/api/rooms/${home.id}/${path}`, { cookie: owner.cookie });
      expect(res.status, path).toBe(404);
      expect((await json<ErrorJson>(res)).error.code).toBe("not_found");
    }
  });
});

describe("the activity feed", () => {
  it("mirrors the newest entries to the team live, without addresses, changes or hashes", async () => {
    const team = await dealTeam();
    const client = await RoomClient.connect("deal", team.room.id, team.admin.cookie);
    const total = DEAL_ACTIVITY_MIRROR_ENTRIES + 5;
    await fill(team, total);
    const activity = client.doc.getMap<ActivityEntry>("activity");
    await waitFor(() => [...activity.values()].some((entry) => entry.seq === total), "the newest entry mirrored");
    const entries = [...activity.values()].sort((a, b) => a.seq - b.seq);
    expect(entries).toHaveLength(DEAL_ACTIVITY_MIRROR_ENTRIES);
    expect(entries[0]?.seq).toBe(total - DEAL_ACTIVITY_MIRROR_ENTRIES + 1);
    expect(Object.keys(entries[0] ?? {}).sort()).toEqual([
      "actorName",
      "at",
      "command",
      "id",
      "role",
      "seq",
      "summary",
    ]);
    expect(entries.at(-1)).toMatchObject({ actorName: "Ada Admin", role: "admin", command: "test.rename" });
    expect(JSON.stringify(entries)).not.toContain("192.0.2.10");
    client.close();
  });

  it("reaches a member who connects later", async () => {
    const team = await dealTeam();
    await fill(team, 3);
    const client = await RoomClient.connect("deal", team.room.id, team.owner.cookie);
    expect(client.doc.getMap("activity").size).toBe(3);
    client.close();
  });
});
