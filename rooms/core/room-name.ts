/**
 * A room's id when workerd does not say it. `ctx.id.name` is unset when an alarm wakes a room
 * on a fresh instance after workerd restarted (every `npm start` on existing state), and that
 * instance then also serves the Worker's calls until it is evicted: without the id, the alarm
 * and every command failed. partyserver keeps the id for this case only when it starts from a
 * fetch, while Haven's rooms are mostly reached by RPC; so the room keeps it itself.
 */
import type { RoomKind } from "../../schema/core/roles";

/**
 * partyserver's own storage key for a server's name: its alarm entry point reads it back too, so
 * the two never disagree.
 */
export const ROOM_NAME_KEY = "__ps_name";

/** The id this room stored the first time it knew it, if it did. */
export function storedRoomName(storage: DurableObjectStorage): string | undefined {
  const stored = storage.kv.get<unknown>(ROOM_NAME_KEY);
  return typeof stored === "string" && stored !== "" ? stored : undefined;
}

/** Stores the room's id unless it is stored already (one read on each start, one write in a room's life). */
export function rememberRoomName(storage: DurableObjectStorage, name: string): void {
  if (storedRoomName(storage) !== name) storage.kv.put(ROOM_NAME_KEY, name);
}

/**
 * Finds the id of a room that stored none (made before rooms kept it) among the rooms of its kind
 * in D1, by the Durable Object id each name maps to. Runs only for a cold alarm on such a room, so
 * at most once per room.
 */
export async function findRoomName(
  db: D1Database,
  idFromName: (name: string) => DurableObjectId,
  kind: RoomKind,
  self: DurableObjectId,
): Promise<string | undefined> {
  const { results } = await db.prepare("SELECT id FROM rooms WHERE kind = ?").bind(kind).all<{ id: string }>();
  return results.find((row) => idFromName(row.id).equals(self))?.id;
}
