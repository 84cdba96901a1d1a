/**
 * The property room's commands: what each checks about the current state and what it
 * writes. The engine (rooms/core/commands.ts) has already checked the envelope, key,
 * capability and argument shape, and runs each of these in one transaction.
 */
import { count, eq } from "drizzle-orm";
import type { z } from "zod";
import { MAX_ASSETS_PER_HOME, MAX_PHOTOS_PER_ASSET, MAX_TASKS_PER_HOME } from "../../config";
import { MAX_NOTE_CHARS, propertyCommands } from "../../schema/property/commands";
import type { Task } from "../../schema/property/records";
import {
  describeSchedule,
  firstDue,
  isTimeZone,
  localDate,
  type Schedule,
  scheduleError,
} from "../../schema/property/recurrence";
import { type CommandContext, CommandError, type CommandTable, command, type RoomFacts } from "../core/commands";
import { requireFreshBase } from "../core/edit-base";
import { hasPhoto, schedulePhotoExpiry } from "../core/photos";
import { documentCount } from "./documents";
import { fileUnderAsset, INBOX_COMMANDS, linkTask, requireUnlinkedItem } from "./inbox";
import { withdrawPendingProof } from "./proof-withdraw";
import { PROOF_COMMANDS, requireNoProof } from "./proofs";
import { allTasks, getAsset, getTask, homeInfo, timeZoneOf } from "./records";
import { assets, completions, homeSettings, proofSubmissions, tasks } from "./tables";
import {
  closeOccurrence,
  planTaskReminder,
  reminderJobId,
  requireMayComplete,
  requireOpenTask,
  requireTask,
  saveTask,
  undoCompletion,
} from "./task-changes";

const newId = () => crypto.randomUUID();

/** Rows in a records table: the caps keep the mirrored records well inside the document's quota. */
function countOf(ctx: CommandContext, table: typeof assets | typeof tasks): number {
  return ctx.db.select({ n: count() }).from(table).get()?.n ?? 0;
}

function requireAsset(ctx: CommandContext, id: string) {
  const asset = getAsset(ctx.db, id);
  if (!asset)
    throw new CommandError("not_found", "No such asset in this home.", {
      fields: [{ path: "id", message: "is not an asset of this home" }],
    });
  return asset;
}

/** Writes fields of an existing asset and marks it for the mirror. */
function changeAsset(ctx: CommandContext, id: string, changes: Partial<typeof assets.$inferInsert>): void {
  requireAsset(ctx, id);
  ctx.db
    .update(assets)
    .set({ ...changes, updatedAt: ctx.now })
    .where(eq(assets.id, id))
    .run();
  ctx.touch("assets", id);
}

/** A photo id must be one this home stored (uploaded through its photo route). */
function requirePhoto(ctx: CommandContext, photoId: string): void {
  if (!hasPhoto(ctx.db, photoId)) {
    throw new CommandError("not_found", "No such photo in this home; upload it first.", {
      fields: [{ path: "photoId", message: "is not a photo of this home" }],
    });
  }
}

function requireAssetRef(ctx: CommandContext, assetId: string | null): void {
  if (assetId === null) return;
  const asset = getAsset(ctx.db, assetId);
  if (!asset)
    throw new CommandError("not_found", "No such asset in this home.", {
      fields: [{ path: "assetId", message: "is not an asset of this home" }],
    });
}

/** A task is assigned only to someone in the home: not a stranger, not a made-up id. */
async function requireMemberAssignee(facts: RoomFacts, assignee: string | null | undefined): Promise<void> {
  if (assignee == null || (await facts.isMember(assignee))) return;
  throw new CommandError("validation_failed", "Assign the task to a member of this home.", {
    fields: [{ path: "assignee", message: "is not a member of this home" }],
  });
}

function requireValidSchedule(schedule: Schedule, timeZone: string): string | null {
  const error = scheduleError(schedule, timeZone);
  if (error) throw new CommandError("validation_failed", error, { fields: [{ path: "schedule", message: error }] });
  return firstDue(schedule, timeZone);
}

/** A new task, as `task.create` and `inbox.to_task` make it. */
function createTask(ctx: CommandContext, a: z.output<(typeof propertyCommands)["task.create"]>) {
  const id = a.id ?? newId();
  if (getTask(ctx.db, id)) throw new CommandError("conflict", "A task with this id already exists.");
  if (countOf(ctx, tasks) >= MAX_TASKS_PER_HOME)
    throw new CommandError("conflict", `A home holds at most ${MAX_TASKS_PER_HOME} tasks; archive some first.`);
  requireAssetRef(ctx, a.assetId);
  const due = requireValidSchedule(a.schedule, timeZoneOf(ctx.db));
  saveTask(ctx, {
    id,
    assetId: a.assetId,
    title: a.title,
    notes: a.notes,
    assignee: a.assignee,
    schedule: a.schedule,
    scheduleText: describeSchedule(a.schedule),
    leadDays: a.leadDays,
    proof: a.proof,
    review: null,
    occurrence: due,
    nextDue: due,
    archived: false,
    lastCompletedOn: null,
    lastCompletedBy: null,
    completions: 0,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  });
  return { id, nextDue: due, schedule: describeSchedule(a.schedule) };
}

export const PROPERTY_COMMANDS: CommandTable = {
  "asset.create": command({
    args: propertyCommands["asset.create"],
    anyOf: ["records.write"],
    subject: (a) => `asset:${a.id ?? "new"}`,
    run(ctx, a) {
      const id = a.id ?? newId();
      if (getAsset(ctx.db, id)) throw new CommandError("conflict", "An asset with this id already exists.");
      if (countOf(ctx, assets) >= MAX_ASSETS_PER_HOME)
        throw new CommandError(
          "conflict",
          `A home holds at most ${MAX_ASSETS_PER_HOME} assets; archive or remove some first.`,
        );
      ctx.db
        .insert(assets)
        .values({
          id,
          name: a.name,
          category: a.category,
          location: a.location ?? "",
          make: a.make ?? "",
          model: a.model ?? "",
          serialNumber: a.serialNumber ?? "",
          purchaseDate: a.purchaseDate ?? null,
          warrantyEnd: a.warrantyEnd ?? null,
          notes: a.notes ?? "",
          photos: "[]",
          archived: false,
          createdAt: ctx.now,
          updatedAt: ctx.now,
        })
        .run();
      ctx.touch("assets", id);
      return { id };
    },
  }),
  "asset.update": command({
    args: propertyCommands["asset.update"],
    anyOf: ["records.write"],
    subject: (a) => `asset:${a.id}`,
    run(ctx, { id, base, ...changes }) {
      requireFreshBase("this asset", requireAsset(ctx, id), changes, base);
      changeAsset(ctx, id, changes);
      return { id };
    },
  }),
  "asset.archive": command({
    args: propertyCommands["asset.archive"],
    anyOf: ["records.write"],
    subject: (a) => `asset:${a.id}`,
    run(ctx, { id, archived }) {
      changeAsset(ctx, id, { archived });
      return { id, archived };
    },
  }),
  "asset.add_photo": command({
    args: propertyCommands["asset.add_photo"],
    anyOf: ["records.write"],
    subject: (a) => `asset:${a.id}`,
    run(ctx, { id, photoId }) {
      const asset = requireAsset(ctx, id);
      requirePhoto(ctx, photoId);
      if (!asset.photos.includes(photoId) && asset.photos.length >= MAX_PHOTOS_PER_ASSET) {
        throw new CommandError("conflict", `An asset holds at most ${MAX_PHOTOS_PER_ASSET} photos.`);
      }
      if (!asset.photos.includes(photoId)) {
        ctx.db
          .update(assets)
          .set({ photos: JSON.stringify([...asset.photos, photoId]), updatedAt: ctx.now })
          .where(eq(assets.id, id))
          .run();
        ctx.touch("assets", id);
      }
      return { id, photoId };
    },
  }),
  "task.create": command({
    args: propertyCommands["task.create"],
    anyOf: ["records.write"],
    subject: (a) => `task:${a.id ?? "new"}`,
    vet: (facts, a) => requireMemberAssignee(facts, a.assignee),
    run: (ctx, a) => createTask(ctx, a),
  }),
  "inbox.to_task": command({
    args: propertyCommands["inbox.to_task"],
    anyOf: ["records.write"],
    subject: (a) => `capture:${a.id}`,
    vet: (facts, a) => requireMemberAssignee(facts, a.task.assignee),
    run(ctx, a) {
      requireUnlinkedItem(ctx, a.id);
      const made = createTask(ctx, a.task);
      linkTask(ctx, a.id, made.id);
      return made;
    },
  }),
  "task.update": command({
    args: propertyCommands["task.update"],
    anyOf: ["records.write"],
    subject: (a) => `task:${a.id}`,
    vet: (facts, a) => requireMemberAssignee(facts, a.assignee),
    run(ctx, { id, base, ...changes }) {
      const task = requireTask(ctx, id);
      requireFreshBase("this task", task, changes, base);
      if (changes.assetId !== undefined) requireAssetRef(ctx, changes.assetId);
      const updated: Task = { ...task, ...changes, updatedAt: ctx.now };
      updated.scheduleText = describeSchedule(updated.schedule);
      if (changes.schedule && JSON.stringify(changes.schedule) !== JSON.stringify(task.schedule)) {
        // A new schedule starts afresh from its own first date; the
        // same one sent back with other changes keeps the task's place.
        const due = requireValidSchedule(changes.schedule, timeZoneOf(ctx.db));
        updated.occurrence = due;
        updated.nextDue = due;
      }
      if (updated.proof !== task.proof || updated.occurrence !== task.occurrence) withdrawPendingProof(ctx, id);
      saveTask(ctx, updated);
      return { id, nextDue: updated.nextDue };
    },
  }),
  "task.archive": command({
    args: propertyCommands["task.archive"],
    anyOf: ["records.write"],
    subject: (a) => `task:${a.id}`,
    run(ctx, { id, archived }) {
      const task = requireTask(ctx, id);
      saveTask(ctx, { ...task, archived, updatedAt: ctx.now });
      return { id, archived };
    },
  }),
  "task.complete": command({
    args: propertyCommands["task.complete"],
    anyOf: ["tasks.complete", "tasks.complete_own"],
    subject: (a) => `task:${a.id}`,
    run(ctx, a) {
      const task = requireOpenTask(ctx, a.id, a.occurrence);
      requireMayComplete(ctx, task);
      requireNoProof(task);
      const today = localDate(ctx.now, timeZoneOf(ctx.db));
      const on = a.on ?? today;
      if (on > today)
        throw new CommandError("validation_failed", "A task cannot be completed on a future date.", {
          fields: [{ path: "on", message: "is in the future" }],
        });
      if (a.photoId !== null) requirePhoto(ctx, a.photoId);
      const costCents = a.cost === null ? null : Math.round(a.cost * 100);
      const updated = closeOccurrence(ctx, task, { kind: "done", on, note: a.note, photoId: a.photoId, costCents });
      return { id: task.id, completedOn: on, nextDue: updated.nextDue, completionId: updated.entryId };
    },
  }),
  "task.undo_complete": command({
    args: propertyCommands["task.undo_complete"],
    anyOf: ["tasks.complete", "tasks.complete_own"],
    subject: (a) => `task:${a.id}`,
    run(ctx, a) {
      const restored = undoCompletion(ctx, a.id, a.completionId);
      return { id: a.id, nextDue: restored.nextDue };
    },
  }),
  "task.skip": command({
    args: propertyCommands["task.skip"],
    anyOf: ["tasks.complete", "tasks.complete_own"],
    subject: (a) => `task:${a.id}`,
    run(ctx, a) {
      const task = requireOpenTask(ctx, a.id, a.occurrence);
      requireMayComplete(ctx, task);
      const updated = closeOccurrence(ctx, task, {
        kind: "skipped",
        on: localDate(ctx.now, timeZoneOf(ctx.db)),
        note: a.reason,
        photoId: null,
        costCents: null,
      });
      return { id: task.id, nextDue: updated.nextDue };
    },
  }),
  "task.snooze": command({
    args: propertyCommands["task.snooze"],
    anyOf: ["tasks.complete", "tasks.complete_own"],
    subject: (a) => `task:${a.id}`,
    run(ctx, a) {
      const task = requireOpenTask(ctx, a.id, a.occurrence);
      requireMayComplete(ctx, task);
      const today = localDate(ctx.now, timeZoneOf(ctx.db));
      if (a.until <= today)
        throw new CommandError("validation_failed", "Snooze to a date after today.", {
          fields: [{ path: "until", message: "is not after today" }],
        });
      // A snooze puts a task off; bringing a date forward is an edit of its schedule, not a snooze.
      if (task.nextDue !== null && a.until <= task.nextDue)
        throw new CommandError("validation_failed", `Snooze to a date after the task's due date, ${task.nextDue}.`, {
          fields: [{ path: "until", message: "is not after the current due date" }],
          nextDue: task.nextDue,
        });
      saveTask(ctx, { ...task, nextDue: a.until, updatedAt: ctx.now });
      return { id: task.id, nextDue: a.until };
    },
  }),
  "task.delete": command({
    args: propertyCommands["task.delete"],
    anyOf: ["records.write"],
    subject: (a) => `task:${a.id}`,
    run(ctx, { id }) {
      const task = requireTask(ctx, id);
      // The task and its history go together; the audit row keeps what was deleted and by whom.
      const proofs = ctx.db
        .select({ photoId: completions.photoId })
        .from(completions)
        .where(eq(completions.taskId, id))
        .all();
      for (const { photoId } of proofs) if (photoId) schedulePhotoExpiry(ctx, photoId);
      withdrawPendingProof(ctx, id);
      // Its submissions go too: their captures stay in the inbox, deletable like any other item.
      ctx.db.delete(proofSubmissions).where(eq(proofSubmissions.taskId, id)).run();
      ctx.db.delete(completions).where(eq(completions.taskId, id)).run();
      ctx.db.delete(tasks).where(eq(tasks.id, id)).run();
      ctx.unschedule(reminderJobId(id));
      ctx.touch("tasks", id);
      if (task.completions > 0) ctx.touch("home", "info");
      return { id, title: task.title };
    },
  }),
  "asset.delete": command({
    args: propertyCommands["asset.delete"],
    anyOf: ["records.write"],
    subject: (a) => `asset:${a.id}`,
    run(ctx, { id }) {
      const asset = requireAsset(ctx, id);
      // Refused rather than detaching its tasks silently: a task may only make sense with its asset.
      const linked = ctx.db.select({ n: count() }).from(tasks).where(eq(tasks.assetId, id)).get()?.n ?? 0;
      if (linked > 0)
        throw new CommandError(
          "conflict",
          `${linked} task${linked === 1 ? "" : "s"} belong to this asset; delete them or move them first.`,
          { tasks: linked },
        );
      const documents = documentCount(ctx.db, id);
      if (documents > 0)
        throw new CommandError(
          "conflict",
          `${documents} document${documents === 1 ? "" : "s"} belong to this asset; remove them first.`,
          { documents },
        );
      ctx.db.delete(assets).where(eq(assets.id, id)).run();
      // Its photos now belong to nothing: they expire like any unattached upload.
      for (const photoId of asset.photos) schedulePhotoExpiry(ctx, photoId);
      ctx.touch("assets", id);
      return { id, name: asset.name };
    },
  }),
  "home.settings": command({
    args: propertyCommands["home.settings"],
    anyOf: ["room.manage"],
    subject: () => "home",
    run(ctx, { timeZone, currency }) {
      if (!isTimeZone(timeZone))
        throw new CommandError("validation_failed", `"${timeZone.slice(0, 64)}" is not a time zone.`, {
          fields: [{ path: "timeZone", message: "is not an IANA time zone" }],
        });
      ctx.db
        .insert(homeSettings)
        .values({ id: 1, timeZone, currency: currency ?? null })
        .onConflictDoUpdate({ target: homeSettings.id, set: currency ? { timeZone, currency } : { timeZone } })
        .run();
      // Reminders go out at the due hour in the home's zone: plan them all again.
      for (const task of allTasks(ctx.db)) planTaskReminder(ctx, task, timeZone);
      ctx.touch("home", "info");
      return homeInfo(ctx.db, ctx.now);
    },
  }),
  "inbox.to_note": command({
    args: propertyCommands["inbox.to_note"],
    anyOf: ["records.write"],
    subject: (a) => `capture:${a.id}`,
    run(ctx, a) {
      const asset = requireAsset(ctx, a.assetId);
      const item = requireUnlinkedItem(ctx, a.id);
      const day = localDate(item.createdAt, timeZoneOf(ctx.db));
      const notes = `${asset.notes.trimEnd()}${asset.notes.trim() ? "\n\n" : ""}${day} (from the inbox): ${a.text}`;
      if (notes.length > MAX_NOTE_CHARS)
        throw new CommandError("validation_failed", `The asset's notes would pass ${MAX_NOTE_CHARS} characters.`, {
          fields: [{ path: "text", message: "does not fit in the asset's notes" }],
        });
      changeAsset(ctx, asset.id, { notes });
      fileUnderAsset(ctx, a.id, asset.id);
      return { id: a.id, assetId: asset.id };
    },
  }),
  ...INBOX_COMMANDS,
  ...PROOF_COMMANDS,
};
