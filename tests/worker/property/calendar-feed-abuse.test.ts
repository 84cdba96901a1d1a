/**
 * The calendar feed against a hostile member: a feed that outlives its maker, a home name that
 * tries to add events to the feed, and a DTSTAMP that must be UTC whatever the home's time zone.
 */
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { addDays, localDate } from "../../../schema/property/recurrence";
import { type Account, addMember, api, createRoom, json, signup } from "../helpers";

/** Unfolds RFC 5545 content lines (a line starting with a space or tab continues the previous one). */
const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, "").split("\r\n");

/** What a calendar parser finds: the components it opens at the top and the events inside them. */
function components(ics: string): { calendars: number; events: number; summaries: string[]; tail: string[] } {
  let calendars = 0;
  let events = 0;
  let depth = 0;
  const summaries: string[] = [];
  const tail: string[] = [];
  for (const line of unfold(ics)) {
    if (line === "") continue;
    if (depth === 0) {
      if (line === "BEGIN:VCALENDAR") calendars += 1;
      else tail.push(line);
    }
    if (line.startsWith("BEGIN:")) depth += 1;
    if (line === "BEGIN:VEVENT") events += 1;
    if (line.startsWith("SUMMARY:")) summaries.push(line.slice("SUMMARY:".length));
    if (line.startsWith("END:")) depth -= 1;
  }
  return { calendars, events, summaries, tail };
}

async function makeFeed(account: Account, roomId: string): Promise<string> {
  const res = await api(`/api/rooms/${roomId}/calendar-feed`, { cookie: account.cookie, method: "POST" });
  expect(res.status).toBe(201);
  return (await json<{ url: string }>(res)).url;
}

const INJECTED =
  "Cabin\r\nBEGIN:VEVENT\r\nUID:evil@x\r\nDTSTART;VALUE=DATE:20270101\r\nSUMMARY:Injected\r\nEND:VEVENT\r\nX-A:";

describe("a calendar feed outlives nobody", () => {
  it("ends when the editor who made it is removed, and not when someone else leaves", async () => {
    const owner = await signup("Olive");
    const room = await createRoom(owner, "property", "Birch Lane");
    const editor = await addMember(owner, room, "editor", "Ed");
    const other = await addMember(owner, room, "editor", "Other");
    const url = await makeFeed(editor, room.id);
    expect((await SELF.fetch(url)).status).toBe(200);

    const removeOther = await api(`/api/rooms/${room.id}/members/${other.user.id}`, {
      method: "DELETE",
      cookie: owner.cookie,
    });
    expect(removeOther.status).toBe(204);
    expect((await SELF.fetch(url)).status).toBe(200);

    const remove = await api(`/api/rooms/${room.id}/members/${editor.user.id}`, {
      method: "DELETE",
      cookie: owner.cookie,
    });
    expect(remove.status).toBe(204);
    expect((await SELF.fetch(url)).status).toBe(404);
    expect(await json(await api(`/api/rooms/${room.id}/calendar-feed`, { cookie: owner.cookie }))).toEqual({
      enabled: false,
    });
    // The home's other keepers can make a new one.
    expect((await SELF.fetch(await makeFeed(owner, room.id))).status).toBe(200);
  });

  it("ends when its maker leaves by themselves", async () => {
    const owner = await signup("Olive");
    const room = await createRoom(owner, "property", "Birch Lane");
    const editor = await addMember(owner, room, "editor", "Ed");
    const url = await makeFeed(editor, room.id);
    const leave = await api(`/api/rooms/${room.id}/members/${editor.user.id}`, {
      method: "DELETE",
      cookie: editor.cookie,
    });
    expect(leave.status).toBe(204);
    expect((await SELF.fetch(url)).status).toBe(404);
  });

  it("ends when its maker's role can no longer make feeds, and survives a role that still can", async () => {
    const owner = await signup("Olive");
    const room = await createRoom(owner, "property", "Birch Lane");
    const editor = await addMember(owner, room, "editor", "Ed");
    const setRole = (role: string) =>
      api(`/api/rooms/${room.id}/members/${editor.user.id}`, { method: "PATCH", cookie: owner.cookie, body: { role } });
    const url = await makeFeed(editor, room.id);

    expect((await setRole("admin")).status).toBe(200);
    expect((await SELF.fetch(url)).status).toBe(200);
    expect((await setRole("viewer")).status).toBe(200);
    expect((await SELF.fetch(url)).status).toBe(404);

    expect((await setRole("editor")).status).toBe(200);
    const again = await makeFeed(editor, room.id);
    expect((await setRole("member")).status).toBe(200);
    expect((await SELF.fetch(again)).status).toBe(404);
  });
});

describe("a home's name in its feed", () => {
  it("with CR/LF is refused when a room is created or renamed", async () => {
    const owner = await signup("Olive");
    const created = await api("/api/rooms", { cookie: owner.cookie, body: { kind: "property", name: INJECTED } });
    expect(created.status).toBe(400);
    const room = await createRoom(owner, "property", "Cabin");
    for (const name of [INJECTED, "Cabin\nTwo", "Cabin\tTab", "Cabin\u0000", "Cabin\u007f", "Cabin\u0085"]) {
      const renamed = await api(`/api/rooms/${room.id}`, { method: "PATCH", cookie: owner.cookie, body: { name } });
      expect(renamed.status, JSON.stringify(name)).toBe(400);
    }
    const { results } = await env.DB.prepare("SELECT name FROM rooms WHERE created_by = ?1")
      .bind(owner.user.id)
      .all<{ name: string }>();
    expect(results.map((r) => r.name)).toEqual(["Cabin"]);
  });

  it("already stored with CR/LF or END:VCALENDAR stays one calendar with only the home's events", async () => {
    const owner = await signup("Olive");
    const room = await createRoom(owner, "property", "Cabin");
    const url = await makeFeed(owner, room.id);
    const today = localDate(Date.now(), "UTC");
    await api(`/api/rooms/${room.id}/commands`, {
      cookie: owner.cookie,
      body: {
        name: "task.create",
        args: { title: "Drain the pipes", schedule: { type: "once", date: addDays(today, 3) } },
        key: crypto.randomUUID(),
      },
    });
    const names = [INJECTED, "Cabin\r\nEND:VCALENDAR\r\nBEGIN:VCALENDAR", "Cabin\nEND:VCALENDAR", "A;B,C\\D"];
    for (const name of names) {
      // Written straight to D1, as a room named before names were checked would be.
      await env.DB.prepare("UPDATE rooms SET name = ?1 WHERE id = ?2").bind(name, room.id).run();
      const res = await SELF.fetch(url);
      expect(res.status).toBe(200);
      const ics = await res.text();
      const found = components(ics);
      expect(found, JSON.stringify(name)).toMatchObject({ calendars: 1, events: 1, summaries: ["Drain the pipes"] });
      expect(found.tail).toEqual([]);
      expect(unfold(ics).filter((l) => l === "END:VCALENDAR")).toHaveLength(1);
      expect(unfold(ics).filter((l) => l.startsWith("UID:evil"))).toHaveLength(0);
    }
    const lines = unfold(await (await SELF.fetch(url)).text());
    expect(lines).toContain("X-WR-CALNAME:A\\;B\\,C\\\\D: maintenance");
    expect(lines).toContain("NAME:A\\;B\\,C\\\\D: maintenance");
  });
});

describe("DTSTAMP", () => {
  it("is UTC with a Z in a New York home's feed (RFC 5545 §3.8.7.2)", async () => {
    const owner = await signup("Olive");
    const room = await createRoom(owner, "property", "Brooklyn");
    const command = (name: string, args: unknown) =>
      api(`/api/rooms/${room.id}/commands`, { cookie: owner.cookie, body: { name, args, key: crypto.randomUUID() } });
    expect((await command("home.settings", { timeZone: "America/New_York" })).status).toBe(200);
    const date = addDays(localDate(Date.now(), "America/New_York"), 2);
    expect((await command("task.create", { title: "Salt the steps", schedule: { type: "once", date } })).status).toBe(
      200,
    );
    const lines = unfold(await (await SELF.fetch(await makeFeed(owner, room.id))).text());
    const stamps = lines.filter((l) => l.startsWith("DTSTAMP:"));
    expect(stamps).toHaveLength(1);
    const stamp = stamps[0] ?? "";
    expect(stamp).toMatch(/^DTSTAMP:\d{8}T\d{6}Z$/);
    const [, y, mo, d, h, mi, s] = /^DTSTAMP:(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(stamp) ?? [];
    const at = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    // The task was just written: its stamp is now, not five hours off.
    expect(Math.abs(at - Date.now())).toBeLessThan(60_000);
    expect(lines).toContain(`DTSTART;VALUE=DATE:${date.replaceAll("-", "")}`);
    expect(lines).toContain("X-WR-TIMEZONE:America/New_York");
  });
});
