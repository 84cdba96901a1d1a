/**
 * The `wrangler dev` half of the deal benchmark (run.ts): a deal of 300 tasks and 1,000 dependencies built through
 * the real commands over HTTP, 10 y-protocols sockets on the room through the Worker, and the time from completing
 * the task 50 others wait for until every socket's document shows all 50 out of BLOCKED (then reopening it, until
 * all 50 are BLOCKED again).
 */
import { call, command, type Summary, summary } from "../sites/wrangler";
import { WireClient } from "../wire";
import { completedWhileSeeding, dealCreate, dealTasks, HUB, HUB_DEPENDENTS, MILESTONES, taskCreate } from "./shape";

export const CLIENTS = 10;
/** Complete/reopen pairs measured after the warm-up; each pair gives one sample of each. */
export const SAMPLES = 200;
const WARMUP = 10;
const SAMPLE_TIMEOUT_MS = 60_000;
const ROLES = ["admin", "transaction_coordinator", "buyer_agent", "buyer_agent"] as const;

export interface Member {
  cookie: string;
  email: string;
}

/** One member, signed up from an address of its own (198.18.0.0/15, as bench/servers.ts does). */
async function signup(url: string, index: number): Promise<Member> {
  const email = `deal-bench-${index}-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const res = await fetch(`${url}/api/auth/signup`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": `198.18.14.${index}` },
    body: JSON.stringify({ email, password: "long enough password", name: `Deal Bench ${index}` }),
  });
  if (res.status !== 201) throw new Error(`signup: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
  // Notices reach members in-app only: no mail files for every unblocked task.
  await call(url, "/api/notification-prefs", cookie, { email: false, push: false }, "PUT");
  return { cookie, email };
}

async function invite(url: string, owner: Member, roomId: string, member: Member, role: string): Promise<void> {
  const invited = await call(url, `/api/rooms/${roomId}/invites`, owner.cookie, {
    email: member.email,
    role,
  });
  if (invited.status !== 201) throw new Error(`invite: ${invited.status} ${await invited.text()}`);
  const { invite: made } = (await invited.json()) as { invite: { token: string } };
  const accepted = await call(url, `/api/invites/${made.token}/accept`, member.cookie, {});
  if (accepted.status !== 200) throw new Error(`accept: ${accepted.status} ${await accepted.text()}`);
}

export interface Seeded {
  roomId: string;
  coordinator: Member;
  members: Member[];
  commands: number;
  setupMs: number;
}

/** The deal room, its team (owner, admin, coordinator, two agents) and the deal built through commands. */
export async function seedDeal(url: string): Promise<Seeded> {
  const start = performance.now();
  const owner = await signup(url, 1);
  const others = await Promise.all(ROLES.map((_, i) => signup(url, i + 2)));
  const created = await call(url, "/api/rooms", owner.cookie, { kind: "deal", name: "Bench purchase" });
  if (created.status !== 201) throw new Error(`create room: ${created.status} ${await created.text()}`);
  const roomId = ((await created.json()) as { room: { id: string } }).room.id;
  await Promise.all(others.map((member, i) => invite(url, owner, roomId, member, ROLES[i] as string)));
  const coordinator = others[1] as Member;
  const run = (name: string, args: unknown) => command(url, coordinator.cookie, roomId, name, args);
  let commands = 0;
  await run("deal.create", dealCreate());
  commands++;
  const milestoneIds: string[] = [];
  for (const name of MILESTONES) {
    milestoneIds.push((await run("deal.milestone.create", { name })).id as string);
    commands++;
  }
  const tasks = dealTasks();
  for (const [index, task] of tasks.entries()) {
    await run("deal.task.create", taskCreate(task, index, milestoneIds));
    commands++;
  }
  for (const id of completedWhileSeeding(tasks)) {
    await run("deal.task.complete", { id });
    commands++;
  }
  return {
    roomId,
    coordinator,
    members: [owner, ...others],
    commands,
    setupMs: Math.round(performance.now() - start),
  };
}

interface TaskView {
  state: string;
}

export interface UnblockRun {
  clients: number;
  samples: number;
  /** Completing the hub: send → the last of the 10 documents showing all 50 dependents out of BLOCKED. */
  unblocked: Summary;
  /** Reopening it: send → the last document showing all 50 BLOCKED again. */
  reblocked: Summary;
  /** Completing: send → the first document showing it. */
  unblockedFirst: Summary;
  /** The command's own HTTP answer (completing). */
  completeAnswered: Summary;
  reopenAnswered: Summary;
  /** Bytes of the update frame that carried a completion to one socket (the last sample). */
  frameBytes: number;
}

/** Time (performance.now()) at which each client's document first satisfies `check` after an update. */
function whenAll(clients: readonly Watched[], check: (doc: WireClient["doc"]) => boolean): Promise<number[]> {
  return Promise.all(
    clients.map(
      (watched) =>
        new Promise<number>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error("timed out waiting for a document")), SAMPLE_TIMEOUT_MS);
          watched.waiting = (arrivedAt) => {
            if (!check(watched.client.doc)) return;
            clearTimeout(timer);
            watched.waiting = null;
            resolve(arrivedAt);
          };
        }),
    ),
  );
}

interface Watched {
  client: WireClient;
  waiting: ((arrivedAt: number) => void) | null;
  lastFrameBytes: number;
}

const dependents = Array.from({ length: HUB_DEPENDENTS }, (_, i) => `dep-${i}`);
const states = (doc: WireClient["doc"]) => {
  const tasks = doc.getMap<TaskView>("tasks");
  return dependents.map((id) => tasks.get(id)?.state);
};
const allUnblocked = (doc: WireClient["doc"]) => states(doc).every((s) => s !== undefined && s !== "BLOCKED");
const allBlocked = (doc: WireClient["doc"]) => states(doc).every((s) => s === "BLOCKED");

/** 10 sockets (two per member), then complete and reopen the hub in turn. */
export async function unblockLatency(url: string, seeded: Seeded, samples = SAMPLES): Promise<UnblockRun> {
  const watched: Watched[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const member = seeded.members[i % seeded.members.length] as Member;
    const entry: Watched = { client: null as unknown as WireClient, waiting: null, lastFrameBytes: 0 };
    entry.client = new WireClient(
      {
        dialect: "y-websocket",
        url: `${url.replace(/^http/, "ws")}/parties/deal/${seeded.roomId}`,
        docName: seeded.roomId,
        headers: [{ Cookie: member.cookie }],
      },
      false,
      {
        apply: true,
        onUpdate: (update, arrivedAt) => {
          entry.lastFrameBytes = update.byteLength;
          entry.waiting?.(arrivedAt);
        },
      },
    );
    watched.push(entry);
  }
  try {
    await Promise.all(watched.map((w) => w.client.whenSynced(30_000)));
    // A run that stopped between completing and reopening (bench/scratch reuses its state) left the hub completed.
    const hub = watched[0]?.client.doc.getMap<TaskView>("tasks").get(HUB);
    if (hub?.state === "COMPLETED") {
      const blocked = whenAll(watched, allBlocked);
      await command(url, seeded.coordinator.cookie, seeded.roomId, "deal.task.reopen", { id: HUB });
      await blocked;
    }
    for (const w of watched) {
      if (w.client.doc.getMap("tasks").size !== 300 || !allBlocked(w.client.doc))
        throw new Error(
          `a client's document is not the seeded deal with the hub's dependents blocked: ` +
            `${w.client.doc.getMap("tasks").size} tasks, ${JSON.stringify(states(w.client.doc))}`,
        );
    }
    const unblocked: number[] = [];
    const first: number[] = [];
    const reblocked: number[] = [];
    const completeAnswered: number[] = [];
    const reopenAnswered: number[] = [];
    let frameBytes = 0;
    const step = async (name: string, check: (doc: WireClient["doc"]) => boolean) => {
      const shown = whenAll(watched, check);
      const key = crypto.randomUUID();
      const sent = performance.now();
      const res = await call(url, `/api/rooms/${seeded.roomId}/commands`, seeded.coordinator.cookie, {
        name,
        args: { id: HUB },
        key,
      });
      const answered = performance.now() - sent;
      if (res.status !== 200) throw new Error(`${name}: ${res.status} ${await res.text()}`);
      await res.text();
      const at = await shown;
      return { last: Math.max(...at) - sent, first: Math.min(...at) - sent, answered };
    };
    for (let k = 0; k < WARMUP + samples; k++) {
      const done = await step("deal.task.complete", allUnblocked);
      frameBytes = watched[0]?.lastFrameBytes ?? 0;
      const reopened = await step("deal.task.reopen", allBlocked);
      if (k < WARMUP) continue;
      unblocked.push(done.last);
      first.push(done.first);
      completeAnswered.push(done.answered);
      reblocked.push(reopened.last);
      reopenAnswered.push(reopened.answered);
    }
    return {
      clients: CLIENTS,
      samples,
      unblocked: summary(unblocked),
      reblocked: summary(reblocked),
      unblockedFirst: summary(first),
      completeAnswered: summary(completeAnswered),
      reopenAnswered: summary(reopenAnswered),
      frameBytes,
    };
  } finally {
    for (const w of watched) w.client.close();
  }
}
