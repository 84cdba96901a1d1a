/**
 * Commands: the only way records with rules change. Both the room socket and
 * `POST /api/rooms/:roomId/commands` carry the same envelope and get the same answer.
 */
import { z } from "zod";

/**
 * The largest command a client may send, encoded as JSON. Notes are the longest thing in
 * one, and an edit from a form carries a note twice (the new text and its `base`).
 */
export const MAX_COMMAND_BYTES = 32 * 1024;

export const commandEnvelope = z.object({
  name: z.string().min(1).max(64),
  args: z.unknown(),
  /**
   * Chosen by the client, once per intended change, and reused on every retry: a command
   * whose key the room has already run is not run again; its first answer is returned.
   */
  key: z
    .string()
    .min(8)
    .max(128)
    .regex(/^[A-Za-z0-9_.:-]+$/, "may hold letters, digits and _ . : - only"),
});
export type CommandEnvelope = z.infer<typeof commandEnvelope>;

/** Every way a command can fail. None of them changes anything. */
export const COMMAND_ERROR_STATUS = {
  /** The envelope or the arguments do not fit the command's schema (`details.fields` says where). */
  validation_failed: 400,
  /** No command of that name in this kind of room. */
  unknown_command: 400,
  /** The caller's role does not allow this command (or this record). */
  forbidden: 403,
  /** A record the command names does not exist (or no longer exists) in this room. */
  not_found: 404,
  /** The command does not fit the record's current state (completing an archived task). */
  conflict: 409,
  /**
   * A field this edit changes was changed by someone else since the edit's `base` (the
   * form was opened); `details.fields` lists each with its value now (schema/core/edit-base.ts).
   */
  edit_conflict: 409,
  /** The key was already used for a different command. */
  key_reused: 409,
  /** The command is larger than MAX_COMMAND_BYTES. */
  payload_too_large: 413,
  /** The room (or this kind of record in it) is full: what the command would add does not fit; delete something. */
  quota_exceeded: 413,
  /** Too many commands from this socket or person; retry later with the same key. */
  rate_limited: 429,
  /** The room could not run it; retry later with the same key. */
  unavailable: 503,
} as const;
export type CommandErrorCode = keyof typeof COMMAND_ERROR_STATUS;

export interface CommandFailure {
  code: CommandErrorCode;
  message: string;
  details?: unknown;
}

export type CommandOutcome =
  | {
      ok: true;
      result: unknown;
      /** True when the key had already run: nothing was done now. */
      replayed: boolean;
    }
  | { ok: false; error: CommandFailure };

/** Client → room over the socket: `__YPS:` + JSON. `id` pairs the answer with the request. */
export interface CommandFrame extends CommandEnvelope {
  type: "command";
  id: number;
}

/** Room → client: the answer to one command frame. */
export type CommandResultNotice = { type: "command_result"; id: number } & CommandOutcome;
