import type { User } from "../schema/core/api";

/** The signed-in caller, resolved from the session cookie by the session middleware. */
export interface Auth {
  user: User;
  sessionId: string;
}

/** Hono's typing of this Worker: its bindings and what middleware puts on the context. */
export interface AppEnv {
  Bindings: Env;
  Variables: { auth: Auth | null; requestId: string };
}
