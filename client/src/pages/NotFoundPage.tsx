import { A } from "@solidjs/router";
import { onMount } from "solid-js";

export function NotFoundPage() {
  onMount(() => {
    document.title = "Not found · Haven";
  });
  return (
    <main class="center-page" id="main">
      <div class="card empty" data-testid="not-found">
        <h1>Page not found</h1>
        <p class="muted">There is nothing at this address.</p>
        <A href="/" class="button button-primary">
          Go to Haven
        </A>
      </div>
    </main>
  );
}
