/** A home's addresses: its tasks (as reminders link them) and its assets. */

/** A home's task page; `complete` opens it ready to mark done, as a reminder's link does. */
export function taskHref(roomId: string, taskId: string, complete = false): string {
  const path = `/rooms/${encodeURIComponent(roomId)}/tasks/${encodeURIComponent(taskId)}`;
  return complete ? `${path}?complete=1` : path;
}

export function assetHref(roomId: string, assetId: string): string {
  return `/rooms/${encodeURIComponent(roomId)}/assets/${encodeURIComponent(assetId)}`;
}
