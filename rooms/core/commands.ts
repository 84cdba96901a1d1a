/**
 * The command engine every room kind shares. A command is checked in this order, and
 * the first failure answers with a typed error having changed nothing: the envelope,
 * the name, the caller's capability, the key (a key already run returns its first answer;
 * after the role, so a caller without it learns nothing of others' keys), the arguments, then
 * the record's state inside the handler. The handler's
 * writes, the audit entry, the schedule rows and the outbox messages commit in one storage
 * transaction, or none of them does. The audit entry is core's plain `audit_log` row unless the
 * room hands its own writer (`RoomStorage.audit`: a deal's hash-chained log).
 */
import { eq } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import type { z } from "zod";
import { MAX_JSON_DEPTH } from "../../config";
import {
  type CommandErrorCode,
  type CommandFailure,
  type CommandOutcome,
  commandEnvelope,
  MAX_COMMAND_BYTES,
} from "../../schema/core/commands";
import type { Job } from "../../schema/core/jobs";
import { nestsDeeperThan } from "../../schema/core/json-depth";
import { type Capability, can, type RoomKind } from "../../schema/core/roles";
import { canonicalJson, type JsonValue } from "./hash-chain";
import type { VerifiedMember } from "./identity";
import { auditLog, commandLog, scheduledJobs } from "./tables";

/** Thrown by a handler to refuse a command; the transaction rolls back. */
export class CommandError extends Error {
  constructor(
    readonly code: CommandErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "CommandError";
  }
}

/** A job for the room's schedule; `id` names its subject, so scheduling it again replaces it. */
export interface ScheduledJob {
  id: string;
  kind: string;
  dueAt: number;
  payload: unknown;
}

/** What handlers and scheduled jobs may do besides their own table writes. */
export interface RoomEffects {
  /** The room's id (its Durable Object name). */
  readonly roomId: string;
  readonly db: DrizzleSqliteDODatabase;
  /**
   * The same database without a query builder, for hot paths (a sensor's readings): a prepared
   * statement costs a tenth.
   */
  readonly sql: SqlStorage;
  readonly now: number;
  schedule(job: ScheduledJob): void;
  unschedule(id: string): void;
  /** Queues a message to send after the transaction commits; a key is only ever queued once. */
  enqueue(job: Job): void;
  /** Marks a mirrored record (root and id) for the room to copy into the document after commit. */
  touch(root: string, id: string): void;
}

export interface CommandContext extends RoomEffects {
  readonly actor: VerifiedMember;
  readonly kind: RoomKind;
  /**
   * Records that the command changed `field` of `subject` (`task:<id>`) from `before` to `after` (null where
   * there was no value), for the audit entry. A change to the same value is left out. Throws for values JSON
   * cannot carry, which rolls the command back: an audit entry must hash what an export reads back.
   */
  changed(subject: string, field: string, before: JsonValue, after: JsonValue): void;
}

/** One field a command changed (a type, not an interface, so that it is a JsonValue too). */
export type FieldChange = {
  subject: string;
  field: string;
  before: JsonValue;
  after: JsonValue;
};

/** What a room's audit writer is handed for each command, inside its transaction. */
export interface AuditEntry {
  at: number;
  /** The verified caller: who (id and name), their role, and the client address the Worker saw. */
  actor: VerifiedMember;
  command: string;
  /** What the handler names as the command's subject. */
  subject: string;
  /** The parsed arguments. */
  args: unknown;
  /** What the handler reported with `ctx.changed`, in order. */
  changes: readonly FieldChange[];
}

/**
 * Writes a command's audit entry in the command's transaction; throwing rolls the command back. `touched` is what
 * the handler marked for the mirror, so a writer may also tell what changed from the records themselves.
 */
export type AuditWriter = (entry: AuditEntry, effects: RoomEffects, touched: Readonly<Touched>) => void;

/** Facts a handler may check before its transaction that the room does not hold itself (they live in D1). */
export interface RoomFacts {
  /** Whether `userId` is a member of this room now. */
  isMember(userId: string): Promise<boolean>;
  /** A member's role and name now, or null for someone who is not a member. */
  member(userId: string): Promise<{ role: string; name: string } | null>;
  /** This room's id, for a kind's own lookups below. */
  roomId(): string;
  /** D1 itself, for a kind's own lookups before the transaction (a saved deal template); read, never written. */
  readonly d1: D1Database;
}

export interface CommandHandler<S extends z.ZodType = z.ZodType, V = unknown> {
  args: S;
  /**
   * Checks what needs a look outside the room (an assignee's membership) once the arguments
   * parse, before the transaction; throws a CommandError to refuse. What it returns is handed
   * to `run` (the assignee's name, say). `actor` is who runs it (whose saved records it may use). Optional.
   */
  vet?(facts: RoomFacts, args: z.output<S>, actor: VerifiedMember): Promise<V>;
  /** The caller needs one of these. A handler may check more (e.g. "only your own task"). */
  anyOf: readonly Capability[];
  /** What the audit row names as the command's subject. */
  subject(args: z.output<S>): string;
  run(ctx: CommandContext, args: z.output<S>, vetted: V | undefined): unknown;
}

/** Lets each handler keep its argument type while the table of them stays one map. */
export function command<S extends z.ZodType, V = unknown>(handler: CommandHandler<S, V>): CommandHandler {
  return handler as unknown as CommandHandler;
}

export type CommandTable = Record<string, CommandHandler>;

const fail = (code: CommandErrorCode, message: string, details?: unknown): { ok: false; error: CommandFailure } => ({
  ok: false,
  error: details === undefined ? { code, message } : { code, message, details },
});

function zodFields(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.slice(0, 20).map((issue) => ({ path: issue.path.join("."), message: issue.message }));
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Whatever the transaction collected for after commit. */
export interface Touched {
  /** root → ids */
  records: Map<string, Set<string>>;
  scheduled: boolean;
  enqueued: boolean;
}

/** Runs `work` with the effects a command or job may use, inside one storage transaction. */
export interface RoomStorage {
  roomId: string;
  storage: DurableObjectStorage;
  db: DrizzleSqliteDODatabase;
  /** Writes each command's audit entry instead of core's plain `audit_log` row (a deal's chained log). */
  audit?: AuditWriter;
}

export function inTransaction<T>(
  room: RoomStorage,
  now: number,
  work: (effects: RoomEffects, touched: Readonly<Touched>) => T,
): { value: T; touched: Touched } {
  const { db } = room;
  const touched: Touched = { records: new Map(), scheduled: false, enqueued: false };
  const effects: RoomEffects = {
    roomId: room.roomId,
    db,
    sql: room.storage.sql,
    now,
    schedule(job) {
      const row = { id: job.id, kind: job.kind, dueAt: job.dueAt, payload: JSON.stringify(job.payload), failures: 0 };
      db.insert(scheduledJobs).values(row).onConflictDoUpdate({ target: scheduledJobs.id, set: row }).run();
      touched.scheduled = true;
    },
    unschedule(id) {
      // Only a job that was there moves the alarm: unscheduling nothing must not re-arm it
      // (a stream of readings does this).
      if (room.storage.sql.exec("DELETE FROM scheduled_jobs WHERE id = ?", id).rowsWritten > 0)
        touched.scheduled = true;
    },
    enqueue(job) {
      // Plain SQL: a command may enqueue dozens (a task unblocking 50 tells each of them), and building a drizzle
      // query for each cost more than running it (bench/results/2026-12-07-deal.md).
      room.storage.sql.exec(
        "INSERT INTO outbox (key, body, created_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING",
        job.key,
        JSON.stringify(job),
        now,
      );
      touched.enqueued = true;
    },
    touch(root, id) {
      const ids = touched.records.get(root) ?? new Set<string>();
      touched.records.set(root, ids);
      ids.add(id);
    },
  };
  const value = room.storage.transactionSync(() => work(effects, touched));
  return { value, touched };
}

/**
 * Runs one command for `actor`. `raw` is the envelope as received (parsed JSON);
 * `encodedBytes` its size on the wire, checked before anything else.
 */
export async function runCommand(
  room: RoomStorage & {
    kind: RoomKind;
    commands: CommandTable;
    facts: RoomFacts;
    /** In the transaction, after the handler: throws a CommandError to refuse what it touched (the quota). */
    admit?: (touched: Readonly<Touched>) => void;
  },
  actor: VerifiedMember,
  raw: unknown,
  encodedBytes: number,
): Promise<{ outcome: CommandOutcome; touched: Touched | null }> {
  if (encodedBytes > MAX_COMMAND_BYTES)
    return { outcome: fail("payload_too_large", `Commands may be at most ${MAX_COMMAND_BYTES} bytes.`), touched: null };
  // Before anything walks it recursively (zod, the hash below), which a deep value would overflow.
  if (nestsDeeperThan(raw, MAX_JSON_DEPTH))
    return {
      outcome: fail("validation_failed", `Commands may nest at most ${MAX_JSON_DEPTH} levels deep.`),
      touched: null,
    };
  const envelope = commandEnvelope.safeParse(raw);
  if (!envelope.success)
    return {
      outcome: fail("validation_failed", "The command is not { name, args, key }.", {
        fields: zodFields(envelope.error),
      }),
      touched: null,
    };
  const { name, args, key } = envelope.data;
  const handler = Object.hasOwn(room.commands, name) ? room.commands[name] : undefined;
  if (!handler)
    return { outcome: fail("unknown_command", `This room has no command "${name.slice(0, 64)}".`), touched: null };
  if (!handler.anyOf.some((capability) => can(room.kind, actor.role, capability))) {
    return { outcome: fail("forbidden", "Your role in this room does not allow that."), touched: null };
  }
  const argsHash = await sha256Hex(`${name}\n${JSON.stringify(args ?? null)}`);
  const earlier = room.db.select().from(commandLog).where(eq(commandLog.key, key)).get();
  if (earlier) {
    if (earlier.actor !== actor.userId || earlier.argsHash !== argsHash) {
      return {
        outcome: fail("key_reused", "This command key was already used for a different command; use a new key."),
        touched: null,
      };
    }
    return { outcome: { ok: true, result: JSON.parse(earlier.result) as unknown, replayed: true }, touched: null };
  }
  const parsed = handler.args.safeParse(args);
  if (!parsed.success)
    return {
      outcome: fail("validation_failed", `Invalid arguments for ${name}.`, { fields: zodFields(parsed.error) }),
      touched: null,
    };
  let vetted: unknown;
  try {
    vetted = await handler.vet?.(room.facts, parsed.data, actor);
  } catch (err) {
    if (err instanceof CommandError) return { outcome: fail(err.code, err.message, err.details), touched: null };
    throw err;
  }
  const now = Date.now();
  try {
    const { value, touched } = inTransaction(room, now, (effects, touched) => {
      const changes: FieldChange[] = [];
      const changed = (subject: string, field: string, before: JsonValue, after: JsonValue): void => {
        if (canonicalJson(before) !== canonicalJson(after)) changes.push({ subject, field, before, after });
      };
      const result = handler.run({ ...effects, actor, kind: room.kind, changed }, parsed.data, vetted) ?? null;
      const subject = handler.subject(parsed.data);
      // Before the admission check, so what the writer mirrors (a deal's activity feed) is measured too.
      if (room.audit)
        room.audit({ at: now, actor, command: name, subject, args: parsed.data, changes }, effects, touched);
      else
        effects.db
          .insert(auditLog)
          .values({
            at: now,
            actor: actor.userId,
            actorName: actor.name,
            command: name,
            subject,
            args: JSON.stringify(parsed.data),
          })
          .run();
      room.admit?.(touched);
      const encoded = JSON.stringify(result);
      effects.db
        .insert(commandLog)
        .values({ key, actor: actor.userId, name, argsHash, result: encoded, at: now })
        .run();
      return result;
    });
    return { outcome: { ok: true, result: value, replayed: false }, touched };
  } catch (err) {
    if (err instanceof CommandError) return { outcome: fail(err.code, err.message, err.details), touched: null };
    throw err;
  }
}
