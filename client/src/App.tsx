import { type Accessor, createEffect, createMemo, Match, on, Show, Switch } from "solid-js";
import { AuthPage } from "./pages/AuthPage";
import { InvitePage } from "./pages/InvitePage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { NotificationSettingsPage } from "./pages/NotificationSettingsPage";
import { RoomPage } from "./pages/RoomPage";
import { RoomsPage } from "./pages/RoomsPage";
import { SignInLinkPage } from "./pages/SignInLinkPage";
import { currentPath, currentRoute, loginHref, navigate, type Route } from "./router";
import { createSession, SessionProvider, useSession } from "./session";
import { Toasts } from "./toast";

export function App() {
  const session = createSession();
  void session.load();
  return (
    <SessionProvider session={session}>
      {/* biome-ignore lint/a11y/useValidAnchor: the link moves focus to the main landmark without changing the route */}
      <a
        class="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          focusMain();
        }}
      >
        Skip to content
      </a>
      <Routes />
      <Toasts />
    </SessionProvider>
  );
}

/** Moves keyboard focus to the page's main heading (or the main region) without scrolling past it. */
function focusMain(): boolean {
  const target = document.querySelector<HTMLElement>("#main h1") ?? document.getElementById("main");
  if (!target) return false;
  target.tabIndex = -1;
  target.focus();
  return true;
}

/**
 * After a page change (signing in, opening a room) focus moves to the new page's heading,
 * as a screen reader user expects, instead of staying on the body. Pages that load first
 * get a moment to render their heading. A page whose whole point is one action (a
 * reminder's "Mark done") marks that control `data-autofocus`, and it gets focus instead.
 */
function focusHeadingOnPageChange(route: Accessor<Route>): void {
  createEffect(
    on(
      route,
      () => {
        let frames = 0;
        const attempt = () => {
          const action = document.querySelector<HTMLElement>("#main [data-autofocus]");
          if (action) {
            action.focus();
            return;
          }
          if (document.querySelector("#main h1") ? focusMain() : ++frames > 120) return;
          requestAnimationFrame(attempt);
        };
        requestAnimationFrame(attempt);
      },
      { defer: true },
    ),
  );
}

function sameRoute(a: Route, b: Route): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Routes that need a session send a signed-out user to /login and back again afterwards. */
function Routes() {
  const session = useSession();
  const route = createMemo(currentRoute, undefined, { equals: sameRoute });
  focusHeadingOnPageChange(route);
  const roomId = createMemo(() => {
    const r = route();
    return r.name === "room" ? r.roomId : null;
  });
  const roomView = createMemo(
    () => {
      const r = route();
      return r.name === "room" ? r.view : ({ name: "main" } as const);
    },
    undefined,
    { equals: (a, b) => JSON.stringify(a) === JSON.stringify(b) },
  );
  const loginNext = () => {
    const r = route();
    return r.name === "login" ? r.next : null;
  };
  const inviteToken = createMemo(() => {
    const r = route();
    return r.name === "invite" ? r.token : null;
  });
  const signInToken = createMemo(() => {
    const r = route();
    return r.name === "signin" ? r.token : null;
  });

  createEffect(() => {
    const user = session.user();
    const r = route();
    if (user === undefined) return;
    if (
      user === null &&
      (r.name === "home" || r.name === "rooms" || r.name === "room" || r.name === "notificationSettings")
    ) {
      navigate(r.name === "home" ? "/login" : loginHref(currentPath()), { replace: true });
    } else if (user !== null && r.name === "login") {
      navigate(r.next ?? "/rooms", { replace: true });
    } else if (user !== null && r.name === "home") {
      navigate("/rooms", { replace: true });
    }
  });

  return (
    <Switch>
      <Match when={session.user() === undefined}>
        <main class="center-page" id="main">
          <Show
            when={session.loadError()}
            fallback={
              <p class="muted" aria-busy="true">
                Loading Haven…
              </p>
            }
          >
            {(message) => (
              <div class="card empty">
                <h1>Haven is out of reach</h1>
                <p role="alert">{message()}</p>
                <button type="button" class="button button-primary" onClick={() => void session.load()}>
                  Try again
                </button>
              </div>
            )}
          </Show>
        </main>
      </Match>
      <Match when={inviteToken()} keyed>
        {(token) => <InvitePage token={token} />}
      </Match>
      <Match when={signInToken()} keyed>
        {(token) => <SignInLinkPage token={token} />}
      </Match>
      <Match when={route().name === "notFound"}>
        <NotFoundPage />
      </Match>
      <Match when={session.user() === null && route().name === "login"}>
        <AuthPage next={loginNext()} />
      </Match>
      <Match when={session.user()}>
        {(user) => (
          <Switch>
            <Match when={roomId()} keyed>
              {(id) => <RoomPage roomId={id} user={user()} view={roomView()} />}
            </Match>
            <Match when={route().name === "notificationSettings"}>
              <NotificationSettingsPage />
            </Match>
            <Match when={route().name === "rooms"}>
              <RoomsPage />
            </Match>
          </Switch>
        )}
      </Match>
    </Switch>
  );
}
