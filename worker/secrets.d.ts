/**
 * Secrets that `wrangler types` cannot see (they live in the dashboard or `.dev.vars`, not in
 * wrangler.toml). Optional: the Worker runs without them, with the feature they enable off.
 */
declare namespace Cloudflare {
  interface Env {
    /** Private half of the VAPID key pair (base64url of the 32-byte scalar d); absent turns Web Push off. */
    VAPID_PRIVATE_KEY?: string;
  }
}
