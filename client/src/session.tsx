/**
 * Who is signed in. `user()` is undefined while the first /api/me is in flight, null
 * when signed out.
 */
import { type Accessor, createContext, createSignal, type JSX, useContext } from "solid-js";
import type { LoginBody, SignupBody, User } from "../../schema/core/api";
import * as api from "./api";
import { claimLocalData, clearLocalData, logoutPending, setLogoutPending } from "./local-data";
import { showToast } from "./toast";

export interface Session {
  user: Accessor<User | null | undefined>;
  /** Set when the first /api/me could not reach the server. */
  loadError: Accessor<string | null>;
  load(): Promise<void>;
  login(body: LoginBody): Promise<User>;
  signup(body: SignupBody): Promise<User>;
  /** Signs in with an emailed one-time link's token. */
  consumeLoginLink(token: string): Promise<User>;
  logout(): Promise<void>;
  /** True while this tab's own logout is in flight, whose socket closes are expected. */
  signingOut(): boolean;
  /** The server ended the session (401 or a room closing with SESSION_ENDED). */
  expire(): void;
}

export function createSession(): Session {
  const [user, setUser] = createSignal<User | null | undefined>(undefined);
  const [loadError, setLoadError] = createSignal<string | null>(null);
  let signingOut = false;

  /** Every way in passes here: a room opens only once the local copies are this user's. */
  async function signIn(signedIn: User): Promise<User> {
    await claimLocalData(signedIn.id);
    setLogoutPending(false);
    setUser(signedIn);
    return signedIn;
  }

  const session: Session = {
    user,
    loadError,
    async load() {
      setLoadError(null);
      try {
        // A logout made offline ended nothing on the server: finish it before trusting the cookie.
        if (logoutPending()) {
          await api.logout();
          setLogoutPending(false);
        }
        const me = await api.getMe();
        if (me) await signIn(me);
        else setUser(null);
      } catch (error) {
        setLoadError(api.errorMessage(error));
      }
    },
    async login(body) {
      return signIn(await api.login(body));
    },
    async signup(body) {
      return signIn(await api.signup(body));
    },
    async consumeLoginLink(token) {
      return signIn(await api.consumeLoginLink(token));
    },
    async logout() {
      signingOut = true;
      try {
        // The local copies go whatever the server answers: this may be the last chance.
        const reachedServer = await api.logout().then(
          () => true,
          () => false,
        );
        setUser(null);
        await clearLocalData();
        setLogoutPending(!reachedServer);
        if (!reachedServer) {
          showToast(
            "Logged out on this device. Haven could not be reached, so the session ends the next time Haven opens " +
              "here online.",
          );
        }
      } finally {
        signingOut = false;
      }
    },
    signingOut: () => signingOut,
    expire() {
      // Not cleared here: unsent offline edits survive until the same user signs in again.
      setUser(null);
    },
  };
  api.onUnauthorized(() => session.expire());
  return session;
}

const SessionContext = createContext<Session>();

export function SessionProvider(props: { session: Session; children: JSX.Element }) {
  return <SessionContext.Provider value={props.session}>{props.children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession must be used inside <SessionProvider>");
  return session;
}
