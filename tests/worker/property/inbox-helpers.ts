/** A home with someone to capture in it, and the calls a phone makes: upload each file, then file the capture. */
import { env, SELF } from "cloudflare:test";
import type { InboxItem } from "../../../schema/property/inbox";
import { type Account, api, createRoom, json, ORIGIN, type RoomClient, signup, waitFor } from "../helpers";

export async function home() {
  const alice = await signup("Alice");
  const room = await createRoom(alice, "property", "Maple Street");
  return { alice, room };
}

/** A real PNG: 3 × 2 px of one colour (rgb 200 180 150), made with Python's zlib and struct. */
export const PNG_3X2 = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAIAAAASFvFNAAAAEElEQVR4nGM4sWUaBDHAWQB9eAxtFcC9XwAAAABJRU5ErkJggg=="),
  (ch) => ch.charCodeAt(0),
);

/** PUTs one file of a capture, as the app does. */
export function putPart(
  roomId: string,
  captureId: string,
  part: string,
  who: Account | null,
  body: BodyInit,
  headers: Record<string, string> = {},
) {
  const all: Record<string, string> = { Origin: ORIGIN, "Content-Type": "application/octet-stream", ...headers };
  if (who) all.Cookie = who.cookie;
  return SELF.fetch(`${ORIGIN}/api/rooms/${roomId}/captures/${captureId}/${part}`, {
    method: "PUT",
    headers: all,
    body,
  });
}

/** Runs an inbox command over HTTP. */
export function inbox(roomId: string, who: Account, name: string, args: Record<string, unknown>) {
  return api(`/api/rooms/${roomId}/commands`, { cookie: who.cookie, body: { name, args, key: crypto.randomUUID() } });
}

/** The item as the room mirrors it into the document a member's socket holds. */
export const itemIn = (client: RoomClient, id: string) => client.doc.getMap("inbox").get(id) as InboxItem | undefined;

/** Waits until the mirrored item is `status` (the real queue analyses it in the background); answers it. */
export async function untilStatus(client: RoomClient, id: string, status: InboxItem["status"], timeoutMs = 20_000) {
  try {
    await waitFor(() => itemIn(client, id)?.status === status, `item ${id} to be ${status}`, timeoutMs);
  } catch (error) {
    const item = itemIn(client, id);
    throw new Error(`${String(error)}; it is ${item ? `${item.status} (${item.reason ?? "no reason"})` : "missing"}`);
  }
  return itemIn(client, id) as InboxItem;
}

export const capturedObjects = async (roomId: string) =>
  (await env.BLOBS.list({ prefix: `rooms/${roomId}/captures/` })).objects.map((o) => o.key);

export { json };
