/** A deal's addresses. */

/** One task's page. */
export function taskHref(roomId: string, taskId: string): string {
  return `/rooms/${encodeURIComponent(roomId)}/tasks/${encodeURIComponent(taskId)}`;
}
