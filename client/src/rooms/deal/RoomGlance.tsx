/**
 * A deal's line on the rooms list: its stage and days to closing, from the `deal` line `GET /api/rooms` carries
 * for a deal that is set up (written by the room after its commands). Days are counted here from the closing
 * date, as they change at midnight without any command.
 */
import { Show } from "solid-js";
import type { Room } from "../../../../schema/core/api";
import { closingWords, localDate } from "./labels";

const STATUS_WORDS: Record<NonNullable<Room["deal"]>["status"], string> = {
  open: "Open",
  closed: "Closed",
  cancelled: "Cancelled",
};

export function DealRoomGlance(props: { room: Room }) {
  // Absent until the deal is set up.
  const line = () => props.room.deal;
  // The list carries no time zone: the viewer's own day is close enough for a count of days.
  const today = () => localDate(Date.now(), Intl.DateTimeFormat().resolvedOptions().timeZone);
  return (
    <Show when={line()}>
      {(deal) => (
        <span class="room-card-glance small muted" data-testid="room-glance">
          <Show when={deal().status === "open"} fallback={STATUS_WORDS[deal().status]}>
            <Show when={deal().stage}>{(stage) => <span data-testid="room-stage">{stage()} · </span>}</Show>
            <span data-testid="room-days-to-closing">{closingWords(today(), deal().closing)}</span>
          </Show>
        </span>
      )}
    </Show>
  );
}
