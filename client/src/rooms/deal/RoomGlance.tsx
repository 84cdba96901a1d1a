/**
 * A deal's line on the rooms list: its stage and days to closing, from the `deal` line `GET /api/rooms` carries
 * for a deal that is set up (written by the room after its commands). Days are counted here from the closing
 * date, as they change at midnight without any command.
 */
import { Show } from "solid-js";
import type { Room } from "../../../../schema/core/api";
import { closingWords, localDate } from "./labels";

/** What the rooms list carries of a deal (`Room.deal`); absent until the deal is set up. */
interface DealLine {
  stage: string | null;
  closing: string;
  status: "open" | "closed" | "cancelled";
}

const STATUS_WORDS = { closed: "Closed", cancelled: "Cancelled" } as const;

export function DealRoomGlance(props: { room: Room }) {
  const line = () => (props.room as Room & { deal?: DealLine }).deal;
  // The list carries no time zone: the viewer's own day is close enough for a count of days.
  const today = () => localDate(Date.now(), Intl.DateTimeFormat().resolvedOptions().timeZone);
  return (
    <Show when={line()}>
      {(deal) => (
        <span class="room-card-glance small muted" data-testid="room-glance">
          <Show when={deal().status === "open"} fallback={STATUS_WORDS[deal().status as "closed" | "cancelled"]}>
            <Show when={deal().stage}>{(stage) => <span data-testid="room-stage">{stage()} · </span>}</Show>
            <span data-testid="room-days-to-closing">{closingWords(today(), deal().closing)}</span>
          </Show>
        </span>
      )}
    </Show>
  );
}
