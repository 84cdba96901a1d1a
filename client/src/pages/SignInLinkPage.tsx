import { A, useNavigate } from "@solidjs/router";
import { createSignal, onMount, Show } from "solid-js";
import { errorMessage } from "../api";
import { Alert } from "../components/Alert";
import { useSession } from "../session";
import { showToast } from "../toast";

/**
 * /signin/:token, opened from the emailed link. Signing in takes a press of the button:
 * mail scanners that open links must not spend the one-time token.
 */
export function SignInLinkPage(props: { token: string }) {
  const navigate = useNavigate();
  const session = useSession();
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);

  onMount(() => {
    document.title = "Sign in · Haven";
  });

  const signIn = async () => {
    setError(null);
    setBusy(true);
    try {
      const user = await session.consumeLoginLink(props.token);
      showToast(`Signed in as ${user.email}.`);
      // Replace the link's entry, so the spent token does not stay in history.
      navigate("/rooms", { replace: true });
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="auth-page" id="main">
      <div class="auth-card card" data-testid="signin-link-page">
        <div class="invite-intro">
          <h1>Sign in to Haven</h1>
          <p class="muted">This link from your email signs you in once. Press the button to continue.</p>
        </div>
        <Alert message={error()} testId="signin-error" />
        <button
          type="button"
          class="button button-primary button-block"
          disabled={busy()}
          data-testid="signin-submit"
          onClick={() => void signIn()}
        >
          {busy() ? "Signing in…" : "Sign in"}
        </button>
        <Show when={error()}>
          <A href="/login" class="button button-ghost button-block">
            Ask for a new link
          </A>
        </Show>
      </div>
    </main>
  );
}
