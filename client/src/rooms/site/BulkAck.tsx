/**
 * Acknowledging several alerts with one note, in one command (`alert.ackMany`): every alert on
 * the board nobody has acknowledged, or the units behind one silent gateway.
 */
import { createSignal, createUniqueId, Show } from "solid-js";
import type { Alert } from "../../../../schema/site/records";
import { errorMessage } from "../../api";
import { Alert as AlertRegion } from "../../components/Alert";
import { Icon } from "../../components/Icon";
import { showToast } from "../../toast";
import type { SiteStore } from "./store";

export function BulkAck(props: {
  store: SiteStore;
  /** The alerts waiting for an acknowledgement, at most `MAX_BULK_ACK`. */
  waiting: Alert[];
  /** Offered from this many: one alone has its own Acknowledge. */
  from: number;
  label: string;
  testId: string;
}) {
  const [open, setOpen] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const noteId = createUniqueId();

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const note = String(new FormData(e.currentTarget as HTMLFormElement).get("note") ?? "").trim();
    setBusy(true);
    setError(null);
    try {
      const result = await props.store.run("alert.ackMany", { ids: props.waiting.map((a) => a.id), note });
      if (result.status === "refused") return setError(errorMessage(result.error));
      if (result.status === "queued") showToast("Acknowledged on this device. It syncs when you are back online.");
      setOpen(false);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Show when={props.store.canHandle() && props.waiting.length >= props.from}>
      <Show
        when={open()}
        fallback={
          <button type="button" class="button button-primary" onClick={() => setOpen(true)} data-testid={props.testId}>
            <Icon name="check" />
            {props.label}
          </button>
        }
      >
        <form
          class="board-bulk"
          onSubmit={(e) => void submit(e)}
          onKeyDown={(e) => e.key === "Escape" && setOpen(false)}
          data-testid={`${props.testId}-form`}
        >
          <div class="field">
            <label for={noteId} class="small">
              One note for all {props.waiting.length} alerts (optional)
            </label>
            <input
              id={noteId}
              name="note"
              maxLength={2000}
              placeholder="e.g. Gateway rebooted, checking"
              autofocus
              data-testid={`${props.testId}-note`}
            />
          </div>
          <button type="submit" class="button button-primary" disabled={busy()} data-testid={`${props.testId}-submit`}>
            Acknowledge {props.waiting.length}
          </button>
          <button type="button" class="button button-ghost" onClick={() => setOpen(false)}>
            Cancel
          </button>
          <AlertRegion message={error()} />
        </form>
      </Show>
    </Show>
  );
}
