/**
 * A site's compliance records in workerd: hand-logged readings kept with their value, scale, time of the check and
 * who; corrections as new records, the original kept; corrective actions in the same chain; and the chain found
 * broken when a record is altered, removed, moved or added behind the room's back.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SiteRecord, SiteRecordsPage, SiteRecordsVerifyReport } from "../../../schema/site/compliance";
import { type Account, addMember, api, type ErrorJson, json } from "../helpers";
import { type KeyedSite, keyedSite } from "./site-helpers";

const HOUR = 60 * 60 * 1000;

async function kitchen(): Promise<KeyedSite & { unitId: string; staff: Account }> {
  const s = await keyedSite();
  const areaId = await s.make("area.create", { name: "Kitchen" });
  const unitId = await s.make("unit.create", { areaId, name: "Walk-in", kind: "fridge" });
  const staff = await addMember(s.owner, s.room, "staff", "Stu");
  return { ...s, unitId, staff };
}

const page = async (s: KeyedSite, who: Account = s.owner) =>
  json<SiteRecordsPage>(await api(`/api/rooms/${s.room.id}/records`, { cookie: who.cookie }));
const verify = async (s: KeyedSite) =>
  json<SiteRecordsVerifyReport>(await api(`/api/rooms/${s.room.id}/records/verify`, { cookie: s.owner.cookie }));

/** Runs SQL in the site's own database, as someone with access to the storage (not through Haven) would. */
const tamper = (s: KeyedSite, sql: string, ...bindings: SqlStorageValue[]) =>
  runInDurableObject(env.site.get(env.site.idFromName(s.room.id)), (_room, state) => {
    state.storage.sql.exec(sql, ...bindings);
  });

const readingsOf = (s: KeyedSite) =>
  runInDurableObject(env.site.get(env.site.idFromName(s.room.id)), (_room, state) =>
    state.storage.sql.exec("SELECT dev_eui, at, temperature FROM readings ORDER BY at").toArray(),
  );

describe("a site's compliance records", () => {
  it("keeps a hand-logged reading as read, with the time of the check and who, judged in °C", async () => {
    const s = await kitchen();
    const takenAt = Date.now() - 2 * HOUR;
    const logged = await s.command(
      "reading.log",
      { unitId: s.unitId, temperature: 41, scale: "F", takenAt, note: "Probe in the middle shelf" },
      s.staff,
    );
    expect(logged.status, await logged.clone().text()).toBe(200);
    const { result } = await json<{ result: { id: string; celsius: number } }>(logged);
    expect(result.celsius).toBe(5);

    const { entries, head } = await page(s);
    expect(head.seq).toBe(1);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.content).toMatchObject({
      kind: "manual_log",
      id: result.id,
      unitId: s.unitId,
      value: 41,
      scale: "F",
      celsius: 5,
      takenAt,
      by: s.staff.user.id,
      byName: "Stu",
      note: "Probe in the middle shelf",
      photoId: null,
    });
    // Judged at the time of the check, not when it reached the room.
    expect(await readingsOf(s)).toEqual([{ dev_eui: "manual", at: takenAt, temperature: 5 }]);
    expect(await verify(s)).toEqual({ ok: true, count: 1, head });
  });

  it("refuses absurd values, future or day-old times, other sites' units and viewers, keeping nothing", async () => {
    const s = await kitchen();
    const other = await kitchen();
    const viewer = await addMember(s.owner, s.room, "viewer", "Val");
    const cases: [unknown, Account, number, string][] = [
      [{ unitId: s.unitId, temperature: 250, scale: "F" }, s.staff, 400, "between -76 and 212 °F"],
      [{ unitId: s.unitId, temperature: -300 }, s.staff, 400, "between -60 and 100 °C"],
      [{ unitId: s.unitId, temperature: 3, scale: "K" }, s.staff, 400, "scale"],
      [{ unitId: s.unitId, temperature: 3, takenAt: Date.now() + HOUR }, s.staff, 400, "in the future"],
      [{ unitId: s.unitId, temperature: 3, takenAt: Date.now() - 30 * HOUR }, s.staff, 400, "up to a day"],
      [{ unitId: other.unitId, temperature: 3 }, s.staff, 404, "No such unit"],
      [{ unitId: s.unitId, temperature: 3, photoId: "nope" }, s.staff, 404, "No such photo"],
      [{ unitId: s.unitId, temperature: 3, note: "x".repeat(501) }, s.staff, 400, "note"],
      [{ unitId: s.unitId, temperature: 3, id: "not an id!" }, s.staff, 400, "id"],
      [{ unitId: s.unitId, temperature: 3 }, viewer, 403, ""],
    ];
    for (const [args, who, status, words] of cases) {
      const res = await s.command("reading.log", args, who);
      expect(res.status, JSON.stringify(args)).toBe(status);
      expect(JSON.stringify((await json<ErrorJson>(res)).error)).toContain(words);
    }
    expect((await page(s)).entries).toEqual([]);
    expect(await readingsOf(s)).toEqual([]);

    // A phone sending its log twice: the same command key answers the first again; the same id under a new key
    // is refused; either way it is kept once.
    const args = { id: crypto.randomUUID(), unitId: s.unitId, temperature: 3 };
    const key = crypto.randomUUID();
    const send = (k: string) =>
      api(`/api/rooms/${s.room.id}/commands`, { cookie: s.staff.cookie, body: { name: "reading.log", args, key: k } });
    expect((await send(key)).status).toBe(200);
    expect((await send(key)).status).toBe(200);
    expect((await send(crypto.randomUUID())).status).toBe(409);
    expect((await page(s)).entries).toHaveLength(1);
    expect(await readingsOf(s)).toHaveLength(1);
  });

  it("corrects a reading by a new record that names it and says why; the original stays", async () => {
    const s = await kitchen();
    const logged = await s.command("reading.log", { unitId: s.unitId, temperature: 38 }, s.staff);
    const { id } = (await json<{ result: { id: string } }>(logged)).result;
    // Edits and deletes are not commands at all; a correction without a reason is refused.
    expect((await s.command("reading.correct", { corrects: id, temperature: 3.8, reason: " " }, s.staff)).status).toBe(
      400,
    );
    const fixed = await s.command(
      "reading.correct",
      { corrects: id, temperature: 3.8, reason: "Typed 38 for 3.8" },
      s.staff,
    );
    expect(fixed.status, await fixed.clone().text()).toBe(200);
    const correctionId = (await json<{ result: { id: string } }>(fixed)).result.id;
    const [original, correction] = (await page(s)).entries.map((e) => e.content as SiteRecord);
    expect(original).toMatchObject({ kind: "manual_log", id, value: 38, celsius: 38 });
    expect(correction).toMatchObject({
      kind: "correction",
      id: correctionId,
      corrects: id,
      value: 3.8,
      celsius: 3.8,
      reason: "Typed 38 for 3.8",
      byName: "Stu",
    });
    expect(correction && "takenAt" in correction && original && "takenAt" in original).toBe(true);
    // Only the newest version is corrected; a corrective action is not a reading.
    const twice = await s.command("reading.correct", { corrects: id, temperature: 4, reason: "Again" }, s.staff);
    expect(twice.status).toBe(409);
    const next = await s.command("reading.correct", { corrects: correctionId, temperature: 3.9, reason: "Re-read" });
    expect(next.status).toBe(200);
    expect((await s.command("reading.correct", { corrects: "nope", temperature: 4, reason: "x" })).status).toBe(404);
    expect(await verify(s)).toMatchObject({ ok: true, count: 3 });
  });

  it("records what was done about an out-of-range reading, and a manager verifies it; nobody their own", async () => {
    const s = await kitchen();
    const manager = await addMember(s.owner, s.room, "manager", "Mia");
    const logged = await s.command("reading.log", { unitId: s.unitId, temperature: 9 }, s.staff);
    const { id } = (await json<{ result: { id: string } }>(logged)).result;
    const act = {
      recordId: id,
      found: "Door ajar since the delivery",
      action: "Closed the door, probed the product at 6 °C",
      product: "kept",
    };
    expect((await s.command("reading.act", { ...act, found: "" }, s.staff)).status).toBe(400);
    const acted = await s.command("reading.act", act, s.staff);
    expect(acted.status, await acted.clone().text()).toBe(200);
    const actionId = (await json<{ result: { id: string } }>(acted)).result.id;
    expect((await s.command("reading.act", act, s.staff)).status).toBe(409);
    expect((await s.command("reading.act", { ...act, recordId: actionId }, s.staff)).status).toBe(404);

    // Staff do not verify; nobody verifies their own; a manager verifies once.
    expect((await s.command("record.verify", { recordId: actionId }, s.staff)).status).toBe(403);
    expect((await s.command("record.verify", { recordId: actionId }, s.owner)).status).toBe(200);
    const mine = await s.command("reading.log", { unitId: s.unitId, temperature: 3 }, manager);
    const mineId = (await json<{ result: { id: string } }>(mine)).result.id;
    const self = await s.command("record.verify", { recordId: mineId }, manager);
    expect(self.status).toBe(403);
    expect((await json<ErrorJson>(self)).error.message).toMatch(/Nobody verifies their own record/);
    const verified = await s.command("record.verify", { recordId: id, note: "Checked the log sheet" }, manager);
    expect(verified.status).toBe(200);
    expect((await s.command("record.verify", { recordId: id }, s.owner)).status).toBe(409);
    expect((await s.command("record.verify", { recordId: "nope" }, manager)).status).toBe(404);

    const contents = (await page(s)).entries.map((e) => e.content);
    expect(contents.map((c) => c.kind)).toEqual([
      "manual_log",
      "corrective_action",
      "verification",
      "manual_log",
      "verification",
    ]);
    expect(contents[1]).toMatchObject({
      alertId: null,
      manualLogId: id,
      unitId: s.unitId,
      found: "Door ajar since the delivery",
      product: "kept",
      byName: "Stu",
    });
    expect(contents[4]).toMatchObject({ verifies: id, byName: "Mia", note: "Checked the log sheet" });
    expect(await verify(s)).toMatchObject({ ok: true, count: 5 });
  });

  it("finds the chain broken when a record is altered, removed, moved or added behind the room's back", async () => {
    const breaks: [string, (s: KeyedSite) => Promise<void>, string][] = [
      [
        "altered",
        (s) =>
          tamper(s, "UPDATE site_records SET content = replace(content, '\"value\":4', '\"value\":3') WHERE seq = 2"),
        "altered",
      ],
      ["removed", (s) => tamper(s, "DELETE FROM site_records WHERE seq = 2"), "removed"],
      [
        "moved",
        async (s) => {
          await tamper(s, "UPDATE site_records SET seq = -2 WHERE seq = 2");
          await tamper(s, "UPDATE site_records SET seq = 2 WHERE seq = 3");
          await tamper(s, "UPDATE site_records SET seq = 3 WHERE seq = -2");
        },
        "altered",
      ],
      ["the last removed", (s) => tamper(s, "DELETE FROM site_records WHERE seq = 3"), "head_mismatch"],
      [
        "added",
        (s) =>
          tamper(
            s,
            "INSERT INTO site_records (seq, prev_hash, hash, kind, record_id, content) " +
              "SELECT 4, hash, hash, kind, 'forged', content FROM site_records WHERE seq = 3",
          ),
        "inserted",
      ],
    ];
    for (const [what, change, reason] of breaks) {
      const s = await kitchen();
      for (const temperature of [3, 4, 5])
        expect((await s.command("reading.log", { unitId: s.unitId, temperature }, s.staff)).status).toBe(200);
      expect((await verify(s)).ok, what).toBe(true);
      await change(s);
      const report = await verify(s);
      expect(report, what).toMatchObject({ ok: false, reason });
    }
  });

  it("keeps every corrective action in the same chain, and answers only the site's members", async () => {
    const s = await kitchen();
    // Readings logged by hand raise an alert as a sensor's would: 7 °C in a fridge for 20 minutes.
    for (const minutesAgo of [30, 25, 20, 15, 10]) {
      const args = { unitId: s.unitId, temperature: 7, takenAt: Date.now() - minutesAgo * 60_000 };
      expect((await s.command("reading.log", args, s.staff)).status).toBe(200);
    }
    const [alert] = await runInDurableObject(env.site.get(env.site.idFromName(s.room.id)), (_room, state) =>
      state.storage.sql.exec<{ id: string }>("SELECT id FROM alerts").toArray(),
    );
    expect(alert).toBeDefined();
    const action = {
      id: alert?.id,
      found: "Compressor off",
      action: "Moved stock to the spare fridge",
      product: "moved",
      note: "",
    };
    expect((await s.command("alert.resolve", action, s.staff)).status).toBe(200);
    const last = (await page(s)).entries.at(-1)?.content;
    expect(last).toMatchObject({
      kind: "corrective_action",
      alertId: alert?.id,
      manualLogId: null,
      found: "Compressor off",
      unitId: s.unitId,
      action: "Moved stock to the spare fridge",
      product: "moved",
      by: s.staff.user.id,
    });
    expect(await verify(s)).toMatchObject({ ok: true, count: 6 });

    // Every member of the site may read and verify the records (an inspector is given a viewer's account).
    const stranger = (await keyedSite("Elsewhere", "Eve")).owner;
    expect((await api(`/api/rooms/${s.room.id}/records`, { cookie: stranger.cookie })).status).toBe(404);
    expect((await api(`/api/rooms/${s.room.id}/records/verify`)).status).toBe(401);
    const home = await api("/api/rooms", { cookie: s.owner.cookie, body: { kind: "property", name: "A home" } });
    const homeId = (await json<{ room: { id: string } }>(home)).room.id;
    expect((await api(`/api/rooms/${homeId}/records/verify`, { cookie: s.owner.cookie })).status).toBe(404);
    const viewer = await addMember(s.owner, s.room, "viewer", "Ivy Inspector");
    expect((await page(s, viewer)).entries).toHaveLength(6);
    expect((await api(`/api/rooms/${s.room.id}/records?limit=0`, { cookie: s.owner.cookie })).status).toBe(400);
    const second = await json<SiteRecordsPage>(
      await api(`/api/rooms/${s.room.id}/records?after=4&limit=1`, { cookie: s.owner.cookie }),
    );
    expect(second.entries.map((e) => e.seq)).toEqual([5]);
  });
});
