/**
 * A deal's line on the rooms list: its stage and days to closing. The rooms list (GET /api/rooms) names no
 * deal's stage or dates, so this reads them from the copy of the deal this browser keeps once the deal has been
 * opened here (as of its last sync); a deal never opened here shows no line.
 */
import { createResource, Show } from "solid-js";
import * as Y from "yjs";
import type { Room } from "../../../../schema/core/api";
import { DEAL_INFO_ID, type Deal } from "../../../../schema/deal/records";
import { closeLocalCopy, hasLocalCopy, openLocalCopy } from "../../local-data";
import { closingWords, localDate } from "./labels";

export interface DealGlance {
  stage: string | null;
  closing: string;
  timeZone: string;
  status: Deal["status"];
}

/** The deal's stage and closing date from this browser's copy, or null when there is none (or no deal in it). */
export async function readLocalGlance(roomId: string): Promise<DealGlance | null> {
  if (!hasLocalCopy(roomId)) return null;
  const doc = new Y.Doc();
  const copy = openLocalCopy(roomId, doc);
  try {
    await copy.whenSynced;
    const info = doc.getMap("deal").get(DEAL_INFO_ID) as Partial<Deal> | undefined;
    const closing = info?.keyDates?.closing;
    if (!info || typeof closing !== "string") return null;
    return {
      stage: typeof info.stage === "string" ? info.stage : null,
      closing,
      timeZone: typeof info.timeZone === "string" ? info.timeZone : "UTC",
      status: info.status ?? "open",
    };
  } catch {
    return null;
  } finally {
    await closeLocalCopy(copy, false);
    doc.destroy();
  }
}

export function DealRoomGlance(props: { room: Room }) {
  const [glance] = createResource(() => props.room.id, readLocalGlance);
  return (
    <Show when={glance()}>
      {(g) => (
        <span class="room-card-glance small muted" data-testid="room-glance">
          <Show when={g().status === "open"} fallback={g().status === "closed" ? "Closed" : "Cancelled"}>
            <Show when={g().stage}>{(stage) => <span data-testid="room-stage">{stage()} · </span>}</Show>
            <span data-testid="room-days-to-closing">
              {closingWords(localDate(Date.now(), g().timeZone), g().closing)}
            </span>
          </Show>
        </span>
      )}
    </Show>
  );
}
