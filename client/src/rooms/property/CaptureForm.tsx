/**
 * Quick capture: record a sound (or pick a recording), take or pick a photo, add a line of text and optionally the
 * asset it is about, then "Save to inbox". The capture is kept in this browser until the home has it
 * (capture-outbox.ts), so it is never lost to a dropped connection; progress shows while it uploads.
 */
import { createSignal, For, Show } from "solid-js";
import { CAPTURE_NOTE_MAX_CHARS } from "../../../../schema/property/inbox";
import { errorMessage } from "../../api";
import { Icon } from "../../components/Icon";
import { sizeWords } from "../../format";
import { analysisWav } from "./capture-audio";
import type { CaptureOutbox } from "./capture-outbox";
import { FileInput, PhotoInput, preparePhoto } from "./photos";
import { createRecorder } from "./recorder";
import type { PropertyStore } from "./store";

const AUDIO_ACCEPT = "audio/*,.webm,.ogg,.opus,.m4a,.mp3,.wav";

export function CaptureForm(props: { store: PropertyStore; roomId: string; outbox: CaptureOutbox }) {
  const [sound, setSound] = createSignal<Blob | null>(null);
  const [photo, setPhoto] = createSignal<Blob | null>(null);
  const [note, setNote] = createSignal("");
  const [assetId, setAssetId] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const recorder = createRecorder({
    started: () => {
      setPhoto(null);
      setSound(null);
    },
    recorded: setSound,
    failed: (err) => setError(errorMessage(err)),
  });

  const pickPhoto = async (file: File) => {
    setError(null);
    try {
      setPhoto(await preparePhoto(file));
      setSound(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const reset = () => {
    setSound(null);
    setPhoto(null);
    setNote("");
    setAssetId("");
  };

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(null);
    const recorded = sound();
    const picture = photo();
    if (!recorded && !picture && note().trim() === "") {
      setError("Record a sound, take a photo or write a line first.");
      return;
    }
    setBusy(true);
    try {
      const files = recorded
        ? { original: recorded, wav: await analysisWav(recorded) }
        : picture
          ? { photo: picture }
          : {};
      const capture = {
        id: crypto.randomUUID(),
        roomId: props.roomId,
        note: note().trim(),
        assetId: assetId() || null,
        files,
        createdAt: Date.now(),
      };
      reset();
      await props.outbox.add(capture);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const progress = () => props.outbox.progress();
  return (
    <form class="card capture-form stack" onSubmit={save} data-testid="capture-form">
      <h3>Capture</h3>
      <div class="capture-sources">
        <button
          type="button"
          class="button"
          classList={{ "button-danger": recorder.active() }}
          aria-pressed={recorder.active()}
          onClick={() => {
            setError(null);
            void recorder.toggle();
          }}
          data-testid="capture-record"
        >
          <Icon name="mic" />
          {recorder.active() ? `Stop (${recorder.seconds()} s)` : "Record a sound"}
        </button>
        <FileInput
          id="capture-audio-file"
          label="Upload a recording"
          accept={AUDIO_ACCEPT}
          icon="mic"
          testId="capture-audio-file"
          onPick={(file) => {
            setSound(file);
            setPhoto(null);
          }}
        />
        <PhotoInput id="capture-photo" label="Photo" testId="capture-photo" onPick={(file) => void pickPhoto(file)} />
      </div>
      <Show when={sound()}>
        {(blob) => (
          <p class="muted" data-testid="capture-sound-ready">
            Recording ready ({sizeWords(blob().size)}).
          </p>
        )}
      </Show>
      <Show when={photo()}>
        {(blob) => (
          <p class="muted" data-testid="capture-photo-ready">
            Photo ready ({sizeWords(blob().size)}), without its location.
          </p>
        )}
      </Show>
      <label class="field">
        <span>What is it?</span>
        <input
          type="text"
          maxLength={CAPTURE_NOTE_MAX_CHARS}
          value={note()}
          onInput={(e) => setNote(e.currentTarget.value)}
          placeholder="Furnace knocking at start-up"
          data-testid="capture-note"
        />
      </label>
      <Show when={props.store.assets.length > 0}>
        <label class="field">
          <span>About an asset (optional)</span>
          <select value={assetId()} onChange={(e) => setAssetId(e.currentTarget.value)} data-testid="capture-asset">
            <option value="">None</option>
            <For each={props.store.assets.filter((a) => !a.archived)}>
              {(asset) => <option value={asset.id}>{asset.name}</option>}
            </For>
          </select>
        </label>
      </Show>
      <Show when={error()}>
        <p class="form-error" role="alert" data-testid="capture-error">
          {error()}
        </p>
      </Show>
      <Show when={props.outbox.failure()}>
        {(failed) => (
          <p class="form-error" role="alert" data-testid="capture-refused">
            A capture was not taken: {failed().message}
          </p>
        )}
      </Show>
      <Show when={progress()}>
        {(p) => (
          <label class="field" data-testid="capture-progress">
            <span>Uploading…</span>
            <progress max={p().total} value={p().sent} />
          </label>
        )}
      </Show>
      <Show when={props.outbox.pending().length > 0 && !progress()}>
        <p class="muted" data-testid="capture-waiting">
          {props.outbox.pending().length === 1
            ? "1 capture is kept here and sent when the connection returns."
            : `${props.outbox.pending().length} captures are kept here and sent when the connection returns.`}
        </p>
      </Show>
      <div>
        <button
          type="submit"
          class="button button-primary"
          disabled={busy() || recorder.active()}
          data-testid="capture-save"
        >
          Save to inbox
        </button>
      </div>
    </form>
  );
}
