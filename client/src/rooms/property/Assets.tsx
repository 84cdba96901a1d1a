import { A } from "@solidjs/router";
import { createSignal, For, onMount, Show } from "solid-js";
import { ASSET_CATEGORIES, type Asset, type AssetCategory } from "../../../../schema/property/records";
import { errorMessage, fieldErrorsOf } from "../../api";
import { Alert } from "../../components/Alert";
import { Icon } from "../../components/Icon";
import { formatDate } from "../../format";
import { showToast } from "../../toast";
import { CATEGORY_LABELS, CATEGORY_OPTION } from "./labels";
import { assetHref } from "./links";
import type { PropertyStore } from "./store";

const TEXT_FIELDS = [
  ["location", "Location", "e.g. Basement"],
  ["make", "Make", "e.g. Rheem"],
  ["model", "Model", ""],
  ["serialNumber", "Serial number", ""],
] as const;

/** The category's icon on its colour, as room kinds show theirs. */
export function CategoryIcon(props: { category: AssetCategory }) {
  return (
    <span class={`cat-icon cat-${props.category}`} aria-hidden="true">
      <Icon name={props.category} />
    </span>
  );
}

/** Add or edit an asset. */
export function AssetForm(props: { store: PropertyStore; asset?: Asset; onDone: (assetId: string | null) => void }) {
  const a = props.asset;
  const [error, setError] = createSignal<string | null>(null);
  const [fields, setFields] = createSignal<Record<string, string>>({});
  const [busy, setBusy] = createSignal(false);
  let nameRef: HTMLInputElement | undefined;
  onMount(() => nameRef?.focus());

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const text = (key: string) => String(data.get(key) ?? "").trim();
    const date = (key: string) => text(key) || null;
    const values = {
      name: text("name"),
      category: text("category") as AssetCategory,
      location: text("location"),
      make: text("make"),
      model: text("model"),
      serialNumber: text("serialNumber"),
      purchaseDate: date("purchaseDate"),
      warrantyEnd: date("warrantyEnd"),
      notes: String(data.get("notes") ?? ""),
    };
    setError(null);
    if (!values.name) {
      setFields({ name: "Give it a name." });
      return;
    }
    setFields({});
    setBusy(true);
    try {
      const id = a?.id ?? crypto.randomUUID();
      const result = a
        ? await props.store.run("asset.update", { id, ...values })
        : await props.store.run("asset.create", { id, ...values });
      if (result.status === "refused") {
        setError(errorMessage(result.error));
        setFields(fieldErrorsOf(result.error.details));
        return;
      }
      showToast(
        result.status === "queued"
          ? "Saved on this device. It syncs when you are back online."
          : a
            ? "Asset saved."
            : `${values.name} added.`,
      );
      props.onDone(id);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="card record-form stack"
      onSubmit={submit}
      aria-labelledby="asset-form-title"
      data-testid="asset-form"
      noValidate
    >
      <h3 id="asset-form-title">{a ? "Edit asset" : "New asset"}</h3>
      <Alert message={error()} />
      <div class="form-grid">
        <div class="field">
          <label for="asset-name">Name</label>
          <input
            ref={nameRef}
            id="asset-name"
            name="name"
            value={a?.name ?? ""}
            maxLength={120}
            required
            placeholder="e.g. Water heater"
            aria-invalid={fields().name ? "true" : undefined}
            aria-describedby="asset-name-error"
            data-testid="asset-name"
          />
          <span class="field-error" id="asset-name-error">
            {fields().name}
          </span>
        </div>
        <div class="field">
          <label for="asset-category">Category</label>
          <select id="asset-category" name="category" value={a?.category ?? "appliance"} data-testid="asset-category">
            <For each={[...ASSET_CATEGORIES]}>{(c) => <option value={c}>{CATEGORY_OPTION[c]}</option>}</For>
          </select>
        </div>
        <For each={TEXT_FIELDS}>
          {([key, label, placeholder]) => (
            <div class="field">
              <label for={`asset-${key}`}>{label}</label>
              <input
                id={`asset-${key}`}
                name={key}
                value={a?.[key] ?? ""}
                maxLength={120}
                placeholder={placeholder}
                autocomplete="off"
                aria-describedby={`asset-${key}-error`}
              />
              <span class="field-error" id={`asset-${key}-error`}>
                {fields()[key]}
              </span>
            </div>
          )}
        </For>
        <div class="field">
          <label for="asset-purchase">Purchase date</label>
          <input
            id="asset-purchase"
            name="purchaseDate"
            type="date"
            value={a?.purchaseDate ?? ""}
            aria-describedby="asset-purchase-error"
          />
          <span class="field-error" id="asset-purchase-error">
            {fields().purchaseDate}
          </span>
        </div>
        <div class="field">
          <label for="asset-warranty">Warranty ends</label>
          <input
            id="asset-warranty"
            name="warrantyEnd"
            type="date"
            value={a?.warrantyEnd ?? ""}
            aria-describedby="asset-warranty-error"
            data-testid="asset-warranty"
          />
          <span class="field-error" id="asset-warranty-error">
            {fields().warrantyEnd}
          </span>
        </div>
      </div>
      <div class="field">
        <label for="asset-notes">Notes</label>
        <textarea
          id="asset-notes"
          name="notes"
          rows="3"
          placeholder="Filter size, installer, where the manual is…"
          value={a?.notes ?? ""}
        />
      </div>
      <div class="row form-actions">
        <button type="submit" class="button button-primary" disabled={busy()} data-testid="asset-save">
          {a ? "Save asset" : "Add asset"}
        </button>
        <button type="button" class="button button-ghost" onClick={() => props.onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function AssetRow(props: { roomId: string; asset: Asset; today: string }) {
  const details = () =>
    [props.asset.location, [props.asset.make, props.asset.model].filter(Boolean).join(" ")].filter(Boolean).join(" · ");
  return (
    <li>
      <A
        href={assetHref(props.roomId, props.asset.id)}
        class="asset-row"
        data-testid="asset-row"
        data-asset-id={props.asset.id}
      >
        <CategoryIcon category={props.asset.category} />
        <span class="asset-main">
          <span class="asset-name">{props.asset.name}</span>
          <Show when={details()}>
            <span class="muted small">{details()}</span>
          </Show>
        </span>
        <Show when={props.asset.warrantyEnd}>
          {(end) => (
            <span class="chip" classList={{ "chip-muted": end() < props.today }} title="Warranty">
              <Icon name="shield" />
              {end() < props.today ? "Warranty ended" : `Until ${formatDate(end())}`}
            </span>
          )}
        </Show>
        <span class="chevron" aria-hidden="true">
          ›
        </span>
      </A>
    </li>
  );
}

/** The home's assets by category, with their form. */
export function AssetsTab(props: {
  store: PropertyStore;
  roomId: string;
  adding: boolean;
  setAdding: (adding: boolean) => void;
}) {
  const inUse = () => props.store.assets.filter((a) => !a.archived);
  const archived = () => props.store.assets.filter((a) => a.archived);
  const byCategory = () =>
    ASSET_CATEGORIES.map((category) => ({
      category,
      assets: inUse()
        .filter((a) => a.category === category)
        .sort((x, y) => x.name.localeCompare(y.name)),
    })).filter((g) => g.assets.length > 0);

  return (
    <div class="stack" data-testid="assets-tab">
      <div class="board-head">
        <h2>Assets</h2>
        <Show when={props.store.canWriteRecords() && !props.adding}>
          <button
            type="button"
            class="button button-primary"
            onClick={() => props.setAdding(true)}
            data-testid="add-asset"
          >
            <Icon name="plus" />
            Add asset
          </button>
        </Show>
      </div>
      <Show when={props.adding}>
        <AssetForm store={props.store} onDone={() => props.setAdding(false)} />
      </Show>
      <Show
        when={byCategory().length > 0}
        fallback={
          <Show when={!props.adding}>
            <div class="card empty" data-testid="assets-empty">
              <span class="cat-icon cat-appliance big-icon" aria-hidden="true">
                <Icon name="appliance" size={26} />
              </span>
              <h3>No assets yet</h3>
              <p class="muted">
                Add your furnace, water heater, fridge, roof… Keep their model, serial number and warranty in one place.
              </p>
              <Show when={props.store.canWriteRecords()}>
                <button type="button" class="button button-primary" onClick={() => props.setAdding(true)}>
                  <Icon name="plus" />
                  Add your first asset
                </button>
              </Show>
            </div>
          </Show>
        }
      >
        <For each={byCategory()}>
          {(group) => (
            <section class="asset-group" aria-labelledby={`cat-${group.category}`}>
              <h3 id={`cat-${group.category}`} class="group-title">
                {CATEGORY_LABELS[group.category]} <span class="muted">({group.assets.length})</span>
              </h3>
              <ul class="asset-list card">
                <For each={group.assets}>
                  {(asset) => <AssetRow roomId={props.roomId} asset={asset} today={props.store.today()} />}
                </For>
              </ul>
            </section>
          )}
        </For>
      </Show>
      <Show when={archived().length > 0}>
        <details class="archived-rooms">
          <summary>Archived ({archived().length})</summary>
          <ul class="asset-list card">
            <For each={archived()}>
              {(asset) => <AssetRow roomId={props.roomId} asset={asset} today={props.store.today()} />}
            </For>
          </ul>
        </details>
      </Show>
    </div>
  );
}
