/**
 * A task's dependencies both ways: "Depends on" (its `dependsOn`) and "Needed by" (every task whose `dependsOn`
 * names it), with add and remove for those who manage tasks. A dependency that would close a cycle is refused
 * by the room, whose message names the cycle; it is shown here as it comes.
 */
import { A } from "@solidjs/router";
import { createMemo, For, Show } from "solid-js";
import type { DealTask } from "../../../../schema/deal/records";
import { Alert } from "../../components/Alert";
import { createCommandRunner } from "./command";
import { STATE_TONE, STATE_WORDS, stateOf } from "./labels";
import { taskHref } from "./links";
import type { DealStore } from "./store";

export function TaskDependencies(props: { store: DealStore; roomId: string; task: DealTask }) {
  const runner = createCommandRunner(props.store);
  const mayChange = () => props.store.mayEdit(props.task);
  const dependsOn = createMemo(() =>
    (props.task.dependsOn ?? []).map((id) => props.store.task(id)).filter((t): t is DealTask => t !== undefined),
  );
  const neededBy = () => props.store.neededBy(props.task.id);
  const candidates = createMemo(() => {
    const taken = new Set([props.task.id, ...(props.task.dependsOn ?? [])]);
    return props.store.tasks.filter((t) => !taken.has(t.id)).sort((a, b) => a.title.localeCompare(b.title));
  });

  const onAdd = async (e: SubmitEvent & { currentTarget: HTMLFormElement }) => {
    e.preventDefault();
    const form = e.currentTarget;
    const dependsOnId = String(new FormData(form).get("dependsOn") ?? "");
    if (!dependsOnId) {
      runner.setError("Pick the task this one waits for.");
      return;
    }
    const ok = await runner.send("deal.dependency.add", { taskId: props.task.id, dependsOn: dependsOnId });
    if (ok) form.reset();
  };

  const row = (task: DealTask, remove?: () => void) => (
    <li class="deal-dep" data-testid="dependency" data-task-id={task.id}>
      <A href={taskHref(props.roomId, task.id)} class="deal-task-link">
        {task.title}
      </A>
      <span class={`chip ${STATE_TONE[stateOf(task)]}`}>{STATE_WORDS[stateOf(task)]}</span>
      <Show when={remove}>
        {(run) => (
          <button
            type="button"
            class="button button-ghost button-small"
            aria-label={`Remove the dependency on ${task.title}`}
            disabled={runner.busy()}
            data-testid="dependency-remove"
            onClick={() => run()()}
          >
            Remove
          </button>
        )}
      </Show>
    </li>
  );

  return (
    <section class="deal-deps" aria-label="Dependencies" data-testid="task-dependencies">
      <div class="deal-deps-grid">
        <div>
          <h3 class="group-title">Depends on</h3>
          <Show when={dependsOn().length > 0} fallback={<p class="hint">Nothing: it can start any time.</p>}>
            <ul class="plain-list" data-testid="depends-on">
              <For each={dependsOn()}>
                {(dep) =>
                  row(
                    dep,
                    mayChange()
                      ? () => void runner.send("deal.dependency.remove", { taskId: props.task.id, dependsOn: dep.id })
                      : undefined,
                  )
                }
              </For>
            </ul>
          </Show>
        </div>
        <div>
          <h3 class="group-title">Needed by</h3>
          <Show when={neededBy().length > 0} fallback={<p class="hint">No task waits for this one.</p>}>
            <ul class="plain-list" data-testid="needed-by">
              <For each={neededBy()}>{(dep) => row(dep)}</For>
            </ul>
          </Show>
        </div>
      </div>
      <Show when={mayChange() && candidates().length > 0}>
        <form class="row deal-dep-add" onSubmit={(e) => void onAdd(e)}>
          <label for="add-dependency">Waits for</label>
          <select id="add-dependency" name="dependsOn" data-testid="dependency-pick">
            <option value="">Choose a task…</option>
            <For each={candidates()}>{(t) => <option value={t.id}>{t.title}</option>}</For>
          </select>
          <button
            type="submit"
            class="button button-ghost button-small"
            disabled={runner.busy()}
            data-testid="dependency-add"
          >
            Add
          </button>
        </form>
      </Show>
      <Alert message={runner.error()} testId="dependency-error" />
    </section>
  );
}
