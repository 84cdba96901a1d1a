/**
 * A site room's commands: its layout, which sensor is in which unit,
 * alert rules, escalation, retention, alerts and hand-logged readings.
 */
import { and, count, eq, isNull, ne } from "drizzle-orm";
import { MAX_AREAS_PER_SITE, MAX_INGEST_KEYS_PER_SITE, MAX_SENSORS_PER_UNIT, MAX_UNITS_PER_SITE } from "../../config";
import { siteCommands } from "../../schema/site/commands";
import { ruleSchemas } from "../../schema/site/rules";
import { type CommandContext, CommandError, type CommandTable, command } from "../core/commands";
import { requireFreshBase } from "../core/edit-base";
import { hasPhoto } from "../core/photos";
import { acknowledge, resolve } from "./alerts";
import { afterRulesChanged } from "./judge";
import { planManualCheck } from "./manual-checks";
import { actOnReading, correctReading, logReading } from "./manual-logs";
import { alertRow } from "./mirror";
import { ruleInForce } from "./rule-in-force";
import { forgetRules, saveSettings, settingsOf, unitsUnder } from "./settings";
import { planStale } from "./stale";
import { areas, devices, ingestKeys, ruleOverrides, unclaimedDevices, units } from "./tables";
import { verifyRecord } from "./verifications";

const newId = () => crypto.randomUUID();

function requireArea(ctx: CommandContext, id: string, path = "areaId"): { name: string } {
  const area = ctx.db.select({ name: areas.name }).from(areas).where(eq(areas.id, id)).get();
  if (!area) {
    throw new CommandError("not_found", "No such area in this site.", {
      fields: [{ path, message: "is not an area of this site" }],
    });
  }
  return area;
}

export function requireUnit(ctx: CommandContext, id: string, path = "unitId"): { name: string } {
  const unit = ctx.db.select({ name: units.name }).from(units).where(eq(units.id, id)).get();
  if (!unit) {
    throw new CommandError("not_found", "No such unit in this site.", {
      fields: [{ path, message: "is not a unit of this site" }],
    });
  }
  return unit;
}

export const SITE_COMMANDS: CommandTable = {
  "area.create": command({
    args: siteCommands["area.create"],
    anyOf: ["site.configure"],
    subject: (a) => `area:${a.id ?? "new"}`,
    run(ctx, a) {
      const id = a.id ?? newId();
      if (ctx.db.select({ id: areas.id }).from(areas).where(eq(areas.id, id)).get())
        throw new CommandError("conflict", "An area with this id already exists.");
      if ((ctx.db.select({ n: count() }).from(areas).get()?.n ?? 0) >= MAX_AREAS_PER_SITE)
        throw new CommandError("conflict", `A site holds at most ${MAX_AREAS_PER_SITE} areas.`, {
          limit: MAX_AREAS_PER_SITE,
        });
      ctx.db.insert(areas).values({ id, name: a.name, createdAt: ctx.now }).run();
      ctx.touch("areas", id);
      return { id };
    },
  }),
  "area.rename": command({
    args: siteCommands["area.rename"],
    anyOf: ["site.configure"],
    subject: (a) => `area:${a.id}`,
    run(ctx, a) {
      requireFreshBase("this area", requireArea(ctx, a.id, "id"), { name: a.name }, a.base);
      ctx.db.update(areas).set({ name: a.name }).where(eq(areas.id, a.id)).run();
      ctx.touch("areas", a.id);
      return { id: a.id };
    },
  }),
  "unit.create": command({
    args: siteCommands["unit.create"],
    anyOf: ["site.configure"],
    subject: (a) => `unit:${a.id ?? "new"}`,
    run(ctx, a) {
      requireArea(ctx, a.areaId);
      if ((ctx.db.select({ n: count() }).from(units).get()?.n ?? 0) >= MAX_UNITS_PER_SITE)
        throw new CommandError("conflict", `A site holds at most ${MAX_UNITS_PER_SITE} units.`);
      const id = a.id ?? newId();
      if (ctx.db.select({ id: units.id }).from(units).where(eq(units.id, id)).get())
        throw new CommandError("conflict", "A unit with this id already exists.");
      ctx.db.insert(units).values({ id, areaId: a.areaId, name: a.name, kind: a.kind, createdAt: ctx.now }).run();
      planManualCheck(ctx, id);
      ctx.touch("units", id);
      return { id };
    },
  }),
  "unit.rename": command({
    args: siteCommands["unit.rename"],
    anyOf: ["site.configure"],
    subject: (a) => `unit:${a.id}`,
    run(ctx, a) {
      requireFreshBase("this unit", requireUnit(ctx, a.id, "id"), { name: a.name }, a.base);
      ctx.db.update(units).set({ name: a.name }).where(eq(units.id, a.id)).run();
      ctx.touch("units", a.id);
      return { id: a.id };
    },
  }),
  "device.assign": command({
    args: siteCommands["device.assign"],
    anyOf: ["site.configure"],
    subject: (a) => `device:${a.devEui}`,
    run(ctx, a) {
      requireUnit(ctx, a.unitId);
      const before = ctx.db.select({ unitId: devices.unitId }).from(devices).where(eq(devices.devEui, a.devEui)).get();
      const others = ctx.db
        .select({ n: count() })
        .from(devices)
        .where(and(eq(devices.unitId, a.unitId), ne(devices.devEui, a.devEui)))
        .get();
      if ((others?.n ?? 0) >= MAX_SENSORS_PER_UNIT)
        throw new CommandError("conflict", `A unit holds at most ${MAX_SENSORS_PER_UNIT} sensors.`, {
          limit: MAX_SENSORS_PER_UNIT,
        });
      const row = {
        devEui: a.devEui,
        unitId: a.unitId,
        name: a.name ?? a.devEui,
        mapping: a.mapping ? JSON.stringify(a.mapping) : null,
        createdAt: ctx.now,
      };
      ctx.db
        .insert(devices)
        .values(row)
        .onConflictDoUpdate({
          target: devices.devEui,
          set: { unitId: row.unitId, name: row.name, mapping: row.mapping },
        })
        .run();
      ctx.db.delete(unclaimedDevices).where(eq(unclaimedDevices.devEui, a.devEui)).run();
      if (before && before.unitId !== a.unitId) planStale(ctx, before.unitId);
      if (!before || before.unitId !== a.unitId) planStale(ctx, a.unitId);
      if (before && before.unitId !== a.unitId) ctx.touch("units", before.unitId);
      ctx.touch("units", a.unitId);
      return { devEui: a.devEui, unitId: a.unitId };
    },
  }),
  "device.remove": command({
    args: siteCommands["device.remove"],
    anyOf: ["site.configure"],
    subject: (a) => `device:${a.devEui}`,
    run(ctx, a) {
      const before = ctx.db.select({ unitId: devices.unitId }).from(devices).where(eq(devices.devEui, a.devEui)).get();
      if (!before)
        throw new CommandError("not_found", "No such sensor in this site.", {
          fields: [{ path: "devEui", message: "is not a sensor of this site" }],
        });
      ctx.db.delete(devices).where(eq(devices.devEui, a.devEui)).run();
      planStale(ctx, before.unitId);
      ctx.touch("units", before.unitId);
      return { devEui: a.devEui };
    },
  }),
  "ingestKey.create": command({
    args: siteCommands["ingestKey.create"],
    anyOf: ["site.configure"],
    subject: (a) => `ingest-key:${a.label}`,
    run(ctx, a) {
      const live = ctx.db.select({ n: count() }).from(ingestKeys).where(isNull(ingestKeys.revokedAt)).get()?.n ?? 0;
      if (live >= MAX_INGEST_KEYS_PER_SITE)
        throw new CommandError("conflict", "This site has as many live ingest keys as it may; revoke one first.", {
          reason: "too_many_keys",
        });
      if (ctx.db.select({ id: ingestKeys.id }).from(ingestKeys).where(eq(ingestKeys.hash, a.keyHash)).get())
        throw new CommandError("conflict", "That key is already one of this site's keys; make a new one.");
      const key = { id: newId(), hash: a.keyHash, label: a.label, createdAt: ctx.now, lastUsedAt: null };
      ctx.db.insert(ingestKeys).values(key).run();
      return { id: key.id, label: key.label, createdAt: key.createdAt, lastUsedAt: null };
    },
  }),
  "ingestKey.revoke": command({
    args: siteCommands["ingestKey.revoke"],
    anyOf: ["site.configure"],
    subject: (a) => `ingest-key:${a.id}`,
    run(ctx, a) {
      const key = ctx.db
        .select({ id: ingestKeys.id })
        .from(ingestKeys)
        .where(and(eq(ingestKeys.id, a.id), isNull(ingestKeys.revokedAt)))
        .get();
      if (!key)
        throw new CommandError("not_found", "No such ingest key.", {
          fields: [{ path: "id", message: "is not a live ingest key of this site" }],
        });
      ctx.db.update(ingestKeys).set({ revokedAt: ctx.now }).where(eq(ingestKeys.id, a.id)).run();
      return { id: a.id };
    },
  }),
  "rule.set": command({
    args: siteCommands["rule.set"],
    anyOf: ["site.configure"],
    subject: (a) => `rule:${a.scope === "site" ? "site" : `${a.scope}:${a.scopeId}`}:${a.kind}`,
    run(ctx, a) {
      if (a.scope === "area" && a.scopeId) requireArea(ctx, a.scopeId, "scopeId");
      if (a.scope === "unit" && a.scopeId) requireUnit(ctx, a.scopeId, "scopeId");
      const scope = a.scope === "site" ? "site" : `${a.scope}:${a.scopeId}`;
      if (a.rule === null) {
        ctx.db
          .delete(ruleOverrides)
          .where(and(eq(ruleOverrides.scope, scope), eq(ruleOverrides.kind, a.kind)))
          .run();
      } else {
        let rule: Record<string, unknown> = a.rule;
        if (a.base) {
          // Only the fields the form changed: the others keep what is in force now, whoever set it.
          const now = ruleInForce(ctx.db, a.scope, a.scopeId, a.kind);
          requireFreshBase("this rule", now, a.rule, a.base, "rule.");
          rule = { ...now, ...a.rule };
        }
        const row = { scope, kind: a.kind, rule: JSON.stringify(ruleSchemas[a.kind].parse(rule)) };
        ctx.db
          .insert(ruleOverrides)
          .values(row)
          .onConflictDoUpdate({ target: [ruleOverrides.scope, ruleOverrides.kind], set: row })
          .run();
      }
      forgetRules(ctx.db);
      if (a.scope === "site") ctx.touch("site", "settings");
      if (a.scope === "area" && a.scopeId) ctx.touch("areas", a.scopeId);
      afterRulesChanged(ctx, unitsUnder(ctx.db, a.scope, a.scopeId));
      return { scope, kind: a.kind };
    },
  }),
  "escalation.set": command({
    args: siteCommands["escalation.set"],
    anyOf: ["site.configure"],
    subject: () => "site:escalation",
    run(ctx, a) {
      saveSettings(ctx.db, { ...settingsOf(ctx.db), escalation: a.steps });
      ctx.touch("site", "settings");
      return { steps: a.steps.length };
    },
  }),
  "site.retention": command({
    args: siteCommands["site.retention"],
    anyOf: ["site.configure"],
    subject: () => "site:retention",
    run(ctx, a) {
      saveSettings(ctx.db, {
        ...settingsOf(ctx.db),
        retentionDays: a.retentionDays,
        rollupRetentionDays: a.rollupRetentionDays,
      });
      ctx.touch("site", "settings");
      return a;
    },
  }),
  "alert.ack": command({
    args: siteCommands["alert.ack"],
    anyOf: ["alerts.handle"],
    subject: (a) => `alert:${a.id}`,
    run(ctx, a) {
      const alert = requireAlert(ctx, a.id);
      if (alert.state === "active_ack" || alert.state === "cleared_ack")
        throw new CommandError("conflict", "This alert is already acknowledged.");
      acknowledge(ctx, alert, ctx.actor, a.note);
      return { id: a.id };
    },
  }),
  "alert.ackMany": command({
    args: siteCommands["alert.ackMany"],
    anyOf: ["alerts.handle"],
    subject: (a) => (a.ids.length === 1 ? `alert:${a.ids[0]}` : `alerts:${a.ids.length}`),
    run(ctx, a) {
      const found = a.ids.map((id) => ({ id, alert: alertRow(ctx.db, id) }));
      const unknown = found.flatMap((f, i) => (f.alert ? [] : [i]));
      if (unknown.length > 0)
        throw new CommandError("not_found", "Some of these alerts are not in this site.", {
          fields: unknown.map((i) => ({ path: `ids.${i}`, message: "is not an alert of this site" })),
        });
      const acknowledged: string[] = [];
      const skipped: string[] = [];
      for (const { id, alert } of found) {
        if (!alert || alert.state === "active_ack" || alert.state === "cleared_ack") {
          skipped.push(id);
          continue;
        }
        acknowledge(ctx, alert, ctx.actor, a.note);
        acknowledged.push(id);
      }
      if (acknowledged.length === 0) throw new CommandError("conflict", "These alerts are already acknowledged.");
      return { acknowledged, skipped };
    },
  }),
  "alert.resolve": command({
    args: siteCommands["alert.resolve"],
    anyOf: ["alerts.handle"],
    subject: (a) => `alert:${a.id}`,
    run(ctx, a) {
      const alert = requireAlert(ctx, a.id);
      if (alert.resolvedAt !== null)
        throw new CommandError("conflict", "A corrective action is already recorded for this alert.");
      if (a.photoId && !hasPhoto(ctx.db, a.photoId)) {
        throw new CommandError("not_found", "No such photo in this site.", {
          fields: [{ path: "photoId", message: "is not a photo uploaded to this site" }],
        });
      }
      resolve(ctx, alert, ctx.actor, {
        found: a.found,
        action: a.action,
        product: a.product,
        note: a.note,
        photoId: a.photoId ?? null,
      });
      return { id: a.id };
    },
  }),
  "reading.log": command({
    args: siteCommands["reading.log"],
    anyOf: ["alerts.handle"],
    subject: (a) => `unit:${a.unitId}`,
    run(ctx, a) {
      requireUnit(ctx, a.unitId);
      const record = logReading(ctx, a);
      return { id: record.id, unitId: a.unitId, at: record.at, takenAt: record.takenAt, celsius: record.celsius };
    },
  }),
  "reading.act": command({
    args: siteCommands["reading.act"],
    anyOf: ["alerts.handle"],
    subject: (a) => `record:${a.recordId}`,
    run(ctx, a) {
      const record = actOnReading(ctx, a);
      return { id: record.id, manualLogId: record.manualLogId };
    },
  }),
  "record.verify": command({
    args: siteCommands["record.verify"],
    anyOf: ["site.configure"],
    subject: (a) => `record:${a.recordId}`,
    run(ctx, a) {
      const record = verifyRecord(ctx, a);
      return { id: record.id, verifies: record.verifies };
    },
  }),
  "reading.correct": command({
    args: siteCommands["reading.correct"],
    anyOf: ["alerts.handle"],
    subject: (a) => `record:${a.corrects}`,
    run(ctx, a) {
      const record = correctReading(ctx, a);
      return { id: record.id, corrects: record.corrects, celsius: record.celsius };
    },
  }),
};

function requireAlert(ctx: CommandContext, id: string) {
  const alert = alertRow(ctx.db, id);
  if (!alert)
    throw new CommandError("not_found", "No such alert in this site.", {
      fields: [{ path: "id", message: "is not an alert of this site" }],
    });
  return alert;
}
