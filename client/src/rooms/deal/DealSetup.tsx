/**
 * A new deal room's first page, for those who may change the deal: its title, address, key dates, template,
 * purchase price and parties, sent as one `deal.create`. Others see that the deal is being set up.
 */
import { createResource, createSignal, For, Index, type JSX, Show } from "solid-js";
import { dealCommands } from "../../../../schema/deal/commands";
import type { Party } from "../../../../schema/deal/records";
import { cashPurchase, financedPurchase } from "../../../../schema/deal/templates";
import { fieldErrorsOf } from "../../api";
import { Alert } from "../../components/Alert";
import { Icon } from "../../components/Icon";
import { listTemplates } from "./api";
import { createCommandRunner } from "./command";
import { localDate } from "./labels";
import type { DealStore } from "./store";

/** The built-in templates, offered while the list of saved ones loads (or when it cannot). */
const BUILT_IN = [
  { id: financedPurchase.id, name: financedPurchase.name },
  { id: cashPurchase.id, name: cashPurchase.name },
];
const EMPTY = { id: "", name: "Empty (no milestones or tasks)" };

/** A typical escrow: the closing date the form proposes, in days after acceptance. */
const DEFAULT_ESCROW_DAYS = 30;
const DAY_MS = 86_400_000;

type PartyDraft = { name: string; role: string; email: string };

export function DealBeingSetUp() {
  return (
    <div class="card empty" data-testid="deal-being-set-up">
      <h2>This deal is being set up</h2>
      <p class="muted">
        Its coordinator is entering the address, dates and tasks. This page fills in as soon as they do.
      </p>
      <p class="muted">
        Once it is set up, this room holds the deal's key dates, its milestones and tasks with their due dates, the
        documents the team shares, and a timeline of everything that happened.
      </p>
    </div>
  );
}

export function DealSetup(props: { store: DealStore; roomId: string; roomName: string }) {
  const runner = createCommandRunner(props.store);
  const [saved] = createResource(() => props.roomId, listTemplates);
  const templates = () => [...(saved.state === "ready" ? saved() : BUILT_IN), EMPTY];
  const [fields, setFields] = createSignal<Record<string, string>>({});
  const [parties, setParties] = createSignal<PartyDraft[]>([]);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const today = localDate(Date.now(), zone);
  const closing = localDate(Date.now() + DEFAULT_ESCROW_DAYS * DAY_MS, zone);

  const setParty = (index: number, field: keyof PartyDraft, value: string) =>
    setParties((all) => all.map((p, i) => (i === index ? { ...p, [field]: value } : p)));

  const onSubmit = async (e: SubmitEvent & { currentTarget: HTMLFormElement }) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const text = (name: string) => String(data.get(name) ?? "").trim();
    const price = text("purchasePrice").replace(/[$,\s]/g, "");
    const args = {
      templateId: text("templateId") || null,
      title: text("title"),
      address: text("address"),
      keyDates: { acceptance: text("acceptance"), closing: text("closing") },
      timeZone: zone || "America/New_York",
      purchasePrice: price === "" ? null : Number(price),
      parties: parties()
        .filter((p) => p.name.trim() !== "")
        .map((p): Party => ({ name: p.name.trim(), role: p.role.trim() || "Party", email: p.email.trim() || null })),
    };
    const parsed = dealCommands["deal.create"].safeParse(args);
    if (!parsed.success) {
      const found: Record<string, string> = {};
      for (const issue of parsed.error.issues) {
        const key =
          issue.path.at(-1) === "closing" || issue.path.at(-1) === "acceptance" ? issue.path.at(-1) : issue.path[0];
        if (typeof key === "string" && !(key in found)) found[key] = issue.message;
      }
      setFields(found);
      runner.setError("Some fields need a look.");
      return;
    }
    setFields({});
    const ok = await runner.send("deal.create", args);
    const refused = runner.refusal();
    if (!ok && refused) setFields(fieldErrorsOf(refused.details));
  };

  const error = (name: string) => fields()[name];
  const describe = (name: string) => (error(name) ? `${name}-error` : undefined);

  return (
    <section class="card deal-setup" aria-labelledby="deal-setup-heading" data-testid="deal-setup">
      <h2 id="deal-setup-heading">Set up this deal</h2>
      <p class="muted">
        A template lays out the milestones and tasks with due dates counted from the key dates. Moving a key date later
        moves every due date counted from it.
      </p>
      <form class="deal-setup-form" onSubmit={(e) => void onSubmit(e)} novalidate>
        <Field name="title" label="Title" error={error("title")}>
          <input
            id="deal-title"
            name="title"
            value={props.roomName}
            maxLength={120}
            required
            aria-invalid={Boolean(error("title"))}
            aria-describedby={describe("title")}
            data-testid="setup-title"
          />
        </Field>
        <Field name="address" label="Property address" error={error("address")}>
          <input
            id="deal-address"
            name="address"
            maxLength={200}
            required
            autocomplete="street-address"
            aria-invalid={Boolean(error("address"))}
            aria-describedby={describe("address")}
            data-testid="setup-address"
          />
        </Field>
        <div class="deal-setup-pair">
          <Field name="acceptance" label="Offer accepted" error={error("acceptance")}>
            <input
              id="deal-acceptance"
              name="acceptance"
              type="date"
              value={today}
              required
              aria-invalid={Boolean(error("acceptance"))}
              aria-describedby={describe("acceptance")}
              data-testid="setup-acceptance"
            />
          </Field>
          <Field name="closing" label="Closing" error={error("closing")}>
            <input
              id="deal-closing"
              name="closing"
              type="date"
              value={closing}
              required
              aria-invalid={Boolean(error("closing"))}
              aria-describedby={describe("closing")}
              data-testid="setup-closing"
            />
          </Field>
        </div>
        <div class="deal-setup-pair">
          <Field name="templateId" label="Template" error={error("templateId")}>
            <select id="deal-templateId" name="templateId" data-testid="setup-template">
              <For each={templates()}>{(t) => <option value={t.id}>{t.name}</option>}</For>
            </select>
          </Field>
          <Field name="purchasePrice" label="Purchase price (optional)" error={error("purchasePrice")}>
            <input
              id="deal-purchasePrice"
              name="purchasePrice"
              inputMode="numeric"
              placeholder="e.g. 485000"
              aria-invalid={Boolean(error("purchasePrice"))}
              aria-describedby={describe("purchasePrice")}
              data-testid="setup-price"
            />
          </Field>
        </div>
        <fieldset class="deal-parties">
          <legend>Parties</legend>
          <Show when={parties().length === 0}>
            <p class="hint">The buyer, the agents, the lender, the title company: whoever the file should name.</p>
          </Show>
          <Index each={parties()}>
            {(party, i) => (
              <div class="deal-party-row" data-testid="setup-party">
                <input
                  aria-label={`Party ${i + 1} name`}
                  placeholder="Name"
                  maxLength={120}
                  value={party().name}
                  onInput={(e) => setParty(i, "name", e.currentTarget.value)}
                />
                <input
                  aria-label={`Party ${i + 1} role`}
                  placeholder="Role (e.g. Lender)"
                  maxLength={60}
                  value={party().role}
                  onInput={(e) => setParty(i, "role", e.currentTarget.value)}
                />
                <input
                  aria-label={`Party ${i + 1} email`}
                  placeholder="Email (optional)"
                  type="email"
                  maxLength={254}
                  value={party().email}
                  onInput={(e) => setParty(i, "email", e.currentTarget.value)}
                />
                <button
                  type="button"
                  class="icon-button icon-button-danger"
                  aria-label={`Remove party ${i + 1}`}
                  onClick={() => setParties((all) => all.filter((_, j) => j !== i))}
                >
                  <Icon name="trash" />
                </button>
              </div>
            )}
          </Index>
          <Show when={error("parties")}>
            <p class="field-error">{error("parties")}</p>
          </Show>
          <button
            type="button"
            class="button button-ghost button-small"
            onClick={() => setParties((all) => [...all, { name: "", role: "", email: "" }])}
            data-testid="setup-add-party"
          >
            <Icon name="plus" />
            Add a party
          </button>
        </fieldset>
        <Alert message={runner.error()} testId="setup-error" />
        <div class="form-actions">
          <button type="submit" class="button button-primary" disabled={runner.busy()} data-testid="setup-submit">
            {runner.busy() ? "Creating…" : "Create the deal"}
          </button>
        </div>
      </form>
    </section>
  );
}

function Field(props: { name: string; label: string; error: string | undefined; children: JSX.Element }) {
  return (
    <div class="field">
      <label for={`deal-${props.name}`}>{props.label}</label>
      {props.children}
      <p class="field-error" id={`${props.name}-error`}>
        {props.error ?? ""}
      </p>
    </div>
  );
}
