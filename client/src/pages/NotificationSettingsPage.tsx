/** /settings/notifications: email and push on or off, quiet hours and time zone. */
import { A } from "@solidjs/router";
import { createResource, createSignal, onMount, Show } from "solid-js";
import type { NotificationPrefs } from "../../../schema/core/notifications";
import {
  ApiError,
  addPushSubscription,
  errorMessage,
  fieldErrorsOf,
  getNotificationPrefs,
  getPushKey,
  removePushSubscription,
  saveNotificationPrefs,
} from "../api";
import { Alert } from "../components/Alert";
import { TopBar } from "../components/TopBar";
import { showToast } from "../toast";

const SW_URL = "/sw.js";

/** The VAPID key as PushManager wants it. */
function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url
    .replace(/-/g, "+")
    .replace(/_/g, "/")
    .padEnd(Math.ceil(base64url.length / 4) * 4, "=");
  const raw = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

/** Why this browser cannot take push notifications, or null when it can. */
function pushUnsupported(): string | null {
  if (!window.isSecureContext) return "Push notifications need a secure (https) connection.";
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    return "This browser can't receive push notifications. Email and the bell in Haven still work.";
  }
  return null;
}

/** Subscribes this browser and tells the server; throws with a message for the user. */
async function subscribePush(): Promise<void> {
  const permission = await Notification.requestPermission();
  if (permission !== "granted")
    throw new Error(
      "Notifications are blocked for Haven in this browser. Allow them in the site settings, then try again.",
    );
  const registration = await navigator.serviceWorker.register(SW_URL);
  await navigator.serviceWorker.ready;
  const publicKey = await getPushKey();
  let subscription: PushSubscription;
  try {
    subscription = await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: keyBytes(publicKey),
    });
  } catch {
    throw new Error(
      "The browser's push service is not available right now, so push notifications can't be turned on here.",
    );
  }
  await addPushSubscription(subscription.toJSON());
}

/** Whether this browser holds a push subscription from Haven: "Push on this device" is ticked only then. */
async function hasPushSubscription(): Promise<boolean> {
  const registration = await navigator.serviceWorker.getRegistration(SW_URL);
  return (await registration?.pushManager.getSubscription()) != null;
}

async function unsubscribePush(): Promise<void> {
  if (!("serviceWorker" in navigator)) return;
  const registration = await navigator.serviceWorker.getRegistration(SW_URL);
  const subscription = await registration?.pushManager.getSubscription();
  if (!subscription) return;
  await removePushSubscription(subscription.endpoint);
  await subscription.unsubscribe();
}

export function NotificationSettingsPage() {
  const [loaded] = createResource(getNotificationPrefs);
  onMount(() => {
    document.title = "Notification settings · Haven";
  });
  return (
    <>
      <TopBar />
      <main class="page narrow-page" id="main">
        <A href="/rooms" class="back-link">
          ‹ Rooms
        </A>
        <h1>Notification settings</h1>
        <Show when={!loaded.error} fallback={<Alert message={errorMessage(loaded.error)} />}>
          <Show
            when={loaded()}
            fallback={
              <p class="muted" aria-busy="true">
                Loading…
              </p>
            }
          >
            {(answer) => <PrefsForm prefs={answer().prefs} pushAvailable={answer().pushAvailable} />}
          </Show>
        </Show>
      </main>
    </>
  );
}

function PrefsForm(props: { prefs: NotificationPrefs; pushAvailable: boolean }) {
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const [email, setEmail] = createSignal(props.prefs.email);
  const [pushNote, setPushNote] = createSignal<string | null>(
    props.pushAvailable ? pushUnsupported() : "Push notifications are not set up on this Haven server.",
  );
  // Ticked only for a device that really gets push: the account's setting alone does not make it so.
  const [push, setPush] = createSignal(false);
  // Until the box is changed here, saving keeps the account's push setting (another device may use it).
  const [pushChanged, setPushChanged] = createSignal(false);
  onMount(() => {
    if (pushNote() === null && props.prefs.push)
      void hasPushSubscription()
        .then((subscribed) => {
          if (!pushChanged()) setPush(subscribed);
        })
        .catch(() => undefined);
  });
  const [quiet, setQuiet] = createSignal(props.prefs.quietStart !== null);
  const [quietStart, setQuietStart] = createSignal(props.prefs.quietStart ?? "22:00");
  const [quietEnd, setQuietEnd] = createSignal(props.prefs.quietEnd ?? "07:00");
  // A never-saved profile says UTC; the browser's own zone is the better guess.
  const [timeZone, setTimeZone] = createSignal(
    props.prefs.timeZone === "UTC" && browserZone ? browserZone : props.prefs.timeZone,
  );
  const [error, setError] = createSignal<string | null>(null);
  const [fields, setFields] = createSignal<Record<string, string>>({});
  const [busy, setBusy] = createSignal(false);
  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [browserZone];

  /** Subscribes or unsubscribes this device as chosen; the push setting to save (off when subscribing failed). */
  const applyPushChoice = async (wanted: boolean): Promise<boolean> => {
    if (!wanted) {
      await unsubscribePush().catch(() => undefined);
      return false;
    }
    if (pushNote() !== null) return false;
    try {
      await subscribePush();
      return true;
    } catch (err) {
      setPush(false);
      setPushNote(err instanceof Error ? err.message : "Push notifications can't be turned on here.");
      return false;
    }
  };

  const save = async (e: SubmitEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setFields({});
    try {
      // Left alone here, the account's push setting stays as it was.
      const wantPush = pushChanged() ? await applyPushChoice(push()) : props.prefs.push;
      await saveNotificationPrefs({
        email: email(),
        push: wantPush,
        quietStart: quiet() ? quietStart() : null,
        quietEnd: quiet() ? quietEnd() : null,
        timeZone: timeZone(),
      });
      showToast("Notification settings saved.");
    } catch (err) {
      setError(errorMessage(err));
      if (err instanceof ApiError) setFields(fieldErrorsOf(err.details));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card record-form stack" onSubmit={save} data-testid="prefs-form">
      <Alert message={error()} />
      <p class="muted">The bell in Haven always shows your notifications. Choose where else they reach you.</p>
      <label class="switch-row">
        <input
          type="checkbox"
          checked={email()}
          onChange={(e) => setEmail(e.currentTarget.checked)}
          data-testid="prefs-email"
        />
        <span>
          <strong>Email</strong>
          <span class="hint">Reminders and notices by email.</span>
        </span>
      </label>
      <label class="switch-row">
        <input
          type="checkbox"
          checked={push()}
          disabled={pushNote() !== null && !push()}
          onChange={(e) => {
            setPush(e.currentTarget.checked);
            setPushChanged(true);
          }}
          aria-describedby="push-note"
          data-testid="prefs-push"
        />
        <span>
          <strong>Push on this device</strong>
          <span class="hint" id="push-note" data-testid="push-note">
            {pushNote() ?? "Your browser asks for permission when you save."}
          </span>
        </span>
      </label>
      <fieldset class="stack">
        <legend>Quiet hours</legend>
        <label class="switch-row">
          <input
            type="checkbox"
            checked={quiet()}
            onChange={(e) => setQuiet(e.currentTarget.checked)}
            data-testid="prefs-quiet"
          />
          <span>Hold email and push during these hours (they arrive when quiet hours end)</span>
        </label>
        <Show when={quiet()}>
          <div class="form-grid">
            <div class="field">
              <label for="quiet-start">From</label>
              <input
                id="quiet-start"
                type="time"
                value={quietStart()}
                onInput={(e) => setQuietStart(e.currentTarget.value)}
                required
              />
            </div>
            <div class="field">
              <label for="quiet-end">Until</label>
              <input
                id="quiet-end"
                type="time"
                value={quietEnd()}
                onInput={(e) => setQuietEnd(e.currentTarget.value)}
                required
                aria-describedby="quiet-end-error"
              />
              <span class="field-error" id="quiet-end-error">
                {fields().quietEnd}
              </span>
            </div>
          </div>
        </Show>
      </fieldset>
      <div class="field">
        <label for="prefs-zone">Time zone</label>
        <select
          id="prefs-zone"
          value={timeZone()}
          onChange={(e) => setTimeZone(e.currentTarget.value)}
          data-testid="prefs-zone"
        >
          <Show when={!zones.includes(timeZone())}>
            <option value={timeZone()}>{timeZone()}</option>
          </Show>
          {zones.map((zone) => (
            <option value={zone}>{zone}</option>
          ))}
        </select>
        <span class="field-error">{fields().timeZone}</span>
      </div>
      <div class="row form-actions">
        <button type="submit" class="button button-primary" disabled={busy()} data-testid="prefs-save">
          Save
        </button>
      </div>
    </form>
  );
}
