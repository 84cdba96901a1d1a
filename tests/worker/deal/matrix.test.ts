/**
 * The deal's role × command matrix (docs/rooms.md), every cell checked against the room: an allowed cell succeeds on a
 * fresh target, a refused one answers 403 having changed nothing. One row per command in MATRIX below; a command the
 * room has without a row, or a row the docs do not show alike, fails the suite.
 */
import { runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import docs from "../../../docs/rooms.md?raw";
import { DEAL_COMMANDS } from "../../../rooms/deal/handlers";
import type { Room } from "../../../schema/core/api";
import { COMMAND_ERROR_STATUS, type CommandErrorCode } from "../../../schema/core/commands";
import { NOTICE_PREFIX } from "../../../schema/core/messages";
import { type Account, addMember, RoomClient, useFreshClientIp, waitFor } from "../helpers";
import { type CommandAnswer, dayFromToday, dealStub, dealTeam, newKey, run, setUpDeal } from "./deal-helpers";

const ROLES = ["owner", "admin", "transaction_coordinator", "buyer_agent", "buyer", "editor", "viewer"] as const;
type Role = (typeof ROLES)[number];
/** ✓ any target; ✗ none, not even their own; own: only tasks assigned to them (or their role), or they created. */
type Cell = "✓" | "✗" | "own: assigned" | "own: created";

interface Team {
  room: Room;
  as: Record<Role, Account>;
}

/** A deal room with one member per role; its deal set up (empty) unless `withDeal` is false. */
async function matrixTeam(withDeal = true): Promise<Team> {
  // Seven sign-ups a team: a test making several would pass the per-address sign-up limit from one address.
  useFreshClientIp();
  const team = await dealTeam();
  const editor = await addMember(team.owner, team.room, "editor", "Eddie Editor");
  if (withDeal) await setUpDeal(team, null);
  // Started (its tables made) by a command it refuses, so "nothing changed" compares tables that exist.
  else expect((await run(team.viewer, team.room, "deal.status", { status: "open" })).status).toBe(403);
  const as = {
    owner: team.owner,
    admin: team.admin,
    transaction_coordinator: team.coordinator,
    buyer_agent: team.agent,
    buyer: team.buyer,
    editor,
    viewer: team.viewer,
  };
  return { room: team.room, as };
}

/** A room with no deal yet, for the refused `deal.create` cells (they change nothing, so one serves them all). */
let spare: Promise<Team> | null = null;
const spareTeam = () => {
  spare ??= matrixTeam(false);
  return spare;
};

/**
 * The deal every other cell runs in. Each cell acts on a target made fresh for it (a task, a milestone, a new
 * title), so the rows share one team instead of signing seven people up per row.
 */
let shared: Promise<Team> | null = null;
const sharedTeam = () => {
  shared ??= matrixTeam();
  return shared;
};

const MAY_CREATE: ReadonlySet<Role> = new Set(["owner", "admin", "transaction_coordinator", "buyer_agent"]);
let seq = 0;

/**
 * A fresh task for `actor`'s cell, shared with the buyer (so a refusal is the role's, not a hidden task's). Their own
 * (`mine`): assigned to them, and created by them where they may create; else someone else's, and assigned to no one.
 */
async function taskFor(
  team: Team,
  actor: Role,
  mine: boolean,
  options: { completed?: boolean; dependsOn?: string[]; shared?: boolean } = {},
): Promise<string> {
  const other: Role = actor === "transaction_coordinator" ? "owner" : "transaction_coordinator";
  const creator = mine && MAY_CREATE.has(actor) ? actor : other;
  const made = await run(team.as[creator], team.room, "deal.task.create", {
    title: `Task ${++seq}`,
    sharedWithBuyer: options.shared ?? true,
    assignee: mine && options.shared !== false ? { kind: "user", userId: team.as[actor].user.id } : null,
    dependsOn: options.dependsOn ?? [],
  });
  expect(made.status, JSON.stringify(made.body)).toBe(200);
  const id = made.body.result?.id as string;
  if (options.completed) {
    const done = await run(team.as.transaction_coordinator, team.room, "deal.task.complete", { id });
    expect(done.status).toBe(200);
  }
  return id;
}

async function milestoneFor(team: Team): Promise<string> {
  const made = await run(team.as.transaction_coordinator, team.room, "deal.milestone.create", { name: `M ${++seq}` });
  return made.body.result?.id as string;
}

interface Target {
  /** The room to run in, when not the row's own (a deal not set up yet). */
  team?: Team;
  args: Record<string, unknown>;
}

interface Row {
  name: string;
  /** The cells in ROLES order, separated by " | ": the docs' row as written. */
  cells: string;
  /** Which argument names a task, for the buyer's "unshared is missing" check. */
  task?: "id" | "taskId";
  /** A fresh target for `actor`: their own (`mine`) or someone else's; `allowed` when the cell expects success. */
  target(team: Team, actor: Role, mine: boolean, allowed: boolean): Promise<Target>;
}

const keyDates = () => ({ acceptance: dayFromToday(-10), closing: dayFromToday(20) });

/**
 * The matrix. Document commands (`deal.document.*`) and audit commands add their rows here, in the docs' order.
 */
const MATRIX: Row[] = [
  {
    name: "deal.create",
    cells: "✓ | ✓ | ✓ | ✗ | ✗ | ✗ | ✗",
    target: async (_team, _actor, _mine, allowed) => ({
      team: allowed ? await matrixTeam(false) : await spareTeam(),
      args: { templateId: null, title: "1 Oak Ave purchase", address: "1 Oak Ave", keyDates: keyDates() },
    }),
  },
  { name: "deal.update", cells: "✓ | ✓ | ✓ | ✗ | ✗ | ✗ | ✗", target: async () => ({ args: { title: `D ${++seq}` } }) },
  { name: "deal.status", cells: "✓ | ✓ | ✓ | ✗ | ✗ | ✗ | ✗", target: async () => ({ args: { status: "open" } }) },
  {
    name: "deal.key_dates",
    cells: "✓ | ✓ | ✓ | ✗ | ✗ | ✗ | ✗",
    target: async () => ({ args: { closing: dayFromToday(21 + (++seq % 300)) } }),
  },
  {
    name: "deal.milestone.create",
    cells: "✓ | ✓ | ✓ | ✗ | ✗ | ✗ | ✗",
    target: async () => ({ args: { name: `M ${++seq}` } }),
  },
  {
    name: "deal.milestone.rename",
    cells: "✓ | ✓ | ✓ | ✗ | ✗ | ✗ | ✗",
    target: async (team) => ({ args: { id: await milestoneFor(team), name: `Renamed ${++seq}` } }),
  },
  {
    name: "deal.task.create",
    cells: "✓ | ✓ | ✓ | ✓ | ✗ | ✗ | ✗",
    target: async () => ({ args: { title: `New ${++seq}`, sharedWithBuyer: true } }),
  },
  {
    name: "deal.task.update",
    cells: "✓ | ✓ | ✓ | own: created | ✗ | ✗ | ✗",
    task: "id",
    target: async (team, actor, mine) => ({ args: { id: await taskFor(team, actor, mine), notes: "Call first" } }),
  },
  {
    name: "deal.task.assign",
    cells: "✓ | ✓ | ✓ | ✓ | ✗ | ✗ | ✗",
    task: "id",
    target: async (team, actor, mine) => ({
      args: { id: await taskFor(team, actor, mine), assignee: { kind: "role", role: "transaction_coordinator" } },
    }),
  },
  {
    name: "deal.task.start",
    cells: "✓ | ✓ | ✓ | own: assigned | own: assigned | ✗ | ✗",
    task: "id",
    target: async (team, actor, mine) => ({ args: { id: await taskFor(team, actor, mine) } }),
  },
  {
    name: "deal.task.complete",
    cells: "✓ | ✓ | ✓ | own: assigned | own: assigned | ✗ | ✗",
    task: "id",
    target: async (team, actor, mine) => ({ args: { id: await taskFor(team, actor, mine) } }),
  },
  {
    name: "deal.task.reopen",
    cells: "✓ | ✓ | ✓ | ✗ | ✗ | ✗ | ✗",
    task: "id",
    target: async (team, actor, mine) => ({ args: { id: await taskFor(team, actor, mine, { completed: true }) } }),
  },
  {
    name: "deal.task.delete",
    cells: "✓ | ✓ | ✓ | ✗ | ✗ | ✗ | ✗",
    task: "id",
    target: async (team, actor, mine) => ({ args: { id: await taskFor(team, actor, mine) } }),
  },
  {
    name: "deal.dependency.add",
    cells: "✓ | ✓ | ✓ | own: created | ✗ | ✗ | ✗",
    task: "taskId",
    target: async (team, actor, mine) => ({
      args: { taskId: await taskFor(team, actor, mine), dependsOn: await taskFor(team, actor, false) },
    }),
  },
  {
    name: "deal.dependency.remove",
    cells: "✓ | ✓ | ✓ | own: created | ✗ | ✗ | ✗",
    task: "taskId",
    target: async (team, actor, mine) => {
      const dependsOn = await taskFor(team, actor, false);
      return { args: { taskId: await taskFor(team, actor, mine, { dependsOn: [dependsOn] }), dependsOn } };
    },
  },
];

const cellsOf = (row: Row) => row.cells.split(" | ") as Cell[];

/** Everything a command could change in the deal's SQLite (the outbox by count: its sends are stamped later). */
function snapshot(room: Room) {
  return runInDurableObject(dealStub(room), (_instance, state) => {
    const all = (sql: string) => state.storage.sql.exec(sql).toArray();
    return {
      info: all("SELECT * FROM deal_info"),
      milestones: all("SELECT * FROM deal_milestones ORDER BY id"),
      tasks: all("SELECT * FROM deal_tasks ORDER BY id"),
      dependencies: all("SELECT * FROM deal_dependencies ORDER BY task_id, depends_on"),
      jobs: all("SELECT id, due_at, payload FROM scheduled_jobs ORDER BY id"),
      logs: all("SELECT (SELECT count(*) FROM command_log) AS commands, (SELECT count(*) FROM deal_audit) AS audit"),
      outbox: all("SELECT count(*) AS n FROM outbox"),
    };
  });
}

type Send = (actor: Account, room: Room, name: string, args: unknown) => Promise<CommandAnswer>;

const overHttp: Send = (actor, room, name, args) => run(actor, room, name, args);

/** Sends over each actor's own room socket as the client does; the answer as HTTP would give it. */
function overSockets(): { send: Send; close(): void } {
  const clients = new Map<string, Promise<RoomClient>>();
  let id = 0;
  const send: Send = async (actor, room, name, args) => {
    const key = `${room.id}:${actor.user.id}`;
    let connecting = clients.get(key);
    if (!connecting) {
      connecting = RoomClient.connect("deal", room.id, actor.cookie);
      clients.set(key, connecting);
    }
    const client = await connecting;
    const frameId = ++id;
    client.send(`${NOTICE_PREFIX}${JSON.stringify({ type: "command", id: frameId, name, args, key: newKey() })}`);
    type Result = { type: string; id: number; ok: boolean; result?: unknown; error?: CommandAnswer["body"]["error"] };
    const answer = () =>
      client.texts
        .filter((text) => text.includes('"command_result"'))
        .map((text) => JSON.parse(text.slice(NOTICE_PREFIX.length)) as Result)
        .find((result) => result.id === frameId);
    await waitFor(() => answer() !== undefined, `the answer to ${name}`);
    const got = answer() as Result;
    const status = got.ok ? 200 : COMMAND_ERROR_STATUS[got.error?.code as CommandErrorCode];
    return { status, body: { result: (got.result ?? null) as CommandAnswer["body"]["result"], replayed: false } };
  };
  return {
    send,
    close: () => {
      for (const client of clients.values()) void client.then((c) => c.close());
      clients.clear();
    },
  };
}

/** Checks one row's every cell through `send`. */
async function checkRow(row: Row, send: Send): Promise<void> {
  const team = await sharedTeam();
  for (const [i, cell] of cellsOf(row).entries()) {
    const role = ROLES[i] as Role;
    const cases =
      cell === "✓"
        ? [{ mine: false, allowed: true }]
        : cell === "✗"
          ? [{ mine: true, allowed: false }]
          : [
              { mine: true, allowed: true },
              { mine: false, allowed: false },
            ];
    for (const { mine, allowed } of cases) {
      const target = await row.target(team, role, mine, allowed);
      const where = target.team ?? team;
      const label = `${row.name} as ${role} (${mine ? "their own" : "someone else's"})`;
      // Only a refusal is compared with what stood before it.
      const before = allowed ? null : await snapshot(where.room);
      const answer = await send(where.as[role], where.room, row.name, target.args);
      if (allowed) {
        expect(answer.status, `${label}: ${JSON.stringify(answer.body)}`).toBe(200);
      } else {
        expect(answer.status, label).toBe(403);
        expect(await snapshot(where.room), `${label} changed nothing`).toEqual(before);
      }
    }
  }
}

describe("the deal's role × command matrix", () => {
  it("has one row per command of the room, and docs/rooms.md shows the same cells", () => {
    expect(MATRIX.map((row) => row.name).sort()).toEqual(Object.keys(DEAL_COMMANDS).sort());
    const section = docs.split("### A deal's commands by role")[1]?.split("\n#")[0] ?? "";
    const lines = section.split("\n").filter((line) => line.startsWith("|"));
    const cells = (line: string) =>
      line
        .split("|")
        .slice(1, -1)
        .map((cell) => cell.trim());
    expect(cells(lines[0] ?? "").slice(1)).toEqual([...ROLES]);
    const documented = lines.slice(2).map((line) => {
      const [name = "", ...rest] = cells(line);
      return [name.replaceAll("`", ""), rest.join(" | ")];
    });
    expect(documented).toEqual(MATRIX.map((row) => [row.name, row.cells]));
  });

  it.each(MATRIX)("checks every cell of $name over HTTP", (row) => checkRow(row, overHttp), 120_000);

  describe("over the socket", () => {
    const sockets = overSockets();
    afterEach(() => sockets.close());
    const sample = ["deal.key_dates", "deal.task.update", "deal.task.complete"];
    it.each(MATRIX.filter((row) => sample.includes(row.name)))(
      "checks every cell of $name over each role's socket alike",
      (row) => checkRow(row, sockets.send),
      120_000,
    );
  });

  it("answers a buyer naming an unshared task exactly as one that does not exist, for every task command", async () => {
    const team = await sharedTeam();
    for (const row of MATRIX.filter((r) => r.task !== undefined)) {
      const field = row.task as "id" | "taskId";
      // Someone else's target: its other arguments only; the task the buyer names is replaced below.
      const { args } = await row.target(team, "buyer", false, false);
      const hidden = await taskFor(team, "transaction_coordinator", true, { shared: false });
      const before = await snapshot(team.room);
      const unseen = await run(team.as.buyer, team.room, row.name, { ...args, [field]: hidden });
      const missing = await run(team.as.buyer, team.room, row.name, { ...args, [field]: "no-such-task" });
      expect(unseen, row.name).toEqual(missing);
      expect(unseen.status, row.name).toBe(cellsOf(row)[ROLES.indexOf("buyer")] === "✗" ? 403 : 404);
      expect(await snapshot(team.room)).toEqual(before);
    }
  }, 120_000);
});
