import {
  Navigate,
  Route,
  Router,
  type RouteSectionProps,
  useLocation,
  useParams,
  useSearchParams,
} from "@solidjs/router";
import { createEffect, type JSX, lazy, Match, on, Show, Switch } from "solid-js";
import { decodeParam, loginHref, safeNext } from "./links";
import { AuthPage } from "./pages/AuthPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { RoomMainRoute, RoomPage, RoomSubPageRoute } from "./pages/RoomPage";
import { RoomPeopleRoute } from "./pages/RoomPeoplePage";
import { RoomsPage } from "./pages/RoomsPage";
import { roomKinds } from "./rooms/registry";
import { createSession, SessionProvider, useSession } from "./session";
import { Toasts } from "./toast";

// Pages few visits open load when first needed.
const InvitePage = lazy(() => import("./pages/InvitePage").then((m) => ({ default: m.InvitePage })));
const SignInLinkPage = lazy(() => import("./pages/SignInLinkPage").then((m) => ({ default: m.SignInLinkPage })));
const SitesOverviewPage = lazy(() =>
  import("./pages/SitesOverviewPage").then((m) => ({ default: m.SitesOverviewPage })),
);
const NotificationSettingsPage = lazy(() =>
  import("./pages/NotificationSettingsPage").then((m) => ({ default: m.NotificationSettingsPage })),
);

/** Every kind's sub-page paths below a room, each once: two kinds may share a path. */
const roomSubPaths = [...new Set(Object.values(roomKinds).flatMap((kind) => kind.pagePaths))];

/**
 * Every address the app answers. Links the server builds must keep working: `/signin/:token`
 * (sign-in emails), `/invite/:token` (invites), `/rooms/:roomId/tasks/:taskId?complete=1`
 * (reminders), `/rooms/:roomId/units/:unitId?alert=` (alerts), `/settings/notifications`
 * (every notification email's footer), `/rooms/:roomId/people` (members and settings);
 * tests/e2e/deep-links.test.ts opens each directly.
 */
export function App() {
  const session = createSession();
  void session.load();
  return (
    <SessionProvider session={session}>
      {/* biome-ignore lint/a11y/useValidAnchor: the link moves
         focus to the main landmark without changing the route */}
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
      {/* Only the router's own <A> links route in-app: a plain anchor (a photo, a webcal
          feed) behaves as the browser does. */}
      <Router root={Shell} explicitLinks>
        <Route path="/" component={HomeRoute} />
        <Route path="/login" component={LoginRoute} />
        <Route path="/invite/:token" component={InviteRoute} />
        <Route path="/signin/:token" component={SignInRoute} />
        <Route path="/rooms" component={signedIn(RoomsPage)} />
        <Route path="/rooms/:roomId" component={signedIn(RoomPage)}>
          <Route path="/" component={RoomMainRoute} />
          <Route path="people" component={RoomPeopleRoute} />
          {roomSubPaths.map((path) => (
            <Route path={path} component={RoomSubPageRoute(path)} />
          ))}
        </Route>
        <Route path="/settings/notifications" component={signedIn(NotificationSettingsPage)} />
        <Route path="/sites" component={signedIn(SitesOverviewPage)} />
        <Route path="*" component={NotFoundPage} />
      </Router>
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
function focusHeadingOnPageChange(): void {
  const location = useLocation();
  createEffect(
    on(
      () => location.pathname + location.search,
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

/** Every page waits for the first /api/me, so none flashes the wrong state. */
function Shell(props: RouteSectionProps) {
  const session = useSession();
  focusHeadingOnPageChange();
  return (
    <Show
      when={session.user() !== undefined}
      fallback={
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
      }
    >
      {props.children}
    </Show>
  );
}

/** A page that needs a session: a signed-out user goes to /login and comes back here afterwards. */
function signedIn(Page: (props: RouteSectionProps) => JSX.Element) {
  return (props: RouteSectionProps) => {
    const session = useSession();
    const location = useLocation();
    return (
      <Show when={session.user()} fallback={<Navigate href={() => loginHref(location.pathname + location.search)} />}>
        <Page {...props} />
      </Show>
    );
  };
}

/** `/`: the rooms list when signed in, the login page when not. */
function HomeRoute() {
  const session = useSession();
  return <Navigate href={() => (session.user() ? "/rooms" : "/login")} />;
}

/** `/login?next=`: signed in already (or just now), on to `next`. */
function LoginRoute() {
  const session = useSession();
  const [search] = useSearchParams<{ next: string }>();
  const next = () => safeNext(search.next);
  return (
    <Switch>
      <Match when={session.user()}>
        <Navigate href={() => next() ?? "/rooms"} />
      </Match>
      <Match when={true}>
        <AuthPage next={next()} />
      </Match>
    </Switch>
  );
}

function InviteRoute() {
  const params = useParams<{ token: string }>();
  return (
    <Show when={decodeParam(params.token)} keyed fallback={<NotFoundPage />}>
      {(token) => <InvitePage token={token} />}
    </Show>
  );
}

function SignInRoute() {
  const params = useParams<{ token: string }>();
  return (
    <Show when={decodeParam(params.token)} keyed fallback={<NotFoundPage />}>
      {(token) => <SignInLinkPage token={token} />}
    </Show>
  );
}
