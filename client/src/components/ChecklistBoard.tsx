import { For, Show } from "solid-js";
import type { Member } from "../../../schema/core/api";
import { MAX_TITLE_LENGTH } from "../../../schema/core/checklists";
import type { RoomStore } from "../room";
import { ChecklistCard } from "./ChecklistCard";

/** Focuses the new-item input of a checklist once it is on screen. */
function focusNewItem(checklistId: string) {
  requestAnimationFrame(() => {
    document
      .querySelector<HTMLInputElement>(
        `[data-checklist-id="${CSS.escape(checklistId)}"] [data-testid="new-item-input"]`,
      )
      ?.focus();
  });
}

/** The room's checklists and the form that adds one. */
export function ChecklistBoard(props: {
  store: RoomStore;
  members: Member[] | undefined;
  nameOf: (userId: string) => string | null;
}) {
  const onAdd = (event: SubmitEvent & { currentTarget: HTMLFormElement }) => {
    event.preventDefault();
    const input = event.currentTarget.elements.namedItem("title");
    if (!(input instanceof HTMLInputElement) || input.value.trim() === "") return;
    const id = props.store.addChecklist(input.value);
    input.value = "";
    if (id) focusNewItem(id);
  };

  return (
    <section class="board" aria-labelledby="checklists-heading">
      <div class="board-head">
        <h2 id="checklists-heading">Checklists</h2>
        <Show when={props.store.canWrite()}>
          <form class="inline-form" data-testid="new-checklist-form" onSubmit={onAdd}>
            <label for="new-checklist-title" class="sr-only">
              New checklist title
            </label>
            <input
              id="new-checklist-title"
              name="title"
              placeholder="New checklist…"
              maxLength={MAX_TITLE_LENGTH}
              autocomplete="off"
              data-testid="new-checklist-title"
            />
            <button type="submit" class="button button-primary" data-testid="new-checklist-submit">
              Add checklist
            </button>
          </form>
        </Show>
      </div>
      <Show
        when={props.store.checklists.length > 0}
        fallback={
          <div class="card empty" aria-busy={!props.store.loaded()}>
            <p class="muted">{props.store.loaded() ? "No checklists yet." : "Loading checklists…"}</p>
          </div>
        }
      >
        <div class="checklists">
          <For each={props.store.checklists}>
            {(list) => <ChecklistCard list={list} store={props.store} members={props.members} nameOf={props.nameOf} />}
          </For>
        </div>
      </Show>
    </section>
  );
}
