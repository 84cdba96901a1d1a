/**
 * The demo deal `npm start` fills: "12 Elm St purchase" from the Financed purchase template, half-way to
 * closing (scripts/demo-deal-plan.ts), run by a team of demo accounts as people would: invited by the demo
 * owner, each completing their own tasks over HTTP. The buyer's agent uploads the inspection report, which
 * waits for the coordinator's review. Every command and upload has a fixed key, so starting again changes
 * nothing; the deal is created once, with its dates relative to that day.
 */
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import type { Member } from "../schema/core/api";
import type { Deal, DealDocument, DealTask, DealTaskState } from "../schema/deal/records";
import {
  BLOCKED,
  DEMO_DEAL_TEMPLATE,
  DEMO_DEAL_TITLE,
  type DealStep,
  DOCUMENT_TASK,
  demoDealPlan,
  OVERDUE,
  STARTED,
  TEMPLATE_TASKS,
  type TeamRole,
  templateTask,
} from "./demo-deal-plan";
import { textPdf } from "./demo-pdf";

/** The demo deal's team besides its owner; each signs in with the demo password. */
export const DEAL_TEAM: Record<TeamRole, { email: string; name: string }> = {
  transaction_coordinator: { email: "coordinator@haven.local", name: "Tess Morgan" },
  buyer_agent: { email: "agent@haven.local", name: "Abe Patel" },
  buyer: { email: "buyer@haven.local", name: "Bea Lindgren" },
};

/** How long the room may take to mirror what a command changed into the document a socket reads. */
const MIRROR_WAIT_MS = 20_000;
const POLL_MS = 50;

const INSPECTION_REPORT_NAME = "Inspection report - 12 Elm St.pdf";
const INSPECTION_REPORT = [
  "Home inspection report: 12 Elm St, Springfield",
  "Prepared for Bea Lindgren by Springfield Home Inspections (demo).",
  "",
  "Roof: asphalt shingles, about 12 years old; two lifted shingles above the garage.",
  "Electrical: 200 A panel; one double-tapped breaker (correct before closing).",
  "Plumbing: water heater 2015, no leaks; slow drain in the upstairs bathroom sink.",
  "Heating and cooling: gas furnace serviced last year; filter due for a change.",
  "Foundation: poured concrete; hairline cracks, no movement.",
  "",
  "Recommended repairs: the breaker, the shingles, the sink drain.",
];

export interface DealSeedSummary {
  /** The deal was set up by this run (false: it was there already). */
  created: boolean;
  /** False when the room holds a deal the demo did not make: it is left as it is. */
  seeded: boolean;
  /** Steps the room refused as not fitting the deal's state now (someone changed the demo since). */
  refused: string[];
  /** "submitted": the inspection report is in; "no_route": this server has no document upload route yet. */
  document: "submitted" | "no_route" | "skipped";
  states: Partial<Record<DealTaskState, number>>;
}

interface Session {
  cookie: string;
  userId: string;
}

async function send(url: string, path: string, init: { cookie?: string; body?: unknown; method?: string } = {}) {
  const headers: Record<string, string> = init.cookie ? { Cookie: init.cookie } : {};
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  return fetch(`${url}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

/** Signs a team member in, making their account the first time. */
async function signIn(url: string, account: { email: string; name: string }, password: string): Promise<Session> {
  let res = await send(url, "/api/auth/login", { body: { email: account.email, password } });
  if (res.status === 401) res = await send(url, "/api/auth/signup", { body: { ...account, password } });
  if (!res.ok) throw new Error(`signing in ${account.email}: ${res.status} ${await res.text()}`);
  const { user } = (await res.json()) as { user: { id: string } };
  return { cookie: (res.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "", userId: user.id };
}

/** Makes each team member a member of the deal with their role, through an invite, unless they are one already. */
async function joinTeam(url: string, owner: string, roomId: string, team: Record<TeamRole, Session>) {
  const res = await send(url, `/api/rooms/${roomId}/members`, { cookie: owner });
  if (!res.ok) throw new Error(`listing the deal's members: ${res.status} ${await res.text()}`);
  const { members } = (await res.json()) as { members: Member[] };
  for (const [role, session] of Object.entries(team) as [TeamRole, Session][]) {
    if (members.some((m) => m.userId === session.userId)) continue;
    const invited = await send(url, `/api/rooms/${roomId}/invites`, {
      cookie: owner,
      body: { email: DEAL_TEAM[role].email, role },
    });
    if (invited.status !== 201) throw new Error(`inviting the ${role}: ${invited.status} ${await invited.text()}`);
    const { invite } = (await invited.json()) as { invite: { token: string } };
    const accepted = await send(url, `/api/invites/${invite.token}/accept`, { cookie: session.cookie, body: {} });
    if (!accepted.ok) throw new Error(`the ${role} joining: ${accepted.status} ${await accepted.text()}`);
  }
}

/** The deal's document as the room mirrors it to a member's socket, read with a stock y-websocket client. */
class DealView {
  readonly doc = new Y.Doc();
  private readonly provider: WebsocketProvider;

  constructor(url: string, cookie: string, roomId: string) {
    class CookieWebSocket extends WebSocket {
      constructor(address: string | URL, protocols?: string | string[]) {
        super(address, protocols, { headers: { Cookie: cookie } });
      }
    }
    this.provider = new WebsocketProvider(`${url.replace(/^http/, "ws")}/parties/deal`, roomId, this.doc, {
      WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
  }

  deal = () => this.doc.getMap<Deal>("deal").get("info");
  tasks = () => [...this.doc.getMap<DealTask>("tasks").values()];
  documents = () => [...this.doc.getMap<DealDocument>("documents").values()];

  async until(check: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + MIRROR_WAIT_MS;
    while (!(this.provider.synced && check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  close(): void {
    this.provider.destroy();
  }
}

/** Runs one step; true if it ran (or had run under its key), false if the deal's state refused it. */
async function runStep(url: string, roomId: string, session: Session, name: string, args: unknown, label: string) {
  const res = await send(url, `/api/rooms/${roomId}/commands`, {
    cookie: session.cookie,
    body: { name, args, key: `demo-deal-${roomId}-${label}` },
  });
  if (res.ok) return true;
  // 409: the task is past that already (someone worked on the demo), or the key ran under other arguments.
  if (res.status === 409) return false;
  throw new Error(`${name} (${label}): ${res.status} ${await res.text()}`);
}

/**
 * Uploads the inspection report as the buyer's agent. The upload route may not be on this server yet:
 * Hono's own 404 ("No such route.") says so, and the seed goes on without the document.
 */
async function uploadReport(url: string, roomId: string, agent: Session, taskId: string) {
  const query = new URLSearchParams({ name: INSPECTION_REPORT_NAME, key: `demo-deal-${roomId}-inspection-report` });
  const res = await fetch(`${url}/api/rooms/${roomId}/tasks/${taskId}/documents?${query}`, {
    method: "POST",
    headers: { Cookie: agent.cookie, "Content-Type": "application/pdf" },
    body: textPdf(INSPECTION_REPORT),
  });
  if (res.ok) return "submitted" as const;
  const text = await res.text();
  if (res.status === 404 && text.includes("No such route.")) {
    console.log("  Demo deal: this server has no document upload route yet; the inspection report was not uploaded.");
    return "no_route" as const;
  }
  throw new Error(`uploading the inspection report: ${res.status} ${text}`);
}

function countStates(tasks: readonly DealTask[]): Partial<Record<DealTaskState, number>> {
  const states: Partial<Record<DealTaskState, number>> = {};
  for (const task of tasks) states[task.state] = (states[task.state] ?? 0) + 1;
  return states;
}

/**
 * Sets the demo deal up in `roomId` (a deal room the demo owner holds) and brings it half-way: the team joins,
 * the deal is created from the template the first time, the team's steps run, the inspection report is uploaded.
 */
export async function seedDeal(
  url: string,
  ownerCookie: string,
  roomId: string,
  password: string,
  options: { timeZone?: string; now?: number } = {},
): Promise<DealSeedSummary> {
  const timeZone = options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const plan = demoDealPlan(options.now ?? Date.now(), timeZone);
  const team: Record<TeamRole, Session> = {
    transaction_coordinator: await signIn(url, DEAL_TEAM.transaction_coordinator, password),
    buyer_agent: await signIn(url, DEAL_TEAM.buyer_agent, password),
    buyer: await signIn(url, DEAL_TEAM.buyer, password),
  };
  await joinTeam(url, ownerCookie, roomId, team);

  const view = new DealView(url, ownerCookie, roomId);
  try {
    await view.until(() => true, "the deal's document");
    const existing = view.deal();
    const created = existing === undefined;
    if (created) await runStep(url, roomId, team.transaction_coordinator, "deal.create", plan.create, "create");
    // A deal someone set up by hand in the demo room is theirs: the demo's steps would not fit it.
    const ours = (d: Deal | undefined) => d?.templateId === DEMO_DEAL_TEMPLATE.id && d.title === DEMO_DEAL_TITLE;
    if (!created && !ours(existing)) {
      console.log(`  Demo deal: the room holds a deal set up by hand ("${existing?.title}"); it is left as it is.`);
      return { created, seeded: false, refused: [], document: "skipped", states: countStates(view.tasks()) };
    }
    await view.until(() => ours(view.deal()) && view.tasks().length >= TEMPLATE_TASKS.size, "the deal's tasks");

    const idOf = (key: string) => view.tasks().find((t) => t.title === templateTask(key).title)?.id;
    const refused: string[] = [];
    const run = async (step: DealStep) => {
      const id = idOf(step.task);
      const ran = id !== undefined && (await runStep(url, roomId, team[step.as], step.name, { id }, step.label));
      if (!ran) refused.push(step.label);
    };
    for (const step of plan.steps) await run(step);
    const reportTask = idOf(DOCUMENT_TASK);
    const document = reportTask ? await uploadReport(url, roomId, team.buyer_agent, reportTask) : "skipped";

    const taskOf = (key: string) => view.tasks().find((t) => t.id === idOf(key));
    await view.until(
      () =>
        taskOf(STARTED)?.started === true &&
        (document !== "submitted" || view.documents().some((d) => d.taskId === reportTask)),
      "the deal's progress",
    );
    const states = countStates(view.tasks());
    console.log(
      `  Demo deal "${DEMO_DEAL_TITLE}": ${states.COMPLETED ?? 0} of ${view.tasks().length} tasks done, ` +
        `${states.IN_PROGRESS ?? 0} in progress, ${states.BLOCKED ?? 0} blocked, ${states.OVERDUE ?? 0} overdue` +
        `${document === "submitted" ? ", the inspection report waiting for review" : ""}.`,
    );
    if (taskOf(OVERDUE)?.state !== "OVERDUE" || taskOf(BLOCKED)?.state !== "BLOCKED")
      console.log("  Demo deal: its dates have moved on since it was made; some tasks are later than planned.");
    return { created, seeded: true, refused, document, states };
  } finally {
    view.close();
  }
}
