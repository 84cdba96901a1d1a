/**
 * The client process: runs one job (JSON in argv[2]) against one server and prints JSON
 * lines on stdout. It runs apart from every server process; all its clients share one
 * process, so writer and reader clocks agree (performance.now()).
 *
 * Documents have Haven's documented checklist shape (Haven refuses any other), and every
 * server gets the same operations. Every measured edit is one Yjs transaction that sets
 * the `order` field of one checklist item, i.e. one item, so the writer's Yjs clock
 * advances by exactly one per edit. A reader knows which edits a relayed update carries
 * from the update's metadata (the writer's clock in it), which also works when a server
 * merges several edits into one frame.
 */
import { createInterface } from "node:readline";
import WebSocket, { WebSocketServer } from "ws";
import * as Y from "yjs";
import { checklistsRoot, readChecklists } from "../schema/core/checklists";
import type {
  ClientLine,
  FanoutJob,
  FanoutResult,
  IdleJob,
  Job,
  SeedJob,
  SeedResult,
  SyncJob,
  SyncResult,
  ThroughputJob,
  ThroughputResult,
} from "./jobs";
import { summarize } from "./stats";
import { connectMany, toBytes, WireClient } from "./wire";

const CONNECT_TIMEOUT_MS = 30_000;
/** A fan-out edit that has not reached every reader by then counts the rest as missing. */
const EDIT_TIMEOUT_MS = 5_000;

function emit(line: ClientLine): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A checklist item in the documented shape, ready to insert. */
function newItem(text: string, order: number): Y.Map<unknown> {
  const item = new Y.Map<unknown>();
  item.set("text", text);
  item.set("done", false);
  item.set("assignee", null);
  item.set("due", null);
  item.set("order", order);
  return item;
}

/** Adds a checklist holding `texts` as items (one transaction); returns its items map. */
function addList(doc: Y.Doc, id: string, texts: string[] = []): Y.Map<Y.Map<unknown>> {
  const items = new Y.Map<Y.Map<unknown>>();
  doc.transact(() => {
    const list = new Y.Map<unknown>();
    list.set("title", id);
    list.set("order", 0);
    list.set("createdAt", 0);
    list.set("items", items);
    checklistsRoot(doc).set(id, list);
    for (const [i, text] of texts.entries()) items.set(`${id}-${i}`, newItem(text, i));
  });
  return items;
}

/** The item whose `order` field the measured edits set. */
function editTarget(writer: WireClient): Y.Map<unknown> {
  const items = addList(writer.doc, "bench", ["target"]);
  return items.get("bench-0") as Y.Map<unknown>;
}

/** The last edit's number as a client sees it. */
const lastEdit = (doc: Y.Doc): number | undefined => readChecklists(doc).find((c) => c.id === "bench")?.items[0]?.order;

const itemCount = (doc: Y.Doc): number => readChecklists(doc).reduce((n, c) => n + c.items.length, 0);

/** Times at which the writer sent each edit and the writer clock that edit ends at. */
class EditLog {
  readonly sentAt: number[] = [];
  readonly clockAfter: number[] = [];

  record(writer: WireClient, target: Y.Map<unknown>, seq: number): void {
    const at = performance.now();
    writer.doc.transact(() => target.set("order", seq));
    this.sentAt.push(at);
    this.clockAfter.push(Y.getState(writer.doc.store, writer.doc.clientID));
  }

  /** How many edits an update covers, from a reader that already had `had` of them. */
  advance(update: Uint8Array, writerId: number, had: number): number {
    const clock = Y.parseUpdateMeta(update).to.get(writerId);
    if (clock === undefined) return had;
    let p = had;
    while (p < this.clockAfter.length && (this.clockAfter[p] ?? Infinity) <= clock) p++;
    return p;
  }
}

async function fanout(job: FanoutJob): Promise<FanoutResult> {
  const log = new EditLog();
  const delivered: number[] = [];
  const latencies: number[] = [];
  const progress = new Array<number>(job.readers).fill(0);
  let writerId = -1;
  /** The edit in flight and how many readers are still connected to receive it. */
  let waiting: { edit: number; live: number; resolve: () => void } | null = null;

  const onReaderUpdate = (reader: number, update: Uint8Array, arrivedAt: number) => {
    if (writerId < 0) return;
    const had = progress[reader] ?? 0;
    const now = log.advance(update, writerId, had);
    for (let e = had; e < now; e++) {
      if (e >= job.warmup) latencies.push(arrivedAt - (log.sentAt[e] ?? arrivedAt));
      delivered[e] = (delivered[e] ?? 0) + 1;
      if (waiting && waiting.edit === e && (delivered[e] ?? 0) >= waiting.live) waiting.resolve();
    }
    progress[reader] = now;
  };

  let readers: WireClient[] = [];
  const liveReaders = () => readers.filter((r) => r.error === null).length;
  const connectStart = performance.now();
  readers = await connectMany(
    job.readers,
    (i) => new WireClient(job.target, job.deflate, { apply: false, onUpdate: (u, at) => onReaderUpdate(i, u, at) }),
    CONNECT_TIMEOUT_MS,
  );
  const connectMs = performance.now() - connectStart;
  const writer = new WireClient(job.target, job.deflate, { apply: true });
  await writer.whenSynced(CONNECT_TIMEOUT_MS);
  writerId = writer.doc.clientID;
  const target = editTarget(writer);

  let missing = 0;
  let timeouts = 0;
  for (let e = 0; e < job.warmup + job.edits; e++) {
    const live = liveReaders();
    const all = new Promise<void>((resolve) => (waiting = { edit: e, live, resolve }));
    log.record(writer, target, e);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      all.then(() => false),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(true), EDIT_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    if (e >= job.warmup) missing += job.readers - (delivered[e] ?? 0);
    if (timedOut && ++timeouts >= 3) {
      const closed = readers.filter((r) => r.error !== null);
      throw new Error(
        `edit ${e} did not reach every reader within ${EDIT_TIMEOUT_MS} ms (3rd time); ` +
          `${closed.length} readers closed, first: ${closed[0]?.error ?? "none"}`,
      );
    }
    waiting = null;
    if (job.gapMs > 0) await sleep(job.gapMs);
  }
  const extensions = readers[0]?.extensions ?? "";
  for (const c of [...readers, writer]) c.close();
  return { type: "result", kind: "fanout", latencyMs: summarize(latencies), missing, connectMs, extensions };
}

async function throughput(job: ThroughputJob): Promise<ThroughputResult> {
  const log = new EditLog();
  const progress = new Array<number>(job.readers).fill(0);
  let writerId = -1;
  let slowest = 0;
  let sent = 0;
  let startAt = 0;
  let doneAt = 0;
  let finish: () => void = () => {};
  const done = new Promise<void>((r) => (finish = r));
  let writer: WireClient | null = null;
  let map: Y.Map<unknown> | null = null;
  let pumpScheduled = false;

  const pump = () => {
    pumpScheduled = false;
    if (!writer || !map) return;
    while (sent < job.edits && sent - slowest < job.window) log.record(writer, map, sent++);
  };

  const onReaderUpdate = (reader: number, update: Uint8Array, arrivedAt: number) => {
    if (writerId < 0) return;
    progress[reader] = log.advance(update, writerId, progress[reader] ?? 0);
    const live = progress.filter((_, i) => readers[i]?.error === null);
    slowest = live.length > 0 ? Math.min(...live) : 0;
    if (slowest >= job.edits && doneAt === 0) {
      doneAt = arrivedAt;
      finish();
    } else if (!pumpScheduled) {
      pumpScheduled = true;
      setImmediate(pump);
    }
  };

  let readers: WireClient[] = [];
  readers = await connectMany(
    job.readers,
    (i) => new WireClient(job.target, job.deflate, { apply: false, onUpdate: (u, at) => onReaderUpdate(i, u, at) }),
    CONNECT_TIMEOUT_MS,
  );
  writer = new WireClient(job.target, job.deflate, { apply: true });
  await writer.whenSynced(CONNECT_TIMEOUT_MS);
  writerId = writer.doc.clientID;
  map = editTarget(writer);

  startAt = performance.now();
  pump();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    done.then(() => false),
    new Promise<boolean>((r) => (timer = setTimeout(() => r(true), Math.max(1000, job.timeoutMs - 15_000)))),
  ]);
  clearTimeout(timer);
  const endAt = timedOut ? performance.now() : doneAt;
  const edits = timedOut ? slowest : job.edits;
  const elapsedMs = endAt - startAt;
  const extensions = readers[0]?.extensions ?? "";
  for (const c of [...readers, writer]) c.close();

  // The server's own copy must hold the last edit.
  const check = new WireClient(job.target, job.deflate, { apply: true });
  let verified = false;
  try {
    await check.until(() => check.synced && lastEdit(check.doc) === job.edits - 1, "the last edit", 10_000);
    verified = true;
  } catch {
    verified = false;
  }
  check.close();
  return {
    type: "result",
    kind: "throughput",
    edits,
    elapsedMs,
    editsPerSec: (edits / elapsedMs) * 1000,
    timedOut,
    verified,
    extensions,
  };
}

/** Deterministic filler text: checklist-like lines of ~200 characters. */
function itemText(i: number): string {
  const words = [
    "inspect",
    "roof",
    "boiler",
    "deposit",
    "signed",
    "pallet",
    "freezer",
    "zone",
    "north",
    "tenant",
    "meter",
    "invoice",
  ];
  let s = `#${i} `;
  for (let k = 0; s.length < 200; k++) s += `${words[(i * 7 + k * 13) % words.length]} `;
  return s;
}

async function seed(job: SeedJob): Promise<SeedResult> {
  // Every server echoes an update to its sender: the writer waits for each echo, so the
  // server holds one update before the next is sent.
  let echoed = 0;
  const writer: WireClient = new WireClient(job.target, job.deflate, {
    apply: true,
    onUpdate: (update) => (echoed = Math.max(echoed, Y.parseUpdateMeta(update).to.get(writer.doc.clientID) ?? 0)),
  });
  await writer.whenSynced(CONNECT_TIMEOUT_MS);
  const perUpdate = Math.max(1, Math.floor(job.updateBytes / 260));
  let updates = 0;
  let items = 0;
  let bytes = Y.encodeStateAsUpdate(writer.doc).byteLength;
  while (bytes < job.targetBytes) {
    const start = items;
    addList(
      writer.doc,
      `part-${updates}`,
      Array.from({ length: perUpdate }, (_, k) => itemText(start + k)),
    );
    items += perUpdate;
    updates++;
    const clock = Y.getState(writer.doc.store, writer.doc.clientID);
    await writer.until(() => echoed >= clock, "the echo of a seed update", 30_000);
    bytes = Y.encodeStateAsUpdate(writer.doc).byteLength;
  }
  writer.close();

  const check = new WireClient(job.target, job.deflate, { apply: true });
  let verified = false;
  try {
    await check.until(() => check.synced && itemCount(check.doc) === items, "every item", 30_000);
    verified = true;
  } catch {
    verified = false;
  }
  check.close();
  return { type: "result", kind: "seed", bytes, items, updates, verified };
}

/**
 * Exercises this process's Yjs and WebSocket client code on a document like the one to be
 * synced, against a throwaway in-process server, so the timed syncs measure the server and
 * not the client's JIT warm-up or first-connection setup.
 */
async function warmUpLocally(expectItems: number, deflate: boolean): Promise<void> {
  const doc = new Y.Doc();
  for (let i = 0; i < expectItems; i += 250)
    addList(
      doc,
      `part-${i}`,
      Array.from({ length: Math.min(250, expectItems - i) }, (_, k) => itemText(i + k)),
    );
  const state = Y.encodeStateAsUpdate(doc);
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: deflate });
  await new Promise<void>((r) => server.once("listening", () => r()));
  server.on("connection", (socket) => socket.send(state));
  const address = server.address();
  const port = address && typeof address === "object" ? address.port : 0;
  for (let round = 0; round < 3; round++) {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: deflate });
    const data = await new Promise<WebSocket.RawData>((resolve, reject) => {
      socket.once("message", resolve);
      socket.once("error", reject);
    });
    const copy = new Y.Doc();
    Y.applyUpdate(copy, toBytes(data));
    socket.close();
  }
  await new Promise<void>((r) => server.close(() => r()));
}

async function sync(job: SyncJob): Promise<SyncResult> {
  await warmUpLocally(job.expectItems, job.deflate);
  let holder: WireClient | null = null;
  if (job.holder) {
    holder = new WireClient(job.target, job.deflate, { apply: false });
    await holder.whenSynced(CONNECT_TIMEOUT_MS);
  }
  const timesMs: number[] = [];
  let bytes = 0;
  let extensions = "";
  for (const target of job.clients) {
    const start = performance.now();
    const client = new WireClient(target, job.deflate, { apply: true });
    await client.until(
      () => client.synced && itemCount(client.doc) >= job.expectItems,
      "the whole document",
      CONNECT_TIMEOUT_MS,
    );
    timesMs.push(performance.now() - start);
    bytes = Y.encodeStateAsUpdate(client.doc).byteLength;
    extensions = client.extensions;
    client.close();
    await sleep(100);
  }
  holder?.close();
  return { type: "result", kind: "sync", timesMs, bytes, extensions };
}

async function idle(job: IdleJob): Promise<void> {
  const start = performance.now();
  const clients = await connectMany(
    job.clients,
    () => new WireClient(job.target, job.deflate, { apply: false }),
    CONNECT_TIMEOUT_MS,
  );
  emit({ type: "ready", connected: clients.length, connectMs: performance.now() - start });
  // Hold the connections until the orchestrator has read the server's memory.
  const input = createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => {
    input.once("line", () => resolve());
    input.once("close", () => resolve());
  });
  const stillOpen = clients.filter((c) => c.error === null).length;
  for (const c of clients) c.close();
  emit({ type: "result", kind: "idle", connected: stillOpen });
}

async function run(job: Job): Promise<void> {
  switch (job.kind) {
    case "fanout":
      emit(await fanout(job));
      return;
    case "throughput":
      emit(await throughput(job));
      return;
    case "seed":
      emit(await seed(job));
      return;
    case "sync":
      emit(await sync(job));
      return;
    case "idle":
      await idle(job);
      return;
  }
}

const raw: unknown = JSON.parse(process.argv[2] ?? "null");
if (raw === null || typeof raw !== "object") {
  emit({ type: "error", message: "usage: client.ts '<job json>'" });
  process.exit(2);
}
const job = raw as Job;
const deadline = setTimeout(() => {
  emit({ type: "error", message: `job ${job.kind} exceeded ${job.timeoutMs} ms` });
  process.exit(1);
}, job.timeoutMs);
run(job).then(
  () => {
    clearTimeout(deadline);
    process.exit(0);
  },
  (err: unknown) => {
    emit({ type: "error", message: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  },
);
