/**
 * A room's changes that must survive going offline (a home's tasks, a site's corrective
 * actions): every command is written to this
 * browser's IndexedDB before it is sent, and leaves only once the server has answered it.
 * Commands the network could not deliver are sent again, in the order they were made and
 * with the same key (so the room runs each at most once), when the browser comes back
 * online, when the room's socket reconnects and when the page loads.
 */
import { type Accessor, createEffect, createSignal, on, onCleanup } from "solid-js";
import { ApiError, type CommandAnswer, postCommand } from "./api";
import { idbStore } from "./idb-store";
import { COMMANDS_DB } from "./local-data";
import type { ConnectionState } from "./room";
import { showToast } from "./toast";

/** One command waiting for the server's answer. */
export interface QueuedCommand {
  /** The idempotency key, reused on every resend. */
  key: string;
  roomId: string;
  name: string;
  args: unknown;
  /** Sorts the queue: commands are sent in the order they were made. */
  order: number;
  /** The record's `updatedAt` when the command was made, to tell when the mirror has caught up. */
  basis: number | null;
}

export type CommandResult =
  | { status: "done"; answer: CommandAnswer }
  /** Stored here; it is sent when the connection returns. */
  | { status: "queued" }
  | { status: "refused"; error: ApiError };

export interface CommandQueue {
  /** This room's commands not yet answered, oldest first. */
  pending: Accessor<QueuedCommand[]>;
  /** Commands the server ran whose record the mirror may not show yet. */
  applied: Accessor<QueuedCommand[]>;
  /** Stores the command, then tries to send everything queued. */
  run(name: string, args: unknown, basis?: number | null): Promise<CommandResult>;
  /** Sends what is queued, in order; stops at the first one the network cannot deliver. */
  flush(): Promise<void>;
  /** Forgets an applied command once the mirror reflects it. */
  settle(key: string): void;
}

const STORE = "commands";

/**
 * Answers that mean "not now" rather than "no": the network, a busy or restarting room,
 * a gateway in between, and a session that ended (the same user signs in and resends).
 */
function isTransient(error: ApiError): boolean {
  return (
    error.status === 0 ||
    error.status === 401 ||
    error.status === 429 ||
    error.status === 502 ||
    error.status === 503 ||
    error.status === 504
  );
}

/** A fresh idempotency key, once per intended change. */
export function newCommandKey(): string {
  return `cmd-${crypto.randomUUID()}`;
}

/** The shared queue database; where IndexedDB is unavailable, commands live in memory only. */
const transact = idbStore(COMMANDS_DB, STORE, "key");

function isQueued(value: unknown): value is QueuedCommand {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.key === "string" &&
    typeof v.roomId === "string" &&
    typeof v.name === "string" &&
    typeof v.order === "number"
  );
}

let lastOrder = 0;
/** Strictly increasing within this page, and after every earlier page's commands. */
function nextOrder(): number {
  lastOrder = Math.max(lastOrder + 1, Date.now() * 1000);
  return lastOrder;
}

/**
 * The queue of one room. `onRefusedLater` hears about commands the server refused after
 * their `run` had already returned "queued", so the user is told even though the form
 * that made them is gone.
 */
export function createCommandQueue(
  roomId: string,
  onRefusedLater: (command: QueuedCommand, error: ApiError) => void,
): CommandQueue {
  const [pending, setPending] = createSignal<QueuedCommand[]>([]);
  const [applied, setApplied] = createSignal<QueuedCommand[]>([]);
  /** Answers for `run` calls still waiting on a flush, by key. */
  const answers = new Map<string, CommandResult>();
  const waiting = new Set<string>();
  let flushing: Promise<void> | null = null;

  const loaded = transact("readonly", (store) => store.getAll()).then((rows) => {
    const mine = (rows ?? []).filter(isQueued).filter((c) => c.roomId === roomId);
    const known = new Set(pending().map((c) => c.key));
    setPending((now) => [...mine.filter((c) => !known.has(c.key)), ...now].sort((a, b) => a.order - b.order));
    lastOrder = Math.max(lastOrder, ...mine.map((c) => c.order));
  });

  async function remove(command: QueuedCommand): Promise<void> {
    setPending((all) => all.filter((c) => c.key !== command.key));
    await transact("readwrite", (store) => store.delete(command.key));
  }

  async function drain(): Promise<void> {
    await loaded;
    for (let next = pending()[0]; next; next = pending()[0]) {
      if (!navigator.onLine) return;
      try {
        const answer = await postCommand(roomId, { name: next.name, args: next.args, key: next.key });
        await remove(next);
        setApplied((all) => [...all, next]);
        answers.set(next.key, { status: "done", answer });
      } catch (error) {
        const failure = error instanceof ApiError ? error : new ApiError(0, "network", "Can't reach Haven.");
        if (isTransient(failure)) return;
        await remove(next);
        answers.set(next.key, { status: "refused", error: failure });
        if (!waiting.has(next.key)) onRefusedLater(next, failure);
      }
    }
  }

  function flush(): Promise<void> {
    flushing ??= drain().finally(() => {
      flushing = null;
    });
    return flushing;
  }

  return {
    pending,
    applied,
    async run(name, args, basis = null) {
      const command: QueuedCommand = { key: newCommandKey(), roomId, name, args, order: nextOrder(), basis };
      waiting.add(command.key);
      try {
        await transact("readwrite", (store) => store.put(command));
        setPending((all) => [...all, command]);
        // A flush already under way sends this one too, after the ones before it.
        await flush();
        // A flush that ended just before this command was added leaves it for the next one.
        if (!answers.has(command.key) && navigator.onLine && pending()[0]?.key === command.key) await flush();
        const answer = answers.get(command.key) ?? { status: "queued" };
        answers.delete(command.key);
        return answer;
      } finally {
        waiting.delete(command.key);
      }
    },
    flush,
    settle(key) {
      setApplied((all) => all.filter((c) => c.key !== key));
    },
  };
}

/**
 * A room page's queue: flushed now, when the browser comes back online and when the
 * room's socket reconnects (the surest sign the room is reachable again); a command the
 * server refuses after the fact is told in a toast, named by `words`.
 */
export function createRoomCommandQueue(
  roomId: string,
  connection: Accessor<ConnectionState>,
  words: Readonly<Record<string, string>>,
): CommandQueue {
  const queue = createCommandQueue(roomId, (command, error) => {
    showToast(`${words[command.name] ?? "A change"} made while offline was not saved: ${error.message}`, "error");
  });
  const onOnline = () => void queue.flush();
  window.addEventListener("online", onOnline);
  onCleanup(() => window.removeEventListener("online", onOnline));
  createEffect(on(connection, (state) => state === "connected" && void queue.flush()));
  void queue.flush();
  return queue;
}
