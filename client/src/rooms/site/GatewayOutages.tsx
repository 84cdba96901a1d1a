/**
 * A gateway gone quiet, shown once above the board: which units fell silent with it, since
 * when, and one acknowledgement for them all. Their tiles still show each unit as silent.
 */
import { createMemo, For, Show } from "solid-js";
import { MAX_BULK_ACK } from "../../../../schema/site/commands";
import type { Alert } from "../../../../schema/site/records";
import { formatDateTime } from "../../format";
import { BulkAck } from "./BulkAck";
import { isActive, type SiteStore } from "./store";

interface Outage {
  gateway: string;
  alerts: Alert[];
}

export function GatewayOutages(props: { store: SiteStore }) {
  const outages = createMemo(() => {
    const byGateway = new Map<string, Alert[]>();
    for (const alert of props.store.alerts) {
      if (alert.rule !== "stale" || alert.gateway === null || !isActive(alert)) continue;
      byGateway.set(alert.gateway, [...(byGateway.get(alert.gateway) ?? []), alert]);
    }
    return [...byGateway].map(([gateway, alerts]): Outage => ({ gateway, alerts }));
  });
  return <For each={outages()}>{(outage) => <OutageCard store={props.store} outage={outage} />}</For>;
}

function OutageCard(props: { store: SiteStore; outage: Outage }) {
  const names = () =>
    props.outage.alerts
      .map((a) => props.store.unit(a.unitId)?.name ?? "A unit")
      .sort((a, b) => a.localeCompare(b))
      .join(", ");
  const since = () => Math.min(...props.outage.alerts.map((a) => a.startedAt));
  const waiting = () => props.outage.alerts.filter((a) => a.ack === null).slice(0, MAX_BULK_ACK);
  const acked = () => props.outage.alerts.find((a) => a.ack !== null)?.ack ?? null;
  const count = () => props.outage.alerts.length;
  const quiet = () =>
    `${count() === 1 ? "1 unit has" : `${count()} units have`} not been heard from since ${formatDateTime(since())}`;
  return (
    <section
      class="card gateway-outage"
      aria-labelledby={`outage-${props.outage.gateway}`}
      data-testid="gateway-outage"
    >
      <div>
        <h3 id={`outage-${props.outage.gateway}`}>Gateway {props.outage.gateway} is silent</h3>
        <p>
          {quiet()}: {names()}. Their sensors are probably fine: check the gateway's power and internet connection.
        </p>
        <Show when={waiting().length === 0 && acked()}>
          {(ack) => (
            <p class="muted small" data-testid="gateway-outage-acked">
              Acknowledged by {ack().byName || "someone"}
              {ack().note ? `: ${ack().note}` : ""}
            </p>
          )}
        </Show>
      </div>
      <BulkAck
        store={props.store}
        waiting={waiting()}
        from={1}
        label={waiting().length === 1 ? "Acknowledge" : `Acknowledge all ${waiting().length}`}
        testId="gateway-ack"
      />
    </section>
  );
}
