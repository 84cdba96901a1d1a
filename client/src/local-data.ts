/**
 * What Haven keeps in this browser: one IndexedDB database per room the user opened
 * (`haven:<roomId>`, the room's whole document, so offline edits survive a reload), the
 * home commands not yet sent (`haven-commands`, see command-queue.ts), captures not yet filed (`haven-captures`), and
 * in localStorage only the id of the user those copies belong to, the ids of the rooms
 * (for browsers without `indexedDB.databases()`), which audience's document each copy holds,
 * and whether a logout still has to reach the server. Another person may use this browser
 * next, so the copies go on logout and before anyone else signs in; see "Data left in the browser" in docs/security.md.
 */
import { IndexeddbPersistence } from "y-indexeddb";
import type * as Y from "yjs";

const ROOM_DB_PREFIX = "haven:";
/** Commands made offline, kept until the server answers them. */
export const COMMANDS_DB = "haven-commands";
/** Captures (recordings, photos) not yet filed in a home's inbox, see rooms/property/capture-outbox.ts. */
export const CAPTURES_DB = "haven-captures";
/** The user id the local copies belong to; nothing else about them. */
const OWNER_KEY = "haven.localDataOwner";
/** Room ids with a local copy, as JSON: the fallback list where `indexedDB.databases()` is missing. */
const ROOMS_KEY = "haven.localRooms";
/**
 * Which document each room's copy holds, as JSON `{ roomId: audience }`: null the room's own, a name that
 * audience's projection (docs/rooms.md, "Audiences and projections"). A copy of one is never merged with the other.
 */
const AUDIENCES_KEY = "haven.localAudiences";
/** Set when a logout could not reach the server: the session cookie is still valid there. */
const LOGOUT_PENDING_KEY = "haven.logoutPending";

/** Every local copy this page has open; an open connection would block its deletion. */
const openCopies = new Set<IndexeddbPersistence>();

// localStorage can be missing or throw (storage disabled). Then the owner is unknown,
// and an unknown owner means the copies are cleared at every sign-in: safe, only slower.
function readKey(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeKey(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // See readKey.
  }
}

function knownRoomIds(): string[] {
  try {
    const ids: unknown = JSON.parse(readKey(ROOMS_KEY) ?? "[]");
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === "string") : [];
  } catch {
    return [];
  }
}

function recordedAudiences(): Record<string, string | null> {
  try {
    const map: unknown = JSON.parse(readKey(AUDIENCES_KEY) ?? "{}");
    return typeof map === "object" && map !== null && !Array.isArray(map) ? (map as Record<string, string | null>) : {};
  } catch {
    return {};
  }
}

/** The audience whose document this browser's copy of the room holds; undefined when none is recorded. */
export function localCopyAudience(roomId: string): string | null | undefined {
  const audience = recordedAudiences()[roomId];
  return audience === null || typeof audience === "string" ? audience : undefined;
}

/** Records which audience's document the room's copy holds; undefined forgets it. */
export function recordLocalCopyAudience(roomId: string, audience: string | null | undefined): void {
  const map = recordedAudiences();
  if (audience === undefined) delete map[roomId];
  else map[roomId] = audience;
  writeKey(AUDIENCES_KEY, JSON.stringify(map));
}

/** Opens (or creates) this browser's copy of a room and loads it into `doc`. */
export function openLocalCopy(roomId: string, doc: Y.Doc): IndexeddbPersistence {
  const ids = knownRoomIds();
  if (!ids.includes(roomId)) writeKey(ROOMS_KEY, JSON.stringify([...ids, roomId]));
  const copy = new IndexeddbPersistence(`${ROOM_DB_PREFIX}${roomId}`, doc);
  openCopies.add(copy);
  // A deletion (a logout here or in another tab) must not wait for this copy: close the
  // connection at once, before the browser decides the deletion is blocked.
  copy._db.then(
    (db) => {
      db.onversionchange = () => {
        db.close();
        void closeLocalCopy(copy, false);
      };
    },
    () => undefined,
  );
  return copy;
}

/** Stops writing to a local copy; `forget` also deletes it. */
export async function closeLocalCopy(copy: IndexeddbPersistence, forget: boolean): Promise<void> {
  // Still listed until closed, so a clear that starts meanwhile waits for it too.
  await copy.destroy();
  openCopies.delete(copy);
  if (!forget) return;
  await deleteDatabase(copy.name);
  recordLocalCopyAudience(copy.name.slice(ROOM_DB_PREFIX.length), undefined);
}

/**
 * Resolves once the database is gone, or once its deletion is queued behind a connection
 * another tab still holds (the browser deletes it as soon as that tab lets go), so a
 * logout never hangs on another tab.
 */
function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => resolve();
    request.onblocked = () => resolve();
  });
}

/** Deletes every room copy and unsent command in this browser, open or not, and forgets whose they were. */
export async function clearLocalData(): Promise<void> {
  await Promise.all([...openCopies].map((copy) => closeLocalCopy(copy, false)));
  const names = new Set([COMMANDS_DB, CAPTURES_DB, ...knownRoomIds().map((id) => `${ROOM_DB_PREFIX}${id}`)]);
  if (typeof indexedDB.databases === "function") {
    try {
      for (const { name } of await indexedDB.databases()) {
        if (name?.startsWith(ROOM_DB_PREFIX)) names.add(name);
      }
    } catch {
      // The list is an extra; the known ids above still go.
    }
  }
  await Promise.all([...names].map(deleteDatabase));
  writeKey(ROOMS_KEY, null);
  writeKey(AUDIENCES_KEY, null);
  writeKey(OWNER_KEY, null);
}

/**
 * Makes the local copies `userId`'s before any room opens: copies stored for anyone else
 * (or for no one known) are deleted first. The same user keeps theirs, with any edits
 * made offline that the server has not seen yet.
 */
export async function claimLocalData(userId: string): Promise<void> {
  if (readKey(OWNER_KEY) !== userId) await clearLocalData();
  writeKey(OWNER_KEY, userId);
}

/** Remembers that the server never heard this browser's logout; see `logoutPending`. */
export function setLogoutPending(pending: boolean): void {
  writeKey(LOGOUT_PENDING_KEY, pending ? "1" : null);
}

/** True when a logout made while offline must still be sent before trusting the cookie. */
export function logoutPending(): boolean {
  return readKey(LOGOUT_PENDING_KEY) !== null;
}
