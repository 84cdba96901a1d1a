/**
 * A room's line in the rooms list (a deal's stage, a home's due dates, a site's open alerts), written into its D1
 * `rooms` row when it changes, so listing fifty rooms is one D1 query and no room is woken. After the commit, not
 * in it: D1 is not the room's storage. A failed write is logged and the next change writes again.
 */
import { log } from "./log";

export class ListSummaryWriter {
  /** What this instance last wrote; in memory, so a woken room writes once more (the same value: harmless). */
  #written: string | null = null;

  async write(d1: D1Database, roomId: string, summary: object | null): Promise<void> {
    if (summary === null) return;
    const text = JSON.stringify(summary);
    if (text === this.#written) return;
    try {
      await d1.prepare("UPDATE rooms SET list_summary = ? WHERE id = ?").bind(text, roomId).run();
      this.#written = text;
    } catch (err) {
      log("room.list_summary_failed", {
        level: "warn",
        room: roomId,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
}
