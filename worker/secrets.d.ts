/**
 * Secrets that `wrangler types` cannot see (they live in the dashboard or `.dev.vars`, not in
 * wrangler.toml), and bindings a deployment may add. Optional: the Worker runs without them,
 * with the feature they enable off.
 */
declare namespace Cloudflare {
  interface Env {
    /** Private half of the VAPID key pair (base64url of the 32-byte scalar d); absent turns Web Push off. */
    VAPID_PRIVATE_KEY?: string;
    /**
     * Tests only, never in wrangler.toml: the origin of the workerd suite's local push service
     * (vitest.config.ts), the one endpoint origin allowed besides the push services in config.ts.
     */
    PUSH_TEST_ORIGIN?: string;
    /**
     * Workers AI (`[ai] binding = "AI"` in wrangler.toml): recordings are transcribed by Whisper. Absent here, since
     * `wrangler dev` can only reach it online; docs/captures.md says how to turn it on.
     */
    AI?: Ai;
  }
}
