/** A site's line on the rooms list: "1 alert", "3 alerts · 1 critical", or that nothing needs anyone. */
import { Show } from "solid-js";
import type { Room } from "../../../../schema/core/api";

export function SiteRoomGlance(props: { room: Room }) {
  return (
    <Show when={props.room.site}>
      {(site) => (
        <span class="room-card-glance small muted" data-testid="room-glance">
          <Show when={site().open > 0} fallback="No open alerts">
            <span classList={{ "glance-urgent": site().critical > 0 }} data-testid="room-alerts">
              {site().open} {site().open === 1 ? "alert" : "alerts"}
              <Show when={site().critical > 0}> · {site().critical} critical</Show>
            </span>
          </Show>
        </span>
      )}
    </Show>
  );
}
