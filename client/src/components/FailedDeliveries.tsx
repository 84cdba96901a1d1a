/**
 * A room's dead letters, for its owners and admins: the notifications and other jobs
 * that failed every retry, with the last error, and a way to send each one again once.
 */
import { createResource, createSignal, For, Show } from "solid-js";
import type { DeadLetter } from "../../../schema/core/notifications";
import { ApiError, errorMessage, listDeadLetters, retryDeadLetter } from "../api";
import { formatDateTime } from "../format";
import { Alert } from "./Alert";

/** What a job was, in words: a notify job's own title where it has one. */
function describeJob(letter: DeadLetter): string {
  const body = letter.body;
  const title = typeof body === "object" && body !== null ? (body as { title?: unknown }).title : undefined;
  const kind = letter.type === "notify" ? "Notification" : letter.type;
  return typeof title === "string" && title !== "" ? `${kind}: ${title}` : kind;
}

function DeadLetterRow(props: { roomId: string; letter: DeadLetter }) {
  const [retriedAt, setRetriedAt] = createSignal(props.letter.retriedAt);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);

  const retry = async () => {
    setBusy(true);
    setError(null);
    try {
      setRetriedAt(await retryDeadLetter(props.roomId, props.letter.id));
    } catch (err) {
      // Someone else (or another tab) sent it again first: the outcome the user wanted.
      if (err instanceof ApiError && err.code === "already_retried") setRetriedAt(new Date().toISOString());
      else setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li class="dead-letter" data-testid="dead-letter" data-dead-letter-id={props.letter.id}>
      <div class="dead-letter-main">
        <span class="dead-letter-type">{describeJob(props.letter)}</span>
        <span class="small muted">
          <time datetime={props.letter.createdAt}>{formatDateTime(props.letter.createdAt)}</time> ·{" "}
          {props.letter.attempts} {props.letter.attempts === 1 ? "attempt" : "attempts"}
        </span>
        <span class="small dead-letter-error" data-testid="dead-letter-error">
          {props.letter.error}
        </span>
        <Alert message={error()} />
      </div>
      <Show
        when={retriedAt() === null}
        fallback={
          <span
            class="chip chip-muted"
            data-testid="dead-letter-retried"
            title={`Sent again ${formatDateTime(retriedAt() ?? "")}`}
          >
            Retried
          </span>
        }
      >
        <button
          type="button"
          class="button button-ghost"
          disabled={busy()}
          aria-label={`Retry ${describeJob(props.letter)}`}
          data-testid="dead-letter-retry"
          onClick={() => void retry()}
        >
          Retry
        </button>
      </Show>
    </li>
  );
}

export function FailedDeliveries(props: { roomId: string }) {
  const [letters, { refetch }] = createResource(() => props.roomId, listDeadLetters);
  return (
    <section class="failed-deliveries stack" aria-labelledby="failed-deliveries-title" data-testid="failed-deliveries">
      <div class="board-head">
        <h3 id="failed-deliveries-title">Failed deliveries</h3>
        <button
          type="button"
          class="button button-ghost button-small"
          disabled={letters.loading}
          onClick={() => void refetch()}
        >
          Refresh
        </button>
      </div>
      <Show when={letters.error === undefined} fallback={<Alert message={errorMessage(letters.error)} />}>
        <Show when={letters.latest} fallback={<p class="muted small">Loading…</p>}>
          {(list) => (
            <Show
              when={list().length > 0}
              fallback={
                <p class="muted small" data-testid="failed-deliveries-empty">
                  None. Every reminder and notice from this room was delivered.
                </p>
              }
            >
              <p class="muted small">
                These could not be delivered after every retry. Retry sends each one again once; people who already got
                it are not sent it twice.
              </p>
              <ul class="dead-letter-list">
                <For each={list()}>{(letter) => <DeadLetterRow roomId={props.roomId} letter={letter} />}</For>
              </ul>
            </Show>
          )}
        </Show>
      </Show>
    </section>
  );
}
