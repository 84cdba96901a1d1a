/**
 * Commands and a kind's own writes, from commit to what follows it: the per-person
 * command allowance, commands from the socket and HTTP, the retry after a compaction, and
 * after each commit the mirror, the outbox and the alarm.
 */
import type { Connection } from "partyserver";
import { COMMAND_BURST_PER_USER, COMMANDS_PER_SECOND_PER_USER, SENSOR_MIRROR_COALESCE_MS } from "../../config";
import {
  type CommandFrame,
  type CommandOutcome,
  type CommandResultNotice,
  MAX_COMMAND_BYTES,
} from "../../schema/core/commands";
import { CLOSE, NOTICE_PREFIX } from "../../schema/core/messages";
import type { RoomKind } from "../../schema/core/roles";
import {
  type CommandTable,
  inTransaction,
  type RoomEffects,
  type RoomFacts,
  type RoomStorage,
  runCommand,
  type Touched,
} from "./commands";
import type { VerifiedMember } from "./identity";
import { log } from "./log";
import type { RoomMirror } from "./mirror";
import type { RoomDocument } from "./room-document";
import type { RoomSchedule } from "./room-schedule";
import { TokenBucket } from "./token-bucket";

/** What the runner needs of the room. */
export interface CommandRunnerHost {
  kind(): RoomKind;
  storage(): RoomStorage;
  /** Loads the document unless loaded; null when the room cannot load. */
  load(): Promise<RoomDocument | null>;
  /** The loaded document, or null. */
  document(): RoomDocument | null;
  facts: RoomFacts;
  mirror: RoomMirror;
  schedule: RoomSchedule;
  /** After a commit that changed records: the room's line in the rooms list is written again if it changed. */
  listed(): Promise<void>;
}

const RATE_LIMITED: CommandOutcome = {
  ok: false,
  error: {
    code: "rate_limited",
    message: "Too many changes at once; they will be retried shortly.",
    details: { retryAfterSeconds: 1 },
  },
};

export class CommandRunner {
  /**
   * Commands each person may still run now, over the socket and HTTP together. In memory:
   * a room that wakes starts them full.
   */
  readonly #allowance = new Map<string, TokenBucket>();
  #mirrorSoon = new Map<string, Set<string>>();
  #mirrorTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly host: CommandRunnerHost) {}

  /** A member's command within their allowance, through `commands`. */
  async run(
    commands: CommandTable,
    member: VerifiedMember,
    envelope: unknown,
    encodedBytes: number,
  ): Promise<CommandOutcome> {
    const allowance =
      this.#allowance.get(member.userId) ?? new TokenBucket(COMMAND_BURST_PER_USER, COMMANDS_PER_SECOND_PER_USER);
    this.#allowance.set(member.userId, allowance);
    if (!allowance.take()) return RATE_LIMITED;
    return this.execute(commands, member, envelope, encodedBytes);
  }

  /**
   * A command sent over the socket as `__YPS:{"type":"command","id",name,args,key}`; the
   * answer goes back to that socket only. Anything else on the channel is ignored.
   */
  async fromSocket(
    connection: Connection,
    message: string,
    run: (envelope: unknown, encodedBytes: number) => Promise<CommandOutcome>,
  ): Promise<void> {
    // Three bytes at most per UTF-16 unit: anything longer is over the limit whatever it holds, and is not parsed.
    if (message.length > MAX_COMMAND_BYTES * 3) {
      connection.close(CLOSE.FRAME_TOO_LARGE, `Commands may be at most ${MAX_COMMAND_BYTES} bytes`);
      return;
    }
    let frame: Partial<CommandFrame>;
    try {
      frame = JSON.parse(message.slice(NOTICE_PREFIX.length)) as Partial<CommandFrame>;
    } catch {
      connection.close(CLOSE.MALFORMED_FRAME, "Malformed command");
      return;
    }
    if (frame?.type !== "command") return;
    if (typeof frame.id !== "number" || !Number.isSafeInteger(frame.id)) {
      connection.close(CLOSE.MALFORMED_FRAME, "A command needs a numeric id");
      return;
    }
    const { type: _type, id, ...envelope } = frame;
    let outcome: CommandOutcome;
    try {
      outcome = await run(envelope, new TextEncoder().encode(message).byteLength - NOTICE_PREFIX.length);
    } catch (err) {
      log("room.command_failed", {
        level: "error",
        room: this.host.storage().roomId,
        error: err instanceof Error ? err.message : String(err),
      });
      outcome = {
        ok: false,
        error: { code: "unavailable", message: "The room could not run that now; it will be retried." },
      };
    }
    if (connection.readyState !== WebSocket.READY_STATE_OPEN) return;
    connection.send(
      `${NOTICE_PREFIX}${JSON.stringify({ type: "command_result", id, ...outcome } satisfies CommandResultNotice)}`,
    );
  }

  /** Runs a command with no allowance charged (the room's own, such as a photo the Worker stored). */
  async execute(
    commands: CommandTable,
    member: VerifiedMember,
    envelope: unknown,
    encodedBytes: number,
  ): Promise<CommandOutcome> {
    const document = await this.host.load();
    if (!document)
      return { ok: false, error: { code: "unavailable", message: "This room cannot be opened right now; try again." } };
    const { outcome, touched } = await this.#runAdmitted(commands, member, envelope, encodedBytes);
    if (touched) {
      try {
        await this.afterCommit(touched);
      } catch (err) {
        // The command is committed and its answer stands; the mirror heals when the room next
        // starts, the alarm on its next set.
        log("room.after_commit_failed", {
          level: "error",
          room: this.host.storage().roomId,
          error: err instanceof Error ? err.message : String(err),
        });
      }
    }
    return outcome;
  }

  /**
   * Runs a command whose mirror writes must fit the room's budgets. Refused as full, it runs
   * once more after a compaction, if one was due: deletions since the last may have made space.
   */
  async #runAdmitted(
    commands: CommandTable,
    member: VerifiedMember,
    envelope: unknown,
    encodedBytes: number,
  ): ReturnType<typeof runCommand> {
    const { host } = this;
    const room = { ...host.storage(), kind: host.kind(), commands, facts: host.facts, admit: host.mirror.admit };
    const first = await runCommand(room, member, envelope, encodedBytes);
    if (first.outcome.ok || first.outcome.error.code !== "quota_exceeded" || !host.document()?.reclaim()) return first;
    return runCommand(room, member, envelope, encodedBytes);
  }

  /** `work` in one storage transaction with a command's effects; the mirror, alarm and outbox follow. */
  async transact<T>(work: (effects: RoomEffects) => T): Promise<T> {
    const { value, touched } = inTransaction(this.host.storage(), Date.now(), work);
    await this.afterCommit(touched);
    return value;
  }

  /**
   * Like `transact`, but what the writes touched is copied into the document together,
   * within SENSOR_MIRROR_COALESCE_MS, and queued messages are sent without the caller waiting.
   */
  async transactStreaming<T>(work: (effects: RoomEffects) => T): Promise<T> {
    const { value, touched } = inTransaction(this.host.storage(), Date.now(), work);
    for (const [root, ids] of touched.records) {
      const into = this.#mirrorSoon.get(root) ?? new Set<string>();
      for (const id of ids) into.add(id);
      this.#mirrorSoon.set(root, into);
    }
    if (this.#mirrorSoon.size > 0 && this.#mirrorTimer === null) {
      this.#mirrorTimer = setTimeout(() => {
        this.#mirrorTimer = null;
        const records = this.#mirrorSoon;
        this.#mirrorSoon = new Map();
        void this.afterCommit({ records, scheduled: false, enqueued: false });
      }, SENSOR_MIRROR_COALESCE_MS);
    }
    const { schedule } = this.host;
    if (touched.enqueued) void schedule.flushOutbox().catch(() => undefined);
    if (touched.scheduled || touched.enqueued) await schedule.armAlarm();
    return value;
  }

  /** Copies what a transaction touched into the document and relays it; then the outbox and the alarm. */
  async afterCommit(touched: Touched): Promise<void> {
    this.host.mirror.write(touched.records);
    if (touched.records.size > 0) await this.host.listed();
    if (touched.enqueued) await this.host.schedule.flushOutbox();
    if (touched.scheduled || touched.enqueued) await this.host.schedule.armAlarm();
  }
}
