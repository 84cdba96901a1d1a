/**
 * A home's documents on its assets, in the room: the commands the Worker's routes run (never a client: the
 * table is kept apart from PROPERTY_COMMANDS, so no command envelope can name them), the lists the asset
 * mirror carries, and the upkeep costs the asset page shows.
 *
 * The durability contract, as for photos: the Worker checks the caller and the bytes, stores the object in R2,
 * then registers it here; a refusal (or a failure) leaves an object no row holds, which the Worker deletes.
 * Removing deletes the row first, so no listed document can point at a missing object.
 */
import { and, asc, count, desc, eq, gte, isNotNull, sum } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import { z } from "zod";
import { ASSET_DOCUMENT_BYTES_PER_HOME_MAX, ASSET_DOCUMENTS_PER_ASSET_MAX } from "../../config";
import { type AssetCosts, type AssetDocument, newAssetDocument } from "../../schema/property/documents";
import { addDays, localDate } from "../../schema/property/recurrence";
import { CommandError, type CommandTable, command } from "../core/commands";
import { assetDocuments, assets, completions, tasks } from "./tables";

type DocumentRow = typeof assetDocuments.$inferSelect;

function shown({ r2Key: _r2Key, assetId: _assetId, ...document }: DocumentRow): AssetDocument {
  return document;
}

/** An asset's documents, oldest first. */
export function documentsOf(db: DrizzleSqliteDODatabase, assetId: string): AssetDocument[] {
  return db
    .select()
    .from(assetDocuments)
    .where(eq(assetDocuments.assetId, assetId))
    .orderBy(asc(assetDocuments.uploadedAt), asc(assetDocuments.id))
    .all()
    .map(shown);
}

/** Every asset's documents, oldest first, to rebuild the mirror. */
export function documentsByAsset(db: DrizzleSqliteDODatabase): Map<string, AssetDocument[]> {
  const byAsset = new Map<string, AssetDocument[]>();
  for (const row of db
    .select()
    .from(assetDocuments)
    .orderBy(asc(assetDocuments.uploadedAt), asc(assetDocuments.id))
    .all())
    byAsset.set(row.assetId, [...(byAsset.get(row.assetId) ?? []), shown(row)]);
  return byAsset;
}

/** A document with where its bytes are, for a download; undefined when there is none. */
export function documentRow(db: DrizzleSqliteDODatabase, id: string): DocumentRow | undefined {
  return db.select().from(assetDocuments).where(eq(assetDocuments.id, id)).get();
}

/** Whether a row holds this R2 object: the upload route keeps such an object whatever else failed. */
export function holdsDocumentObject(db: DrizzleSqliteDODatabase, r2Key: string): boolean {
  return (
    db.select({ id: assetDocuments.id }).from(assetDocuments).where(eq(assetDocuments.r2Key, r2Key)).get() !== undefined
  );
}

/** How many documents an asset lists, for the refusal of deleting it while it does. */
export function documentCount(db: DrizzleSqliteDODatabase, assetId: string): number {
  return db.select({ n: count() }).from(assetDocuments).where(eq(assetDocuments.assetId, assetId)).get()?.n ?? 0;
}

/** The commands behind the document routes' RPCs. */
export const ASSET_DOCUMENT_COMMANDS: CommandTable = {
  "asset.document.add": command({
    args: newAssetDocument,
    anyOf: ["records.write"],
    subject: (a) => `asset:${a.assetId}`,
    run(ctx, document) {
      const asset = ctx.db
        .select({ archived: assets.archived })
        .from(assets)
        .where(eq(assets.id, document.assetId))
        .get();
      if (!asset) throw new CommandError("not_found", "No such asset in this home.");
      if (asset.archived) throw new CommandError("conflict", "This asset is archived; bring it back first.");
      if (documentRow(ctx.db, document.id))
        throw new CommandError("conflict", "A document with this id is already stored; nothing was replaced.", {
          fields: [{ path: "id", message: "is already a document of this home" }],
        });
      if (documentCount(ctx.db, document.assetId) >= ASSET_DOCUMENTS_PER_ASSET_MAX)
        throw new CommandError(
          "quota_exceeded",
          `An asset holds at most ${ASSET_DOCUMENTS_PER_ASSET_MAX} documents; remove some first.`,
          { maxDocuments: ASSET_DOCUMENTS_PER_ASSET_MAX },
        );
      const heldBytes = Number(
        ctx.db
          .select({ bytes: sum(assetDocuments.size) })
          .from(assetDocuments)
          .get()?.bytes ?? 0,
      );
      if (heldBytes + document.size > ASSET_DOCUMENT_BYTES_PER_HOME_MAX)
        throw new CommandError("quota_exceeded", "This home holds as many documents as it may; remove some first.", {
          bytes: heldBytes,
          maxBytes: ASSET_DOCUMENT_BYTES_PER_HOME_MAX,
        });
      const row: DocumentRow = {
        ...document,
        uploadedBy: ctx.actor.userId,
        uploadedByName: ctx.actor.name,
        uploadedAt: ctx.now,
      };
      ctx.db.insert(assetDocuments).values(row).run();
      ctx.touch("assets", document.assetId);
      return shown(row);
    },
  }),
  "asset.document.remove": command({
    args: z.strictObject({ id: z.string().min(1).max(64) }),
    anyOf: ["records.write"],
    subject: (a) => `asset-document:${a.id}`,
    run(ctx, { id }) {
      const row = documentRow(ctx.db, id);
      if (!row) throw new CommandError("not_found", "No such document in this home.");
      ctx.db.delete(assetDocuments).where(eq(assetDocuments.id, id)).run();
      ctx.touch("assets", row.assetId);
      return { id, assetId: row.assetId, title: row.title, r2Key: row.r2Key };
    },
  }),
};

/** Days counted as "the last 12 months": today and the 364 before it, in the home's zone. */
const COST_WINDOW_DAYS = 365;

/** An asset's upkeep costs over the last twelve months (its tasks' completions with a cost), newest first. */
export function assetCosts(db: DrizzleSqliteDODatabase, assetId: string, now: number, timeZone: string): AssetCosts {
  const to = localDate(now, timeZone);
  const from = addDays(to, 1 - COST_WINDOW_DAYS);
  const entries = db
    .select({
      completionId: completions.id,
      taskId: completions.taskId,
      taskTitle: tasks.title,
      on: completions.on,
      costCents: completions.costCents,
      currency: completions.currency,
    })
    .from(completions)
    .innerJoin(tasks, eq(tasks.id, completions.taskId))
    .where(
      and(
        eq(tasks.assetId, assetId),
        eq(completions.kind, "done"),
        isNotNull(completions.costCents),
        gte(completions.on, from),
      ),
    )
    .orderBy(desc(completions.on), desc(completions.at))
    .all()
    .flatMap((e) =>
      e.costCents === null || e.currency === null ? [] : [{ ...e, costCents: e.costCents, currency: e.currency }],
    );
  const sums = new Map<string, number>();
  for (const e of entries) sums.set(e.currency, (sums.get(e.currency) ?? 0) + e.costCents);
  return { from, to, totals: [...sums].map(([currency, cents]) => ({ currency, cents })), entries };
}
