/**
 * The shape of shared checklists inside a room's Yjs document, and the only functions
 * that change it. Client and tests both go through these, so the shape is written once.
 *
 *   doc.getMap("checklists"): Y.Map<checklistId, Y.Map>
 *     title: Y.Text              (a plain string in rooms written before text merged)
 *     order: number            position among checklists (fractional; smaller first)
 *     createdAt: number        ms since epoch
 *     items: Y.Map<itemId, Y.Map>
 *       text: Y.Text              (likewise; the room turns strings into Y.Text on load)
 *       done: boolean
 *       assignee: string | null   user id of a member
 *       due: string | null        calendar date, YYYY-MM-DD
 *       order: number             position in the checklist (fractional)
 *
 * Items are keyed maps with a fractional `order` rather than a Y.Array, so moving an
 * item is one field write: two people reordering and editing the same item at once
 * both keep their change.
 */
import * as Y from "yjs";

export interface ChecklistItem {
  id: string;
  text: string;
  done: boolean;
  assignee: string | null;
  due: string | null;
  order: number;
}

export interface Checklist {
  id: string;
  title: string;
  order: number;
  createdAt: number;
  items: ChecklistItem[];
}

export type ItemPatch = Partial<Pick<ChecklistItem, "text" | "done" | "assignee" | "due">> & {
  /** Where the caret is in the new `text`, to place an ambiguous change where it was typed. */
  caret?: number;
};

const DUE_DATE = /^\d{4}-\d{2}-\d{2}$/;
export const MAX_TITLE_LENGTH = 200;
export const MAX_ITEM_TEXT_LENGTH = 2000;

/** The root map holding every checklist of the room. */
export function checklistsRoot(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap("checklists");
}

function newId(): string {
  return crypto.randomUUID();
}

function byOrder<T extends { order: number; id: string }>(a: T, b: T): number {
  return a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function num(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

function str(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

/** Text people type: a Y.Text, or a plain string in rooms written before text merged. */
function text(value: unknown): string | null {
  return value instanceof Y.Text ? value.toString() : str(value);
}

/**
 * Changes `ytext` to read `next` by deleting and inserting only what differs between the
 * two (one contiguous change, as a keystroke, a paste or a cut makes), so edits others
 * make elsewhere in the same text at the same time are kept. `caret`, the caret in `next`
 * after the change, places an ambiguous change (typing "l" beside another "l") where the
 * person actually typed, so their characters stay together when others type nearby.
 */
export function editText(ytext: Y.Text, next: string, max: number, caret?: number): void {
  const target = next.slice(0, max);
  const current = ytext.toString();
  if (current === target) return;
  const maxEnd = caret === undefined ? target.length : Math.max(0, target.length - Math.min(caret, target.length));
  let end = 0;
  while (
    end < maxEnd &&
    end < current.length &&
    end < target.length &&
    current[current.length - 1 - end] === target[target.length - 1 - end]
  )
    end++;
  let start = 0;
  while (start < current.length - end && start < target.length - end && current[start] === target[start]) start++;
  const apply = () => {
    if (current.length - start - end > 0) ytext.delete(start, current.length - start - end);
    if (target.length - start - end > 0) ytext.insert(start, target.slice(start, target.length - end));
  };
  if (ytext.doc) ytext.doc.transact(apply);
  else apply();
}

/**
 * Writes `value` into the text field `key` of `map`: merged into
 * its Y.Text, or a new Y.Text where the field is missing or legacy.
 */
function setText(map: Y.Map<unknown>, key: string, value: string, max: number, caret?: number): void {
  const current = map.get(key);
  if (current instanceof Y.Text) editText(current, value, max, caret);
  else map.set(key, new Y.Text(value.slice(0, max)));
}

/** The shared text of a checklist's title (item null) or of an item, for binding an input to it. */
export function textField(doc: Y.Doc, checklistId: string, itemId: string | null): Y.Text | null {
  const list = checklistsRoot(doc).get(checklistId);
  const owner = itemId === null ? list : list && itemsOf(list)?.get(itemId);
  const value = owner?.get(itemId === null ? "title" : "text");
  return value instanceof Y.Text ? value : null;
}

/**
 * Turns every plain-string title and item text into a Y.Text with the same content, in
 * one transaction. Rooms written before text merged are migrated this way when they load.
 * Returns whether anything changed.
 */
export function migrateTextFields(doc: Y.Doc): boolean {
  let changed = false;
  doc.transact(() => {
    checklistsRoot(doc).forEach((list) => {
      if (!(list instanceof Y.Map)) return;
      const title = list.get("title");
      if (typeof title === "string") {
        list.set("title", new Y.Text(title.slice(0, MAX_TITLE_LENGTH)));
        changed = true;
      }
      itemsOf(list)?.forEach((item) => {
        const value = item instanceof Y.Map ? item.get("text") : undefined;
        if (typeof value === "string") {
          item.set("text", new Y.Text(value.slice(0, MAX_ITEM_TEXT_LENGTH)));
          changed = true;
        }
      });
    });
  });
  return changed;
}

function itemsOf(list: Y.Map<unknown>): Y.Map<Y.Map<unknown>> | null {
  const items = list.get("items");
  return items instanceof Y.Map ? (items as Y.Map<Y.Map<unknown>>) : null;
}

function readItem(id: string, item: Y.Map<unknown>): ChecklistItem {
  const due = str(item.get("due"));
  return {
    id,
    text: text(item.get("text")) ?? "",
    done: item.get("done") === true,
    assignee: str(item.get("assignee")),
    due: due !== null && DUE_DATE.test(due) ? due : null,
    order: num(item.get("order"), 0),
  };
}

/** A plain, sorted copy of every checklist, tolerant of malformed entries. */
export function readChecklists(doc: Y.Doc): Checklist[] {
  const out: Checklist[] = [];
  checklistsRoot(doc).forEach((list, id) => {
    if (!(list instanceof Y.Map)) return;
    const items: ChecklistItem[] = [];
    itemsOf(list)?.forEach((item, itemId) => {
      if (item instanceof Y.Map) items.push(readItem(itemId, item));
    });
    items.sort(byOrder);
    out.push({
      id,
      title: text(list.get("title")) ?? "",
      order: num(list.get("order"), 0),
      createdAt: num(list.get("createdAt"), 0),
      items,
    });
  });
  return out.sort(byOrder);
}

function clampText(text: string, max: number): string {
  return text.slice(0, max);
}

function lastOrder(orders: number[]): number {
  return orders.length === 0 ? 0 : Math.max(...orders) + 1;
}

/** Adds a checklist at the end; returns its id. */
export function addChecklist(doc: Y.Doc, title: string): string {
  const root = checklistsRoot(doc);
  const id = newId();
  const orders = readChecklists(doc).map((c) => c.order);
  doc.transact(() => {
    const list = new Y.Map<unknown>();
    list.set("title", new Y.Text(clampText(title.trim(), MAX_TITLE_LENGTH)));
    list.set("order", lastOrder(orders));
    list.set("createdAt", Date.now());
    list.set("items", new Y.Map());
    root.set(id, list);
  });
  return id;
}

export function renameChecklist(doc: Y.Doc, checklistId: string, title: string, caret?: number): void {
  const list = checklistsRoot(doc).get(checklistId);
  if (list) setText(list, "title", title, MAX_TITLE_LENGTH, caret);
}

export function deleteChecklist(doc: Y.Doc, checklistId: string): void {
  checklistsRoot(doc).delete(checklistId);
}

/** Adds an item at the end of a checklist; returns its id, or null if the checklist is gone. */
export function addItem(doc: Y.Doc, checklistId: string, text: string, patch: ItemPatch = {}): string | null {
  const list = checklistsRoot(doc).get(checklistId);
  const items = list ? itemsOf(list) : null;
  if (!items) return null;
  const id = newId();
  const orders: number[] = [];
  for (const item of items.values()) orders.push(num(item.get("order"), 0));
  doc.transact(() => {
    const item = new Y.Map<unknown>();
    item.set("text", new Y.Text(clampText(text, MAX_ITEM_TEXT_LENGTH)));
    item.set("done", patch.done ?? false);
    item.set("assignee", patch.assignee ?? null);
    item.set("due", patch.due && DUE_DATE.test(patch.due) ? patch.due : null);
    item.set("order", lastOrder(orders));
    items.set(id, item);
  });
  return id;
}

function itemMap(doc: Y.Doc, checklistId: string, itemId: string): Y.Map<unknown> | null {
  const list = checklistsRoot(doc).get(checklistId);
  return (list && itemsOf(list)?.get(itemId)) ?? null;
}

/** Changes the given fields of an item; only fields that differ are written. */
export function updateItem(doc: Y.Doc, checklistId: string, itemId: string, patch: ItemPatch): void {
  const item = itemMap(doc, checklistId, itemId);
  if (!item) return;
  doc.transact(() => {
    if (patch.text !== undefined) setText(item, "text", patch.text, MAX_ITEM_TEXT_LENGTH, patch.caret);
    if (patch.done !== undefined && patch.done !== item.get("done")) item.set("done", patch.done);
    if (patch.assignee !== undefined && patch.assignee !== item.get("assignee")) item.set("assignee", patch.assignee);
    if (patch.due !== undefined && patch.due !== item.get("due")) {
      item.set("due", patch.due !== null && DUE_DATE.test(patch.due) ? patch.due : null);
    }
  });
}

export function deleteItem(doc: Y.Doc, checklistId: string, itemId: string): void {
  const list = checklistsRoot(doc).get(checklistId);
  if (list) itemsOf(list)?.delete(itemId);
}

/**
 * Moves an item so that it ends up at `toIndex` among the checklist's items (0 = first),
 * by giving it an order between its new neighbours.
 */
export function moveItem(doc: Y.Doc, checklistId: string, itemId: string, toIndex: number): void {
  const item = itemMap(doc, checklistId, itemId);
  const list = readChecklists(doc).find((c) => c.id === checklistId);
  if (!item || !list) return;
  const others = list.items.filter((i) => i.id !== itemId);
  const index = Math.max(0, Math.min(toIndex, others.length));
  const before = others[index - 1]?.order;
  const after = others[index]?.order;
  const order =
    before === undefined && after === undefined
      ? 0
      : before === undefined
        ? (after as number) - 1
        : after === undefined
          ? before + 1
          : (before + after) / 2;
  item.set("order", order);
}

const MAX_ID_LENGTH = 64;

/** A shared type a transaction changed, as Yjs reports it in `transaction.changed`. */
export type ChangedType = Y.Transaction["changed"] extends Map<infer K, unknown> ? K : never;

type FieldRule = (value: unknown) => string | null;

const finiteNumber: FieldRule = (v) => (typeof v === "number" && Number.isFinite(v) ? null : "must be a finite number");
/** Text people type: a Y.Text of plain characters (no formatting or embeds), or a legacy string. */
const textUpTo =
  (max: number): FieldRule =>
  (v) => {
    if (v instanceof Y.Text) {
      if (v.length > max) return `must be at most ${max} characters`;
      const plain = v
        .toDelta()
        .every(
          (op: { insert?: unknown; attributes?: unknown }) =>
            typeof op.insert === "string" && op.attributes === undefined,
        );
      return plain ? null : "must be plain text";
    }
    return typeof v !== "string" ? "must be text" : v.length > max ? `must be at most ${max} characters` : null;
  };

const ITEM_FIELDS: Record<string, FieldRule> = {
  text: textUpTo(MAX_ITEM_TEXT_LENGTH),
  done: (v) => (typeof v === "boolean" ? null : "must be true or false"),
  assignee: (v) => (v === null ? null : textUpTo(MAX_ID_LENGTH)(v)),
  due: (v) => (v === null || (typeof v === "string" && DUE_DATE.test(v)) ? null : "must be null or a date YYYY-MM-DD"),
  order: finiteNumber,
};

/** A rule for a map whose every field follows `rules`; errors name it `what`. */
const mapOf =
  (what: string, rules: Record<string, FieldRule>): FieldRule =>
  (value) => {
    if (!(value instanceof Y.Map)) return `${what} must be a map`;
    for (const [key, field] of value.entries()) {
      const error = fieldError(rules, key, field);
      if (error) return `${what} ${error}`;
    }
    return null;
  };

const itemError = mapOf("item", ITEM_FIELDS);

function itemsError(value: unknown): string | null {
  if (!(value instanceof Y.Map)) return "items must be a map";
  for (const item of value.values()) {
    const error = itemError(item);
    if (error) return error;
  }
  return null;
}

const CHECKLIST_FIELDS: Record<string, FieldRule> = {
  title: textUpTo(MAX_TITLE_LENGTH),
  order: finiteNumber,
  createdAt: finiteNumber,
  items: itemsError,
};

const checklistError = mapOf("checklist", CHECKLIST_FIELDS);

function fieldError(rules: Record<string, FieldRule>, key: string | null, value: unknown): string | null {
  if (key === null) return "holds list content where only keys belong";
  const rule = Object.hasOwn(rules, key) ? rules[key] : undefined;
  if (!rule) return `has an unknown field "${key.slice(0, MAX_ID_LENGTH)}"`;
  const error = rule(value);
  return error ? `field "${key}" ${error}` : null;
}

/**
 * Why a change to the checklists root breaks the documented shape, or null. `path` leads
 * from the root to the changed map (`[]` is the root, `[id]` a checklist, `[id, "items"]`
 * its items, `[id, "items", itemId]` an item); `keys` are the keys that changed in it.
 * Only what changed is checked, so a keystroke costs one field check.
 */
export function checklistsChangeError(
  path: readonly string[],
  changed: ChangedType,
  keys: Iterable<string | null>,
): string | null {
  if (changed instanceof Y.Text) {
    // Characters typed into a title or an item's text: the text as a whole must still fit.
    const rule =
      path.length === 2 && path[1] === "title"
        ? CHECKLIST_FIELDS.title
        : path.length === 4 && path[1] === "items" && path[3] === "text"
          ? ITEM_FIELDS.text
          : undefined;
    if (!rule) return "text sits where no text field is";
    const error = rule(changed);
    return error ? `field "${path[path.length - 1]}" ${error}` : null;
  }
  if (!(changed instanceof Y.Map)) return "checklists hold only maps";
  const map = changed as Y.Map<unknown>;
  for (const key of keys) {
    if (key === null) return "checklists hold only keyed maps, not list content";
    const value = map.get(key);
    if (value === undefined && !map.has(key)) continue;
    let error: string | null;
    if (path.length === 0) error = key.length > MAX_ID_LENGTH ? "checklist id is too long" : checklistError(value);
    else if (path.length === 1) error = fieldError(CHECKLIST_FIELDS, key, value);
    else if (path.length === 2 && path[1] === "items")
      error = key.length > MAX_ID_LENGTH ? "item id is too long" : itemError(value);
    else if (path.length === 3 && path[1] === "items") error = fieldError(ITEM_FIELDS, key, value);
    else error = "checklists nest no deeper than item fields";
    if (error) return error;
  }
  return null;
}
