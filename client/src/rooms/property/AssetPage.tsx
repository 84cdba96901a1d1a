import { A as Link, useNavigate } from "@solidjs/router";
import { createSignal, For, Show } from "solid-js";
import { byDue } from "../../../../schema/property/health";
import type { Asset } from "../../../../schema/property/records";
import { ApiError, errorMessage } from "../../api";
import { Alert } from "../../components/Alert";
import { Icon } from "../../components/Icon";
import { formatDate } from "../../format";
import { roomHref } from "../../links";
import { showToast } from "../../toast";
import { AssetCosts } from "./AssetCosts";
import { AssetDocuments } from "./AssetDocuments";
import { AssetForm } from "./AssetForm";
import { CategoryIcon } from "./Assets";
import { DeleteRecord } from "./DeleteRecord";
import { TaskForm } from "./LazyTaskForm";
import { CATEGORY_OPTION } from "./labels";
import { OFFLINE_PHOTO_MESSAGE, PhotoInput, PhotoThumbs, sendPhoto } from "./photos";
import type { PropertyStore } from "./store";
import type { Assignable } from "./TaskForm";
import { TaskRow } from "./TaskRow";

/** /rooms/:id/assets/:assetId: one asset, its upkeep, and its form. */
export function AssetPage(props: {
  store: PropertyStore;
  roomId: string;
  assetId: string;
  people: Assignable[];
  nameOf: (userId: string) => string | null;
}) {
  const asset = () => props.store.asset(props.assetId);
  return (
    <Show
      when={asset()}
      fallback={
        <div class="card empty" data-testid="asset-missing">
          <h2>{props.store.loaded() ? "This asset is not in this home" : "Loading asset…"}</h2>
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

function AssetView(props: {
  store: PropertyStore;
  roomId: string;
  asset: Asset;
  people: Assignable[];
  nameOf: (userId: string) => string | null;
}) {
  const [editing, setEditing] = createSignal(false);
  const [addingTask, setAddingTask] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [uploading, setUploading] = createSignal(false);
  const [photoError, setPhotoError] = createSignal<string | null>(null);
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

  const navigate = useNavigate();
  /** Its tasks, archived ones too: the room refuses to delete an asset that still has any. */
  const linkedTasks = () => props.store.tasks.filter((t) => t.assetId === props.asset.id).length;
  const deleteBlocked = () => {
    const n = linkedTasks();
    const documents = props.asset.documents.length;
    if (n === 0 && documents > 0) {
      const what = documents === 1 ? "1 document belongs" : `${documents} documents belong`;
      return `${what} to ${props.asset.name}. Delete them first.`;
    }
    if (n === 0) return null;
    const which = n === 1 ? "1 task belongs" : `${n} tasks belong`;
    const fix = "Delete them or move them to another asset first.";
    return `${which} to ${props.asset.name} (archived ones count too). ${fix}`;
  };
  const remove = async () => {
    setError(null);
    const name = props.asset.name;
    const result = await props.store.run("asset.delete", { id: props.asset.id });
    if (result.status === "refused") setError(errorMessage(result.error));
    else if (result.status === "queued") showToast(`${name} is deleted when you are back online.`);
    else {
      showToast(`${name} deleted.`);
      navigate(roomHref(props.roomId));
    }
  };

  /** Uploads first, then attaches: only a stored photo can be named in a command. */
  const addPhoto = async (file: File) => {
    setPhotoError(null);
    if (!navigator.onLine) {
      setPhotoError(OFFLINE_PHOTO_MESSAGE);
      return;
    }
    setUploading(true);
    try {
      const photoId = await sendPhoto(props.roomId, file);
      const result = await props.store.run("asset.add_photo", { id: props.asset.id, photoId });
      if (result.status === "refused") setPhotoError(errorMessage(result.error));
      else if (result.status === "queued") showToast("Photo uploaded. It shows here once the connection returns.");
    } catch (err) {
      setPhotoError(err instanceof ApiError && err.status === 0 ? OFFLINE_PHOTO_MESSAGE : errorMessage(err));
    } finally {
      setUploading(false);
    }
  };

  return (
    <article class="stack" data-testid="asset-detail">
      <Link href={roomHref(props.roomId)} class="back-link">
        ‹ Home
      </Link>
      <Show
        when={!editing()}
        fallback={<AssetForm store={props.store} asset={props.asset} onDone={() => setEditing(false)} />}
      >
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
          <section class="asset-photos" aria-labelledby="asset-photos-title">
            <h3 id="asset-photos-title">Photos</h3>
            <PhotoThumbs
              roomId={props.roomId}
              photoIds={props.asset.photos}
              alt={(i) => `${props.asset.name}, photo ${i + 1} of ${props.asset.photos.length}`}
              testId="asset-photos"
            />
            <Show when={props.asset.photos.length === 0}>
              <p class="muted small">
                No photos yet. A photo of the rating plate keeps the model and serial number at hand.
              </p>
            </Show>
            <Alert message={photoError()} testId="photo-error" />
            <Show when={props.store.canWriteRecords() && !props.asset.archived}>
              <div class="row">
                <PhotoInput
                  id="asset-photo-input"
                  label={uploading() ? "Uploading…" : "Add photo"}
                  disabled={uploading()}
                  testId="asset-photo-input"
                  onPick={(file) => void addPhoto(file)}
                />
              </div>
            </Show>
          </section>
          <AssetDocuments roomId={props.roomId} asset={props.asset} canWrite={props.store.canWriteRecords()} />
          <Alert message={error()} />
          <Show when={props.store.canWriteRecords()}>
            <div class="row record-admin">
              <button
                type="button"
                class="button button-ghost"
                onClick={() => setEditing(true)}
                data-testid="asset-edit"
              >
                Edit
              </button>
              <button
                type="button"
                class="button button-ghost"
                onClick={() => void setArchived(!props.asset.archived)}
                data-testid="asset-archive"
              >
                {props.asset.archived ? "Bring back" : "Archive"}
              </button>
              <DeleteRecord
                label={`Delete asset ${props.asset.name}`}
                question={`Delete the asset “${props.asset.name}”?`}
                blocked={deleteBlocked()}
                onDelete={() => void remove()}
                testId="asset-delete"
              />
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
          <TaskForm
            store={props.store}
            people={props.people}
            presetAssetId={props.asset.id}
            onDone={() => setAddingTask(false)}
          />
        </Show>
        <Show when={tasks().length > 0} fallback={<p class="muted">No upkeep planned for {props.asset.name} yet.</p>}>
          <ul class="task-list card">
            <For each={tasks()}>
              {(task) => <TaskRow store={props.store} roomId={props.roomId} task={task} nameOf={props.nameOf} />}
            </For>
          </ul>
        </Show>
      </section>
      <AssetCosts store={props.store} roomId={props.roomId} assetId={props.asset.id} assetName={props.asset.name} />
    </article>
  );
}
