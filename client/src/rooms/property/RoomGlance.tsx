/**
 * A home's line on the rooms list: "2 overdue · 1 due today", or when the next task is due, counted here from the
 * due dates `GET /api/rooms` carries against today in the home's time zone (so it moves at midnight by itself).
 */
import { Show } from "solid-js";
import type { Room } from "../../../../schema/core/api";
import { localDate } from "../../../../schema/core/day-words";
import { formatDate } from "../../format";

export function HomeRoomGlance(props: { room: Room }) {
  const counts = () => {
    const line = props.room.home;
    if (!line) return null;
    const today = localDate(Date.now(), line.timeZone);
    const overdue = line.due.filter((d) => d < today).length;
    // Every date listed overdue and more left out: there may be more overdue than the list holds.
    const capped = line.more && overdue === line.due.length;
    return {
      overdue: capped ? `${overdue}+` : String(overdue),
      anyOverdue: overdue > 0,
      today: line.due.filter((d) => d === today).length,
      next: line.due.find((d) => d > today) ?? null,
    };
  };
  return (
    <Show when={counts()}>
      {(c) => (
        <span class="room-card-glance small muted" data-testid="room-glance">
          <Show when={c().anyOverdue}>
            <span class="glance-urgent" data-testid="room-overdue">
              {c().overdue} overdue
            </span>
          </Show>
          <Show when={c().anyOverdue && c().today > 0}> · </Show>
          <Show when={c().today > 0}>
            <span data-testid="room-due-today">{c().today} due today</span>
          </Show>
          <Show when={!c().anyOverdue && c().today === 0}>
            <Show when={c().next} fallback="Nothing due">
              {(next) => <>Next due {formatDate(next())}</>}
            </Show>
          </Show>
        </span>
      )}
    </Show>
  );
}
