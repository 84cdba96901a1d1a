/**
 * Start, Complete and Reopen for one task, where this user may: the same buttons on a board card, the buyer's
 * "what's next" and the task page. A blocked task's Complete is disabled and says what it waits for; the room
 * refuses it anyway.
 */
import { Show } from "solid-js";
import type { DealTask } from "../../../../schema/deal/records";
import { Alert } from "../../components/Alert";
import { Icon } from "../../components/Icon";
import { createCommandRunner } from "./command";
import { stateOf } from "./labels";
import type { DealStore } from "./store";

export function TaskActions(props: { store: DealStore; task: DealTask; compact?: boolean }) {
  const runner = createCommandRunner(props.store);
  const state = () => stateOf(props.task);
  const done = () => state() === "COMPLETED";
  const blocked = () => state() === "BLOCKED";
  const mayWork = () => props.store.mayWork(props.task);
  const mayStart = () => mayWork() && !done() && !blocked() && !props.task.started;
  const size = () => (props.compact ? " button-small" : "");
  const id = () => props.task.id;
  const title = () => props.task.title;

  return (
    <Show
      when={(mayWork() && !done() && !(blocked() && props.compact)) || (done() && props.store.mayReopen(props.task))}
    >
      <div class="deal-task-actions">
        <div class="row">
          <Show when={mayStart()}>
            <button
              type="button"
              class={`button button-ghost${size()}`}
              disabled={runner.busy()}
              aria-label={props.compact ? `Start ${title()}` : undefined}
              data-testid="task-start"
              onClick={() => void runner.send("deal.task.start", { id: id() })}
            >
              Start
            </button>
          </Show>
          {/* On a board card a blocked task's column says it all; its page keeps the disabled button and why. */}
          <Show when={mayWork() && !done() && !(blocked() && props.compact)}>
            <button
              type="button"
              class={`button button-primary${size()}`}
              disabled={runner.busy() || blocked()}
              title={blocked() ? "Waits for the tasks it depends on" : undefined}
              aria-label={props.compact ? `Complete ${title()}` : undefined}
              data-testid="task-complete"
              onClick={() => void runner.send("deal.task.complete", { id: id() }, `“${title()}” completed.`)}
            >
              <Icon name="check" />
              Complete
            </button>
          </Show>
          <Show when={done() && props.store.mayReopen(props.task)}>
            <button
              type="button"
              class={`button button-ghost${size()}`}
              disabled={runner.busy()}
              aria-label={props.compact ? `Reopen ${title()}` : undefined}
              data-testid="task-reopen"
              onClick={() => void runner.send("deal.task.reopen", { id: id() }, `“${title()}” reopened.`)}
            >
              Reopen
            </button>
          </Show>
        </div>
        <Show when={blocked() && mayWork() && !props.compact}>
          <p class="hint" data-testid="task-blocked-hint">
            Blocked: it can be completed once the tasks it depends on are done.
          </p>
        </Show>
        <Alert message={runner.error()} testId="task-action-error" />
      </div>
    </Show>
  );
}
