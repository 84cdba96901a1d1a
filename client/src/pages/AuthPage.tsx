import { onMount } from "solid-js";
import { AuthForm } from "../components/AuthForm";
import { navigate } from "../router";

/** /login: one form to log in or sign up, then on to `next` (default: the rooms list). */
export function AuthPage(props: { next: string | null }) {
  onMount(() => {
    document.title = "Log in · Haven";
  });
  return (
    <main class="auth-page" id="main">
      <div class="auth-brand">
        <span class="brand-mark brand-mark-lg" aria-hidden="true" />
        <h1>Haven</h1>
        <p class="muted">Shared checklists for your home, your deals and your sites, live for everyone in the room.</p>
      </div>
      <AuthForm onDone={() => navigate(props.next ?? "/rooms", { replace: true })} />
    </main>
  );
}
