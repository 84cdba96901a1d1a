import { A, useNavigate } from "@solidjs/router";
import { createSignal, Show } from "solid-js";
import { errorMessage } from "../api";
import { useSession } from "../session";
import { showToast } from "../toast";
import { NotificationBell } from "./NotificationBell";

/** The app bar on every signed-in page: brand, notifications, who is signed in, log out. */
export function TopBar() {
  const navigate = useNavigate();
  const session = useSession();
  const [busy, setBusy] = createSignal(false);

  const logout = async () => {
    setBusy(true);
    try {
      await session.logout();
      navigate("/login");
    } catch (error) {
      showToast(errorMessage(error), "error");
    } finally {
      setBusy(false);
    }
  };

  return (
    <header class="topbar">
      <A href="/rooms" class="brand">
        <span class="brand-mark" aria-hidden="true" />
        Haven
      </A>
      <Show when={session.user()}>
        {(user) => (
          <div class="topbar-user">
            <NotificationBell />
            <span class="topbar-name" title={user().email}>
              {user().name}
            </span>
            <button type="button" class="button button-ghost" disabled={busy()} data-testid="logout" onClick={logout}>
              Log out
            </button>
          </div>
        )}
      </Show>
    </header>
  );
}
