/**
 * A room's line in the rooms list (a deal's stage, a home's due dates, a site's open alerts), written into its D1
 * `rooms` row when it changes, so listing fifty rooms is one D1 query and no room is woken. After the commit, not
 * in it: D1 is not the room's storage. A failed write is logged and the next change writes again.
 */
import { log } from "./log";

export class ListSummaryWriter {
  /** What D1 holds, as far as this instance knows; in memory, so a woken room writes once more (harmless). */
  #written: string | null = null;
  /** What D1 should hold: the newest line asked for. */
  #latest: string | null = null;
  /** The one write loop running, which every caller meanwhile waits on: a flood of commands writes once or twice. */
  #flushing: Promise<void> | null = null;

  write(d1: D1Database, roomId: string, summary: object | null): Promise<void> {
    if (summary === null) return Promise.resolve();
    this.#latest = JSON.stringify(summary);
    if (this.#latest === this.#written) return Promise.resolve();
    this.#flushing ??= this.#flush(d1, roomId).finally(() => {
      this.#flushing = null;
    });
    return this.#flushing;
  }

  /** Writes the newest line until D1 holds it; lines asked for while one is written are written after it, in order. */
  async #flush(d1: D1Database, roomId: string): Promise<void> {
    while (this.#latest !== null && this.#latest !== this.#written) {
      const text = this.#latest;
      try {
        await d1.prepare("UPDATE rooms SET list_summary = ? WHERE id = ?").bind(text, roomId).run();
        this.#written = text;
      } catch (err) {
        log("room.list_summary_failed", {
          level: "warn",
          room: roomId,
          error: err instanceof Error ? err.message : String(err),
        });
        return;
      }
    }
  }
}
