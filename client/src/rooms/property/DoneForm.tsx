/**
 * "Mark done" with its details: a note, what it cost (in the home's currency) and a photo, uploaded only when
 * the form is sent and left out, saying so, without a network.
 */
import { createSignal, onCleanup, Show } from "solid-js";
import { COMPLETION_COST_MAX, DEFAULT_HOME_CURRENCY } from "../../../../config";
import type { Task } from "../../../../schema/property/records";
import { ApiError, errorMessage } from "../../api";
import { showToast } from "../../toast";
import { costFromInput } from "./money";
import { OFFLINE_PHOTO_MESSAGE, PhotoPick, sendPhoto } from "./photos";
import type { PropertyStore } from "./store";
import { completeTask } from "./TaskRow";

export function DoneForm(props: {
  store: PropertyStore;
  roomId: string;
  task: Task;
  busy: boolean;
  /** Runs the change with the page's busy state; true when it went through. */
  run: (change: () => Promise<boolean>) => Promise<void>;
  onError: (message: string) => void;
}) {
  const currency = () => props.store.home()?.currency ?? DEFAULT_HOME_CURRENCY;
  /** The photo picked, uploaded only when the form is sent. */
  const [photo, setPhoto] = createSignal<File | null>(null);
  const [online, setOnline] = createSignal(navigator.onLine);
  const onConnectivity = () => setOnline(navigator.onLine);
  window.addEventListener("online", onConnectivity);
  window.addEventListener("offline", onConnectivity);
  onCleanup(() => {
    window.removeEventListener("online", onConnectivity);
    window.removeEventListener("offline", onConnectivity);
  });

  /**
   * Uploads the photo, if any, then completes. Without a network the completion still
   * goes (queued) and the photo is left out, saying so; a photo the server refuses
   * stops here so the user can pick another or remove it.
   */
  const submitDone = (e: SubmitEvent) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const note = String(form.get("note") ?? "");
    const cost = costFromInput(String(form.get("cost") ?? ""));
    void props.run(async () => {
      let photoId: string | null = null;
      const file = photo();
      if (file && navigator.onLine) {
        try {
          photoId = await sendPhoto(props.roomId, file);
        } catch (err) {
          if (!(err instanceof ApiError && err.status === 0)) {
            props.onError(errorMessage(err));
            return false;
          }
        }
      }
      if (file && photoId === null) showToast(`${OFFLINE_PHOTO_MESSAGE} Marked done without the photo.`);
      const ok = await completeTask(props.store, props.task, note, photoId, cost);
      if (ok) setPhoto(null);
      return ok;
    });
  };

  return (
    <form class="stack action-form" onSubmit={submitDone}>
      <div class="field">
        <label for="done-note">Note (optional)</label>
        <input id="done-note" name="note" maxLength={4000} placeholder="e.g. Used a MERV 11 filter" autofocus />
      </div>
      <div class="field">
        <label for="done-cost">Cost in {currency()} (optional)</label>
        <input
          id="done-cost"
          name="cost"
          type="number"
          inputmode="decimal"
          min="0"
          max={COMPLETION_COST_MAX}
          step="0.01"
          placeholder="e.g. 49.90"
          class="cost-input"
          data-testid="done-cost"
        />
      </div>
      <div>
        <Show
          when={online()}
          fallback={
            <p class="muted small" data-testid="done-photo-offline">
              {OFFLINE_PHOTO_MESSAGE} You can mark it done without one.
            </p>
          }
        >
          <PhotoPick
            id="done-photo-input"
            testId="done-photo-input"
            nameTestId="done-photo-name"
            disabled={props.busy}
            photo={photo()}
            onChange={setPhoto}
          />
        </Show>
      </div>
      <button type="submit" class="button button-primary" disabled={props.busy} data-testid="done-submit">
        Mark done today
      </button>
    </form>
  );
}
