import { createSignal, For, Show } from "solid-js";
import type { Asset } from "../../../../schema/property/records";
import { byDue } from "../../../../schema/property/health";
import { errorMessage } from "../../api";
import { Alert } from "../../components/Alert";
import { Icon } from "../../components/Icon";
import { formatDate } from "../../format";
import { Link, roomHref } from "../../router";
import { showToast } from "../../toast";
import { AssetForm, CategoryIcon } from "./Assets";
import { CATEGORY_OPTION } from "./labels";
import type { PropertyStore } from "./store";
import { type Assignable, TaskForm } from "./TaskForm";
import { TaskRow } from "./TaskRow";

/** /rooms/:id/assets/:assetId: one asset, its upkeep, and its form. */
export function AssetPage(props: { store: PropertyStore; roomId: string; assetId: string; people: Assignable[]; nameOf: (userId: string) => string | null }) {
  const asset = () => props.store.asset(props.assetId);
  return (
    <Show
      when={asset()}
      fallback={
        <div class="card empty">
          <h2>{props.store.assets.length === 0 ? "Loading asset…" : "This asset is not in this home"}</h2>
          <Link href={roomHref(props.roomId)} class="button button-ghost">
            Back to the home
          </Link>
        </div>
      }
    >
      {(a) => <AssetView {...props} asset={a()} />}
    </Show>
  );
}

function AssetView(props: { store: PropertyStore; roomId: string; asset: Asset; people: Assignable[]; nameOf: (userId: string) => string | null }) {
  const [editing, setEditing] = createSignal(false);
  const [addingTask, setAddingTask] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const tasks = () => props.store.tasks.filter((t) => t.assetId === props.asset.id && !t.archived).sort(byDue);
  const facts = (): [string, string][] =>
    (
      [
        ["Category", CATEGORY_OPTION[props.asset.category]],
        ["Location", props.asset.location],
        ["Make", props.asset.make],
        ["Model", props.asset.model],
        ["Serial number", props.asset.serialNumber],
        ["Purchased", props.asset.purchaseDate ? formatDate(props.asset.purchaseDate) : ""],
        ["Warranty ends", props.asset.warrantyEnd ? formatDate(props.asset.warrantyEnd) : ""],
      ] as [string, string][]
    ).filter(([, value]) => value !== "");

  const setArchived = async (archived: boolean) => {
    setError(null);
    const result = await props.store.run("asset.archive", { id: props.asset.id, archived });
    if (result.status === "refused") setError(errorMessage(result.error));
    else showToast(archived ? `${props.asset.name} archived.` : `${props.asset.name} brought back.`);
  };

  return (
    <article class="stack" data-testid="asset-detail">
      <Link href={roomHref(props.roomId)} class="back-link">
        ‹ Home
      </Link>
      <Show when={!editing()} fallback={<AssetForm store={props.store} asset={props.asset} onDone={() => setEditing(false)} />}>
        <section class="card task-card">
          <div class="task-card-head">
            <CategoryIcon category={props.asset.category} />
            <h2>{props.asset.name}</h2>
            <Show when={props.asset.archived}>
              <span class="chip chip-muted">Archived</span>
            </Show>
          </div>
          <dl class="facts">
            <For each={facts()}>
              {([label, value]) => (
                <>
                  <dt>{label}</dt>
                  <dd>{value}</dd>
                </>
              )}
            </For>
            <Show when={props.asset.notes}>
              <dt>Notes</dt>
              <dd class="pre">{props.asset.notes}</dd>
            </Show>
          </dl>
          <Alert message={error()} />
          <Show when={props.store.canWriteRecords()}>
            <div class="row record-admin">
              <button type="button" class="button button-ghost" onClick={() => setEditing(true)} data-testid="asset-edit">
                Edit
              </button>
              <button type="button" class="button button-ghost" onClick={() => void setArchived(!props.asset.archived)} data-testid="asset-archive">
                {props.asset.archived ? "Bring back" : "Archive"}
              </button>
            </div>
          </Show>
        </section>
      </Show>
      <section class="stack" aria-labelledby="asset-tasks-title">
        <div class="board-head">
          <h2 id="asset-tasks-title">Upkeep</h2>
          <Show when={props.store.canWriteRecords() && !addingTask()}>
            <button type="button" class="button button-ghost" onClick={() => setAddingTask(true)}>
              <Icon name="plus" />
              Add task for this
            </button>
          </Show>
        </div>
        <Show when={addingTask()}>
          <TaskForm store={props.store} people={props.people} presetAssetId={props.asset.id} onDone={() => setAddingTask(false)} />
        </Show>
        <Show when={tasks().length > 0} fallback={<p class="muted">No upkeep planned for {props.asset.name} yet.</p>}>
          <ul class="task-list card">
            <For each={tasks()}>{(task) => <TaskRow store={props.store} roomId={props.roomId} task={task} nameOf={props.nameOf} />}</For>
          </ul>
        </Show>
      </section>
    </article>
  );
}
