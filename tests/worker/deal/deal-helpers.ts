/** A deal room with one member per role, and its commands over HTTP, for the deal's workerd tests. */
import { env, runInDurableObject } from "cloudflare:test";
import type { DealRoom } from "../../../rooms/deal/DealRoom";
import type { Room } from "../../../schema/core/api";
import type { DealTask } from "../../../schema/deal/records";
import { type Account, addMember, api, createRoom, type ErrorJson, json, RoomClient, signup } from "../helpers";

let keySeq = 0;
export const newKey = () => `k-${crypto.randomUUID()}-${keySeq++}`;

export interface CommandAnswer {
  status: number;
  body: { result: Record<string, unknown> | null; replayed: boolean } & Partial<ErrorJson>;
}

export async function run(account: Account, room: Room, name: string, args: unknown, key = newKey()) {
  const res = await api(`/api/rooms/${room.id}/commands`, { cookie: account.cookie, body: { name, args, key } });
  return { status: res.status, body: await json<CommandAnswer["body"]>(res) } satisfies CommandAnswer;
}

/** A day `days` from today (UTC), YYYY-MM-DD: fixtures move with the day the suite runs. */
export function dayFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

export const dealStub = (room: Room) => env.deal.get(env.deal.idFromName(room.id)) as DurableObjectStub<DealRoom>;

export interface DealTeam {
  room: Room;
  owner: Account;
  admin: Account;
  coordinator: Account;
  agent: Account;
  buyer: Account;
  viewer: Account;
}

/** A deal room and one member of each role. */
export async function dealTeam(name = "12 Elm St purchase"): Promise<DealTeam> {
  const owner = await signup("Olive Owner");
  const room = await createRoom(owner, "deal", name);
  const [admin, coordinator, agent, buyer, viewer] = await Promise.all([
    addMember(owner, room, "admin", "Ada Admin"),
    addMember(owner, room, "transaction_coordinator", "Tess Coordinator"),
    addMember(owner, room, "buyer_agent", "Abe Agent"),
    addMember(owner, room, "buyer", "Bea Buyer"),
    addMember(owner, room, "viewer", "Vic Viewer"),
  ]);
  return { room, owner, admin, coordinator, agent, buyer, viewer };
}

/** Sets the deal up: from `templateId` (or empty), accepted 10 days ago and closing in 20. */
export async function setUpDeal(team: DealTeam, templateId: string | null = "financed_purchase", extra = {}) {
  const answer = await run(team.coordinator, team.room, "deal.create", {
    templateId,
    title: "12 Elm St purchase",
    address: "12 Elm St, Springfield",
    keyDates: { acceptance: dayFromToday(-10), closing: dayFromToday(20) },
    purchasePrice: 485_000,
    commission: { percent: 2.5 },
    financing: { type: "conventional", lender: "First Bank", loanAmount: 388_000 },
    ...extra,
  });
  if (answer.status !== 200) throw new Error(`deal.create failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer;
}

/** The deal's tasks as the room mirrors them to `who`'s socket now (closed again after reading). */
export async function tasksOf(team: DealTeam, who: Account = team.coordinator): Promise<DealTask[]> {
  const client = await RoomClient.connect("deal", team.room.id, who.cookie);
  try {
    return [...client.doc.getMap<DealTask>("tasks").values()].sort((a, b) => a.order - b.order);
  } finally {
    client.socket.close();
  }
}

/** The task titled `title`, as mirrored to the coordinator. */
export async function taskTitled(team: DealTeam, title: string): Promise<DealTask> {
  const task = (await tasksOf(team)).find((t) => t.title === title);
  if (!task) throw new Error(`no task titled ${title}`);
  return task;
}

/** Rows per table of the deal's SQLite, for "changed nothing" checks. */
export async function dealCounts(room: Room) {
  return runInDurableObject(dealStub(room), (_instance, state) => {
    const n = (table: string) => state.storage.sql.exec(`SELECT count(*) AS n FROM ${table}`).one().n as number;
    return {
      tasks: n("deal_tasks"),
      dependencies: n("deal_dependencies"),
      milestones: n("deal_milestones"),
      commands: n("command_log"),
    };
  });
}
