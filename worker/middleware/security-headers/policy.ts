/**
 * The security headers every response of the app carries: the API's (set by the
 * middleware beside this file) and the static assets' (vite.config.ts writes them into
 * the `_headers` file that the assets binding applies before the Worker runs).
 */
export const SECURITY_HEADERS = {
  /**
   * Everything from the app's own origin only: no inline script or style, no plugins,
   * no `<base>` tricks, forms post only here, and no site may frame the app.
   */
  "Content-Security-Policy":
    "default-src 'self'; base-uri 'none'; object-src 'none'; form-action 'self'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  /** For browsers that predate `frame-ancestors`. */
  "X-Frame-Options": "DENY",
  /**
   * Invite and sign-in links carry their token in the path, so no URL may leave the
   * site. Not `no-referrer`: browsers then send `Origin: null` on same-origin POSTs,
   * which the origin check must refuse.
   */
  "Referrer-Policy": "same-origin",
} as const;

/** The same headers in the `_headers` file format of Cloudflare's static assets, for every path. */
export function assetHeadersFile(): string {
  const lines = Object.entries(SECURITY_HEADERS).map(([name, value]) => `  ${name}: ${value}`);
  return `/*\n${lines.join("\n")}\n`;
}
