/**
 * A site's setup, for those who configure it: areas and units, which sensor is in which
 * unit, the site-wide alert rules, who is told when an alert is not acknowledged, how
 * long readings are kept, and the keys The Things Network sends readings with.
 */

import { createResource, createSignal, For, type JSX, Show } from "solid-js";
import { DEFAULT_READINGS_RETENTION_DAYS, DEFAULT_ROLLUP_RETENTION_DAYS } from "../../../../config";
import { KIND_ROLES } from "../../../../schema/core/roles";
import { type EscalationStep, UNIT_KINDS, type UnitKind } from "../../../../schema/site/records";
import { defaultRules, RULE_KINDS, type RuleOverrides } from "../../../../schema/site/rules";
import {
  createIngestKey,
  errorMessage,
  listIngestKeys,
  listUnclaimedDevices,
  type NewIngestKey,
  revokeIngestKey,
} from "../../api";
import { Alert as AlertRegion } from "../../components/Alert";
import { ConfirmButton } from "../../components/ConfirmButton";
import type { EditBase } from "../../components/EditConflict";
import { Icon } from "../../components/Icon";
import { formatDateTime } from "../../format";
import { showToast } from "../../toast";
import { KIND_WORDS } from "./labels";
import { type NameValue, Renamable } from "./Renamable";
import { type RuleRow, RulesList } from "./Rules";
import type { SiteCommandArgs, SiteCommandName, SiteStore } from "./store";

/**
 * Runs a command for a form: its error in the form's alert region, a toast when it waits
 * offline. An `edit` takes a refusal because someone else changed a field meanwhile.
 */
function useCommand(store: SiteStore) {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const run = async <N extends SiteCommandName>(
    name: N,
    args: SiteCommandArgs<N>,
    edit?: EditBase<NameValue>,
  ): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      const result = await store.run(name, args);
      if (result.status === "refused") {
        setError(errorMessage(result.error));
        edit?.take(result.error);
        return false;
      }
      if (result.status === "queued") showToast("Saved on this device. It syncs when you are back online.");
      return true;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

function Section(props: { id: string; title: string; hint?: string; children: JSX.Element }) {
  return (
    <section class="card unit-section" aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      <Show when={props.hint}>
        <p class="muted small">{props.hint}</p>
      </Show>
      {props.children}
    </section>
  );
}

export function SiteSetup(props: { store: SiteStore; roomId: string }) {
  return (
    <div class="stack site-setup" data-testid="site-setup">
      <Layout store={props.store} />
      <Sensors store={props.store} roomId={props.roomId} />
      <SiteRules store={props.store} />
      <Escalation store={props.store} />
      <Retention store={props.store} />
      <IngestKeys roomId={props.roomId} />
    </div>
  );
}

function Layout(props: { store: SiteStore }) {
  const cmd = useCommand(props.store);
  const areas = () => [...props.store.areas].sort((a, b) => a.name.localeCompare(b.name));
  const unitsOf = (areaId: string) =>
    props.store.units.filter((u) => u.areaId === areaId).sort((a, b) => a.name.localeCompare(b.name));
  return (
    <Section
      id="setup-layout"
      title="Areas and units"
      hint="An area is a room or a zone (kitchen, back store); a unit is one fridge, freezer or cold room in it."
    >
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const name = String(new FormData(form).get("name") ?? "").trim();
          if (name) void cmd.run("area.create", { name }).then((ok) => ok && form.reset());
        }}
      >
        <label for="new-area-name" class="sr-only">
          New area's name
        </label>
        <input
          id="new-area-name"
          name="name"
          maxLength={120}
          required
          placeholder="New area, e.g. Kitchen"
          data-testid="new-area-name"
        />
        <button type="submit" class="button button-primary" disabled={cmd.busy()} data-testid="new-area-submit">
          <Icon name="plus" />
          Add area
        </button>
      </form>
      <AlertRegion message={cmd.error()} />
      <ul class="setup-areas">
        <For each={areas()}>
          {(area) => (
            <li class="setup-area" data-testid="setup-area" data-area-id={area.id}>
              <Renamable
                name={area.name}
                label="area"
                testId="area"
                onSave={(name, base, edit) => cmd.run("area.rename", { id: area.id, name, base }, edit)}
              />
              <ul class="plain-list setup-units">
                <For each={unitsOf(area.id)}>
                  {(unit) => (
                    <li class="setup-unit" data-testid="setup-unit" data-unit-id={unit.id}>
                      <Renamable
                        name={unit.name}
                        label="unit"
                        testId="unit"
                        onSave={(name, base, edit) => cmd.run("unit.rename", { id: unit.id, name, base }, edit)}
                      />
                      <span class="muted small">{KIND_WORDS[unit.kind] ?? unit.kind}</span>
                    </li>
                  )}
                </For>
              </ul>
              <NewUnit store={props.store} areaId={area.id} areaName={area.name} />
              <details class="area-rules">
                <summary>Alert rules for {area.name}</summary>
                <RulesList
                  store={props.store}
                  rows={areaRuleRows(props.store, area.overrides ?? {})}
                  scope="area"
                  scopeId={area.id}
                  frozen={false}
                  testId="area-rules"
                />
              </details>
            </li>
          )}
        </For>
      </ul>
    </Section>
  );
}

function NewUnit(props: { store: SiteStore; areaId: string; areaName: string }) {
  const cmd = useCommand(props.store);
  const id = (f: string) => `new-unit-${f}-${props.areaId}`;
  return (
    <form
      class="row new-unit"
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const data = new FormData(form);
        const name = String(data.get("name") ?? "").trim();
        const kind = String(data.get("kind") ?? "fridge") as UnitKind;
        if (name) void cmd.run("unit.create", { areaId: props.areaId, name, kind }).then((ok) => ok && form.reset());
      }}
    >
      <label for={id("name")} class="sr-only">
        New unit in {props.areaName}
      </label>
      <input
        id={id("name")}
        name="name"
        maxLength={120}
        required
        placeholder="New unit, e.g. Fridge 1"
        data-testid="new-unit-name"
      />
      <label for={id("kind")} class="sr-only">
        Kind of unit
      </label>
      <select id={id("kind")} name="kind" data-testid="new-unit-kind">
        <For each={UNIT_KINDS}>{(k) => <option value={k}>{KIND_WORDS[k]}</option>}</For>
      </select>
      <button type="submit" class="button button-ghost" disabled={cmd.busy()} data-testid="new-unit-submit">
        <Icon name="plus" />
        Add unit
      </button>
      <AlertRegion message={cmd.error()} />
    </form>
  );
}

function Sensors(props: { store: SiteStore; roomId: string }) {
  const cmd = useCommand(props.store);
  const [unclaimed, { refetch }] = createResource(() => props.roomId, listUnclaimedDevices);
  const units = () => [...props.store.units].sort((a, b) => a.name.localeCompare(b.name));
  const assigned = () => props.store.units.flatMap((u) => (u.devices ?? []).map((devEui) => ({ devEui, unit: u })));
  const assign = (e: SubmitEvent, devEui: string) => {
    e.preventDefault();
    const unitId = String(new FormData(e.currentTarget as HTMLFormElement).get("unitId") ?? "");
    if (unitId) void cmd.run("device.assign", { devEui, unitId }).then((ok) => ok && void refetch());
  };
  return (
    <Section
      id="setup-sensors"
      title="Sensors"
      hint="A sensor your webhook has sent but no unit has claimed waits here. Put it in its unit to start watching it."
    >
      <AlertRegion message={cmd.error()} />
      <div class="board-head">
        <h3>Waiting to be assigned</h3>
        <button
          type="button"
          class="button button-ghost button-small"
          onClick={() => void refetch()}
          data-testid="unclaimed-refresh"
        >
          Refresh
        </button>
      </div>
      <Show
        when={!unclaimed.error}
        fallback={<p class="muted">The list can't be loaded: {errorMessage(unclaimed.error)}</p>}
      >
        <Show
          when={(unclaimed.latest ?? []).length > 0}
          fallback={<p class="muted small">No unassigned sensors heard from.</p>}
        >
          <ul class="plain-list sensor-list" data-testid="unclaimed-list">
            <For each={unclaimed.latest ?? []}>
              {(device) => (
                <li class="sensor-row" data-testid="unclaimed-device" data-dev-eui={device.devEui}>
                  <span>
                    <span class="mono">{device.devEui}</span>{" "}
                    <span class="muted small">
                      {device.deviceId} · last heard {formatDateTime(device.lastSeenAt)}
                    </span>
                  </span>
                  <form class="row" onSubmit={(e) => assign(e, device.devEui)}>
                    <label for={`assign-${device.devEui}`} class="sr-only">
                      Unit for sensor {device.devEui}
                    </label>
                    <select id={`assign-${device.devEui}`} name="unitId" data-testid="assign-unit">
                      <For each={units()}>{(u) => <option value={u.id}>{u.name}</option>}</For>
                    </select>
                    <button
                      type="submit"
                      class="button button-primary button-small"
                      disabled={cmd.busy() || units().length === 0}
                      data-testid="assign-submit"
                    >
                      Assign
                    </button>
                  </form>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </Show>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const data = new FormData(form);
          const devEui = String(data.get("devEui") ?? "").trim();
          const unitId = String(data.get("unitId") ?? "");
          if (devEui && unitId) void cmd.run("device.assign", { devEui, unitId }).then((ok) => ok && form.reset());
        }}
      >
        <label for="manual-dev-eui" class="sr-only">
          DevEUI of a sensor
        </label>
        <input
          id="manual-dev-eui"
          name="devEui"
          pattern="[0-9A-Fa-f]{16}"
          maxLength={16}
          required
          placeholder="DevEUI (16 hex digits)"
          class="mono"
          data-testid="manual-dev-eui"
        />
        <label for="manual-unit" class="sr-only">
          Unit for the sensor
        </label>
        <select id="manual-unit" name="unitId" data-testid="manual-unit">
          <For each={units()}>{(u) => <option value={u.id}>{u.name}</option>}</For>
        </select>
        <button
          type="submit"
          class="button button-ghost"
          disabled={cmd.busy() || units().length === 0}
          data-testid="manual-assign"
        >
          Assign by DevEUI
        </button>
      </form>
      <h3>Assigned</h3>
      <Show when={assigned().length > 0} fallback={<p class="muted small">No sensor is in a unit yet.</p>}>
        <ul class="plain-list sensor-list" data-testid="assigned-list">
          <For each={assigned()}>
            {(row) => (
              <li class="sensor-row" data-testid="assigned-device" data-dev-eui={row.devEui}>
                <span>
                  <span class="mono">{row.devEui}</span> <span class="muted small">in {row.unit.name}</span>
                </span>
                <ConfirmButton
                  label="Remove"
                  ariaLabel={`Remove sensor ${row.devEui} from ${row.unit.name}`}
                  confirmLabel="Remove sensor"
                  disabled={cmd.busy()}
                  testId="device-remove"
                  onConfirm={() => void cmd.run("device.remove", { devEui: row.devEui })}
                />
              </li>
            )}
          </For>
        </ul>
      </Show>
    </Section>
  );
}

function SiteRules(props: { store: SiteStore }) {
  const rows = (): RuleRow[] => {
    const own = props.store.settings()?.rules ?? {};
    const defaults = defaultRules("fridge");
    return RULE_KINDS.map((kind) => {
      const set = own[kind];
      return { kind, rule: set ?? defaults[kind], source: set ? "site" : "default", own: set !== undefined };
    });
  };
  return (
    <Section
      id="setup-rules"
      title="Site-wide alert rules"
      hint={
        "Every unit follows these unless its area or the unit itself sets its own. Freezers keep their frozen " +
        "defaults (−18 °C) until a rule is set here."
      }
    >
      <RulesList store={props.store} rows={rows()} scope="site" frozen={false} testId="site-rules" />
    </Section>
  );
}

/** An area's rules: its own where it sets them, else the site's, else the chilled defaults. */
function areaRuleRows(store: SiteStore, own: RuleOverrides): RuleRow[] {
  const site = store.settings()?.rules ?? {};
  const defaults = defaultRules("fridge");
  return RULE_KINDS.map((kind) => {
    const mine = own[kind];
    if (mine) return { kind, rule: mine, source: "area", own: true };
    const inherited = site[kind];
    return { kind, rule: inherited ?? defaults[kind], source: inherited ? "site" : "default", own: false };
  });
}

const SITE_ROLES = Object.keys(KIND_ROLES.site).filter((r) => r !== "editor");

function Escalation(props: { store: SiteStore }) {
  const cmd = useCommand(props.store);
  const saved = (): EscalationStep[] =>
    props.store.settings()?.escalation ?? [{ afterMinutes: 0, roles: ["manager", "staff"] }];
  const [draft, setDraft] = createSignal<EscalationStep[] | null>(null);
  const steps = () => draft() ?? saved();
  const change = (i: number, step: EscalationStep) => setDraft(steps().map((s, j) => (j === i ? step : s)));
  const toggleRole = (i: number, role: string, on: boolean) => {
    const step = steps()[i];
    if (step)
      change(i, { ...step, roles: on ? [...new Set([...step.roles, role])] : step.roles.filter((r) => r !== role) });
  };
  return (
    <Section
      id="setup-escalation"
      title="Escalation"
      hint={
        "While an alert is not acknowledged, these people are told, step by step. The first step is told when the " +
        "alert is raised."
      }
    >
      <ol class="escalation-steps" data-testid="escalation-steps">
        <For each={steps()}>
          {(step, i) => (
            <li class="escalation-step" data-testid="escalation-step">
              <div class="field">
                <label for={`esc-after-${i()}`}>After (minutes)</label>
                <input
                  id={`esc-after-${i()}`}
                  type="number"
                  min="0"
                  max="1440"
                  step="1"
                  value={step.afterMinutes}
                  disabled={i() === 0}
                  onChange={(e) => change(i(), { ...step, afterMinutes: Number(e.currentTarget.value) })}
                  data-testid="escalation-after"
                />
              </div>
              <fieldset class="role-picks">
                <legend>Notify</legend>
                <For each={SITE_ROLES}>
                  {(role) => (
                    <label class="day-toggle" data-testid={`escalation-role-${role}`}>
                      <input
                        type="checkbox"
                        checked={step.roles.includes(role)}
                        onChange={(e) => toggleRole(i(), role, e.currentTarget.checked)}
                      />
                      <span class="caps">{role}</span>
                    </label>
                  )}
                </For>
              </fieldset>
              <Show when={i() > 0}>
                <button
                  type="button"
                  class="button button-ghost button-danger button-small"
                  aria-label={`Remove step ${i() + 1}`}
                  data-testid="escalation-remove"
                  onClick={() => setDraft(steps().filter((_, j) => j !== i()))}
                >
                  Remove
                </button>
              </Show>
            </li>
          )}
        </For>
      </ol>
      <AlertRegion message={cmd.error()} />
      <div class="row">
        <Show when={steps().length < 6}>
          <button
            type="button"
            class="button button-ghost"
            onClick={() => {
              const last = steps().at(-1);
              setDraft([...steps(), { afterMinutes: (last?.afterMinutes ?? 0) + 30, roles: ["owner"] }]);
            }}
            data-testid="escalation-add"
          >
            <Icon name="plus" />
            Add a step
          </button>
        </Show>
        <button
          type="button"
          class="button button-primary"
          disabled={cmd.busy() || draft() === null}
          onClick={() => void cmd.run("escalation.set", { steps: steps() }).then((ok) => ok && setDraft(null))}
          data-testid="escalation-save"
        >
          Save escalation
        </button>
      </div>
    </Section>
  );
}

function Retention(props: { store: SiteStore }) {
  const cmd = useCommand(props.store);
  const settings = () => props.store.settings();
  return (
    <Section
      id="setup-retention"
      title="Keeping readings"
      hint={
        "Raw readings are kept for at least 30 days; hourly summaries as long as the raw readings or longer, for " +
        "compliance reports."
      }
    >
      <form
        class="row retention-form"
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          void cmd.run("site.retention", {
            retentionDays: Number(data.get("retentionDays")),
            rollupRetentionDays: Number(data.get("rollupRetentionDays")),
          });
        }}
      >
        <div class="field">
          <label for="retention-days">Raw readings (days)</label>
          <input
            id="retention-days"
            name="retentionDays"
            type="number"
            min="30"
            max="3650"
            required
            value={settings()?.retentionDays ?? DEFAULT_READINGS_RETENTION_DAYS}
            data-testid="retention-days"
          />
        </div>
        <div class="field">
          <label for="rollup-retention-days">Hourly summaries (days)</label>
          <input
            id="rollup-retention-days"
            name="rollupRetentionDays"
            type="number"
            min="30"
            max="36500"
            required
            value={settings()?.rollupRetentionDays ?? DEFAULT_ROLLUP_RETENTION_DAYS}
            data-testid="rollup-retention-days"
          />
        </div>
        <button type="submit" class="button button-primary" disabled={cmd.busy()} data-testid="retention-save">
          Save
        </button>
      </form>
      <AlertRegion message={cmd.error()} />
    </Section>
  );
}

function IngestKeys(props: { roomId: string }) {
  const [keys, { refetch }] = createResource(() => props.roomId, listIngestKeys);
  const [made, setMade] = createSignal<NewIngestKey | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const webhook = () => `${location.origin}/api/sites/${encodeURIComponent(props.roomId)}/ttn`;
  const copy = (text: string, what: string) =>
    void navigator.clipboard?.writeText(text).then(
      () => showToast(`${what} copied.`),
      () => showToast(`Couldn't copy the ${what.toLowerCase()}; select it and copy it by hand.`, "error"),
    );
  const create = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const label = String(new FormData(form).get("label") ?? "").trim();
    if (!label) return;
    setBusy(true);
    setError(null);
    try {
      setMade(await createIngestKey(props.roomId, label));
      form.reset();
      void refetch();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (keyId: string) => {
    setError(null);
    try {
      await revokeIngestKey(props.roomId, keyId);
      if (made()?.id === keyId) setMade(null);
      void refetch();
      showToast("Key revoked. Uplinks sent with it are refused from now on.");
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <Section
      id="setup-keys"
      title="The Things Network"
      hint={
        "Add a webhook to your TTN application with this address, and the key as an Authorization header: Bearer " +
        "<key>."
      }
    >
      <div class="copy-row">
        <code class="feed-link" data-testid="webhook-url">
          {webhook()}
        </code>
        <button
          type="button"
          class="button button-ghost button-small"
          onClick={() => copy(webhook(), "Webhook address")}
        >
          <Icon name="copy" />
          Copy address
        </button>
      </div>
      <form class="row" onSubmit={(e) => void create(e)}>
        <label for="new-key-label" class="sr-only">
          What the key is for
        </label>
        <input
          id="new-key-label"
          name="label"
          maxLength={80}
          required
          placeholder="Key label, e.g. TTN production"
          data-testid="new-key-label"
        />
        <button type="submit" class="button button-primary" disabled={busy()} data-testid="new-key-submit">
          <Icon name="plus" />
          Create key
        </button>
      </form>
      <AlertRegion message={error()} />
      <Show when={made()}>
        {(key) => (
          <div class="invite-result stack-small" role="status" data-testid="new-key">
            <p>
              <strong>{key().label}</strong>: copy this key now. It is not shown again.
            </p>
            <div class="copy-row">
              <code class="feed-link mono" data-testid="new-key-value">
                {key().key}
              </code>
              <button
                type="button"
                class="button button-ghost button-small"
                onClick={() => copy(key().key, "Key")}
                data-testid="new-key-copy"
              >
                <Icon name="copy" />
                Copy key
              </button>
            </div>
          </div>
        )}
      </Show>
      <Show when={!keys.error} fallback={<p class="muted">Keys can't be loaded: {errorMessage(keys.error)}</p>}>
        <Show
          when={(keys.latest ?? []).length > 0}
          fallback={<p class="muted small">No keys yet: the webhook refuses every uplink until one is made.</p>}
        >
          <ul class="plain-list sensor-list" data-testid="key-list">
            <For each={keys.latest ?? []}>
              {(key) => (
                <li class="sensor-row" data-testid="key-row" data-key-id={key.id}>
                  <span>
                    <strong>{key.label}</strong>{" "}
                    <span class="muted small">
                      made {formatDateTime(key.createdAt)} ·{" "}
                      {key.lastUsedAt ? `last used ${formatDateTime(key.lastUsedAt)}` : "never used"}
                    </span>
                  </span>
                  <ConfirmButton
                    label="Revoke"
                    ariaLabel={`Revoke the key ${key.label}`}
                    confirmLabel="Revoke key"
                    testId="key-revoke"
                    onConfirm={() => void revoke(key.id)}
                  />
                </li>
              )}
            </For>
          </ul>
        </Show>
      </Show>
    </Section>
  );
}
