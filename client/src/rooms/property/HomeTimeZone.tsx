/**
 * The home's time zone: due dates are days there and reminders go out at nine there, so a
 * family that moves (or a home set up from a laptop abroad) can put it right. For roles
 * that manage the room.
 */
import { createSignal, For, Show } from "solid-js";
import { errorMessage } from "../../api";
import { Alert } from "../../components/Alert";
import { Icon } from "../../components/Icon";
import { showToast } from "../../toast";
import type { PropertyStore } from "./store";

const DEVICE_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;
const ZONES = Intl.supportedValuesOf("timeZone");

export function HomeTimeZone(props: { store: PropertyStore }) {
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);

  const change = async (timeZone: string) => {
    setBusy(true);
    setError(null);
    const outcome = await props.store.run("home.settings", { timeZone });
    setBusy(false);
    if (outcome.status === "refused") setError(errorMessage(outcome.error));
    else
      showToast(
        outcome.status === "done"
          ? `This home now keeps time in ${timeZone}.`
          : "Saved on this device; it reaches the home when you are back online.",
      );
  };

  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    void change(String(new FormData(e.currentTarget as HTMLFormElement).get("timeZone") ?? ""));
  };

  return (
    <details class="card home-time-zone" data-testid="home-time-zone">
      <summary>
        <Icon name="clock" />
        Time zone: <span data-testid="home-time-zone-value">{props.store.timeZone()}</span>
      </summary>
      <form class="stack calendar-feed-body" onSubmit={submit}>
        <p class="muted small">Due dates are days in this time zone, and reminders go out at 9 in the morning there.</p>
        <Alert message={error()} />
        <label for="home-time-zone-input">Time zone</label>
        <input
          id="home-time-zone-input"
          name="timeZone"
          list="home-time-zones"
          value={props.store.timeZone()}
          required
          autocomplete="off"
          data-testid="home-time-zone-input"
        />
        <datalist id="home-time-zones">
          <For each={ZONES}>{(zone) => <option value={zone} />}</For>
        </datalist>
        <div class="row">
          <button type="submit" class="button button-primary" disabled={busy()} data-testid="home-time-zone-save">
            Save
          </button>
          <Show when={DEVICE_ZONE !== props.store.timeZone()}>
            <button
              type="button"
              class="button button-ghost"
              disabled={busy()}
              onClick={() => void change(DEVICE_ZONE)}
              data-testid="home-time-zone-device"
            >
              Use this device's ({DEVICE_ZONE})
            </button>
          </Show>
        </div>
      </form>
    </details>
  );
}
