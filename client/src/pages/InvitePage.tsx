import { A, useLocation, useNavigate } from "@solidjs/router";
import { createEffect, createResource, createSignal, Match, onMount, Show, Switch } from "solid-js";
import { ApiError, acceptInvite, errorMessage, getInvite } from "../api";
import { Alert } from "../components/Alert";
import { AuthForm } from "../components/AuthForm";
import { kindName } from "../format";
import { useSession } from "../session";
import { showToast } from "../toast";

/** The heading for an invite that cannot be used, by the status the API answered. */
function failureTitle(error: unknown): string {
  switch (error instanceof ApiError ? error.status : null) {
    case 404:
      return "This invite isn't valid";
    case 410:
      return "This invite has expired";
    case 403:
      return "This invite is for someone else";
    default:
      return "Couldn't accept the invite";
  }
}

/**
 * /invite/:token. Signed out: the invite is looked up first, so a link that cannot be used
 * says so before anyone makes an account; a good one names the room and who invited, and
 * opens on "Log in" when the invited address has an account, "Sign up" when not. Sign in
 * or up right here, so the token is never lost. Signed in: accept, then open the room.
 */
export function InvitePage(props: { token: string }) {
  const navigate = useNavigate();
  const location = useLocation();
  const session = useSession();
  /** The invited address, from the link's fragment (`#email=`), which the server never sees. */
  const emailFromLink = () => new URLSearchParams(location.hash.replace(/^#/, "")).get("email") ?? undefined;
  const [loggingOut, setLoggingOut] = createSignal(false);
  const [preview] = createResource(() => session.user() === null && props.token, getInvite);
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
        <Match when={session.user() === null && preview.error !== undefined}>
          <div class="card empty" data-testid="invite-failed">
            <h1>{failureTitle(preview.error)}</h1>
            <Alert message={errorMessage(preview.error)} />
            <p class="muted small">Ask the person who invited you for a new link.</p>
            <div class="row">
              <A href="/" class="button button-ghost">
                Go to Haven
              </A>
            </div>
          </div>
        </Match>
        <Match when={session.user() === null && preview.state === "ready" && preview()}>
          {(invite) => (
            <AuthForm
              initialMode={invite().hasAccount ? "login" : "signup"}
              initialEmail={emailFromLink()}
              onDone={() => undefined}
              intro={
                <div class="invite-intro" data-testid="invite-summary">
                  <h1>
                    {invite().invitedBy} invited you to “{invite().roomName}” ({kindName(invite().roomKind)}) as{" "}
                    {invite().role}
                  </h1>
                  <p class="muted">
                    {invite().hasAccount
                      ? "Log in with the email address the invite was sent to, and you will join the room."
                      : "Create an account with the email address the invite was sent to, and you will join the room."}
                  </p>
                </div>
              }
            />
          )}
        </Match>
        <Match when={session.user() === null}>
          <p class="muted" aria-busy="true">
            Checking the invite…
          </p>
        </Match>
        <Match when={accepted.error !== undefined}>
          <div class="card empty" data-testid="invite-failed">
            <h1>{failureTitle(accepted.error)}</h1>
            <Alert message={errorMessage(accepted.error)} />
            <Show when={failure()?.status === 403}>
              <p class="muted small">You are logged in as {session.user()?.email}.</p>
            </Show>
            <div class="row">
              <Show when={failure()?.status === 403}>
                <button
                  type="button"
                  class="button button-primary"
                  disabled={loggingOut()}
                  onClick={() => void switchAccount()}
                >
                  Log in as someone else
                </button>
              </Show>
              <A href="/rooms" class="button button-ghost">
                Go to your rooms
              </A>
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
