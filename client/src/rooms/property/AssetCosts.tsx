/**
 * What an asset's upkeep cost over the last 12 months: the total, and each completion that recorded a cost.
 * Asked of the room again whenever one of the asset's tasks changes (a completion moves its task on).
 */
import { A } from "@solidjs/router";
import { createResource, For, Show } from "solid-js";
import { DEFAULT_HOME_CURRENCY } from "../../../../config";
import type { AssetCosts as Costs } from "../../../../schema/property/documents";
import { errorMessage, getAssetCosts } from "../../api";
import { formatDate } from "../../format";
import { taskHref } from "./links";
import { formatMoney } from "./money";
import type { PropertyStore } from "./store";

export function AssetCosts(props: { store: PropertyStore; roomId: string; assetId: string; assetName: string }) {
  /** Changes whenever one of the asset's tasks does: its completions are what the costs are made of. */
  const version = () =>
    props.store.tasks
      .filter((t) => t.assetId === props.assetId)
      .map((t) => `${t.id}:${t.updatedAt}`)
      .join(",");
  const [costs] = createResource(
    () => ({ assetId: props.assetId, version: version() }),
    ({ assetId }) => getAssetCosts(props.roomId, assetId),
  );
  const total = (c: Costs) =>
    c.totals.length === 0
      ? formatMoney(0, props.store.home()?.currency ?? DEFAULT_HOME_CURRENCY)
      : c.totals.map((t) => formatMoney(t.cents, t.currency)).join(" + ");

  return (
    <section class="stack" aria-labelledby="asset-costs-title" data-testid="asset-costs">
      <div class="board-head">
        <h2 id="asset-costs-title">Costs</h2>
      </div>
      <div class="card asset-costs">
        <Show
          when={!costs.error}
          fallback={<p class="muted">Costs could not be loaded: {errorMessage(costs.error)}</p>}
        >
          <Show when={costs.latest} fallback={<p class="muted">Loading…</p>}>
            {(c) => (
              <>
                <p class="cost-total">
                  <span class="muted small">
                    Spent in the last 12 months ({formatDate(c().from)} – {formatDate(c().to)})
                  </span>
                  <strong data-testid="asset-cost-total">{total(c())}</strong>
                </p>
                <Show
                  when={c().entries.length > 0}
                  fallback={
                    <p class="muted small">
                      Nothing recorded for {props.assetName} in the last 12 months. Add a cost when you mark a task
                      done.
                    </p>
                  }
                >
                  <ul class="cost-list" data-testid="asset-cost-entries" aria-label="Completions with a cost">
                    <For each={c().entries}>
                      {(entry) => (
                        <li class="cost-row">
                          <span class="cost-what">
                            <A href={taskHref(props.roomId, entry.taskId)}>{entry.taskTitle}</A>
                            <span class="muted small">Done {formatDate(entry.on)}</span>
                          </span>
                          <span class="cost-amount">{formatMoney(entry.costCents, entry.currency)}</span>
                        </li>
                      )}
                    </For>
                  </ul>
                </Show>
              </>
            )}
          </Show>
        </Show>
      </div>
    </section>
  );
}
