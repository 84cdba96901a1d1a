/**
 * Logging a reading by hand (a probe thermometer) on a unit's page: the value as the thermometer shows it, in °C
 * or °F, the time of the check (now, or earlier in the shift), a note and a photo. Kept on this device when
 * offline and sent when the connection returns, with the time it was made, not the time it synced.
 */
import { createSignal, onCleanup } from "solid-js";
import { SCALE_SYMBOLS, TEMPERATURE_SCALES, type TemperatureScale } from "../../../../schema/site/compliance";
import type { Unit } from "../../../../schema/site/records";
import { errorMessage } from "../../api";
import { Alert as AlertRegion } from "../../components/Alert";
import { Icon } from "../../components/Icon";
import { showToast } from "../../toast";
import { OFFLINE_PHOTO_MESSAGE, PhotoPick, sendPhotoIfOnline } from "../property/photos";
import type { SiteStore } from "./store";

const SCALE_KEY = "haven:reading-scale";

/** `datetime-local`'s value for a moment, in this device's time zone, to the minute. */
function localInputValue(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

function savedScale(): TemperatureScale {
  const saved = localStorage.getItem(SCALE_KEY);
  return saved === "F" ? "F" : "C";
}

export function LogReading(props: { store: SiteStore; roomId: string; unit: Unit }) {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [scale, setScale] = createSignal<TemperatureScale>(savedScale());
  const [photo, setPhoto] = createSignal<File | null>(null);
  const [temperatureText, setTemperatureText] = createSignal("");
  const [note, setNote] = createSignal("");
  // The time of the check: now unless changed (read when the form is sent); the field follows the clock till then.
  const [checkedAt, setCheckedAt] = createSignal<string | null>(null);
  const [now, setNow] = createSignal(Date.now());
  const clock = setInterval(() => setNow(Date.now()), 30_000);
  onCleanup(() => clearInterval(clock));

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const text = temperatureText().trim().replace(",", ".");
    const temperature = Number(text);
    if (text === "" || !Number.isFinite(temperature)) return setError("Enter the temperature the thermometer shows.");
    const chosen = checkedAt();
    const takenAt = chosen === null ? Date.now() : new Date(chosen).getTime();
    if (!Number.isFinite(takenAt)) return setError("Enter when the check was made.");
    if (takenAt > Date.now() + 60_000) return setError("The time of the check is in the future.");
    setBusy(true);
    setError(null);
    try {
      const file = photo();
      let photoId: string | undefined;
      if (file) {
        try {
          photoId = await sendPhotoIfOnline(props.roomId, file);
        } catch (err) {
          return setError(errorMessage(err));
        }
      }
      const result = await props.store.run("reading.log", {
        id: crypto.randomUUID(),
        unitId: props.unit.id,
        temperature,
        scale: scale(),
        takenAt,
        note: note().trim(),
        ...(photoId ? { photoId } : {}),
      });
      if (result.status === "refused") return setError(errorMessage(result.error));
      const without = file && photoId === undefined ? ` ${OFFLINE_PHOTO_MESSAGE} Logged without the photo.` : "";
      showToast(
        result.status === "queued"
          ? `Reading saved on this device. It syncs when you are back online.${without}`
          : `Logged ${temperature} ${SCALE_SYMBOLS[scale()]}.${without}`,
      );
      setTemperatureText("");
      setNote("");
      setPhoto(null);
      setCheckedAt(null);
      setNow(Date.now());
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card unit-section" aria-labelledby="log-reading-title">
      <h2 id="log-reading-title">Log a reading</h2>
      <p class="muted small">
        A probe thermometer's reading, kept as a record with your name and the time of the check, and judged like a
        sensor's.
      </p>
      <form class="stack log-reading" onSubmit={(e) => void submit(e)}>
        <div class="form-grid">
          <div class="field">
            <label for="log-temperature">Temperature ({SCALE_SYMBOLS[scale()]})</label>
            <input
              id="log-temperature"
              type="number"
              step="0.1"
              required
              inputMode="decimal"
              value={temperatureText()}
              onInput={(e) => setTemperatureText(e.currentTarget.value)}
              data-testid="log-temperature"
            />
          </div>
          <div class="field">
            <label for="log-scale">Scale</label>
            <select
              id="log-scale"
              value={scale()}
              onChange={(e) => {
                const next = e.currentTarget.value === "F" ? "F" : "C";
                setScale(next);
                localStorage.setItem(SCALE_KEY, next);
              }}
              data-testid="log-scale"
            >
              {TEMPERATURE_SCALES.map((s) => (
                <option value={s}>{SCALE_SYMBOLS[s]}</option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="log-taken-at">Checked at</label>
            <input
              id="log-taken-at"
              type="datetime-local"
              value={checkedAt() ?? localInputValue(now())}
              max={localInputValue(now())}
              onInput={(e) => setCheckedAt(e.currentTarget.value)}
              data-testid="log-taken-at"
            />
          </div>
          <div class="field">
            <label for="log-note">Note (optional)</label>
            <input
              id="log-note"
              maxLength={500}
              placeholder="e.g. Probe in the middle shelf"
              value={note()}
              onInput={(e) => setNote(e.currentTarget.value)}
              data-testid="log-note"
            />
          </div>
        </div>
        <PhotoPick id="log-photo" testId="log-photo" disabled={busy()} photo={photo()} onChange={setPhoto} />
        <AlertRegion message={error()} />
        <div>
          <button type="submit" class="button button-primary" disabled={busy()} data-testid="log-submit">
            <Icon name="plus" />
            Log reading
          </button>
        </div>
      </form>
    </section>
  );
}
