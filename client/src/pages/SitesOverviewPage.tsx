/**
 * /sites: every site this person belongs to at a glance (a restaurant group's manager), worst first: a site with a
 * critical alert whose condition lasts, then one with an alert still active, then one with alerts waiting for a
 * corrective action, then the quiet ones. Each lists its open alerts and opens its board. Kept live by asking again
 * every OVERVIEW_REFRESH_MS while the page is open.
 */
import { A } from "@solidjs/router";
import { createResource, For, onCleanup, onMount, Show } from "solid-js";
import type { Room } from "../../../schema/core/api";
import type { RuleKind } from "../../../schema/site/rules";
import { errorMessage, listRooms } from "../api";
import { Alert } from "../components/Alert";
import { TopBar } from "../components/TopBar";
import { roomHref } from "../links";
import { ago, RULE_WORDS } from "../rooms/site/labels";
import { isActive } from "../rooms/site/store";

const OVERVIEW_REFRESH_MS = 10_000;

/** 3 a critical alert whose condition lasts, 2 an active one, 1 only alerts waiting to be closed, 0 quiet. */
function worst(room: Room): number {
  const alerts = room.site?.alerts ?? [];
  if (alerts.some((a) => a.severity === "critical" && isActive(a))) return 3;
  if (alerts.some(isActive)) return 2;
  return (room.site?.open ?? 0) > 0 ? 1 : 0;
}

const STATUS_WORDS = ["All clear", "Waiting for a corrective action", "Alert", "Critical alert"];

export function SitesOverviewPage() {
  const [rooms, { refetch }] = createResource(listRooms);
  const timer = setInterval(() => void refetch(), OVERVIEW_REFRESH_MS);
  onCleanup(() => clearInterval(timer));
  onMount(() => {
    document.title = "Your sites · Haven";
  });
  const sites = () =>
    (rooms.latest ?? [])
      .filter((r) => r.kind === "site" && !r.archived)
      .sort((a, b) => worst(b) - worst(a) || a.name.localeCompare(b.name));
  const now = () => Date.now();
  return (
    <>
      <TopBar />
      <main class="page" id="main">
        <div class="page-head">
          <h1>Your sites</h1>
          <A href="/rooms" class="button button-ghost">
            All rooms
          </A>
        </div>
        <Alert message={rooms.error ? errorMessage(rooms.error) : null} />
        <Show when={rooms.latest && sites().length === 0}>
          <p class="muted">You belong to no site yet.</p>
        </Show>
        <ul class="sites-overview" data-testid="sites-overview">
          <For each={sites()}>
            {(site) => (
              <li class="card site-glance" data-testid="site-glance" data-room-id={site.id} data-worst={worst(site)}>
                <div class="row site-glance-head">
                  <A href={roomHref(site.id)} class="site-glance-name" data-testid="site-glance-link">
                    {site.name}
                  </A>
                  <span
                    class="chip"
                    classList={{
                      "chip-danger": worst(site) === 3,
                      "chip-warn": worst(site) === 2,
                      "chip-success": worst(site) === 0,
                    }}
                    data-testid="site-glance-status"
                  >
                    {STATUS_WORDS[worst(site)]}
                  </span>
                </div>
                <Show when={(site.site?.alerts ?? []).length > 0}>
                  <ul class="site-glance-alerts">
                    <For each={site.site?.alerts ?? []}>
                      {(alert) => (
                        <li data-testid="site-glance-alert">
                          <strong>{alert.unit || "A unit"}</strong>: {RULE_WORDS[alert.rule as RuleKind] ?? alert.rule}
                          {isActive(alert) ? "" : " (back in range)"} · {ago(alert.raisedAt, now())}
                        </li>
                      )}
                    </For>
                  </ul>
                </Show>
                <Show when={(site.site?.open ?? 0) > (site.site?.alerts.length ?? 0)}>
                  <p class="muted small">and {(site.site?.open ?? 0) - (site.site?.alerts.length ?? 0)} more</p>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </main>
    </>
  );
}
