/**
 * Notices whose cause is over: a resolved alert and a done task close their notifications through the
 * room's outbox and the real queue, the unread count drops (in the list and on the live socket), and a
 * resolve job only ever touches its own room's notices.
 */
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { taskNoticeSubject } from "../../../rooms/property/reminders";
import type { Room } from "../../../schema/core/api";
import type { ResolveJob } from "../../../schema/core/jobs";
import type { NotificationPage } from "../../../schema/core/notifications";
import { addDays, localDate } from "../../../schema/property/dates";
import { ttnFixture } from "../../fixtures/ttn/load";
import { type Account, addMember, api, createRoom, json, ORIGIN, signup, upgrade, waitFor } from "../helpers";
import { lht65At } from "../site/site-helpers";
import { notifyJob, recordingEmail, runQueue } from "./support";

const MINUTE = 60_000;

const page = async (who: Account) => json<NotificationPage>(await api("/api/notifications", { cookie: who.cookie }));

/** Polls the caller's notifications until `check` holds (the real queue delivers in the background). */
async function pageWhen(who: Account, check: (p: NotificationPage) => boolean, what: string) {
  let last = await page(who);
  for (let i = 0; i < 400 && !check(last); i++) {
    await new Promise((r) => setTimeout(r, 25));
    last = await page(who);
  }
  expect(check(last), what).toBe(true);
  return last;
}

const command = (room: Room, who: Account, name: string, args: unknown) =>
  api(`/api/rooms/${room.id}/commands`, { cookie: who.cookie, body: { name, args, key: crypto.randomUUID() } });

const resolveJob = (roomId: string, subject: string): ResolveJob => ({
  type: "resolve",
  key: `resolve:${crypto.randomUUID()}`,
  roomId,
  subject,
  resolution: "resolved",
});

const probeAt = (at: number, t: number) => lht65At(at, { temperature: t });
const devEui = (
  ttnFixture("dragino-lht65") as { end_device_ids: { dev_eui: string } }
).end_device_ids.dev_eui.toUpperCase();

/** A site whose fridge has been too warm for 15 minutes: its alert has notified staff. */
async function siteWithAlert() {
  const owner = await signup("Olga");
  const room = await createRoom(owner, "site", "Harbour kitchen");
  const staff = await addMember(owner, room, "staff", "Stu");
  const { key } = await json<{ key: string }>(
    await api(`/api/rooms/${room.id}/ingest-keys`, { cookie: owner.cookie, body: { label: "TTN" } }),
  );
  const areaId = (
    await json<{ result: { id: string } }>(await command(room, owner, "area.create", { name: "Kitchen" }))
  ).result.id;
  const unitId = (
    await json<{ result: { id: string } }>(
      await command(room, owner, "unit.create", { areaId, name: "Dessert case", kind: "fridge" }),
    )
  ).result.id;
  expect((await command(room, owner, "device.assign", { devEui, unitId })).status).toBe(200);
  const start = Date.now() - 30 * MINUTE;
  for (const [i, t] of [7, 7, 7, 7].entries()) {
    const res = await SELF.fetch(`${ORIGIN}/api/sites/${room.id}/ttn`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${key}` },
      body: JSON.stringify(probeAt(start + i * 5 * MINUTE, t)),
    });
    expect(res.status).toBe(200);
  }
  const seen = await pageWhen(staff, (p) => p.notifications.length === 1, "the alert's notice");
  return { owner, room, staff, notice: seen.notifications[0] };
}

describe("notices whose cause is over", () => {
  it("says Resolved once its alert is resolved, and leaves the unread count, live on the socket", async () => {
    const { room, staff, notice } = await siteWithAlert();
    expect(notice).toMatchObject({ roomName: "Harbour kitchen", resolution: null, resolvedAt: null, readAt: null });
    expect((await page(staff)).unread).toBe(1);
    const alertId = new URL(notice?.url ?? "", ORIGIN).searchParams.get("alert") ?? "";

    const res = await upgrade("/api/notifications/live", { cookie: staff.cookie });
    const socket = res.webSocket;
    if (!socket) throw new Error("no socket");
    const counts: number[] = [];
    socket.addEventListener("message", (event) =>
      counts.push((JSON.parse(String(event.data)) as { count: number }).count),
    );
    socket.accept();
    await waitFor(() => counts.length === 1, "the count on connect");
    expect(counts).toEqual([1]);

    const resolution = { id: alertId, action: "Moved desserts to the walk-in", product: "kept", note: "" };
    expect((await command(room, staff, "alert.resolve", resolution)).status).toBe(200);

    const after = await pageWhen(staff, (p) => p.notifications[0]?.resolution === "resolved", "the notice resolved");
    expect(after.unread).toBe(0);
    expect(after.notifications[0]?.resolvedAt).not.toBeNull();
    expect(after.notifications[0]?.readAt).toBeNull();
    await waitFor(() => counts.at(-1) === 0, "the count dropping on the socket");
    socket.close();
  });

  it("says Done once its task's occurrence is done, and a renamed room shows its new name", async () => {
    const owner = await signup("Hana");
    const room = await createRoom(owner, "property", "Elm Street");
    const due = addDays(localDate(Date.now(), "UTC"), 5);
    const created = await json<{ result: { id: string } }>(
      await command(room, owner, "task.create", {
        title: "Replace furnace filter",
        schedule: { type: "once", date: due },
      }),
    );
    const taskId = created.result.id;
    // The reminder as the room sends it at its lead day, run through the consumer now.
    await runQueue(notifyJob(room.id, { subject: taskNoticeSubject(taskId, due), title: "Due soon: filter" }));
    expect((await page(owner)).unread).toBe(1);
    expect(
      (await api(`/api/rooms/${room.id}`, { cookie: owner.cookie, method: "PATCH", body: { name: "Elm St" } })).status,
    ).toBeLessThan(300);

    expect((await command(room, owner, "task.complete", { id: taskId, occurrence: due })).status).toBe(200);
    const after = await pageWhen(owner, (p) => p.notifications[0]?.resolution === "done", "the reminder done");
    expect(after.unread).toBe(0);
    expect(after.notifications[0]?.roomName).toBe("Elm St");
  });

  it("writes a notice that arrives after its resolve already resolved, and sends it by no channel", async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const subject = `alert:${crypto.randomUUID()}`;
    const first = await runQueue(resolveJob(room.id, subject));
    expect(first.result.explicitAcks).toEqual([first.id]);
    const mail = recordingEmail();
    await runQueue(notifyJob(room.id, { subject }), { env: { ...env, EMAIL: mail.binding } });
    const seen = await page(owner);
    expect(seen.unread).toBe(0);
    expect(seen.notifications[0]).toMatchObject({ resolution: "resolved" });
    expect(mail.sent).toEqual([]);
  });

  it("is idempotent, and a resolve only closes its own room's notices of that subject", async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    const other = await createRoom(owner, "property", "Other home");
    const subject = `alert:${crypto.randomUUID()}`;
    await runQueue(notifyJob(room.id, { subject }));
    await runQueue(notifyJob(other.id, { subject }));
    await runQueue(notifyJob(room.id, { subject: `alert:${crypto.randomUUID()}` }));
    expect((await page(owner)).unread).toBe(3);
    const job = resolveJob(room.id, subject);
    await runQueue(job);
    await runQueue(job);
    const after = await page(owner);
    expect(after.unread).toBe(2);
    expect(after.notifications.filter((n) => n.resolution !== null).map((n) => n.roomId)).toEqual([room.id]);
  });

  it("refuses malformed resolve jobs as dead letters and changes nothing", async () => {
    const owner = await signup();
    const room = await createRoom(owner);
    await runQueue(notifyJob(room.id, { subject: "alert:a1" }));
    for (const bad of [
      { ...resolveJob(room.id, "alert:a1"), subject: "alert:a1' OR 1=1 --" },
      { ...resolveJob(room.id, "alert:a1"), subject: `alert:${"x".repeat(200)}` },
      { ...resolveJob(room.id, "alert:a1"), resolution: "gone" },
      { ...resolveJob(room.id, "alert:a1"), roomId: undefined },
    ]) {
      const { id, result } = await runQueue(bad);
      expect(result.explicitAcks).toEqual([id]);
      const letter = await env.DB.prepare("SELECT error FROM dead_letters WHERE id = ?1")
        .bind(id)
        .first<{ error: string }>();
      expect(letter?.error).toMatch(/^Invalid job/);
    }
    expect((await page(owner)).unread).toBe(1);
  });

  it("never shows one person's notices, resolved or not, to another", async () => {
    const { staff } = await siteWithAlert();
    const stranger = await signup("Stranger");
    expect((await page(stranger)).notifications).toEqual([]);
    const [mine] = (await page(staff)).notifications;
    const read = await api("/api/notifications/read", { cookie: stranger.cookie, body: { ids: [mine?.id] } });
    expect(read.status).toBe(200);
    expect((await page(staff)).unread).toBe(1);
  });
});
