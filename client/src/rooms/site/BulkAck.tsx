/**
 * "Acknowledge all": every alert on the board nobody has acknowledged, with one note, in one
 * command (`alert.ackMany`): a gateway down silences a whole room at once.
 */
import { createSignal, Show } from "solid-js";
import { MAX_BULK_ACK } from "../../../../schema/site/commands";
import { errorMessage } from "../../api";
import { Alert as AlertRegion } from "../../components/Alert";
import { Icon } from "../../components/Icon";
import { showToast } from "../../toast";
import { isOpen, type SiteStore } from "./store";

export function BulkAck(props: { store: SiteStore }) {
  const [open, setOpen] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const waiting = () => props.store.alerts.filter((a) => isOpen(a) && a.ack === null).slice(0, MAX_BULK_ACK);

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const note = String(new FormData(e.currentTarget as HTMLFormElement).get("note") ?? "").trim();
    setBusy(true);
    setError(null);
    try {
      const result = await props.store.run("alert.ackMany", { ids: waiting().map((a) => a.id), note });
      if (result.status === "refused") return setError(errorMessage(result.error));
      if (result.status === "queued") showToast("Acknowledged on this device. It syncs when you are back online.");
      setOpen(false);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Show when={props.store.canHandle() && waiting().length > 1}>
      <Show
        when={open()}
        fallback={
          <button type="button" class="button button-primary" onClick={() => setOpen(true)} data-testid="bulk-ack">
            <Icon name="check" />
            Acknowledge all {waiting().length}
          </button>
        }
      >
        <form
          class="board-bulk"
          onSubmit={(e) => void submit(e)}
          onKeyDown={(e) => e.key === "Escape" && setOpen(false)}
          data-testid="bulk-ack-form"
        >
          <div class="field">
            <label for="bulk-ack-note" class="small">
              One note for all {waiting().length} alerts (optional)
            </label>
            <input
              id="bulk-ack-note"
              name="note"
              maxLength={2000}
              placeholder="e.g. Gateway rebooted, checking"
              autofocus
              data-testid="bulk-ack-note"
            />
          </div>
          <button type="submit" class="button button-primary" disabled={busy()} data-testid="bulk-ack-submit">
            Acknowledge {waiting().length}
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
