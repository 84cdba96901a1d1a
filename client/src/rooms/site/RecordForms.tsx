/**
 * The forms of the Records tab: what was done about a hand-logged reading (a corrective action linked to it), and
 * its correction (a new record with the right value and why; the original stays).
 */
import { createSignal, For } from "solid-js";
import { SCALE_SYMBOLS, TEMPERATURE_SCALES } from "../../../../schema/site/compliance";
import { PRODUCT_OUTCOMES, type ProductOutcome } from "../../../../schema/site/records";
import { errorMessage } from "../../api";
import { Alert as AlertRegion } from "../../components/Alert";
import { showToast } from "../../toast";
import { PRODUCT_WORDS } from "./labels";
import type { SiteStore } from "./store";

const QUEUED = "Saved on this device. It syncs when you are back online.";

/** The footer both forms end with. */
function Buttons(props: { submit: string; testId: string; onCancel: () => void }) {
  return (
    <div class="row">
      <button type="submit" class="button button-primary" data-testid={props.testId}>
        {props.submit}
      </button>
      <button type="button" class="button button-ghost" onClick={() => props.onCancel()}>
        Cancel
      </button>
    </div>
  );
}

export function CorrectForm(props: { store: SiteStore; recordId: string; onDone: () => void }) {
  const [error, setError] = createSignal<string | null>(null);
  const id = (field: string) => `correct-${field}-${props.recordId}`;
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const temperature = Number(String(form.get("temperature") ?? "").replace(",", "."));
    const reason = String(form.get("reason") ?? "").trim();
    if (!Number.isFinite(temperature) || !reason) return setError("Give the right value and say why it was wrong.");
    const result = await props.store.run("reading.correct", {
      corrects: props.recordId,
      temperature,
      scale: String(form.get("scale")) === "F" ? "F" : "C",
      reason,
    });
    if (result.status === "refused") return setError(errorMessage(result.error));
    showToast(result.status === "queued" ? QUEUED : "Correction recorded; the original stays.");
    props.onDone();
  };
  return (
    <form class="stack action-form" onSubmit={(e) => void submit(e)} data-testid="correct-form">
      <div class="form-grid">
        <div class="field">
          <label for={id("temperature")}>The right value</label>
          <input
            id={id("temperature")}
            name="temperature"
            type="number"
            step="0.1"
            required
            inputMode="decimal"
            autofocus
            data-testid="correct-temperature"
          />
        </div>
        <div class="field">
          <label for={id("scale")}>Scale</label>
          <select id={id("scale")} name="scale" data-testid="correct-scale">
            <For each={TEMPERATURE_SCALES}>{(s) => <option value={s}>{SCALE_SYMBOLS[s]}</option>}</For>
          </select>
        </div>
      </div>
      <div class="field">
        <label for={id("reason")}>Why the record was wrong</label>
        <input id={id("reason")} name="reason" maxLength={500} required data-testid="correct-reason" />
      </div>
      <AlertRegion message={error()} />
      <Buttons submit="Record correction" testId="correct-submit" onCancel={props.onDone} />
    </form>
  );
}

export function ActForm(props: { store: SiteStore; recordId: string; onDone: () => void }) {
  const [error, setError] = createSignal<string | null>(null);
  const id = (field: string) => `act-${field}-${props.recordId}`;
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const found = String(form.get("found") ?? "").trim();
    const action = String(form.get("action") ?? "").trim();
    if (!found || !action) return setError("Say what was found and what was done.");
    const result = await props.store.run("reading.act", {
      recordId: props.recordId,
      found,
      action,
      product: String(form.get("product")) as ProductOutcome,
    });
    if (result.status === "refused") return setError(errorMessage(result.error));
    showToast(result.status === "queued" ? QUEUED : "Corrective action recorded.");
    props.onDone();
  };
  return (
    <form class="stack action-form" onSubmit={(e) => void submit(e)} data-testid="act-form">
      <div class="field">
        <label for={id("found")}>What was found</label>
        <input id={id("found")} name="found" maxLength={2000} required autofocus data-testid="act-found" />
      </div>
      <div class="field">
        <label for={id("action")}>Corrective action taken</label>
        <input id={id("action")} name="action" maxLength={2000} required data-testid="act-action" />
      </div>
      <div class="field">
        <label for={id("product")}>The product</label>
        <select id={id("product")} name="product" data-testid="act-product">
          <For each={PRODUCT_OUTCOMES}>{(outcome) => <option value={outcome}>{PRODUCT_WORDS[outcome]}</option>}</For>
        </select>
      </div>
      <AlertRegion message={error()} />
      <Buttons submit="Record corrective action" testId="act-submit" onCancel={props.onDone} />
    </form>
  );
}
