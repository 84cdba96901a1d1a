/**
 * The deal's key dates, each with "Move" for those who manage the tasks: a moved date moves every due date
 * counted from it, on every screen, as the room re-resolves them. A move that puts closing before acceptance is
 * refused by the room, and its words shown here.
 */
import { createSignal, For, Show } from "solid-js";
import { KEY_DATES, type KeyDate } from "../../../../schema/deal/dates";
import type { Deal } from "../../../../schema/deal/records";
import { Alert } from "../../components/Alert";
import { Icon } from "../../components/Icon";
import { formatDate } from "../../format";
import { createCommandRunner } from "./command";
import { closingWords } from "./labels";
import type { DealStore } from "./store";

const KEY_DATE_LABELS: Record<KeyDate, string> = { acceptance: "Offer accepted", closing: "Closing" };

export function KeyDates(props: { store: DealStore; deal: Deal }) {
  const [moving, setMoving] = createSignal<KeyDate | null>(null);
  const runner = createCommandRunner(props.store);
  const mayMove = () => props.store.may("tasks.manage");

  const onSubmit = async (e: SubmitEvent & { currentTarget: HTMLFormElement }, which: KeyDate) => {
    e.preventDefault();
    const value = String(new FormData(e.currentTarget).get("date") ?? "");
    if (!value) {
      runner.setError("Pick the new date.");
      return;
    }
    const ok = await runner.send(
      "deal.key_dates",
      { [which]: value },
      `${KEY_DATE_LABELS[which]} moved to ${formatDate(value)}.`,
    );
    if (ok) setMoving(null);
  };

  return (
    <section class="card deal-panel" aria-labelledby="key-dates-heading" data-testid="key-dates">
      <h2 id="key-dates-heading">Key dates</h2>
      <dl class="deal-key-dates">
        <For each={KEY_DATES}>
          {(which) => (
            <div class="deal-key-date" data-testid={`key-date-${which}`}>
              <dt>{KEY_DATE_LABELS[which]}</dt>
              <dd>
                <span data-testid={`key-date-${which}-value`}>{formatDate(props.deal.keyDates[which])}</span>
                <Show when={mayMove() && moving() !== which}>
                  <button
                    type="button"
                    class="button button-ghost button-small"
                    aria-label={`Move ${KEY_DATE_LABELS[which].toLowerCase()} date`}
                    data-testid={`move-${which}`}
                    onClick={() => {
                      runner.setError(null);
                      setMoving(which);
                    }}
                  >
                    <Icon name="calendar" />
                    Move
                  </button>
                </Show>
              </dd>
              <Show when={moving() === which}>
                <form class="row deal-move-form" onSubmit={(e) => void onSubmit(e, which)}>
                  <label class="sr-only" for={`move-${which}-date`}>
                    New {KEY_DATE_LABELS[which].toLowerCase()} date
                  </label>
                  <input
                    id={`move-${which}-date`}
                    name="date"
                    type="date"
                    value={props.deal.keyDates[which]}
                    data-testid={`move-${which}-date`}
                    autofocus
                  />
                  <button
                    type="submit"
                    class="button button-primary button-small"
                    disabled={runner.busy()}
                    data-testid={`move-${which}-save`}
                  >
                    Move
                  </button>
                  <button type="button" class="button button-ghost button-small" onClick={() => setMoving(null)}>
                    Cancel
                  </button>
                </form>
              </Show>
            </div>
          )}
        </For>
      </dl>
      <p class="deal-closing-words" data-testid="days-to-closing">
        {closingWords(props.store.today(), props.deal.keyDates.closing)}
      </p>
      <Alert message={runner.error()} testId="key-dates-error" />
    </section>
  );
}
