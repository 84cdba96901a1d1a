/** What the app mails under `wrangler dev`, read the way a test reads an inbox. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

/**
 * A folder to give `wrangler dev` as TMPDIR: it writes each message the `send_email`
 * binding sends as an .eml file under `$TMPDIR/miniflare-<random>/files/email/`. The
 * folder is removed after the file's tests.
 */
export function useMailbox(prefix: string): { readonly dir: string; sent(): string[] } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    /** Every message sent so far, as text. */
    sent() {
      const out: string[] = [];
      for (const run of readdirSync(dir).filter((name) => name.startsWith("miniflare-"))) {
        const folder = join(dir, run, "files", "email");
        if (!existsSync(folder)) continue;
        for (const file of readdirSync(folder).filter((name) => name.endsWith(".eml")))
          out.push(readFileSync(join(folder, file), "utf8"));
      }
      return out;
    },
  };
}
