/**
 * Closing, cancelling and reopening the deal, for roles with `deal.edit`. Cancelling asks once more in place;
 * a closed or cancelled deal offers only Reopen. The room decides; a refusal is shown in words.
 */
import { Show } from "solid-js";
import type { Deal } from "../../../../schema/deal/records";
import { Alert } from "../../components/Alert";
import { ConfirmButton } from "../../components/ConfirmButton";
import { createCommandRunner } from "./command";
import type { DealStore } from "./store";

export function DealStatus(props: { store: DealStore; deal: Deal }) {
  const runner = createCommandRunner(props.store);
  const status = () => props.deal.status ?? "open";
  const set = (next: "open" | "closed" | "cancelled", done: string) =>
    void runner.send("deal.status", { status: next }, done);

  return (
    <div class="deal-status-actions" data-testid="deal-status-actions">
      <Show
        when={status() === "open"}
        fallback={
          <div class="row">
            <p class="small muted">
              This deal is {status() === "closed" ? "closed" : "cancelled"}. Reopen it to carry on with it.
            </p>
            <button
              type="button"
              class="button button-ghost button-small"
              disabled={runner.busy()}
              onClick={() => set("open", "The deal is open again.")}
              data-testid="deal-reopen"
            >
              Reopen the deal
            </button>
          </div>
        }
      >
        <div class="row">
          <button
            type="button"
            class="button button-primary button-small"
            disabled={runner.busy()}
            onClick={() => set("closed", "The deal is closed.")}
            data-testid="deal-close"
          >
            Close the deal
          </button>
          <ConfirmButton
            label="Cancel the deal"
            ariaLabel="Cancel the deal"
            confirmLabel="Yes, cancel the deal"
            disabled={runner.busy()}
            onConfirm={() => set("cancelled", "The deal is cancelled.")}
            testId="deal-cancel"
          />
        </div>
      </Show>
      <Alert message={runner.error()} testId="deal-status-error" />
    </div>
  );
}
