import { A } from "@solidjs/router";
import { createMemo, For, Show } from "solid-js";
import { filterAssets, isAssetFiltered } from "../../../../schema/property/find";
import { ASSET_CATEGORIES, type Asset, type AssetCategory } from "../../../../schema/property/records";
import { Icon } from "../../components/Icon";
import { formatDate } from "../../format";
import { AssetForm } from "./AssetForm";
import { CATEGORY_LABELS } from "./labels";
import { assetHref } from "./links";
import type { PropertyStore } from "./store";
import { NoneFound, type TaskFilterState, TaskFilters } from "./TaskFilters";

/** The category's icon on its colour, as room kinds show theirs. */
export function CategoryIcon(props: { category: AssetCategory }) {
  return (
    <span class={`cat-icon cat-${props.category}`} aria-hidden="true">
      <Icon name={props.category} />
    </span>
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
  finding: TaskFilterState;
  adding: boolean;
  setAdding: (adding: boolean) => void;
}) {
  const found = createMemo(() => filterAssets(props.store.assets, props.finding.filter()));
  const filtered = () => isAssetFiltered(props.finding.filter());
  const inUse = () => found().filter((a) => !a.archived);
  const archived = () => found().filter((a) => a.archived);
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
      <Show when={props.store.assets.length > 0}>
        <TaskFilters state={props.finding} list="assets" store={props.store} people={[]} />
      </Show>
      <Show
        when={byCategory().length > 0}
        fallback={
          <Show
            when={filtered()}
            fallback={
              <Show when={!props.adding}>
                <div class="card empty" data-testid="assets-empty">
                  <span class="cat-icon cat-appliance big-icon" aria-hidden="true">
                    <Icon name="appliance" size={26} />
                  </span>
                  <h3>No assets yet</h3>
                  <p class="muted">
                    Add your furnace, water heater, fridge, roof… Keep their model, serial number and warranty in one
                    place.
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
            <NoneFound
              noun="assets"
              onClear={() => props.finding.clear()}
              testId="assets-none-found"
              clearTestId="asset-filters-clear"
            />
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
