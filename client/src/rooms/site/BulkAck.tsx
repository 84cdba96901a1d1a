/**
 * Acknowledging several alerts with one note, in one command (`alert.ackMany`): every alert on
 * the board nobody has acknowledged, or the units behind one silent gateway.
 */
import { createSignal, createUniqueId, Show } from "solid-js";
import type { Alert } from "../../../../schema/site/records";
import { Alert as AlertRegion } from "../../components/Alert";
import { Icon } from "../../components/Icon";
import { useAckSubmit } from "./AlertActions";
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
  const noteId = createUniqueId();
  const { busy, error, submit } = useAckSubmit(
    (note) => props.store.run("alert.ackMany", { ids: props.waiting.map((a) => a.id), note }),
    () => setOpen(false),
  );

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
