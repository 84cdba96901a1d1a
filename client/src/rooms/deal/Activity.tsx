/**
 * The live activity feed: the `activity` root (the audit log as the team reads it), newest first. Only those
 * who see internal data get the root at all; the full log with hashes is the admin's export.
 */
import { createMemo, createSignal, For, Show } from "solid-js";
import { formatDateTime } from "../../format";
import { roleWords } from "./labels";
import type { DealStore } from "./store";

/** How many entries the feed shows before "Show older". */
const FEED_PAGE = 50;
/** What each command did, in the past tense; an unknown command shows its name. */
const DID: Record<string, string> = {
  "deal.create": "set up the deal",
  "deal.update": "changed the deal",
  "deal.key_dates": "moved a key date",
  "deal.status": "changed the deal's status",
  "deal.milestone.create": "added a milestone",
  "deal.milestone.rename": "renamed a milestone",
  "deal.task.create": "added a task",
  "deal.task.update": "changed a task",
  "deal.task.assign": "assigned a task",
  "deal.task.start": "started",
  "deal.task.complete": "completed",
  "deal.task.reopen": "reopened",
  "deal.task.delete": "deleted a task",
  "deal.dependency.add": "added a dependency",
  "deal.dependency.remove": "removed a dependency",
  "deal.document.upload": "uploaded a document",
  "deal.document.review": "reviewed a document",
};

export function Activity(props: { store: DealStore }) {
  const entries = createMemo(() => [...props.store.activity].sort((a, b) => b.seq - a.seq || b.at - a.at));
  const [shown, setShown] = createSignal(FEED_PAGE);

  return (
    <section class="card deal-panel" aria-labelledby="activity-heading" data-testid="deal-activity">
      <h2 id="activity-heading">Activity</h2>
      <Show when={entries().length > 0} fallback={<p class="muted">Nothing has happened yet.</p>}>
        <ol class="plain-list deal-feed" aria-live="polite">
          <For each={entries().slice(0, shown())}>
            {(entry) => (
              <li class="deal-feed-entry" data-testid="activity-entry">
                <time class="small muted" dateTime={new Date(entry.at).toISOString()}>
                  {formatDateTime(entry.at)}
                </time>
                <span>
                  <strong>{entry.actorName}</strong> <span class="muted small">({roleWords(entry.role)})</span>{" "}
                  {DID[entry.command] ?? entry.command}
                  <Show when={entry.summary}>: {entry.summary}</Show>
                </span>
              </li>
            )}
          </For>
        </ol>
        <Show when={entries().length > shown()}>
          <button type="button" class="button button-ghost" onClick={() => setShown(shown() + FEED_PAGE)}>
            Show older
          </button>
        </Show>
      </Show>
    </section>
  );
}
