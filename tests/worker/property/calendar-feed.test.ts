import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { addDays, localDate } from "../../../schema/property/recurrence";
import { addMember, api, createRoom, json, signup } from "../helpers";

const today = () => localDate(Date.now(), "UTC");
const fetchFeed = (url: string) => SELF.fetch(url);

/** Unfolds RFC 5545 content lines (a line starting with a space continues the previous one). */
const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, "").split("\r\n");

describe("the calendar feed", () => {
  it("lists upcoming due dates for whoever holds the secret, and stops when replaced or turned off", async () => {
    const alice = await signup("Alice");
    const room = await createRoom(alice, "property", "Maple Street");
    const viewer = await addMember(alice, room, "viewer", "Vic");
    const command = (name: string, args: unknown) =>
      api(`/api/rooms/${room.id}/commands`, { cookie: alice.cookie, body: { name, args, key: crypto.randomUUID() } });
    await command("home.settings", { timeZone: "America/New_York" });
    const start = addDays(today(), 5);
    await command("task.create", {
      title: "Test smoke alarms",
      notes: "Every alarm, every floor",
      schedule: { type: "calendar", rrule: "FREQ=MONTHLY", start },
    });
    await command("task.create", { title: "Clean gutters", schedule: { type: "once", date: addDays(today(), -3) } });

    expect((await api(`/api/rooms/${room.id}/calendar-feed`, { cookie: viewer.cookie, method: "POST" })).status).toBe(
      403,
    );
    const created = await api(`/api/rooms/${room.id}/calendar-feed`, { cookie: alice.cookie, method: "POST" });
    expect(created.status).toBe(201);
    const { url, webcal } = await json<{ url: string; webcal: string }>(created);
    expect(webcal).toBe(url.replace("http:", "webcal:"));
    expect(
      await json<{ enabled: boolean }>(await api(`/api/rooms/${room.id}/calendar-feed`, { cookie: viewer.cookie })),
    ).toEqual({ enabled: true });

    const res = await fetchFeed(url);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/calendar; charset=utf-8");
    const raw = await res.text();
    for (const line of raw.split("\r\n")) expect(new TextEncoder().encode(line).byteLength).toBeLessThanOrEqual(75);
    const lines = unfold(raw);
    expect(lines[0]).toBe("BEGIN:VCALENDAR");
    expect(lines).toContain("X-WR-CALNAME:Maple Street: maintenance");
    expect(lines).toContain("X-WR-TIMEZONE:America/New_York");
    const starts = lines.filter((l) => l.startsWith("DTSTART;VALUE=DATE:")).map((l) => l.slice(-8));
    const compact = (d: string) => d.replaceAll("-", "");
    expect(starts).toContain(compact(start));
    expect(starts).toContain(compact(addDays(today(), -3)));
    expect(starts.length).toBe(1 + 12);
    expect(lines.filter((l) => l === "SUMMARY:Test smoke alarms")).toHaveLength(12);
    expect(lines).toContain(
      `DESCRIPTION:Every month on the ${ordinal(Number(start.slice(8)))}\\n\\nEvery alarm\\, every floor`,
    );

    const replaced = await json<{ url: string }>(
      await api(`/api/rooms/${room.id}/calendar-feed`, { cookie: alice.cookie, method: "POST" }),
    );
    expect((await fetchFeed(url)).status).toBe(404);
    expect((await fetchFeed(replaced.url)).status).toBe(200);
    expect((await fetchFeed(replaced.url.replace(/[a-z2-9]{32}\.ics$/, `${"a".repeat(32)}.ics`))).status).toBe(404);
    expect((await api(`/api/rooms/${room.id}/calendar-feed`, { cookie: alice.cookie, method: "DELETE" })).status).toBe(
      204,
    );
    expect((await fetchFeed(replaced.url)).status).toBe(404);
  });

  it("is only for homes, and a site's id with any secret is a plain 404", async () => {
    const alice = await signup("Alice");
    const site = await createRoom(alice, "site", "Cold store");
    expect((await api(`/api/rooms/${site.id}/calendar-feed`, { cookie: alice.cookie, method: "POST" })).status).toBe(
      404,
    );
    expect((await fetchFeed(`http://haven.test/api/feeds/${site.id}/${"a".repeat(32)}.ics`)).status).toBe(404);
    expect((await fetchFeed("http://haven.test/api/feeds/x/short.ics")).status).toBe(404);
  });
});

function ordinal(n: number): string {
  const suffix =
    n % 10 === 1 && n !== 11 ? "st" : n % 10 === 2 && n !== 12 ? "nd" : n % 10 === 3 && n !== 13 ? "rd" : "th";
  return `${n}${suffix}`;
}
