/** A task's completions and skips, newest first, loaded again whenever the task changes (live, from any screen). */
import { createResource, For, Show } from "solid-js";
import type { Task } from "../../../../schema/property/records";
import { getTaskHistory } from "../../api";
import { formatDate, formatDateTime } from "../../format";
import { formatMoney } from "./money";
import { PhotoThumbs } from "./photos";

export function TaskHistory(props: { roomId: string; task: Task }) {
  const [history, { refetch }] = createResource(
    () => `${props.task.id}:${props.task.updatedAt}`,
    () => getTaskHistory(props.roomId, props.task.id),
  );
  return (
    <section class="card history" aria-labelledby="history-title">
      <div class="board-head">
        <h2 id="history-title">History</h2>
        <button type="button" class="button button-ghost button-small" onClick={() => void refetch()}>
          Refresh
        </button>
      </div>
      <Show
        when={!history.error}
        fallback={<p class="muted">History can't be loaded right now{navigator.onLine ? "" : " (offline)"}.</p>}
      >
        <Show when={history.latest} fallback={<p class="muted">Loading…</p>}>
          {(page) => (
            <Show
              when={page().entries.length > 0}
              fallback={<p class="muted">Not done yet. Its completions and skips show here.</p>}
            >
              <ul class="history-list" data-testid="history-list">
                <For each={page().entries}>
                  {(entry) => (
                    <li class="history-entry">
                      <span class={`chip ${entry.kind === "done" ? "chip-success" : "chip-muted"}`}>
                        {entry.kind === "done" ? "Done" : "Skipped"}
                      </span>
                      <span>
                        {formatDate(entry.on)} by {entry.byName}
                        <Show when={entry.costCents !== null && entry.currency}>
                          {(currency) => (
                            <span class="chip chip-muted cost-chip" data-testid="history-cost">
                              {formatMoney(entry.costCents ?? 0, currency())}
                            </span>
                          )}
                        </Show>
                        <Show when={entry.note}>
                          <span class="muted"> — {entry.note}</span>
                        </Show>
                      </span>
                      <Show when={entry.photoId}>
                        {(photoId) => (
                          <PhotoThumbs
                            roomId={props.roomId}
                            photoIds={[photoId()]}
                            alt={() => `Photo from ${formatDate(entry.on)}, by ${entry.byName}`}
                            testId="history-photo"
                          />
                        )}
                      </Show>
                      <time class="muted small" datetime={new Date(entry.at).toISOString()}>
                        {formatDateTime(new Date(entry.at).toISOString())}
                      </time>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          )}
        </Show>
      </Show>
    </section>
  );
}
