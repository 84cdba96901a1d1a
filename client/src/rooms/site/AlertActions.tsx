/**
 * What can be done about an alert, and what was: acknowledging it (with an optional note),
 * resolving it with the corrective action taken and what became of the product, and the
 * record of both once they are done.
 */
import { createEffect, createSignal, For, Show, untrack } from "solid-js";
import { type Alert, PRODUCT_OUTCOMES, type ProductOutcome } from "../../../../schema/site/records";
import { errorMessage } from "../../api";
import type { CommandResult } from "../../command-queue";
import { Alert as AlertRegion } from "../../components/Alert";
import { Icon } from "../../components/Icon";
import { showToast } from "../../toast";
import { OFFLINE_PHOTO_MESSAGE, PhotoPick, PhotoThumbs, sendPhotoIfOnline } from "../property/photos";
import { clock, PRODUCT_WORDS } from "./labels";
import type { SiteStore } from "./store";

type NameOf = (userId: string) => string | null;

/** "Acknowledged by Sam at Mar 4, 10:30 — on my way". */
export function AckLine(props: { alert: Alert; nameOf: NameOf }) {
  return (
    <Show when={props.alert.ack}>
      {(ack) => (
        <p class="alert-ack small" data-testid="alert-acked">
          <Icon name="check" size={14} /> Acknowledged by{" "}
          <strong>{props.nameOf(ack().by) ?? (ack().byName || "a member")}</strong> at {clock(ack().at)}
          <Show when={ack().note}>
            <span class="muted"> — {ack().note}</span>
          </Show>
        </p>
      )}
    </Show>
  );
}

/** The corrective action on record. */
export function ResolutionLine(props: { roomId: string; alert: Alert; nameOf: NameOf }) {
  return (
    <Show when={props.alert.resolution}>
      {(r) => (
        <div class="alert-resolution small" data-testid="alert-resolution">
          <p>
            <strong>Corrective action</strong> by {props.nameOf(r().by) ?? (r().byName || "a member")} at{" "}
            {clock(r().at)}: <span data-testid="alert-resolution-action">{r().action}</span>
          </p>
          <p>
            <span class="chip chip-muted" data-testid="alert-resolution-product">
              {PRODUCT_WORDS[r().product]}
            </span>
            <Show when={r().note}>
              <span class="muted"> {r().note}</span>
            </Show>
          </p>
          <Show when={r().photoId}>
            {(photoId) => (
              <PhotoThumbs
                roomId={props.roomId}
                photoIds={[photoId()]}
                alt={() => "Photo of the corrective action"}
                testId="alert-resolution-photo"
              />
            )}
          </Show>
        </div>
      )}
    </Show>
  );
}

/**
 * Sending an acknowledgement's note from its form (one alert's, or several at once): busy while it runs, a refusal
 * in words, and a word when it is kept on this device until the connection returns.
 */
export function useAckSubmit(send: (note: string) => Promise<CommandResult>, done: () => void) {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const note = String(new FormData(e.currentTarget as HTMLFormElement).get("note") ?? "").trim();
    setBusy(true);
    setError(null);
    try {
      const result = await send(note);
      if (result.status === "refused") return setError(errorMessage(result.error));
      if (result.status === "queued") showToast("Acknowledged on this device. It syncs when you are back online.");
      done();
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, submit };
}

/**
 * What an open alert still needs, for someone who handles alerts: Acknowledge and Record corrective action (the
 * latter the primary step once acknowledged), or the corrective action's form in their place.
 */
export function AlertControls(props: {
  store: SiteStore;
  roomId: string;
  alert: Alert;
  unitName: string;
  resolveTestId: string;
  /** Whether the corrective action's form starts open. */
  resolving?: boolean;
}) {
  // Read once: the form stays as the person leaves it.
  const [resolving, setResolving] = createSignal(untrack(() => props.resolving ?? false));
  // Resolved meanwhile (by someone else, or from another screen): the form has nothing left to do.
  createEffect(() => {
    if (props.alert.resolution !== null) setResolving(false);
  });
  return (
    <>
      <Show when={props.store.canHandle() && !resolving()}>
        <div class="row">
          <Show when={props.alert.ack === null}>
            <AckButton store={props.store} alert={props.alert} unitName={props.unitName} />
          </Show>
          <Show when={props.alert.resolution === null}>
            <button
              type="button"
              class={`button button-small ${props.alert.ack === null ? "button-ghost" : "button-primary"}`}
              onClick={() => setResolving(true)}
              data-testid={props.resolveTestId}
              aria-label={`Record corrective action for the alert on ${props.unitName}`}
            >
              Record corrective action
            </button>
          </Show>
        </div>
      </Show>
      <Show when={resolving()}>
        <ResolveForm store={props.store} roomId={props.roomId} alert={props.alert} onDone={() => setResolving(false)} />
      </Show>
    </>
  );
}

/** "Acknowledge", opening a one-field form for an optional note. */
export function AckButton(props: { store: SiteStore; alert: Alert; unitName: string }) {
  const [open, setOpen] = createSignal(false);
  const noteId = () => `ack-note-${props.alert.id}`;
  const { busy, error, submit } = useAckSubmit(
    (note) => props.store.run("alert.ack", { id: props.alert.id, note }),
    () => setOpen(false),
  );

  return (
    <Show
      when={open()}
      fallback={
        <button
          type="button"
          class="button button-primary ack-button"
          onClick={() => setOpen(true)}
          aria-label={`Acknowledge the alert on ${props.unitName}`}
          data-testid="alert-ack"
        >
          <Icon name="check" />
          Acknowledge
        </button>
      }
    >
      <form class="ack-form" onSubmit={(e) => void submit(e)} onKeyDown={(e) => e.key === "Escape" && setOpen(false)}>
        <label for={noteId()} class="small">
          Note (optional)
        </label>
        <div class="row">
          <input
            id={noteId()}
            name="note"
            maxLength={2000}
            placeholder="e.g. Checking the door seal"
            autofocus
            data-testid="alert-ack-note"
          />
          <button
            type="submit"
            class="button button-primary button-small"
            disabled={busy()}
            data-testid="alert-ack-submit"
          >
            Acknowledge
          </button>
          <button type="button" class="button button-ghost button-small" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </div>
        <AlertRegion message={error()} />
      </form>
    </Show>
  );
}

/** The corrective action form: what was done, what became of the product, a note and a photo. */
export function ResolveForm(props: { store: SiteStore; roomId: string; alert: Alert; onDone: () => void }) {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [photo, setPhoto] = createSignal<File | null>(null);
  const id = (field: string) => `resolve-${field}-${props.alert.id}`;

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const found = String(form.get("found") ?? "").trim();
    const action = String(form.get("action") ?? "").trim();
    const product = String(form.get("product") ?? "") as ProductOutcome;
    const note = String(form.get("note") ?? "").trim();
    if (!action) return setError("Say what was done about it.");
    setBusy(true);
    setError(null);
    try {
      let photoId: string | undefined;
      const file = photo();
      if (file) {
        try {
          photoId = await sendPhotoIfOnline(props.roomId, file);
        } catch (err) {
          return setError(errorMessage(err));
        }
      }
      if (file && photoId === undefined) showToast(`${OFFLINE_PHOTO_MESSAGE} Resolved without the photo.`);
      const result = await props.store.run("alert.resolve", {
        id: props.alert.id,
        found,
        action,
        product,
        note,
        ...(photoId ? { photoId } : {}),
      });
      if (result.status === "refused") return setError(errorMessage(result.error));
      showToast(
        result.status === "queued"
          ? "Resolved on this device. It syncs when you are back online."
          : "Corrective action recorded.",
      );
      props.onDone();
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="stack action-form" onSubmit={(e) => void submit(e)} data-testid="resolve-form">
      <div class="field">
        <label for={id("found")}>What was found (optional)</label>
        <input
          id={id("found")}
          name="found"
          maxLength={2000}
          placeholder="e.g. Door ajar since the delivery; product at 7 °C"
          autofocus
          data-testid="resolve-found"
        />
      </div>
      <div class="field">
        <label for={id("action")}>Corrective action taken</label>
        <textarea
          id={id("action")}
          name="action"
          rows={2}
          maxLength={2000}
          required
          placeholder="e.g. Door seal replaced; product moved to walk-in 2"
          data-testid="resolve-action"
        />
      </div>
      <div class="form-grid">
        <div class="field">
          <label for={id("product")}>The product</label>
          <select id={id("product")} name="product" data-testid="resolve-product">
            <For each={PRODUCT_OUTCOMES}>{(outcome) => <option value={outcome}>{PRODUCT_WORDS[outcome]}</option>}</For>
          </select>
        </div>
        <div class="field">
          <label for={id("note")}>Note (optional)</label>
          <input id={id("note")} name="note" maxLength={2000} data-testid="resolve-note" />
        </div>
      </div>
      <PhotoPick id={id("photo")} testId="resolve-photo" disabled={busy()} photo={photo()} onChange={setPhoto} />
      <AlertRegion message={error()} />
      <div class="row">
        <button type="submit" class="button button-primary" disabled={busy()} data-testid="resolve-submit">
          Record corrective action
        </button>
        <button type="button" class="button button-ghost" onClick={() => props.onDone()}>
          Cancel
        </button>
      </div>
    </form>
  );
}
