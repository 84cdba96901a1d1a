import { createSignal, For, type JSX, Show } from "solid-js";
import { LOGIN_LINK_TTL_MS, PASSWORD_MIN_LENGTH } from "../../../config";
import { loginBody, loginLinkBody, signupBody, type User } from "../../../schema/core/api";
import { ApiError, errorMessage, fieldErrorsOf, requestLoginLink } from "../api";
import { useSession } from "../session";
import { Alert } from "./Alert";

/** "link": ask for a one-time sign-in link by email instead of typing the password. */
type Mode = "login" | "signup" | "link";
type Field = "name" | "email" | "password";

const LABELS: Record<Field, string> = { name: "Name", email: "Email", password: "Password" };

/**
 * Schema messages are written to follow the field's name ("must be a valid email
 * address"); messages that already read as a sentence are shown as they are.
 */
function sentence(field: Field, message: string): string {
  return /^[a-z]/.test(message) ? `${LABELS[field]} ${message}` : message;
}

function isField(key: string): key is Field {
  return key === "name" || key === "email" || key === "password";
}

function issuesByField(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): Partial<Record<Field, string>> {
  const out: Partial<Record<Field, string>> = {};
  for (const issue of issues) {
    const key = issue.path[0];
    if (typeof key === "string" && isField(key) && !out[key]) out[key] = sentence(key, issue.message);
  }
  return out;
}

/**
 * Log in or sign up, on one form with a switch, or have a sign-in link emailed (the way
 * in when logins are locked). Calls `onDone` once signed in.
 */
export function AuthForm(props: {
  initialMode?: Mode;
  /** Filled into the email field (the address an invite was sent to). */
  initialEmail?: string;
  onDone: (user: User) => void;
  intro?: JSX.Element;
}) {
  const session = useSession();
  const [mode, setMode] = createSignal<Mode>(props.initialMode ?? "login");
  const [errors, setErrors] = createSignal<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  /** Where a sign-in link was just sent, to say so. */
  const [linkSentTo, setLinkSentTo] = createSignal<string | null>(null);
  /** Set when login answered 429: the emailed link is then the way in. */
  const [offerLink, setOfferLink] = createSignal(false);
  const fields = (): Field[] => {
    if (mode() === "signup") return ["name", "email", "password"];
    return mode() === "link" ? ["email"] : ["email", "password"];
  };

  const switchTo = (next: Mode) => {
    setMode(next);
    setErrors({});
    setFormError(null);
    setOfferLink(false);
    setLinkSentTo(null);
  };

  const sendLink = async (email: string) => {
    const parsed = loginLinkBody.safeParse({ email });
    if (!parsed.success) return setErrors(issuesByField(parsed.error.issues));
    setErrors({});
    setBusy(true);
    try {
      await requestLoginLink(parsed.data.email);
      setLinkSentTo(parsed.data.email);
    } catch (error) {
      showServerError(error);
    } finally {
      setBusy(false);
    }
  };

  const onSubmit = async (event: SubmitEvent & { currentTarget: HTMLFormElement }) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const value = (field: Field) => String(data.get(field) ?? "");
    const missing: Partial<Record<Field, string>> = {};
    for (const field of fields()) if (value(field).trim() === "") missing[field] = `${LABELS[field]} is required`;
    setFormError(null);
    setOfferLink(false);
    if (Object.keys(missing).length > 0) return setErrors(missing);
    if (mode() === "link") return sendLink(value("email"));

    const credentials = { email: value("email"), password: value("password") };
    let submit: () => Promise<User>;
    if (mode() === "signup") {
      const parsed = signupBody.safeParse({ ...credentials, name: value("name") });
      if (!parsed.success) return setErrors(issuesByField(parsed.error.issues));
      submit = () => session.signup(parsed.data);
    } else {
      const parsed = loginBody.safeParse(credentials);
      if (!parsed.success) return setErrors(issuesByField(parsed.error.issues));
      submit = () => session.login(parsed.data);
    }
    setErrors({});
    setBusy(true);
    try {
      props.onDone(await submit());
    } catch (error) {
      showServerError(error);
    } finally {
      setBusy(false);
    }
  };

  const showServerError = (error: unknown) => {
    if (error instanceof ApiError && error.status === 400) {
      const byField: Partial<Record<Field, string>> = {};
      for (const [key, message] of Object.entries(fieldErrorsOf(error.details))) {
        if (isField(key)) byField[key] = sentence(key, message);
      }
      if (Object.keys(byField).length > 0) return setErrors(byField);
    }
    if (error instanceof ApiError && error.status === 409) return setErrors({ email: error.message });
    setOfferLink(error instanceof ApiError && error.status === 429 && mode() === "login");
    setFormError(errorMessage(error));
  };

  return (
    <div class="auth-card card">
      {props.intro}
      {/* biome-ignore lint/a11y/useSemanticElements: a fieldset's legend and default
         box break the segmented control; role="group" is its ARIA equivalent */}
      <div class="segmented" role="group" aria-label="Choose how to continue">
        <button
          type="button"
          aria-pressed={mode() !== "signup"}
          data-testid="auth-mode-login"
          onClick={() => switchTo("login")}
        >
          Log in
        </button>
        <button
          type="button"
          aria-pressed={mode() === "signup"}
          data-testid="auth-mode-signup"
          onClick={() => switchTo("signup")}
        >
          Sign up
        </button>
      </div>
      <form class="stack" data-testid="auth-form" novalidate onSubmit={onSubmit}>
        <For each={fields()}>
          {(field) => (
            <div class="field">
              <label for={`auth-${field}`}>{LABELS[field]}</label>
              <input
                id={`auth-${field}`}
                name={field}
                type={field === "password" ? "password" : field === "email" ? "email" : "text"}
                autocomplete={
                  field === "password" ? (mode() === "signup" ? "new-password" : "current-password") : field
                }
                required
                minLength={field === "password" && mode() === "signup" ? PASSWORD_MIN_LENGTH : undefined}
                aria-invalid={errors()[field] ? "true" : undefined}
                aria-describedby={
                  field === "password" && mode() === "signup"
                    ? "auth-password-error auth-password-hint"
                    : `auth-${field}-error`
                }
                value={field === "email" ? (props.initialEmail ?? "") : ""}
                data-testid={`auth-${field}`}
              />
              <Show when={field === "password" && mode() === "signup"}>
                <p class="hint" id="auth-password-hint">
                  At least {PASSWORD_MIN_LENGTH} characters.
                </p>
              </Show>
              <p class="field-error" id={`auth-${field}-error`} role="alert" data-testid={`auth-${field}-error`}>
                {errors()[field] ?? ""}
              </p>
            </div>
          )}
        </For>
        <Alert message={formError()} testId="auth-error">
          <Show when={offerLink()}>
            <button
              type="button"
              class="button button-ghost"
              data-testid="auth-error-link"
              onClick={() => switchTo("link")}
            >
              Email me a sign-in link
            </button>
          </Show>
        </Alert>
        <Show
          when={linkSentTo()}
          fallback={
            <button
              type="submit"
              class="button button-primary button-block"
              disabled={busy()}
              data-testid="auth-submit"
            >
              {busy()
                ? "Please wait…"
                : { signup: "Create account", login: "Log in", link: "Email me a sign-in link" }[mode()]}
            </button>
          }
        >
          {(email) => (
            <p class="hint" role="status" data-testid="auth-link-sent">
              If an account exists for {email()}, a sign-in link is on its way. It works once, for{" "}
              {LOGIN_LINK_TTL_MS / 60_000} minutes.
            </p>
          )}
        </Show>
      </form>
      <Show when={mode() === "login"}>
        <button
          type="button"
          class="button button-ghost button-block"
          data-testid="auth-link-mode"
          onClick={() => switchTo("link")}
        >
          Email me a sign-in link
        </button>
      </Show>
      <Show when={mode() === "link"}>
        <p class="muted small">We will email you a link that signs you in without your password.</p>
        <button
          type="button"
          class="button button-ghost button-block"
          data-testid="auth-password-mode"
          onClick={() => switchTo("login")}
        >
          Log in with a password
        </button>
      </Show>
    </div>
  );
}
