/** A site's addresses. */

/** A site's unit page, optionally pointing at one of its alerts (as an alert's notification links it). */
export function unitHref(roomId: string, unitId: string, alertId?: string): string {
  const path = `/rooms/${encodeURIComponent(roomId)}/units/${encodeURIComponent(unitId)}`;
  return alertId ? `${path}?alert=${encodeURIComponent(alertId)}` : path;
}
