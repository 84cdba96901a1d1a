import { onMount } from "solid-js";
import { Link } from "../router";

export function NotFoundPage() {
  onMount(() => {
    document.title = "Not found · Haven";
  });
  return (
    <main class="center-page" id="main">
      <div class="card empty">
        <h1>Page not found</h1>
        <p class="muted">There is nothing at this address.</p>
        <Link href="/" class="button button-primary">
          Go to Haven
        </Link>
      </div>
    </main>
  );
}
