/**
 * "Add to your calendar": a secret iCalendar address for the home's tasks. The server
 * keeps only a hash of the secret, so the address can be shown once, when it is made;
 * losing it means making a new one, which turns the old one off.
 */
import { createResource, createSignal, Show } from "solid-js";
import {
  type CalendarFeedLink,
  createCalendarFeed,
  deleteCalendarFeed,
  errorMessage,
  getCalendarFeed,
} from "../../api";
import { Alert } from "../../components/Alert";
import { ConfirmButton } from "../../components/ConfirmButton";
import { Icon } from "../../components/Icon";
import { showToast } from "../../toast";

/** One address with its copy button; falls back to selecting it where the clipboard is refused. */
function CopyRow(props: { label: string; value: string; testId: string; onCopyFailed: () => void }) {
  const [copied, setCopied] = createSignal(false);
  let codeRef: HTMLElement | undefined;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.value);
      setCopied(true);
    } catch {
      if (codeRef) window.getSelection()?.selectAllChildren(codeRef);
      props.onCopyFailed();
    }
  };
  return (
    <div class="stack-small">
      <span class="small muted">{props.label}</span>
      <div class="copy-row">
        <code ref={codeRef} class="invite-link" data-testid={props.testId}>
          {props.value}
        </code>
        <button
          type="button"
          class="button button-ghost"
          data-testid={`${props.testId}-copy`}
          onClick={() => void copy()}
        >
          <Icon name="copy" />
          {copied() ? "Copied" : "Copy"}
        </button>
      </div>
    </div>
  );
}

export function CalendarFeed(props: { roomId: string }) {
  const [enabled, { mutate }] = createResource(() => props.roomId, getCalendarFeed);
  const [link, setLink] = createSignal<CalendarFeedLink | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);

  const act = async (change: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await change();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const create = () =>
    void act(async () => {
      setLink(await createCalendarFeed(props.roomId));
      mutate(true);
    });

  const turnOff = () =>
    void act(async () => {
      await deleteCalendarFeed(props.roomId);
      setLink(null);
      mutate(false);
      showToast("Calendar link turned off. Calendars subscribed to it stop updating.");
    });

  return (
    <details class="card calendar-feed" data-testid="calendar-feed">
      <summary>
        <Icon name="calendar" />
        Add to your calendar
        <Show when={enabled.latest}>
          <span class="chip chip-success small" data-testid="calendar-feed-on">
            On
          </span>
        </Show>
      </summary>
      <div class="stack calendar-feed-body">
        <p class="muted small">
          Subscribe in Google Calendar, Apple Calendar or Outlook and every task's due date shows up beside the rest of
          your week. Anyone who has the link can read the tasks, so share it only with people in this home.
        </p>
        <Alert message={error() ?? (enabled.error === undefined ? null : errorMessage(enabled.error))} />
        <Show when={link()}>
          {(made) => (
            <div class="feed-link stack" role="status" data-testid="calendar-feed-link">
              <p class="small">
                <strong>Copy it now: this link is shown only once.</strong> If you lose it, replace it with a new one.
              </p>
              <CopyRow
                label="For Apple Calendar and Outlook"
                value={made().webcal}
                testId="calendar-feed-webcal"
                onCopyFailed={() =>
                  setError("Couldn't copy automatically. The link is selected: press Ctrl+C (or ⌘C) to copy it.")
                }
              />
              <CopyRow
                label="For Google Calendar (Other calendars › From URL)"
                value={made().url}
                testId="calendar-feed-url"
                onCopyFailed={() =>
                  setError("Couldn't copy automatically. The link is selected: press Ctrl+C (or ⌘C) to copy it.")
                }
              />
              <div class="row">
                <a href={made().webcal} class="button button-primary">
                  <Icon name="calendar" />
                  Open in my calendar app
                </a>
              </div>
            </div>
          )}
        </Show>
        <Show when={enabled.latest === true && link() === null}>
          <p class="small" data-testid="calendar-feed-status">
            A calendar link is on. It was shown once, when it was made; replace it to get a new one.
          </p>
        </Show>
        <div class="row">
          <Show
            when={enabled.latest}
            fallback={
              <button
                type="button"
                class="button button-primary"
                disabled={busy() || enabled.loading}
                data-testid="calendar-feed-create"
                onClick={create}
              >
                <Icon name="link" />
                Create calendar link
              </button>
            }
          >
            <ConfirmButton
              label="Replace link"
              ariaLabel="Replace the calendar link; the old one stops working"
              confirmLabel="Replace; the old link stops working"
              onConfirm={create}
              disabled={busy()}
              testId="calendar-feed-replace"
            />
            <ConfirmButton
              label="Turn off"
              ariaLabel="Turn the calendar link off"
              confirmLabel="Turn off the link"
              onConfirm={turnOff}
              disabled={busy()}
              testId="calendar-feed-off"
            />
          </Show>
        </div>
      </div>
    </details>
  );
}
