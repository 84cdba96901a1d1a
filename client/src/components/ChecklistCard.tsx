import { createMemo, createSignal, For, Show } from "solid-js";
import type { Member } from "../../../schema/core/api";
import { type Checklist, MAX_ITEM_TEXT_LENGTH, MAX_TITLE_LENGTH } from "../../../schema/core/checklists";
import type { Peer, RoomStore } from "../room";
import { showToast } from "../toast";
import { bindText } from "./bindText";
import { ConfirmButton } from "./ConfirmButton";
import { ItemRow } from "./ItemRow";

/** One checklist: its title, progress, items and the input that adds an item. */
export function ChecklistCard(props: {
  list: Checklist;
  store: RoomStore;
  members: Member[] | undefined;
  nameOf: (userId: string) => string | null;
}) {
  const [dragging, setDragging] = createSignal<string | null>(null);
  const [dropIndex, setDropIndex] = createSignal<number | null>(null);
  const doneCount = () => props.list.items.filter((i) => i.done).length;
  const total = () => props.list.items.length;
  const readOnly = () => !props.store.canWrite();

  /** Other people editing an item, one entry per person. */
  const editorsOf = (itemId: string): Peer[] => {
    const byUser = new Map<string, Peer>();
    for (const peer of props.store.peers()) {
      if (!peer.self && peer.editing?.checklistId === props.list.id && peer.editing.itemId === itemId)
        byUser.set(peer.userId, peer);
    }
    return [...byUser.values()];
  };

  // The title merges keystroke by keystroke with anyone else renaming it at the same time.
  const titleText = createMemo(() => {
    void props.list.title;
    return props.store.textField(props.list.id, null);
  });

  const onTitleKey = (event: KeyboardEvent & { currentTarget: HTMLTextAreaElement }) => {
    if (event.key !== "Enter" && event.key !== "Escape") return;
    event.preventDefault();
    event.currentTarget.blur();
  };

  const onAddItem = (event: SubmitEvent & { currentTarget: HTMLFormElement }) => {
    event.preventDefault();
    const input = event.currentTarget.elements.namedItem("text");
    if (!(input instanceof HTMLInputElement) || input.value.trim() === "") return;
    props.store.addItem(props.list.id, input.value.trim());
    input.value = "";
  };

  const drop = () => {
    const itemId = dragging();
    const to = dropIndex();
    if (itemId !== null && to !== null) props.store.moveItem(props.list.id, itemId, to);
    setDragging(null);
    setDropIndex(null);
  };

  return (
    <section
      class="card checklist"
      data-testid="checklist"
      data-checklist-id={props.list.id}
      aria-label={`Checklist: ${props.list.title || "Untitled"}`}
    >
      <header class="checklist-head">
        <Show
          when={!readOnly()}
          fallback={
            <h3 class="checklist-title checklist-title-readonly" data-testid="checklist-title">
              {props.list.title || "Untitled checklist"}
            </h3>
          }
        >
          <textarea
            ref={(el) =>
              bindText(
                el,
                titleText,
                () => props.list.title,
                (next, caret) => props.store.renameChecklist(props.list.id, next, caret),
              )
            }
            class="checklist-title"
            aria-label="Checklist title"
            maxLength={MAX_TITLE_LENGTH}
            placeholder="Untitled checklist"
            data-testid="checklist-title"
            onKeyDown={onTitleKey}
            rows={1}
          />
          <ConfirmButton
            label="Delete"
            ariaLabel={`Delete checklist ${props.list.title}`}
            confirmLabel="Delete list"
            testId="delete-checklist"
            onConfirm={() => {
              const title = props.list.title || "Untitled checklist";
              props.store.deleteChecklist(props.list.id);
              showToast(`Deleted the checklist “${title}”.`, "info", { label: "Undo", run: () => props.store.undo() });
            }}
          />
        </Show>
      </header>

      <div class="progress-row">
        <div
          class="progress"
          role="progressbar"
          aria-label="Items done"
          aria-valuemin={0}
          aria-valuemax={total()}
          aria-valuenow={doneCount()}
        >
          <div class="progress-bar" style={{ width: `${total() === 0 ? 0 : (100 * doneCount()) / total()}%` }} />
        </div>
        <span class="muted small" data-testid="checklist-progress">
          {doneCount()}/{total()} done
        </span>
      </div>

      <Show when={total() > 0} fallback={<p class="muted small empty-items">No items yet.</p>}>
        <ul
          class="items"
          onDragOver={(e) => dragging() !== null && e.preventDefault()}
          onDrop={(e) => {
            e.preventDefault();
            drop();
          }}
        >
          <For each={props.list.items}>
            {(item, index) => (
              <ItemRow
                checklistId={props.list.id}
                item={item}
                index={index()}
                count={total()}
                store={props.store}
                members={props.members}
                nameOf={props.nameOf}
                editors={editorsOf(item.id)}
                dropTarget={dragging() !== null && dropIndex() === index() && dragging() !== item.id}
                onDragStart={() => setDragging(item.id)}
                onDragEnter={() => dragging() !== null && setDropIndex(index())}
                onDragEnd={() => {
                  setDragging(null);
                  setDropIndex(null);
                }}
              />
            )}
          </For>
        </ul>
      </Show>

      <Show when={!readOnly()}>
        <form class="new-item" onSubmit={onAddItem}>
          <input
            name="text"
            placeholder="Add an item…"
            aria-label={`New item in ${props.list.title || "this checklist"}`}
            maxLength={MAX_ITEM_TEXT_LENGTH}
            autocomplete="off"
            enterkeyhint="enter"
            data-testid="new-item-input"
          />
          <button type="submit" class="button button-ghost" data-testid="add-item">
            Add
          </button>
        </form>
      </Show>
    </section>
  );
}
