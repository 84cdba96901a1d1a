/**
 * Addresses inside the app that core builds or reads. Invite and sign-in links are real
 * paths (`/invite/<token>`, `/signin/<token>`), and the Worker's assets serve index.html
 * for every path that is not an asset, API or room (`not_found_handling` in wrangler.toml),
 * so any of them opens directly. A kind's own addresses live in its folder.
 */

export function roomHref(roomId: string): string {
  return `/rooms/${encodeURIComponent(roomId)}`;
}

/** Accepts only same-site paths as a post-login destination, never `//host` or a URL. */
export function safeNext(next: string | null | undefined): string | null {
  return typeof next === "string" && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\")
    ? next
    : null;
}

/** The login page, coming back to `back` once signed in. */
export function loginHref(back: string): string {
  return `/login?next=${encodeURIComponent(back)}`;
}

/**
 * A path segment as the router hands it over (still percent-encoded), decoded; null for
 * a malformed one, which the page treats as not found.
 */
export function decodeParam(segment: string | undefined): string | null {
  if (segment === undefined || segment === "") return null;
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
