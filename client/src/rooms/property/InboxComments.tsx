/** What the family said about an inbox item, oldest first, and a line to add to it. */
import { createSignal, For, Show } from "solid-js";
import { CAPTURE_COMMENT_MAX_CHARS, type InboxItem } from "../../../../schema/property/inbox";
import { formatDateTime } from "../../format";
import { showToast } from "../../toast";
import type { PropertyStore } from "./store";

export function InboxComments(props: { item: InboxItem; store: PropertyStore }) {
  const [text, setText] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const send = async (event: SubmitEvent) => {
    event.preventDefault();
    if (text().trim() === "") return;
    setBusy(true);
    try {
      const result = await props.store.run("inbox.comment", {
        id: props.item.id,
        commentId: crypto.randomUUID(),
        text: text(),
      });
      if (result.status === "refused") showToast(result.error.message, "error");
      else setText("");
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="stack capture-comments">
      <Show when={props.item.comments.length > 0}>
        <ul class="capture-comment-list" data-testid="inbox-comments">
          <For each={props.item.comments}>
            {(comment) => (
              <li>
                <span class="muted">
                  {comment.byName} · {formatDateTime(comment.at)}
                </span>
                <p>{comment.text}</p>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={props.store.canCapture()}>
        <form class="capture-comment-form" onSubmit={send}>
          <label class="sr-only" for={`comment-${props.item.id}`}>
            Comment
          </label>
          <input
            id={`comment-${props.item.id}`}
            type="text"
            maxLength={CAPTURE_COMMENT_MAX_CHARS}
            placeholder="Add a comment"
            value={text()}
            onInput={(e) => setText(e.currentTarget.value)}
            data-testid="inbox-comment-text"
          />
          <button type="submit" class="button" disabled={busy()} data-testid="inbox-comment-send">
            Comment
          </button>
        </form>
      </Show>
    </div>
  );
}
