import { createEffect, createResource, createSignal, Match, onMount, Show, Switch } from "solid-js";
import { acceptInvite, ApiError, errorMessage } from "../api";
import { Alert } from "../components/Alert";
import { AuthForm } from "../components/AuthForm";
import { Link, navigate } from "../router";
import { useSession } from "../session";
import { showToast } from "../toast";

/**
 * /invite/:token. Signed out: sign in or up right here, so the token is never lost.
 * Signed in: accept, then open the room.
 */
export function InvitePage(props: { token: string }) {
  const session = useSession();
  const [loggingOut, setLoggingOut] = createSignal(false);
  const [accepted] = createResource(
    () => {
      const user = session.user();
      return user ? { token: props.token, userId: user.id } : false;
    },
    ({ token }) => acceptInvite(token),
  );

  onMount(() => {
    document.title = "Join a room · Haven";
  });

  createEffect(() => {
    const room = accepted.error === undefined ? accepted() : undefined;
    if (!room) return;
    showToast(`You joined “${room.name}”.`);
    navigate(`/rooms/${encodeURIComponent(room.id)}`, { replace: true });
  });

  const failure = () => (accepted.error instanceof ApiError ? accepted.error : null);
  const title = () => {
    switch (failure()?.status) {
      case 404:
        return "This invite isn't valid";
      case 410:
        return "This invite has expired";
      case 403:
        return "This invite is for someone else";
      default:
        return "Couldn't accept the invite";
    }
  };

  const switchAccount = async () => {
    setLoggingOut(true);
    try {
      await session.logout();
    } catch (error) {
      showToast(errorMessage(error), "error");
    } finally {
      setLoggingOut(false);
    }
  };

  return (
    <main class="auth-page" id="main">
      <Switch>
        <Match when={session.user() === null}>
          <AuthForm
            initialMode="signup"
            onDone={() => undefined}
            intro={
              <div class="invite-intro">
                <h1>You're invited to a room on Haven</h1>
                <p class="muted">Create an account or log in with the email address the invite was sent to.</p>
              </div>
            }
          />
        </Match>
        <Match when={accepted.error !== undefined}>
          <div class="card empty" data-testid="invite-failed">
            <h1>{title()}</h1>
            <Alert message={errorMessage(accepted.error)} />
            <Show when={failure()?.status === 403}>
              <p class="muted small">You are logged in as {session.user()?.email}.</p>
            </Show>
            <div class="row">
              <Show when={failure()?.status === 403}>
                <button type="button" class="button button-primary" disabled={loggingOut()} onClick={() => void switchAccount()}>
                  Log in as someone else
                </button>
              </Show>
              <Link href="/rooms" class="button button-ghost">
                Go to your rooms
              </Link>
            </div>
          </div>
        </Match>
        <Match when={true}>
          <p class="muted" aria-busy="true">
            Joining the room…
          </p>
        </Match>
      </Switch>
    </main>
  );
}
