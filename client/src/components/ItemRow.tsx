import { createMemo, createSignal, For, onCleanup, Show } from "solid-js";
import type { Member } from "../../../schema/core/api";
import { type ChecklistItem, MAX_ITEM_TEXT_LENGTH } from "../../../schema/core/checklists";
import { formatDate, todayDate } from "../format";
import type { Peer, RoomStore } from "../room";
import { showToast } from "../toast";
import { Avatar } from "./Avatar";
import { bindText } from "./bindText";
import { Icon } from "./Icon";

interface ItemRowProps {
  checklistId: string;
  item: ChecklistItem;
  index: number;
  count: number;
  store: RoomStore;
  /** The room's members when this user may assign; undefined shows the assignee read-only. */
  members: Member[] | undefined;
  nameOf: (userId: string) => string | null;
  /** Other people whose cursor is in this item right now. */
  editors: Peer[];
  dropTarget: boolean;
  onDragStart: () => void;
  onDragEnter: () => void;
  onDragEnd: () => void;
}

/** One checklist item: done box, inline text, assignee, due date, reorder and delete. */
export function ItemRow(props: ItemRowProps) {
  const [draggable, setDraggable] = createSignal(false);
  // An item without a due date shows a small button instead of an empty date box.
  const [settingDue, setSettingDue] = createSignal(false);
  let upRef: HTMLButtonElement | undefined;
  let downRef: HTMLButtonElement | undefined;
  const readOnly = () => !props.store.canWrite();
  const label = () => props.item.text.trim() || "untitled item";
  const overdue = () => !props.item.done && props.item.due !== null && props.item.due < todayDate();

  const update = (patch: Parameters<RoomStore["updateItem"]>[2]) =>
    props.store.updateItem(props.checklistId, props.item.id, patch);
  // The same Y.Text for as long as the item lives; looked up again only if the field is replaced (a migration).
  const sharedText = createMemo(() => {
    void props.item.text;
    return props.store.textField(props.checklistId, props.item.id);
  });

  // Someone else deleted this item (or its checklist) while this user was typing in it:
  // say so, offer back what they had, and keep the keyboard in the checklist.
  let textRef: HTMLTextAreaElement | undefined;
  let listRef: Element | null = null;
  onCleanup(() => {
    if (!textRef || document.activeElement !== textRef) return;
    const typed = textRef.value.trim();
    showToast(`Someone else deleted the item you were editing${typed ? `: “${typed}”` : ""}.`, "error");
    const list = listRef;
    queueMicrotask(() => {
      const target = list?.isConnected
        ? list.querySelector<HTMLElement>('[data-testid="new-item-input"]')
        : document.querySelector<HTMLElement>("#main h1");
      if (target) {
        if (!target.matches("input")) target.tabIndex = -1;
        target.focus();
      }
    });
  });

  const move = (delta: -1 | 1) => {
    props.store.moveItem(props.checklistId, props.item.id, props.index + delta);
    // Reordering moves this row's node, which drops focus: put it back so the key can be pressed again.
    queueMicrotask(() => {
      const preferred = delta < 0 ? upRef : downRef;
      const other = delta < 0 ? downRef : upRef;
      (preferred && !preferred.disabled ? preferred : other)?.focus();
    });
  };

  return (
    <Show when={!readOnly()} fallback={<ReadOnlyItemRow {...props} overdue={overdue()} />}>
      <li
        class="item"
        classList={{
          "item-done": props.item.done,
          "item-drop": props.dropTarget,
          "item-busy": props.editors.length > 0,
        }}
        data-testid="item"
        data-item-id={props.item.id}
        data-done={props.item.done ? "true" : "false"}
        draggable={draggable()}
        onDragStart={(e) => {
          e.dataTransfer?.setData("text/plain", props.item.text);
          if (e.dataTransfer) e.dataTransfer.effectAllowed = "move";
          props.onDragStart();
        }}
        onDragEnter={() => props.onDragEnter()}
        onDragEnd={() => {
          setDraggable(false);
          props.onDragEnd();
        }}
        style={props.editors[0] ? { "--editor-color": props.editors[0].color } : undefined}
      >
        <span
          class="grip"
          title="Drag to reorder"
          aria-hidden="true"
          onPointerDown={() => setDraggable(true)}
          onPointerUp={() => setDraggable(false)}
        >
          <Icon name="grip" />
        </span>
        <input
          type="checkbox"
          class="item-check"
          checked={props.item.done}
          aria-label={`Done: ${label()}`}
          data-testid="item-done"
          onChange={(e) => update({ done: e.currentTarget.checked })}
        />
        <div class="item-main">
          <textarea
            ref={(el) => {
              textRef = el;
              queueMicrotask(() => (listRef = el.closest("section")));
              bindText(
                el,
                sharedText,
                () => props.item.text,
                (next, caret) => update({ text: next, caret }),
              );
            }}
            class="item-text"
            aria-label="Item text"
            maxLength={MAX_ITEM_TEXT_LENGTH}
            data-testid="item-text"
            onFocus={() => props.store.setEditing({ checklistId: props.checklistId, itemId: props.item.id })}
            onBlur={() => props.store.setEditing(null)}
            onKeyDown={(e) => e.key === "Enter" && e.preventDefault()}
            rows={1}
          />
          <div class="item-meta">
            <Show when={props.editors.length > 0}>
              <span class="editors" data-testid="item-editors">
                <For each={props.editors}>{(peer) => <Avatar name={peer.name} color={peer.color} size="sm" />}</For>
                <span class="small">
                  {props.editors.map((p) => p.name).join(", ")} {props.editors.length === 1 ? "is" : "are"} editing
                </span>
              </span>
            </Show>
            <Assignee {...props} onChange={(assignee) => update({ assignee })} />
            <Show
              when={props.item.due !== null || settingDue()}
              fallback={
                <button
                  type="button"
                  class="button button-ghost button-small"
                  aria-label={`Add due date for ${label()}`}
                  data-testid="item-add-due"
                  onClick={() => setSettingDue(true)}
                >
                  Add due date
                </button>
              }
            >
              <label class="due" classList={{ "due-overdue": overdue() }}>
                <span class="sr-only">Due date for {label()}</span>
                <input
                  ref={(el) => settingDue() && queueMicrotask(() => el.focus())}
                  type="date"
                  value={props.item.due ?? ""}
                  data-testid="item-due"
                  onChange={(e) => update({ due: e.currentTarget.value === "" ? null : e.currentTarget.value })}
                  onBlur={() => setSettingDue(false)}
                />
                <Show when={overdue()}>
                  <span class="overdue-flag">Overdue</span>
                </Show>
              </label>
            </Show>
          </div>
        </div>
        <div class="item-actions">
          <button
            ref={upRef}
            type="button"
            class="icon-button"
            aria-label={`Move ${label()} up`}
            disabled={props.index === 0}
            data-testid="item-move-up"
            onClick={() => move(-1)}
          >
            <Icon name="up" />
          </button>
          <button
            ref={downRef}
            type="button"
            class="icon-button"
            aria-label={`Move ${label()} down`}
            disabled={props.index >= props.count - 1}
            data-testid="item-move-down"
            onClick={() => move(1)}
          >
            <Icon name="down" />
          </button>
          <button
            type="button"
            class="icon-button icon-button-danger"
            aria-label={`Delete ${label()}`}
            data-testid="item-delete"
            onClick={(e) => {
              // The button is about to disappear: keep the keyboard in the list, not on the page body.
              const row = e.currentTarget.closest("li");
              const next =
                row?.nextElementSibling?.querySelector<HTMLElement>(".item-text") ??
                row?.previousElementSibling?.querySelector<HTMLElement>(".item-text") ??
                row?.closest("article, section")?.querySelector<HTMLElement>('[data-testid="new-item-input"]');
              const deleted = label();
              props.store.deleteItem(props.checklistId, props.item.id);
              next?.focus();
              showToast(`Deleted “${deleted}”.`, "info", { label: "Undo", run: () => props.store.undo() });
            }}
          >
            <Icon name="trash" />
          </button>
        </div>
      </li>
    </Show>
  );
}

/** What a member who may not write sees: the item as text, nothing that looks clickable but is not. */
function ReadOnlyItemRow(props: ItemRowProps & { overdue: boolean }) {
  return (
    <li
      class="item item-readonly"
      classList={{ "item-done": props.item.done }}
      data-testid="item"
      data-item-id={props.item.id}
      data-done={props.item.done ? "true" : "false"}
    >
      <span class="item-status" role="img" aria-label={props.item.done ? "Done" : "Not done"} data-testid="item-done">
        <Show when={props.item.done}>
          <Icon name="check" />
        </Show>
      </span>
      <div class="item-main">
        <p class="item-text item-text-readonly" data-testid="item-text">
          {props.item.text.trim() || "Untitled item"}
        </p>
        <div class="item-meta">
          <Show when={props.editors.length > 0}>
            <span class="editors small" data-testid="item-editors">
              {props.editors.map((p) => p.name).join(", ")} {props.editors.length === 1 ? "is" : "are"} editing
            </span>
          </Show>
          <Assignee {...props} />
          <Show when={props.item.due}>
            {(due) => (
              <span class="due-text small" classList={{ "due-overdue": props.overdue }} data-testid="item-due">
                Due {formatDate(due())}
                <Show when={props.overdue}>
                  <span class="overdue-flag">Overdue</span>
                </Show>
              </span>
            )}
          </Show>
        </div>
      </div>
    </li>
  );
}

/**
 * Owners and admins pick among the members list. Everyone else cannot list members, so
 * they see the assignee by name when this client knows it, and cannot change it.
 */
function Assignee(props: ItemRowProps & { onChange?: (assignee: string | null) => void }) {
  const current = () => props.item.assignee;
  return (
    <Show
      when={props.members}
      fallback={
        <Show when={current()}>
          {(id) => (
            <span class="chip chip-muted assignee" data-testid="item-assignee" title="Assignee">
              <Icon name="user" />
              {props.nameOf(id()) ?? "Assigned"}
            </span>
          )}
        </Show>
      }
    >
      {(members) => (
        <label class="assignee-select">
          <span class="sr-only">Assignee for {props.item.text.trim() || "untitled item"}</span>
          <Icon name="user" />
          <select
            disabled={!props.onChange}
            data-testid="item-assignee"
            onChange={(e) => props.onChange?.(e.currentTarget.value === "" ? null : e.currentTarget.value)}
          >
            <option value="" selected={current() === null}>
              Unassigned
            </option>
            <For each={members()}>
              {(member) => (
                <option value={member.userId} selected={current() === member.userId}>
                  {member.name}
                </option>
              )}
            </For>
            <Show when={current() !== null && !members().some((m) => m.userId === current())}>
              <option value={current() ?? ""} selected>
                {props.nameOf(current() ?? "") ?? "Former member"}
              </option>
            </Show>
          </select>
        </label>
      )}
    </Show>
  );
}
