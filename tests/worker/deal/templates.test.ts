/**
 * Saving a deal's structure as a template (`POST /api/rooms/{roomId}/deal/templates`), listing templates, and
 * starting a new deal from a saved one with `deal.create`.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MAX_SAVED_DEAL_TEMPLATES_PER_USER } from "../../../config";
import type { Room } from "../../../schema/core/api";
import type { TemplateListItem } from "../../../schema/deal/api";
import type { DealTask, Milestone } from "../../../schema/deal/records";
import type { Template } from "../../../schema/deal/templates";
import { INSERT_WITHIN_LIMIT_SQL } from "../../../worker/routes/deal-templates";
import { type Account, addMember, api, createRoom, json, RoomClient, signup } from "../helpers";
import { type DealTeam, dayFromToday, dealCounts, dealTeam, run, setUpDeal } from "./deal-helpers";

const save = (who: Account, room: Room, name: unknown) =>
  api(`/api/rooms/${room.id}/deal/templates`, { cookie: who.cookie, body: { name } });

async function saved(who: Account, room: Room, name: string): Promise<TemplateListItem> {
  const res = await save(who, room, name);
  expect(res.status, await res.clone().text()).toBe(201);
  return (await json<{ template: TemplateListItem }>(res)).template;
}

async function listOf(who: Account, query = ""): Promise<{ status: number; templates: TemplateListItem[] }> {
  const res = await api(`/api/deal-templates${query}`, { cookie: who.cookie });
  const body = res.status === 200 ? await json<{ templates: TemplateListItem[] }>(res) : { templates: [] };
  return { status: res.status, templates: body.templates };
}

async function bodyOf(id: string): Promise<Template> {
  const row = await env.DB.prepare("SELECT body FROM deal_templates WHERE id = ?").bind(id).first<{ body: string }>();
  if (!row) throw new Error(`no saved template ${id}`);
  return JSON.parse(row.body) as Template;
}

/** The deal's structure as its coordinator's screen shows it: milestones, and each task by title. */
async function structureOf(room: Room, who: Account) {
  const client = await RoomClient.connect("deal", room.id, who.cookie);
  try {
    const milestones = [...client.doc.getMap<Milestone>("milestones").values()].sort((a, b) => a.order - b.order);
    const tasks = [...client.doc.getMap<DealTask>("tasks").values()].sort((a, b) => a.order - b.order);
    const titleOf = new Map(tasks.map((task) => [task.id, task.title]));
    const milestoneOf = new Map(milestones.map((milestone) => [milestone.id, milestone.name]));
    return {
      milestones: milestones.map((milestone) => milestone.name),
      tasks: tasks.map((task) => ({
        title: task.title,
        milestone: task.milestoneId === null ? null : milestoneOf.get(task.milestoneId),
        assignee: task.assignee,
        due: task.due,
        dependsOn: task.dependsOn.map((id) => titleOf.get(id)).sort(),
        sharedWithBuyer: task.sharedWithBuyer,
      })),
    };
  } finally {
    client.socket.close();
  }
}

const createFrom = (who: Account, room: Room, templateId: string) =>
  run(who, room, "deal.create", {
    templateId,
    title: "14 Oak Ave purchase",
    address: "14 Oak Ave",
    keyDates: { acceptance: dayFromToday(-3), closing: dayFromToday(40) },
    timeZone: "UTC",
  });

describe("saving a deal as a template", () => {
  it("saves, lists and starts a new deal with the same milestones, tasks, dependencies and relative dues", async () => {
    const team = await dealTeam();
    await setUpDeal(team, "financed_purchase", { timeZone: "UTC" });
    const template = await saved(team.admin, team.room, "Our financed purchase");
    expect(template).toMatchObject({ name: "Our financed purchase", builtIn: false, milestones: 8, tasks: 41 });
    expect(template.id).toMatch(/^saved_[0-9a-f]{32}$/);

    const listed = await listOf(team.admin);
    expect(listed.templates.map((t) => [t.id, t.builtIn])).toEqual([
      ["financed_purchase", true],
      ["cash_purchase", true],
      [template.id, false],
    ]);
    expect((await listOf(team.coordinator)).templates.map((t) => t.id)).not.toContain(template.id);

    const next = await createRoom(team.admin, "deal", "14 Oak Ave purchase");
    const created = await createFrom(team.admin, next, template.id);
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body.result).toEqual({ tasks: 41 });
    const original = await structureOf(team.room, team.coordinator);
    const copy = await structureOf(next, team.admin);
    expect(copy).toEqual(original);
  });

  it("keeps rules, makes fixed dates relative to the nearer key date, a person's task their role's", async () => {
    const team = await dealTeam();
    await setUpDeal(team, null, { timeZone: "UTC" });
    const milestone = await run(team.coordinator, team.room, "deal.milestone.create", { name: "Inspection" });
    const milestoneId = milestone.body.result?.id;
    const task = (title: string, extra: Record<string, unknown>) =>
      run(team.coordinator, team.room, "deal.task.create", { title, milestoneId, ...extra });
    const rule = { anchor: "closing", offset: -5, unit: "business_days" };
    await task("By rule", { due: { relative: rule } });
    await task("Early fixed", { due: { date: dayFromToday(-7) } });
    await task("Late fixed", {
      due: { date: dayFromToday(18) },
      assignee: { kind: "user", userId: team.agent.user.id },
    });
    await task("Owner's", { assignee: { kind: "user", userId: team.owner.user.id } });
    await task("Buyer's", { sharedWithBuyer: true, assignee: { kind: "user", userId: team.buyer.user.id } });
    await run(team.coordinator, team.room, "deal.task.create", { title: "Loose" });
    const id = (await saved(team.owner, team.room, "Odd one")).id;
    const body = await bodyOf(id);
    expect(body.milestones.map((m) => [m.title, m.tasks.map((t) => t.title)])).toEqual([
      ["Inspection", ["By rule", "Early fixed", "Late fixed", "Owner's", "Buyer's"]],
      ["Other tasks", ["Loose"]],
    ]);
    const [byRule, early, late, owners, buyers] = body.milestones[0]?.tasks ?? [];
    expect(byRule?.due).toEqual(rule);
    expect(early?.due).toEqual({ anchor: "acceptance", offset: 3, unit: "days" });
    expect(late?.due).toEqual({ anchor: "closing", offset: -2, unit: "days" });
    expect(late?.assigneeRole).toBe("buyer_agent");
    expect(owners?.assigneeRole).toBe("transaction_coordinator");
    expect(buyers).toMatchObject({ assigneeRole: "buyer", sharedWithBuyer: true });
    expect(body.milestones[1]?.tasks[0]).toMatchObject({
      assigneeRole: "transaction_coordinator",
      due: { anchor: "closing", offset: 0, unit: "days" },
    });
  });
});

describe("who may save and use a template", () => {
  it("refuses a coordinator, an agent, a buyer and a viewer (403), a stranger and another kind (404)", async () => {
    const team = await dealTeam();
    await setUpDeal(team, null, { timeZone: "UTC" });
    for (const who of [team.coordinator, team.agent, team.buyer, team.viewer]) {
      const res = await save(who, team.room, "Mine now");
      expect(res.status).toBe(403);
      expect((await json<{ error: { code: string } }>(res)).error.code).toBe("forbidden");
    }
    const stranger = await signup("Sam Stranger");
    expect((await save(stranger, team.room, "Mine now")).status).toBe(404);
    const home = await createRoom(team.owner, "property", "A home");
    expect((await save(team.owner, home, "Mine now")).status).toBe(404);
    expect((await api(`/api/rooms/${team.room.id}/deal/templates`, { body: { name: "x" } })).status).toBe(401);
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM deal_templates WHERE owner_user_id IN (?, ?, ?, ?)")
      .bind(team.coordinator.user.id, team.agent.user.id, team.buyer.user.id, team.viewer.user.id)
      .first<{ n: number }>();
    expect(rows?.n).toBe(0);
  });

  it("refuses a name too long, empty or not a string, a deal not set up, a structure no template holds", async () => {
    const team = await dealTeam();
    expect((await save(team.owner, team.room, "Before setup")).status).toBe(404);
    await setUpDeal(team, null, { timeZone: "UTC" });
    for (const name of ["x".repeat(121), "", "  ", 42, "two\nlines"]) {
      const res = await save(team.owner, team.room, name);
      expect(res.status, String(name)).toBe(400);
      expect((await json<{ error: { code: string } }>(res)).error.code).toBe("validation_failed");
    }
    const ids: string[] = [];
    for (let i = 0; i < 21; i += 1)
      ids.push(
        (await run(team.coordinator, team.room, "deal.task.create", { title: `Step ${i}` })).body.result?.id as string,
      );
    await run(team.coordinator, team.room, "deal.task.create", { title: "Waits for all", dependsOn: ids });
    const tooMany = await save(team.owner, team.room, "Too wide");
    expect(tooMany.status).toBe(400);
    expect(await tooMany.text()).toContain("dependsOn");
    expect((await listOf(team.owner)).templates.filter((t) => !t.builtIn)).toEqual([]);
  });

  it("stops at the per-person limit, repeated saves included, and the insert itself holds it", async () => {
    const team = await dealTeam();
    await setUpDeal(team, null, { timeZone: "UTC" });
    const body = JSON.stringify({ id: "x", name: "x", keyDates: ["acceptance"], milestones: [] });
    const insert = env.DB.prepare(
      "INSERT INTO deal_templates (id, owner_user_id, name, body, created_at) VALUES (?, ?, ?, ?, ?)",
    );
    await env.DB.batch(
      Array.from({ length: MAX_SAVED_DEAL_TEMPLATES_PER_USER - 1 }, (_, i) =>
        insert.bind(`saved_${crypto.randomUUID().replaceAll("-", "")}`, team.admin.user.id, `T${i}`, body, i),
      ),
    );
    const racing = await Promise.all([1, 2, 3].map((n) => save(team.admin, team.room, `Race ${n}`)));
    expect(racing.map((res) => res.status).sort()).toEqual([201, 413, 413]);
    const res = await save(team.admin, team.room, "One more");
    expect(res.status).toBe(413);
    expect((await json<{ error: { code: string } }>(res)).error.code).toBe("quota_exceeded");
    const kept = await env.DB.prepare("SELECT count(*) AS n FROM deal_templates WHERE owner_user_id = ?")
      .bind(team.admin.user.id)
      .first<{ n: number }>();
    expect(kept?.n).toBe(MAX_SAVED_DEAL_TEMPLATES_PER_USER);
    // Saves that pass the first check together (a race) meet the limit again in the insert.
    const late = await env.DB.prepare(INSERT_WITHIN_LIMIT_SQL)
      .bind("saved_late", team.admin.user.id, "Late", body, Date.now(), MAX_SAVED_DEAL_TEMPLATES_PER_USER)
      .run();
    expect(late.meta.changes).toBe(0);
  });

  it("lets a deal start only from the caller's own saved template or one its room's owner saved", async () => {
    const team = await dealTeam();
    await setUpDeal(team, "cash_purchase", { timeZone: "UTC" });
    const mine = (await saved(team.admin, team.room, "Ada's cash")).id;

    const other: DealTeam = await dealTeam("Someone else's deal");
    const foreign = await createFrom(other.owner, other.room, mine);
    const unknown = await createFrom(other.owner, other.room, `saved_${"0".repeat(32)}`);
    expect(foreign.status).toBe(400);
    expect(foreign.body).toEqual(unknown.body);
    expect(foreign.body.error?.code).toBe("validation_failed");
    expect(await dealCounts(other.room)).toMatchObject({ tasks: 0, milestones: 0 });
    expect((await listOf(other.owner)).templates.map((t) => t.id)).not.toContain(mine);

    // A room Ada owns: her coordinator may start its deal from her template, and finds it listed for the room.
    const adas = await createRoom(team.admin, "deal", "Ada's next deal");
    const coordinator = await addMember(team.admin, adas, "transaction_coordinator", "Cody Coordinator");
    expect((await listOf(coordinator, `?roomId=${adas.id}`)).templates.map((t) => t.id)).toContain(mine);
    expect((await listOf(coordinator, `?roomId=${other.room.id}`)).status).toBe(404);
    expect((await listOf(coordinator, `?roomId=${adas.id}&extra=1`)).status).toBe(400);
    const started = await createFrom(coordinator, adas, mine);
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    expect(started.body.result?.tasks).toBe((await structureOf(team.room, team.coordinator)).tasks.length);
  });
});
