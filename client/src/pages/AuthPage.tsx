import { useNavigate } from "@solidjs/router";
import { onMount } from "solid-js";
import { AuthForm } from "../components/AuthForm";
import { Icon } from "../components/Icon";

/** /login: one form to log in or sign up, then on to `next` (default: the rooms list). */
export function AuthPage(props: { next: string | null }) {
  const navigate = useNavigate();
  // Read once: signing in also moves the address on (the login route sends a signed-in
  // user to `next`), and a later read of the moved address would have no `next` left.
  const next = props.next ?? "/rooms";
  onMount(() => {
    document.title = "Log in · Haven";
  });
  // The form comes before the description in the page, so on a phone a returning user
  // reaches it first; on a wide screen the description sits beside it.
  return (
    <main class="auth-page" id="main">
      <div class="auth-brand">
        <span class="brand-mark brand-mark-lg" aria-hidden="true" />
        <h1>Haven</h1>
      </div>
      <AuthForm onDone={() => navigate(next, { replace: true })} />
      <section class="auth-about" aria-labelledby="auth-about-heading">
        <h2 id="auth-about-heading">What Haven is</h2>
        <p>
          A shared workspace for a place you look after with other people. Changes show up for everyone at once, and you
          can keep working offline.
        </p>
        <ul class="auth-kinds">
          <li>
            <span class="kind-icon kind-property" aria-hidden="true">
              <Icon name="property" />
            </span>
            <span>
              <strong>A home</strong>: maintenance, assets and reminders for the household.
            </span>
          </li>
          <li>
            <span class="kind-icon kind-deal" aria-hidden="true">
              <Icon name="deal" />
            </span>
            <span>
              <strong>A real-estate deal</strong>: milestones and tasks for agents, buyers and coordinators.
            </span>
          </li>
          <li>
            <span class="kind-icon kind-site" aria-hidden="true">
              <Icon name="site" />
            </span>
            <span>
              <strong>A cold-storage site</strong>: checks and alerts for the staff on site.
            </span>
          </li>
        </ul>
        <p class="muted">
          Each is a room, with shared checklists besides. You invite people to it and give each a role that fits the
          room: an owner, admins, editors and viewers in every room; household members in a home; a buyer, an agent and
          a transaction coordinator in a deal; managers and staff on a site.
        </p>
      </section>
    </main>
  );
}
