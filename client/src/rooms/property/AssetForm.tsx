import { createSignal, For, type JSX, onMount } from "solid-js";
import { createStore } from "solid-js/store";
import { ASSET_CATEGORIES, type Asset, type AssetCategory } from "../../../../schema/property/records";
import { errorMessage, fieldErrorsOf } from "../../api";
import { Alert } from "../../components/Alert";
import { ConflictNote, conflictId, createEditBase, type EditBase } from "../../components/EditConflict";
import { formatDate } from "../../format";
import { showToast } from "../../toast";
import { CATEGORY_LABELS, CATEGORY_OPTION } from "./labels";
import type { PropertyStore } from "./store";

/** What the form edits of an asset, as the command takes it. */
interface AssetValues {
  name: string;
  category: AssetCategory;
  location: string;
  make: string;
  model: string;
  serialNumber: string;
  purchaseDate: string | null;
  warrantyEnd: string | null;
  notes: string;
}

type TextField = "location" | "make" | "model" | "serialNumber";

const TEXT_FIELDS: readonly (readonly [TextField, string, string])[] = [
  ["location", "Location", "e.g. Basement"],
  ["make", "Make", "e.g. Rheem"],
  ["model", "Model", ""],
  ["serialNumber", "Serial number", ""],
];

function valuesOf(asset: Asset | undefined): AssetValues {
  return {
    name: asset?.name ?? "",
    category: asset?.category ?? "appliance",
    location: asset?.location ?? "",
    make: asset?.make ?? "",
    model: asset?.model ?? "",
    serialNumber: asset?.serialNumber ?? "",
    purchaseDate: asset?.purchaseDate ?? null,
    warrantyEnd: asset?.warrantyEnd ?? null,
    notes: asset?.notes ?? "",
  };
}

/** A field's conflict note, its value in words: quoted text, a date, or "nothing". */
function Conflict<K extends keyof AssetValues>(props: {
  edit: EditBase<AssetValues>;
  field: K;
  label: string;
  set: (value: AssetValues[K]) => void;
}): JSX.Element {
  const words = (value: AssetValues[K]) => {
    if (value === null || value === "") return "nothing";
    if (props.field === "category") return CATEGORY_LABELS[value as AssetCategory];
    if (props.field === "purchaseDate" || props.field === "warrantyEnd") return formatDate(String(value));
    return `“${value}”`;
  };
  return (
    <ConflictNote
      edit={props.edit}
      field={props.field}
      fieldId={`asset-${props.field}`}
      label={props.label}
      theirs={words}
      apply={props.set}
    />
  );
}

/**
 * Add or edit an asset. An edit sends only what its user changed, based on the asset as
 * the form opened it: a change someone else made meanwhile is kept, or shown to choose
 * from when both changed the same field.
 */
export function AssetForm(props: { store: PropertyStore; asset?: Asset; onDone: (assetId: string | null) => void }) {
  const a = props.asset;
  const [form, setForm] = createStore<AssetValues>(valuesOf(a));
  const edit = createEditBase<AssetValues>(valuesOf(a));
  const [error, setError] = createSignal<string | null>(null);
  const [fields, setFields] = createSignal<Record<string, string>>({});
  const [busy, setBusy] = createSignal(false);
  let nameRef: HTMLInputElement | undefined;
  onMount(() => nameRef?.focus());

  const set =
    <K extends keyof AssetValues>(key: K) =>
    (value: AssetValues[K]) =>
      setForm(key, value);
  const values = (): AssetValues => ({
    ...form,
    name: form.name.trim(),
    location: form.location.trim(),
    make: form.make.trim(),
    model: form.model.trim(),
    serialNumber: form.serialNumber.trim(),
    purchaseDate: form.purchaseDate || null,
    warrantyEnd: form.warrantyEnd || null,
  });
  const describedBy = (key: keyof AssetValues) => `asset-${key}-error ${conflictId(`asset-${key}`)}`;

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const now = values();
    setError(null);
    if (!now.name) {
      setFields({ name: "Give it a name." });
      return;
    }
    if (edit.pending()) {
      setError("Someone else changed this asset while you were editing it: choose which value to keep below.");
      return;
    }
    setFields({});
    setBusy(true);
    try {
      const id = a?.id ?? crypto.randomUUID();
      const { changes, base } = edit.diff(now);
      const result = a
        ? await props.store.run("asset.update", { id, ...changes, base })
        : await props.store.run("asset.create", { id, ...now });
      if (result.status === "refused") {
        setError(errorMessage(result.error));
        if (!edit.take(result.error)) setFields(fieldErrorsOf(result.error.details));
        return;
      }
      showToast(
        result.status === "queued"
          ? "Saved on this device. It syncs when you are back online."
          : a
            ? "Asset saved."
            : `${now.name} added.`,
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
            value={form.name}
            onInput={(e) => setForm("name", e.currentTarget.value)}
            maxLength={120}
            required
            placeholder="e.g. Water heater"
            aria-invalid={fields().name ? "true" : undefined}
            aria-describedby={describedBy("name")}
            data-testid="asset-name"
          />
          <span class="field-error" id="asset-name-error">
            {fields().name}
          </span>
          <Conflict edit={edit} field="name" label="the name" set={set("name")} />
        </div>
        <div class="field">
          <label for="asset-category">Category</label>
          <select
            id="asset-category"
            name="category"
            value={form.category}
            onChange={(e) => setForm("category", e.currentTarget.value as AssetCategory)}
            aria-describedby={conflictId("asset-category")}
            data-testid="asset-category"
          >
            <For each={[...ASSET_CATEGORIES]}>{(c) => <option value={c}>{CATEGORY_OPTION[c]}</option>}</For>
          </select>
          <Conflict edit={edit} field="category" label="the category" set={set("category")} />
        </div>
        <For each={TEXT_FIELDS}>
          {([key, label, placeholder]) => (
            <div class="field">
              <label for={`asset-${key}`}>{label}</label>
              <input
                id={`asset-${key}`}
                name={key}
                value={form[key]}
                onInput={(e) => setForm(key, e.currentTarget.value)}
                maxLength={120}
                placeholder={placeholder}
                autocomplete="off"
                aria-describedby={describedBy(key)}
              />
              <span class="field-error" id={`asset-${key}-error`}>
                {fields()[key]}
              </span>
              <Conflict edit={edit} field={key} label={`the ${label.toLowerCase()}`} set={set(key)} />
            </div>
          )}
        </For>
        <div class="field">
          <label for="asset-purchaseDate">Purchase date</label>
          <input
            id="asset-purchaseDate"
            name="purchaseDate"
            type="date"
            value={form.purchaseDate ?? ""}
            onInput={(e) => setForm("purchaseDate", e.currentTarget.value || null)}
            aria-describedby={describedBy("purchaseDate")}
          />
          <span class="field-error" id="asset-purchaseDate-error">
            {fields().purchaseDate}
          </span>
          <Conflict edit={edit} field="purchaseDate" label="the purchase date" set={set("purchaseDate")} />
        </div>
        <div class="field">
          <label for="asset-warrantyEnd">Warranty ends</label>
          <input
            id="asset-warrantyEnd"
            name="warrantyEnd"
            type="date"
            value={form.warrantyEnd ?? ""}
            onInput={(e) => setForm("warrantyEnd", e.currentTarget.value || null)}
            aria-describedby={describedBy("warrantyEnd")}
            data-testid="asset-warranty"
          />
          <span class="field-error" id="asset-warrantyEnd-error">
            {fields().warrantyEnd}
          </span>
          <Conflict edit={edit} field="warrantyEnd" label="the warranty's end" set={set("warrantyEnd")} />
        </div>
      </div>
      <div class="field">
        <label for="asset-notes">Notes</label>
        <textarea
          id="asset-notes"
          name="notes"
          rows="3"
          placeholder="Filter size, installer, where the manual is…"
          value={form.notes}
          onInput={(e) => setForm("notes", e.currentTarget.value)}
          aria-describedby={conflictId("asset-notes")}
        />
        <Conflict edit={edit} field="notes" label="the notes" set={set("notes")} />
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
