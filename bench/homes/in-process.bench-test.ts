/**
 * The homes benchmark, in workerd (`npm run bench:homes` runs it and records the result):
 * a home of 500 assets and 2,000 tasks built through commands, command round trips over
 * the room socket, a cold room load to a fully synced mirror, and 10,000 due reminder
 * jobs worked off by the room's alarms. Numbers are printed on one `HOMES_BENCH` line.
 */
import { abortAllDurableObjects, env, runInDurableObject } from "cloudflare:test";
import { expect, it } from "vitest";
import type { PropertyRoom } from "../../rooms/property/PropertyRoom";
import { NOTICE_PREFIX } from "../../schema/core/messages";
import { addDays, localDate } from "../../schema/property/recurrence";
import { addMember, api, createRoom, RoomClient, signup, waitFor } from "../../tests/worker/helpers";
import { round, summarize } from "../stats";
import { ASSETS, homeCommands, TASKS } from "./shape";

const ROUND_TRIPS = 500;
const DUE_JOBS = 10_000;

/**
 * Sends commands one after another, taking the sockets in turn, and times each round trip.
 * A household builds its home together: one person alone would meet the per-person
 * command allowance (config.ts) long before 2,500 commands.
 */
async function socketCommands(clients: RoomClient[], commands: { name: string; args: unknown }[]): Promise<number[]> {
  const times: number[] = [];
  let id = 0;
  for (const command of commands) {
    const client = clients[id % clients.length] as RoomClient;
    id += 1;
    const marker = `"type":"command_result","id":${id},`;
    const start = performance.now();
    client.send(
      `${NOTICE_PREFIX}${JSON.stringify({ type: "command", id, ...command, key: `bench-${crypto.randomUUID()}` })}`,
    );
    await waitFor(() => client.texts.some((t) => t.includes(marker)), `answer ${id}`, 30_000);
    times.push(performance.now() - start);
    const answer = client.texts.find((t) => t.includes(marker)) ?? "";
    if (!answer.includes('"ok":true')) throw new Error(`command failed: ${answer}`);
    client.texts.length = 0;
  }
  return times;
}

function roundSummary(samples: number[]) {
  const s = summarize(samples);
  return { count: s.count, p50: round(s.p50), p99: round(s.p99), max: round(s.max) };
}

it("measures a home of 500 assets and 2,000 tasks", async () => {
  const owner = await signup("Bench Owner");
  const room = await createRoom(owner, "property", "Bench home");
  // Reminders reach the owner in-app only: no mail files for 10,000 reminders.
  await api("/api/notification-prefs", { method: "PUT", cookie: owner.cookie, body: { email: false, push: false } });
  const today = localDate(Date.now(), "UTC");
  const family = [
    owner,
    await addMember(owner, room, "editor", "Bench Partner"),
    await addMember(owner, room, "editor", "Bench Teen"),
  ];
  const clients = await Promise.all(family.map((person) => RoomClient.connect("property", room.id, person.cookie)));
  const client = clients[0] as RoomClient;

  const build = performance.now();
  const buildTimes = await socketCommands(clients, homeCommands(today));
  const buildMs = performance.now() - build;
  await waitFor(() => client.doc.getMap("tasks").size === TASKS, "the whole home mirrored", 60_000);

  const tasks = client.doc.getMap<{ occurrence: string | null }>("tasks");
  const completions = Array.from({ length: ROUND_TRIPS }, (_, i) => {
    const id = `task-${(i * 4 + 1) % TASKS}`;
    return { name: "task.complete", args: { id, occurrence: tasks.get(id)?.occurrence ?? null, note: "done" } };
  });
  const roundTrips = await socketCommands([client], completions);
  for (const c of clients) c.close();

  // Cold: every Durable Object is evicted, then one client opens the room and syncs.
  const coldOpens: number[] = [];
  for (let i = 0; i < 3; i++) {
    await abortAllDurableObjects();
    const start = performance.now();
    const cold = await RoomClient.connect("property", room.id, owner.cookie);
    await waitFor(
      () => cold.doc.getMap("tasks").size === TASKS && cold.doc.getMap("assets").size === ASSETS,
      "cold sync",
      60_000,
    );
    coldOpens.push(performance.now() - start);
    cold.close();
  }

  // 10,000 due reminder jobs, in a second home so the first one's alarms do not mix in.
  const jobsRoom = await createRoom(owner, "property", "Bench alarms");
  const stub = env.property.get(env.property.idFromName(jobsRoom.id)) as DurableObjectStub<PropertyRoom>;
  await api(`/api/rooms/${jobsRoom.id}/commands`, {
    cookie: owner.cookie,
    body: { name: "home.settings", args: { timeZone: "UTC" }, key: crypto.randomUUID() },
  });
  const dueDate = addDays(today, -1);
  const jobsStart = await runInDurableObject(stub, async (_instance, state) => {
    const sql = state.storage.sql;
    const now = Date.now();
    state.storage.transactionSync(() => {
      for (let i = 0; i < DUE_JOBS; i++) {
        const schedule = JSON.stringify({ type: "once", date: dueDate });
        sql.exec(
          "INSERT INTO tasks (id, asset_id, title, notes, assignee, schedule, lead_days, occurrence, next_due, " +
            "archived, " +
            "last_completed_on, last_completed_by, completions, created_at, updated_at) " +
            "VALUES (?, NULL, ?, '', ?, ?, 1, ?, ?, 0, NULL, NULL, 0, ?, ?)",
          `job-task-${i}`,
          `Task ${i}`,
          owner.user.id,
          schedule,
          dueDate,
          dueDate,
          now,
          now,
        );
        sql.exec(
          "INSERT INTO scheduled_jobs (id, kind, due_at, payload) VALUES (?, 'reminder', ?, ?)",
          `reminder:job-task-${i}`,
          now - 1,
          JSON.stringify({ stage: "overdue", dueDate, day: today, at: now - 1 }),
        );
      }
    });
    const start = performance.now();
    await state.storage.setAlarm(Date.now());
    return start;
  });
  let pending = DUE_JOBS;
  let jobsMs = 0;
  const cutoff = Date.now();
  for (let polls = 0; pending > 0 && polls < 6_000; polls++) {
    await new Promise((r) => setTimeout(r, 20));
    const state = await runInDurableObject(stub, (_i, s) => ({
      due: s.storage.sql.exec("SELECT count(*) AS n FROM scheduled_jobs WHERE due_at <= ?", cutoff).one().n as number,
      unsent: s.storage.sql.exec("SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL").one().n as number,
      sent: s.storage.sql.exec("SELECT count(*) AS n FROM outbox WHERE sent_at IS NOT NULL").one().n as number,
      now: performance.now(),
    }));
    pending = state.due + state.unsent + (DUE_JOBS - state.sent);
    jobsMs = state.now - jobsStart;
  }
  expect(pending).toBe(0);

  const results = {
    assets: ASSETS,
    tasks: TASKS,
    buildCommands: buildTimes.length,
    buildMs: Math.round(buildMs),
    buildPerSecond: Math.round((buildTimes.length / buildMs) * 1000),
    buildRoundTrip: roundSummary(buildTimes),
    roundTrip: roundSummary(roundTrips),
    coldOpenMs: coldOpens.map(round),
    dueJobs: DUE_JOBS,
    dueJobsMs: Math.round(jobsMs),
    dueJobsPerSecond: Math.round((DUE_JOBS / jobsMs) * 1000),
  };
  console.log(`HOMES_BENCH ${JSON.stringify(results)}`);
});
