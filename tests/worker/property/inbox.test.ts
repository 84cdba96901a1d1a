/**
 * A home's inbox end to end in workerd: a recording's files uploaded to R2 (sniffed, hashed, under room and
 * capture), filed `processing` by a command, analysed by the real queue consumer and mirrored `processed` live,
 * its spectrogram and files served to members only; a photo's size measured; a text note filed at once.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { InboxItem } from "../../../schema/property/inbox";
import { recording } from "../../fixtures/audio";
import { addMember, api, type ErrorJson, RoomClient, signup, waitFor } from "../helpers";
import { capturedObjects, home, inbox, itemIn, json, PNG_3X2, putPart, untilStatus } from "./inbox-helpers";

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

describe("the inbox", () => {
  it("files a recording as processing, analyses it in the queue, and shows every member the result live", async () => {
    const { alice, room } = await home();
    const bob = await addMember(alice, room, "editor", "Bob");
    const watcher = await RoomClient.connect("property", room.id, bob.cookie);
    const wav = recording("hum-and-clicks.wav");
    const id = crypto.randomUUID();

    const original = await putPart(room.id, id, "original", alice, wav);
    expect(original.status).toBe(201);
    const staged = await json<{ part: string; bytes: number; sha256: string }>(
      await putPart(room.id, id, "wav", alice, wav),
    );
    expect(staged).toMatchObject({ part: "wav", bytes: wav.byteLength, sha256: await sha256(wav) });
    // Staged, not filed: nothing in the inbox yet.
    expect(itemIn(watcher, id)).toBeUndefined();

    const filed = await inbox(room.id, alice, "inbox.create", { id, note: "Furnace knocking again" });
    expect(filed.status).toBe(200);
    expect((await json<{ result: { status: string } }>(filed)).result.status).toBe("processing");

    const item: InboxItem = await untilStatus(watcher, id, "processed");
    expect(item).toMatchObject({ kind: "audio", note: "Furnace knocking again", createdBy: alice.user.id, attempt: 1 });
    expect(item.audio?.dominantHz).toBeGreaterThan(118);
    expect(item.audio?.dominantHz).toBeLessThan(122);
    expect(item.audio?.periodicity?.hz).toBeGreaterThan(1.8);
    expect(item.audio?.periodicity?.hz).toBeLessThan(2.2);
    expect(item.audio?.summary).toMatch(/hum at 120 Hz.*twice a second/);
    // Transcribed by Whisper's side in this suite (tests/support/whisper-peer.js), which says how long a sound it got.
    expect(item.transcription).toBe("done");
    expect(item.transcript).toBe(`(${item.audio?.durationSeconds.toFixed(2)} s of sound)`);
    expect(item.files.wav).toEqual({ type: "audio/wav", bytes: wav.byteLength, sha256: await sha256(wav) });
    expect(item.spectrogram?.height).toBe(256);

    // Each stored object is under the room and the capture.
    const keys = await capturedObjects(room.id);
    expect(keys).toHaveLength(3);
    for (const key of keys) expect(key.startsWith(`rooms/${room.id}/captures/${id}/`)).toBe(true);

    const png = await api(`/api/rooms/${room.id}/captures/${id}/spectrogram`, { cookie: bob.cookie });
    expect(png.status).toBe(200);
    expect(png.headers.get("Content-Type")).toBe("image/png");
    expect(new Uint8Array(await png.arrayBuffer()).subarray(1, 4)).toEqual(new TextEncoder().encode("PNG"));
    const sound = await api(`/api/rooms/${room.id}/captures/${id}/original`, { cookie: bob.cookie });
    expect(new Uint8Array(await sound.arrayBuffer())).toEqual(wav);
    watcher.close();
  }, 60_000);

  it("serves a capture's files to the home's members only", async () => {
    const { alice, room } = await home();
    const id = crypto.randomUUID();
    await putPart(room.id, id, "photo", alice, PNG_3X2);
    const stranger = await signup("Mallory");
    const refused = await api(`/api/rooms/${room.id}/captures/${id}/photo`, { cookie: stranger.cookie });
    expect(refused.status).toBe(404);
    expect((await json<ErrorJson>(refused)).error.code).toBe("room_not_found");
    // Staged but not filed: not served to anyone.
    expect((await api(`/api/rooms/${room.id}/captures/${id}/photo`, { cookie: alice.cookie })).status).toBe(404);
    expect((await api(`/api/rooms/${room.id}/captures/${id}/photo`)).status).toBe(401);
  });

  it("measures a photo and files a note with nothing to analyse at once", async () => {
    const { alice, room } = await home();
    const client = await RoomClient.connect("property", room.id, alice.cookie);
    const photoId = crypto.randomUUID();
    expect((await putPart(room.id, photoId, "photo", alice, PNG_3X2)).status).toBe(201);
    expect((await inbox(room.id, alice, "inbox.create", { id: photoId, note: "Stain on the ceiling" })).status).toBe(
      200,
    );
    const photo = await untilStatus(client, photoId, "processed");
    // One colour all over, no edges: blurry by its score; and its thumbnail, served like its other files.
    expect(photo.photo).toMatchObject({ width: 3, height: 2, blur: { sharp: false } });
    expect(photo.photo?.colours).toHaveLength(1);
    expect(photo.photo?.colours?.[0]?.share).toBe(1);
    expect(photo.files.photo?.type).toBe("image/png");
    expect(photo.thumbnail).toEqual({ width: 3, height: 2 });
    const thumbnail = await api(`/api/rooms/${room.id}/captures/${photoId}/thumbnail`, { cookie: alice.cookie });
    expect(thumbnail.headers.get("Content-Type")).toBe("image/png");

    const noteId = crypto.randomUUID();
    expect(
      (await inbox(room.id, alice, "inbox.create", { id: noteId, note: "Buy salt for the softener" })).status,
    ).toBe(200);
    expect(await untilStatus(client, noteId, "processed")).toMatchObject({ kind: "text", attempt: 0, files: {} });
    client.close();
  }, 30_000);

  it("archives and deletes an item; a deleted item's files leave R2", async () => {
    const { alice, room } = await home();
    const client = await RoomClient.connect("property", room.id, alice.cookie);
    const id = crypto.randomUUID();
    await putPart(room.id, id, "photo", alice, PNG_3X2);
    await inbox(room.id, alice, "inbox.create", { id });
    await untilStatus(client, id, "processed");
    expect((await inbox(room.id, alice, "inbox.archive", { id, archived: true })).status).toBe(200);
    expect(itemIn(client, id)?.archived).toBe(true);
    expect((await inbox(room.id, alice, "inbox.delete", { id })).status).toBe(200);
    expect(itemIn(client, id)).toBeUndefined();
    const start = Date.now();
    while ((await capturedObjects(room.id)).length > 0 && Date.now() - start < 10_000)
      await new Promise((r) => setTimeout(r, 50));
    expect(await capturedObjects(room.id)).toEqual([]);
    expect(await env.BLOBS.list({ prefix: `rooms/${room.id}/` }).then((l) => l.objects.length)).toBe(0);
    client.close();
  }, 30_000);

  it("makes a task of an item in one command, linked to it, for those who keep the records only", async () => {
    const { alice, room } = await home();
    const client = await RoomClient.connect("property", room.id, alice.cookie);
    const created = await api(`/api/rooms/${room.id}/commands`, {
      cookie: alice.cookie,
      body: { name: "asset.create", args: { name: "Furnace", category: "hvac" }, key: crypto.randomUUID() },
    });
    const assetId = (await json<{ result: { id: string } }>(created)).result.id;
    const id = crypto.randomUUID();
    await inbox(room.id, alice, "inbox.create", { id, note: "Furnace knocking", assetId });
    await untilStatus(client, id, "processed");
    const today = new Date().toISOString().slice(0, 10);
    const task = { title: "Have the furnace looked at", assetId, schedule: { type: "once", date: today } };
    const member = await addMember(alice, room, "member", "Max");
    expect((await inbox(room.id, member, "inbox.to_task", { id, task })).status).toBe(403);
    const made = await inbox(room.id, alice, "inbox.to_task", { id, task });
    expect(made.status).toBe(200);
    const taskId = (await json<{ result: { id: string } }>(made)).result.id;
    await waitFor(() => itemIn(client, id)?.taskId === taskId, "the item to link its task");
    const mirrored = client.doc.getMap("tasks").get(taskId) as { title: string; assetId: string } | undefined;
    expect(mirrored).toMatchObject({ title: "Have the furnace looked at", assetId });
    // Once only; and nothing is made of an item that is not there.
    expect((await inbox(room.id, alice, "inbox.to_task", { id, task })).status).toBe(409);
    expect((await inbox(room.id, alice, "inbox.to_task", { id: crypto.randomUUID(), task })).status).toBe(404);
    expect(client.doc.getMap("tasks").size).toBe(1);
    client.close();
  }, 30_000);

  it("adds an item's words to an asset's notes, dated, and files the item under the asset", async () => {
    const { alice, room } = await home();
    const client = await RoomClient.connect("property", room.id, alice.cookie);
    const created = await inbox(room.id, alice, "asset.create", {
      name: "Dishwasher",
      category: "appliance",
      notes: "Bought with the kitchen.",
    });
    const assetId = (await json<{ result: { id: string } }>(created)).result.id;
    const id = crypto.randomUUID();
    await inbox(room.id, alice, "inbox.create", { id, note: "Filter cleaned, door seal cracked at the bottom" });
    const text = "Door seal cracked at the bottom";
    const member = await addMember(alice, room, "member", "Max");
    expect((await inbox(room.id, member, "inbox.to_note", { id, assetId, text })).status).toBe(403);
    expect((await inbox(room.id, alice, "inbox.to_note", { id, assetId: "nope", text })).status).toBe(404);
    expect((await inbox(room.id, alice, "inbox.to_note", { id, assetId, text: "x".repeat(4_001) })).status).toBe(400);
    const noted = await inbox(room.id, alice, "inbox.to_note", { id, assetId, text });
    expect(noted.status, await noted.clone().text()).toBe(200);
    await waitFor(() => itemIn(client, id)?.assetId === assetId, "the item to be filed under the asset");
    expect(itemIn(client, id)?.archived).toBe(true);
    const asset = client.doc.getMap("assets").get(assetId) as { notes: string };
    const day = new Date().toISOString().slice(0, 10);
    expect(asset.notes).toBe(`Bought with the kitchen.\n\n${day} (from the inbox): ${text}`);
    client.close();
  });

  it("keeps the family's comments on an item, each once, from those who may capture", async () => {
    const { alice, room } = await home();
    const client = await RoomClient.connect("property", room.id, alice.cookie);
    const max = await addMember(alice, room, "member", "Max");
    const vera = await addMember(alice, room, "viewer", "Vera");
    const id = crypto.randomUUID();
    await inbox(room.id, alice, "inbox.create", { id, note: "Dripping under the sink" });
    const commentId = crypto.randomUUID();
    expect((await inbox(room.id, max, "inbox.comment", { id, commentId, text: "It started on Monday" })).status).toBe(
      200,
    );
    expect((await inbox(room.id, max, "inbox.comment", { id, commentId, text: "again" })).status).toBe(409);
    expect(
      (await inbox(room.id, vera, "inbox.comment", { id, commentId: crypto.randomUUID(), text: "hi" })).status,
    ).toBe(403);
    expect(
      (await inbox(room.id, alice, "inbox.comment", { id, commentId: crypto.randomUUID(), text: "  " })).status,
    ).toBe(400);
    const other = { id: crypto.randomUUID(), commentId: crypto.randomUUID(), text: "nowhere" };
    expect((await inbox(room.id, alice, "inbox.comment", other)).status).toBe(404);
    await waitFor(() => (itemIn(client, id)?.comments.length ?? 0) === 1, "the comment in the mirror");
    expect(itemIn(client, id)?.comments[0]).toMatchObject({
      by: max.user.id,
      byName: "Max",
      text: "It started on Monday",
    });
    client.close();
  });
});
