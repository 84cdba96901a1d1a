/** A deal with its team, tasks, and the calls the document tests make: uploads, downloads, reviews, the audit log. */
import { env, runInDurableObject, SELF } from "cloudflare:test";
import { expect } from "vitest";
import type { Room } from "../../../schema/core/api";
import type { DealDocument } from "../../../schema/deal/records";
import { type Account, addMember, api, createRoom, ORIGIN, RoomClient, signup, waitFor } from "../helpers";

const encode = (text: string) => new TextEncoder().encode(text);

/** A small PDF: its header, one object, a trailer. */
export const PDF = encode("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
/** The smallest valid PNG: a 1×1 transparent pixel. */
export const PNG = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="),
  (c) => c.charCodeAt(0),
);
/** A JPEG's start (SOI, a JFIF APP0 segment) and end: enough for its signature. */
export const JPEG = Uint8Array.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00,
  0x00, 0xff, 0xd9,
]);
/** A Windows executable's start: `MZ` and its DOS header. */
export const EXE = Uint8Array.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00]);

/** A day `days` from today, as YYYY-MM-DD: the deal's dates stay valid whenever the suite runs. */
export function dayFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

export interface Deal {
  room: Room;
  owner: Account;
  coordinator: Account;
  agent: Account;
  buyer: Account;
  viewer: Account;
}

/** Runs a command over HTTP and expects it to succeed. */
export async function run(room: Room, account: Account, name: string, args: unknown): Promise<unknown> {
  const res = await commandRes(room, account, name, args);
  const body = await res.text();
  expect(res.status, `${name}: ${body}`).toBe(200);
  return (JSON.parse(body) as { result: unknown }).result;
}

export function commandRes(room: Room, account: Account, name: string, args: unknown): Promise<Response> {
  return api(`/api/rooms/${room.id}/commands`, {
    cookie: account.cookie,
    body: { name, args, key: `k-${crypto.randomUUID()}` },
  });
}

/** A deal room, set up empty, with one member of each role that matters to documents. */
export async function newDeal(): Promise<Deal> {
  const owner = await signup("Olivia Owner");
  const room = await createRoom(owner, "deal", "12 Elm St");
  await run(room, owner, "deal.create", {
    templateId: null,
    title: "12 Elm St purchase",
    address: "12 Elm St",
    keyDates: { acceptance: dayFromNow(-10), closing: dayFromNow(30) },
  });
  const [coordinator, agent, buyer, viewer] = await Promise.all([
    addMember(owner, room, "transaction_coordinator", "Cora Coordinator"),
    addMember(owner, room, "buyer_agent", "Avery Agent"),
    addMember(owner, room, "buyer", "Bea Buyer"),
    addMember(owner, room, "viewer", "Vic Viewer"),
  ]);
  return { room, owner, coordinator, agent, buyer, viewer };
}

type Assignee = { kind: "user"; userId: string } | { kind: "role"; role: string } | null;

/** Adds a task (by the coordinator) and returns its id. */
export async function newTask(
  deal: Deal,
  fields: { title?: string; sharedWithBuyer?: boolean; assignee?: Assignee } = {},
): Promise<string> {
  const id = `t${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const { title = "Home inspection report", sharedWithBuyer = false, assignee = null } = fields;
  await run(deal.room, deal.coordinator, "deal.task.create", {
    id,
    title,
    sharedWithBuyer,
    assignee,
    documentRequested: true,
  });
  return id;
}

export interface UploadQuery {
  name?: string;
  documentId?: string;
  key?: string;
}

/** Uploads `body` to a task; `type` is the Content-Type declared, which the route must not believe. */
export function upload(
  room: Room,
  account: Account,
  taskId: string,
  body: Uint8Array,
  query: UploadQuery = {},
  type = "application/pdf",
): Promise<Response> {
  const params = new URLSearchParams({ name: "inspection.pdf" });
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, value);
  return SELF.fetch(`${ORIGIN}/api/rooms/${room.id}/tasks/${taskId}/documents?${params}`, {
    method: "POST",
    headers: { Cookie: account.cookie, Origin: ORIGIN, "Content-Type": type },
    body,
  });
}

/** Uploads and expects 201; returns what the route answered. */
export async function uploaded(
  room: Room,
  account: Account,
  taskId: string,
  body: Uint8Array,
  query: UploadQuery = {},
): Promise<{ documentId: string; version: number }> {
  const res = await upload(room, account, taskId, body, query);
  const text = await res.text();
  expect(res.status, text).toBe(201);
  return JSON.parse(text) as { documentId: string; version: number };
}

export function download(room: Room, account: Account, documentId: string, version = 1): Promise<Response> {
  return api(`/api/rooms/${room.id}/documents/${documentId}/versions/${version}`, { cookie: account.cookie });
}

/** The bytes of a download that must succeed. */
export async function downloaded(room: Room, account: Account, documentId: string, version = 1) {
  const res = await download(room, account, documentId, version);
  expect(res.status).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
}

/** Every object the deal keeps in R2 for its documents. */
export async function storedObjects(room: Room): Promise<string[]> {
  return (await env.BLOBS.list({ prefix: `rooms/${room.id}/docs/` })).objects.map((object) => object.key);
}

const dealStub = (room: Room) => env.deal.get(env.deal.idFromName(room.id));

/** The deal's audit entries (its hash chain) for one command, oldest first. */
export async function auditOf(room: Room, command: string) {
  return runInDurableObject(dealStub(room), (_instance, state) =>
    state.storage.sql
      .exec<{ actor: string; subject: string }>(
        "SELECT actor, subject FROM deal_audit WHERE command = ? ORDER BY seq",
        command,
      )
      .toArray(),
  );
}

/** The keys of the notifications the deal's outbox holds (sent or not). */
export async function outboxKeys(room: Room): Promise<string[]> {
  return runInDurableObject(dealStub(room), (_instance, state) =>
    state.storage.sql
      .exec<{ key: string }>("SELECT key FROM outbox ORDER BY key")
      .toArray()
      .map((row) => row.key),
  );
}

/** The document as a member's live document shows it, once it shows it with `until` true. */
export async function mirrored(
  room: Room,
  account: Account,
  documentId: string,
  until: (document: DealDocument | undefined) => boolean,
): Promise<DealDocument | undefined> {
  const client = await RoomClient.connect("deal", room.id, account.cookie);
  try {
    const read = () => client.doc.getMap("documents").get(documentId) as DealDocument | undefined;
    await waitFor(() => until(read()), `document ${documentId} in the documents root`);
    return read();
  } finally {
    client.close();
  }
}
