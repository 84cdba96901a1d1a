/**
 * Verified chores in workerd: a task that needs proof is completed only by a capture another member approves.
 * The photo goes through the real upload route and queue; notices go through the real notify consumer.
 */
import { describe, expect, it } from "vitest";
import type { Completion, Task } from "../../../schema/property/records";
import { type Account, addMember, api, type ErrorJson, RoomClient, waitFor } from "../helpers";
import { home, inbox, itemIn, json, PNG_3X2, putPart } from "./inbox-helpers";

/** A photo, filed in the inbox under a new id. */
async function photoCapture(roomId: string, who: Account): Promise<string> {
  const id = crypto.randomUUID();
  const put = await putPart(roomId, id, "photo", who, PNG_3X2);
  expect(put.status, await put.clone().text()).toBe(201);
  const filed = await inbox(roomId, who, "inbox.create", { id, note: "Done, see photo" });
  expect(filed.status, await filed.clone().text()).toBe(200);
  return id;
}

async function textCapture(roomId: string, who: Account): Promise<string> {
  const id = crypto.randomUUID();
  expect((await inbox(roomId, who, "inbox.create", { id, note: "Just words" })).status).toBe(200);
  return id;
}

const today = () => new Date().toISOString().slice(0, 10);

type Notice = { title: string; body: string; url: string; resolution: string | null };

/** A person's notice titled `title`, waiting up to 10 s for it (and, given `resolution`, for that too). */
async function notice(who: Account, title: string, resolution?: string): Promise<Notice | undefined> {
  let found: Notice | undefined;
  for (let i = 0; i < 100; i++) {
    const page = await json<{ notifications: Notice[] }>(await api("/api/notifications", { cookie: who.cookie }));
    found = page.notifications.find((n) => n.title === title);
    if (found && (resolution === undefined || found.resolution === resolution)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return found;
}

async function history(roomId: string, taskId: string, who: Account): Promise<Completion[]> {
  const res = await api(`/api/rooms/${roomId}/tasks/${taskId}/history`, { cookie: who.cookie });
  return (await json<{ entries: Completion[] }>(res)).entries;
}

async function chore() {
  const { alice, room } = await home();
  const kid = await addMember(alice, room, "member", "Kim");
  await api("/api/notification-prefs", { method: "PUT", cookie: alice.cookie, body: { email: false, push: false } });
  await api("/api/notification-prefs", { method: "PUT", cookie: kid.cookie, body: { email: false, push: false } });
  const made = await inbox(room.id, alice, "task.create", {
    title: "Clean the gutters",
    assignee: kid.user.id,
    proof: "photo",
    schedule: { type: "after_completion", every: 3, unit: "month", start: today() },
  });
  const { result } = await json<{ result: { id: string; nextDue: string } }>(made);
  return { alice, kid, room, taskId: result.id, occurrence: result.nextDue };
}

const taskIn = (client: RoomClient, id: string) => client.doc.getMap("tasks").get(id) as Task | undefined;

describe("verified chores", () => {
  it("completes a task only when another member approves its proof, and tells the submitter", async () => {
    const { alice, kid, room, taskId, occurrence } = await chore();
    const watcher = await RoomClient.connect("property", room.id, alice.cookie);
    await waitFor(() => taskIn(watcher, taskId)?.proof === "photo", "the task to need a photo");

    // Marking it done is not enough.
    const done = await inbox(room.id, kid, "task.complete", { id: taskId, occurrence });
    expect(done.status).toBe(409);
    expect((await json<ErrorJson>(done)).error.message).toMatch(/needs a photo as proof/);

    // A note is not a photo; the photo is.
    const words = await textCapture(room.id, kid);
    const wrong = await inbox(room.id, kid, "task.submit_proof", { id: taskId, occurrence, captureId: words });
    expect(wrong.status).toBe(400);
    const photo = await photoCapture(room.id, kid);
    const sent = await inbox(room.id, kid, "task.submit_proof", { id: taskId, occurrence, captureId: photo });
    expect(sent.status, await sent.clone().text()).toBe(200);
    const { submissionId } = (await json<{ result: { submissionId: string } }>(sent)).result;
    await waitFor(() => taskIn(watcher, taskId)?.review?.status === "pending", "the review to show as pending");
    expect(taskIn(watcher, taskId)?.review).toMatchObject({ captureId: photo, byName: "Kim", occurrence });
    expect(taskIn(watcher, taskId)?.nextDue).toBe(occurrence);
    expect(itemIn(watcher, photo)).toMatchObject({ taskId, archived: true });

    // Alice hears there is something to review.
    const toReview = await notice(alice, "To review: Clean the gutters");
    expect(toReview?.url).toBe(`/rooms/${room.id}/tasks/${taskId}`);

    // Sent back with a comment: the task stays due, Kim hears why.
    const back = await inbox(room.id, alice, "task.review", {
      id: taskId,
      submissionId,
      verdict: "return",
      comment: "The left side still has leaves",
    });
    expect(back.status, await back.clone().text()).toBe(200);
    await waitFor(() => taskIn(watcher, taskId)?.review?.status === "returned", "the review to show as returned");
    expect(taskIn(watcher, taskId)?.review?.comment).toBe("The left side still has leaves");
    expect(taskIn(watcher, taskId)?.nextDue).toBe(occurrence);
    expect((await notice(kid, "Sent back: Clean the gutters"))?.body).toContain("left side still has leaves");
    expect((await notice(alice, "To review: Clean the gutters", "resolved"))?.resolution).toBe("resolved");
    expect(await history(room.id, taskId, alice)).toEqual([]);

    // A new photo, approved: the occurrence is done by Kim, reviewed by Alice, and the schedule moves on.
    const again = await photoCapture(room.id, kid);
    const resent = await inbox(room.id, kid, "task.submit_proof", { id: taskId, occurrence, captureId: again });
    const second = (await json<{ result: { submissionId: string } }>(resent)).result.submissionId;
    const ok = await inbox(room.id, alice, "task.review", { id: taskId, submissionId: second, verdict: "approve" });
    expect(ok.status, await ok.clone().text()).toBe(200);
    await waitFor(() => taskIn(watcher, taskId)?.nextDue !== occurrence, "the schedule to move on");
    const task = taskIn(watcher, taskId);
    expect(task).toMatchObject({ review: null, completions: 1, lastCompletedBy: kid.user.id });
    expect(task?.nextDue && task.nextDue > occurrence).toBe(true);
    const [entry] = await history(room.id, taskId, alice);
    expect(entry).toMatchObject({ kind: "done", byName: "Kim", captureId: again, reviewedByName: "Alice" });
    const approved = await notice(kid, "Approved: Clean the gutters");
    expect(approved?.body).toContain("Alice approved your proof");

    // An approved proof stands: its capture is not deleted, its completion not undone.
    expect((await inbox(room.id, alice, "inbox.delete", { id: again })).status).toBe(409);
    const undo = await inbox(room.id, kid, "task.undo_complete", { id: taskId, completionId: entry?.id });
    expect(undo.status).toBe(409);
    watcher.close();
  });

  it("lets nobody review their own proof, nor anyone without the capability, nor review twice", async () => {
    const { alice, kid, room, taskId, occurrence } = await chore();
    const viewer = await addMember(alice, room, "viewer", "Vic");
    const photo = await photoCapture(room.id, kid);
    const sent = await inbox(room.id, kid, "task.submit_proof", { id: taskId, occurrence, captureId: photo });
    const { submissionId } = (await json<{ result: { submissionId: string } }>(sent)).result;

    // Kim may not review (a member has no tasks.review), nor may a viewer.
    for (const who of [kid, viewer]) {
      const res = await inbox(room.id, who, "task.review", { id: taskId, submissionId, verdict: "approve" });
      expect(res.status).toBe(403);
    }
    // A second submission while one waits, the same capture again, someone else's capture: refused.
    const another = await photoCapture(room.id, kid);
    expect(
      (await inbox(room.id, kid, "task.submit_proof", { id: taskId, occurrence, captureId: another })).status,
    ).toBe(409);
    const alices = await photoCapture(room.id, alice);
    const stolen = await inbox(room.id, alice, "task.create", {
      title: "Wash the car",
      proof: "any",
      schedule: { type: "once", date: today() },
    });
    const washId = (await json<{ result: { id: string } }>(stolen)).result.id;
    expect(
      (await inbox(room.id, kid, "task.submit_proof", { id: washId, occurrence: today(), captureId: alices })).status,
    ).toBe(403);
    // A return needs a comment; a forged submission id is not found.
    expect(
      (await inbox(room.id, alice, "task.review", { id: taskId, submissionId, verdict: "return", comment: " " }))
        .status,
    ).toBe(400);
    const forged = { id: taskId, submissionId: crypto.randomUUID(), verdict: "approve" };
    expect((await inbox(room.id, alice, "task.review", forged)).status).toBe(404);
    // While pending, the proof's capture cannot be deleted.
    expect((await inbox(room.id, kid, "inbox.delete", { id: photo })).status).toBe(409);

    // Approved once; a second verdict is refused and changes nothing.
    expect((await inbox(room.id, alice, "task.review", { id: taskId, submissionId, verdict: "approve" })).status).toBe(
      200,
    );
    const twice = await inbox(room.id, alice, "task.review", {
      id: taskId,
      submissionId,
      verdict: "return",
      comment: "Oops",
    });
    expect(twice.status).toBe(409);
    expect(await history(room.id, taskId, alice)).toHaveLength(1);

    // An owner's own proof: Bob reviews it, Alice may not, and only Bob is asked to.
    const bob = await addMember(alice, room, "editor", "Bob");
    const hers = await inbox(room.id, alice, "task.submit_proof", {
      id: washId,
      occurrence: today(),
      captureId: alices,
    });
    const own = (await json<{ result: { submissionId: string } }>(hers)).result.submissionId;
    const self = await inbox(room.id, alice, "task.review", { id: washId, submissionId: own, verdict: "approve" });
    expect(self.status).toBe(403);
    expect((await json<ErrorJson>(self)).error.message).toMatch(/Nobody reviews their own proof/);
    expect(await notice(bob, "To review: Wash the car")).toBeDefined();
    // One job delivers to everyone it is for: with Bob's there, Alice's would be too.
    const hersNow = await json<{ notifications: Notice[] }>(await api("/api/notifications", { cookie: alice.cookie }));
    expect(hersNow.notifications.map((n) => n.title)).not.toContain("To review: Wash the car");
    expect(
      (await inbox(room.id, bob, "task.review", { id: washId, submissionId: own, verdict: "approve" })).status,
    ).toBe(200);
  });

  it("withdraws waiting proof when its occurrence is skipped, the task stops needing it or goes", async () => {
    for (const ending of ["skip", "no proof", "delete"] as const) {
      const { alice, kid, room, taskId, occurrence } = await chore();
      const photo = await photoCapture(room.id, kid);
      const sent = await inbox(room.id, kid, "task.submit_proof", { id: taskId, occurrence, captureId: photo });
      const { submissionId } = (await json<{ result: { submissionId: string } }>(sent)).result;
      expect(await notice(alice, "To review: Clean the gutters")).toBeDefined();
      const ended =
        ending === "skip"
          ? await inbox(room.id, kid, "task.skip", { id: taskId, occurrence, reason: "Away this weekend" })
          : ending === "no proof"
            ? await inbox(room.id, alice, "task.update", { id: taskId, proof: null })
            : await inbox(room.id, alice, "task.delete", { id: taskId });
      expect(ended.status, `${ending}: ${await ended.clone().text()}`).toBe(200);

      // The reviewer's notice closes; the proof can no longer be approved; its capture may be deleted.
      const closed = await notice(alice, "To review: Clean the gutters", "resolved");
      expect(closed?.resolution, ending).toBe("resolved");
      const late = await inbox(room.id, alice, "task.review", { id: taskId, submissionId, verdict: "approve" });
      expect(late.status, ending).toBe(ending === "delete" ? 404 : 409);
      if (ending !== "delete") {
        expect((await json<ErrorJson>(late)).error.message).toBe("This proof was withdrawn already.");
        const watcher = await RoomClient.connect("property", room.id, alice.cookie);
        await waitFor(() => taskIn(watcher, taskId) !== undefined, "the task");
        expect(taskIn(watcher, taskId)?.review, ending).toBeNull();
        watcher.close();
        expect(await history(room.id, taskId, alice)).toHaveLength(ending === "skip" ? 1 : 0);
      }
      expect((await inbox(room.id, kid, "inbox.delete", { id: photo })).status, ending).toBe(200);
    }
  });

  it("refuses proof when nobody else could review it", async () => {
    const { alice, room } = await home();
    const made = await inbox(room.id, alice, "task.create", {
      title: "Water the plants",
      proof: "photo",
      schedule: { type: "once", date: today() },
    });
    const taskId = (await json<{ result: { id: string } }>(made)).result.id;
    const photo = await photoCapture(room.id, alice);
    const res = await inbox(room.id, alice, "task.submit_proof", { id: taskId, occurrence: today(), captureId: photo });
    expect(res.status).toBe(409);
    expect((await json<ErrorJson>(res)).error.message).toMatch(/Nobody else in this home may review/);
    const client = await RoomClient.connect("property", room.id, alice.cookie);
    expect(itemIn(client, photo)).toMatchObject({ taskId: null, archived: false });
    client.close();
  });
});
