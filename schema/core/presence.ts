/**
 * Presence travels in Yjs awareness. Each client sets its local state to PresenceState;
 * the room overwrites `user.id` and `user.name` with the identity it verified, so a
 * client cannot appear as someone else.
 */
export interface PresenceState {
  user: { id: string; name: string; color: string };
  /** The item this person is editing right now, if any. */
  editing: { checklistId: string; itemId: string } | null;
}

/** Avatar colours, each at least 4.5:1 against the white initials drawn on it (WCAG 1.4.3). */
const PALETTE = ["#2563eb", "#be185d", "#047857", "#b45309", "#7c3aed", "#dc2626", "#0e7490", "#4d7c0f"];

/** A stable colour per user id, the same on every screen. */
export function colorFor(userId: string): string {
  let h = 0;
  for (let i = 0; i < userId.length; i++) h = (h * 31 + userId.charCodeAt(i)) >>> 0;
  return PALETTE[h % PALETTE.length] ?? "#2563eb";
}

/** Longest checklist or item id a presence state may name (ids are 36-character UUIDs). */
const MAX_PRESENCE_ID_LENGTH = 64;

/**
 * The part of a client's presence the room keeps: `editing`, if well-formed. Every other
 * field is dropped, and `user` is set by the room from the verified identity.
 */
export function presenceFromClient(state: Record<string, unknown>): Pick<PresenceState, "editing"> {
  const editing = state.editing;
  if (typeof editing !== "object" || editing === null) return { editing: null };
  const { checklistId, itemId } = editing as Record<string, unknown>;
  const id = (v: unknown): v is string => typeof v === "string" && v.length > 0 && v.length <= MAX_PRESENCE_ID_LENGTH;
  return { editing: id(checklistId) && id(itemId) ? { checklistId, itemId } : null };
}
