/**
 * Start, stop and address the servers under test, each in its own process group that ends
 * with this process (scripts/dev-server.ts): Haven under `wrangler dev` (workerd), the
 * reference `@y/websocket-server`, Hocuspocus. All listen on 127.0.0.1 only.
 */
import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import type { User } from "../schema/core/api";
import { type DevServer, freePort, type ServerGroup, spawnServerGroup, startDevServer } from "../scripts/dev-server";
import { createRoom, type Session } from "../tests/e2e/clients";
import type { Target } from "./jobs";
import { groupRss, listeningPorts, type ProcessRss, sumRssKb } from "./procfs";

export type ServerId = "haven" | "y-websocket-server" | "hocuspocus" | "relay-diag";

export interface MemorySample {
  /** RSS of the processes that serve rooms: workerd for Haven, the node process for the peers. */
  serverKb: number;
  /**
   * As `serverKb`, but for Haven only the workerd that runs the Worker, without wrangler's dev proxy
   * (which production does not have).
   */
  workerKb: number;
  /** RSS of every process in the server's process group (for Haven, wrangler's node processes too). */
  treeKb: number;
  processes: ProcessRss[];
}

export interface BenchServer {
  readonly id: ServerId;
  readonly label: string;
  /** How documents are stored, in words, for the report. */
  readonly persistence: string;
  start(): Promise<void>;
  /** SIGTERM to the whole process group; waits for the exit. */
  stop(): Promise<void>;
  /** Where document `room` lives; Haven creates the room on first use. */
  target(room: string): Promise<Target>;
  memory(): MemorySample;
  /**
   * Identifies the running server processes. It changes when a process restarts, e.g.
   * when `wrangler dev` reloads because someone edited a source file: a measurement that
   * spans such a change measured two servers and is repeated.
   */
  fingerprint(): string;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number, log: () => string): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${log()}`);
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  throw new Error(`no answer at ${url} within ${timeoutMs} ms: ${log()}`);
}

/** A server's processes: its process group without the group's leader, the watchdog that ends it with this process. */
export function serverProcesses(child: ChildProcess | undefined): ProcessRss[] {
  const pgid = child?.pid ?? -1;
  return groupRss(pgid).filter((p) => p.pid !== pgid);
}

/**
 * Of wrangler's two workerd processes, the one running the Worker is started with an inspector; the dev proxy is not.
 */
export function isWorkerWorkerd(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("--inspector-addr");
  } catch {
    return false;
  }
}

/** A Node server started from a script, in its own process group. */
abstract class NodeServer implements BenchServer {
  abstract readonly id: ServerId;
  abstract readonly label: string;
  abstract readonly persistence: string;
  protected group: ServerGroup | null = null;
  protected port = 0;

  protected abstract command(): Promise<{ args: string[]; env: Record<string, string> }>;

  async start(): Promise<void> {
    this.port = await freePort();
    const { args, env } = await this.command();
    this.group = spawnServerGroup(args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...env, PORT: String(this.port) },
    });
    const { child } = this.group;
    let output = "";
    const keep = (d: Buffer) => (output = (output + d.toString()).slice(-4000));
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    await waitForHttp(`http://127.0.0.1:${this.port}/`, child, 60_000, () => output);
  }

  async stop(): Promise<void> {
    await this.group?.stop("SIGTERM");
    this.group = null;
  }

  abstract target(room: string): Promise<Target>;

  fingerprint(): string {
    return serverProcesses(this.group?.child)
      .map((p) => p.pid)
      .sort((a, b) => a - b)
      .join(",");
  }

  memory(): MemorySample {
    const processes = serverProcesses(this.group?.child);
    const treeKb = sumRssKb(processes);
    return { serverKb: treeKb, workerKb: treeKb, treeKb, processes };
  }
}

/**
 * The stock `@y/websocket-server` (its src/server.js, unchanged); with a directory, its
 * y-leveldb persistence (YPERSISTENCE).
 */
export class ReferenceServer extends NodeServer {
  readonly id = "y-websocket-server" as const;
  readonly label: string;
  readonly persistence: string;

  constructor(private readonly leveldbDir: string | null) {
    super();
    this.label = leveldbDir ? "y-websocket-server" : "y-websocket-server (memory)";
    this.persistence = leveldbDir
      ? "y-leveldb (YPERSISTENCE): every update written to LevelDB asynchronously, " +
        "not awaited before the relay, no fsync"
      : "none: documents live in memory only";
  }

  protected async command(): Promise<{ args: string[]; env: Record<string, string> }> {
    const env: Record<string, string> = { HOST: "127.0.0.1" };
    if (this.leveldbDir) env.YPERSISTENCE = this.leveldbDir;
    return { args: ["node_modules/@y/websocket-server/src/server.js"], env };
  }

  async target(room: string): Promise<Target> {
    return { dialect: "y-websocket", url: `ws://127.0.0.1:${this.port}/${room}`, docName: room, headers: [] };
  }
}

/**
 * Diagnosis only: the reference handler behind a ws server that accepts permessage-deflate
 * (bench/reference-deflate-server.ts).
 */
export class ReferenceDeflateServer extends ReferenceServer {
  override readonly label = "y-websocket-server handler, permessage-deflate enabled";
  override readonly persistence = "none: documents live in memory only";

  constructor() {
    super(null);
  }

  protected override async command(): Promise<{ args: string[]; env: Record<string, string> }> {
    return { args: ["--import", "tsx", "bench/reference-deflate-server.ts"], env: {} };
  }
}

/** Stock Hocuspocus (bench/hocuspocus-server.ts); with a directory, one state file per document via its store hooks. */
export class HocuspocusServer extends NodeServer {
  readonly id = "hocuspocus" as const;
  readonly label = "hocuspocus";
  readonly persistence: string;

  constructor(private readonly persistDir: string | null) {
    super();
    this.persistence = persistDir
      ? "onStoreDocument hook writing the whole state to a file; debounced 2 s (max 10 s), not per update"
      : "none: documents live in memory only";
  }

  protected async command(): Promise<{ args: string[]; env: Record<string, string> }> {
    return {
      args: ["--import", "tsx", "bench/hocuspocus-server.ts"],
      env: this.persistDir ? { PERSIST_DIR: this.persistDir } : {},
    };
  }

  async target(room: string): Promise<Target> {
    return { dialect: "hocuspocus", url: `ws://127.0.0.1:${this.port}/`, docName: room, headers: [] };
  }
}

/**
 * Haven under `wrangler dev`. wrangler runs two workerd processes: a proxy on the public
 * port and the one running the Worker and its Durable Objects. `directTarget` skips the
 * proxy and connects to the second one (a diagnosis of the dev proxy's cost).
 */
/**
 * People in every Haven bench room. Haven allows a person 8 sockets per room, so 30
 * members hold the 200 readers, the writer and the checking clients, as 200 people would.
 */
const HAVEN_BENCH_MEMBERS = 30;

interface Member extends Session {
  email: string;
}

/**
 * Signs up one bench member. Each signs up from an address of its own (the benchmark
 * range 198.18.0.0/15, which `wrangler dev` accepts in `CF-Connecting-IP`), so the
 * per-client signup limit does not stop the benchmark.
 */
export async function benchSignup(url: string, index: number): Promise<Member> {
  const email = `bench-${index}-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const res = await fetch(`${url}/api/auth/signup`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": `198.18.${index >> 8}.${index & 255}` },
    body: JSON.stringify({ email, password: "long enough password", name: `Bench ${index}` }),
  });
  if (res.status !== 201) throw new Error(`signup: ${res.status} ${await res.text()}`);
  const { user } = (await res.json()) as { user: User };
  return { user, email, cookie: (res.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "" };
}

async function postJson(url: string, body: unknown, cookie: string): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Cookie: cookie },
    body: JSON.stringify(body),
  });
}

export class HavenServer implements BenchServer {
  readonly id = "haven" as const;
  readonly persistence =
    "Durable Object SQLite: every update appended before it is relayed (output gate holds the relay until durable)";
  #server: DevServer | null = null;
  #session: Session | null = null;
  #members: Member[] = [];
  #rooms = new Map<string, string>();
  #directPort = 0;
  #lastPrint = "";
  readonly label = "haven";

  constructor(private readonly persistTo: string) {}

  async start(): Promise<void> {
    // BENCH_VERBOSE=1 shows wrangler's and workerd's output (for finding out why a run failed).
    this.#server = await startDevServer({
      persistTo: this.persistTo,
      inheritOutput: process.env.BENCH_VERBOSE === "1",
    });
    if (this.#members.length === 0) {
      const url = this.#server.url;
      this.#members = await Promise.all(Array.from({ length: HAVEN_BENCH_MEMBERS }, (_, i) => benchSignup(url, i)));
      this.#session = this.#members[0] ?? null;
    }
    this.#directPort = 0;
  }

  /** The port of the workerd that runs the Worker. */
  async #findDirectPort(): Promise<number> {
    for (const p of serverProcesses(this.#server?.child).filter((x) => x.comm === "workerd")) {
      if (!isWorkerWorkerd(p.pid)) continue;
      for (const port of listeningPorts(p.pid)) {
        try {
          if ((await fetch(`http://127.0.0.1:${port}/api/me`)).status === 401) return port;
        } catch {
          // Not HTTP (inspector or debug port).
        }
      }
    }
    throw new Error("could not find the port of the workerd that runs the Worker");
  }

  async stop(): Promise<void> {
    await this.#server?.stop("SIGTERM");
    this.#server = null;
  }

  target(room: string): Promise<Target> {
    return this.#target(room, false);
  }

  /** Like `target`, but at the workerd that runs the Worker, bypassing wrangler's proxy. */
  directTarget(room: string): Promise<Target> {
    return this.#target(room, true);
  }

  async #target(room: string, direct: boolean): Promise<Target> {
    if (!this.#server || !this.#session) throw new Error("haven is not running");
    let id = this.#rooms.get(room);
    if (!id) {
      id = await this.#createRoom(room);
      await this.#addMembers(id);
      this.#rooms.set(room, id);
    }
    if (direct && this.#directPort === 0) this.#directPort = await this.#findDirectPort();
    const port = direct ? this.#directPort : this.#server.port;
    return {
      dialect: "y-websocket",
      url: `ws://127.0.0.1:${port}/parties/property/${id}`,
      docName: id,
      headers: this.#members.map((m) => ({ Cookie: m.cookie })),
    };
  }

  /** Invites every bench member into the room as an editor. */
  async #addMembers(roomId: string): Promise<void> {
    const server = this.#server;
    const owner = this.#session;
    if (!server || !owner) throw new Error("haven is not running");
    await Promise.all(this.#members.slice(1).map((member) => this.#addMember(server.url, owner, roomId, member)));
  }

  /**
   * One invite and its acceptance, again from the start if wrangler restarted the Worker under either request (503).
   */
  async #addMember(url: string, owner: Session, roomId: string, member: Member): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const invited = await postJson(
        `${url}/api/rooms/${roomId}/invites`,
        { email: member.email, role: "editor" },
        owner.cookie,
      );
      const accepted =
        invited.status === 201
          ? await postJson(
              `${url}/api/invites/${((await invited.json()) as { invite: { token: string } }).invite.token}/accept`,
              {},
              member.cookie,
            )
          : invited;
      if (accepted.status === 200) return;
      if (accepted.status !== 503 || attempt >= 3)
        throw new Error(`adding a member: ${accepted.status} ${await accepted.text()}`);
      await sleep(200);
    }
  }

  /** Creates a room, retrying when a reused keep-alive connection was closed under the request. */
  async #createRoom(name: string): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      if (!this.#server || !this.#session) throw new Error("haven is not running");
      try {
        return (await createRoom(this.#server.url, this.#session, "property", name)).id;
      } catch (err) {
        if (attempt >= 3 || !(err instanceof TypeError)) throw err;
        await sleep(200);
      }
    }
  }

  /**
   * The workerd processes and the ports the Worker's one listens on (a reload may keep the process and move the port).
   */
  fingerprint(): string {
    const workerd = serverProcesses(this.#server?.child).filter((p) => p.comm === "workerd");
    const print = workerd
      .map(
        (p) =>
          `${p.pid}${
            isWorkerWorkerd(p.pid)
              ? `:${listeningPorts(p.pid)
                  .sort((a, b) => a - b)
                  .join("+")}`
              : ""
          }`,
      )
      .sort()
      .join(",");
    if (print !== this.#lastPrint) {
      this.#lastPrint = print;
      this.#directPort = 0; // Found again on next use.
    }
    return print;
  }

  memory(): MemorySample {
    const processes = serverProcesses(this.#server?.child).map((p) =>
      p.comm === "workerd" ? { ...p, role: isWorkerWorkerd(p.pid) ? ("worker" as const) : ("dev proxy" as const) } : p,
    );
    return {
      serverKb: sumRssKb(processes, "workerd"),
      workerKb: processes.filter((p) => p.role === "worker").reduce((n, p) => n + p.rssKb, 0),
      treeKb: sumRssKb(processes),
      processes,
    };
  }
}

export type RelayMode = "memory" | "relay" | "sql" | "sql-attach";

/**
 * Diagnosis only: bench/diag/worker.js under `wrangler dev`, a bare Yjs relay in a
 * Durable Object whose `mode` adds Haven's costs one at a time (see that file).
 */
export class RelayDiagServer extends NodeServer {
  readonly id = "relay-diag" as const;
  readonly label = "bare Durable Object relay";
  readonly persistence = "per mode, see bench/diag/worker.js";
  mode: RelayMode = "relay";

  constructor(private readonly persistTo: string) {
    super();
  }

  protected async command(): Promise<{ args: string[]; env: Record<string, string> }> {
    const args = [
      "node_modules/wrangler/bin/wrangler.js",
      "dev",
      "--config",
      "bench/diag/wrangler.toml",
      "--ip",
      "127.0.0.1",
      "--port",
      String(this.port),
      "--inspector-port",
      String(await freePort()),
      "--show-interactive-dev-session=false",
      "--persist-to",
      this.persistTo,
      "--log-level",
      "error",
    ];
    return { args, env: { CI: "true", WRANGLER_SEND_METRICS: "false" } };
  }

  /** Where a PUT stores its body in R2 under `key`, and nothing else. */
  uploadUrl(key: string): string {
    return `http://127.0.0.1:${this.port}/upload/${key}`;
  }

  async target(room: string): Promise<Target> {
    const name = `${this.mode}-${room}`;
    return {
      dialect: "y-websocket",
      url: `ws://127.0.0.1:${this.port}/room/${name}?mode=${this.mode}`,
      docName: name,
      headers: [],
    };
  }
}
