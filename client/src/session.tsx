/**
 * Who is signed in. `user()` is undefined while the first /api/me is in flight, null
 * when signed out.
 */
import { type Accessor, createContext, createSignal, type JSX, useContext } from "solid-js";
import type { LoginBody, SignupBody, User } from "../../schema/api";
import * as api from "./api";

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

  const session: Session = {
    user,
    loadError,
    async load() {
      setLoadError(null);
      try {
        setUser(await api.getMe());
      } catch (error) {
        setLoadError(api.errorMessage(error));
      }
    },
    async login(body) {
      const signedIn = await api.login(body);
      setUser(signedIn);
      return signedIn;
    },
    async signup(body) {
      const created = await api.signup(body);
      setUser(created);
      return created;
    },
    async consumeLoginLink(token) {
      const signedIn = await api.consumeLoginLink(token);
      setUser(signedIn);
      return signedIn;
    },
    async logout() {
      signingOut = true;
      try {
        await api.logout();
        setUser(null);
      } finally {
        signingOut = false;
      }
    },
    signingOut: () => signingOut,
    expire() {
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
