import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

describe("deploy", () => {
  it("bundles for Cloudflare with `wrangler deploy --dry-run`", () => {
    const outdir = mkdtempSync(join(tmpdir(), "haven-dry-run-"));
    try {
      const wrangler = fileURLToPath(new URL("../../node_modules/wrangler/bin/wrangler.js", import.meta.url));
      const result = spawnSync(process.execPath, [wrangler, "deploy", "--dry-run", "--outdir", outdir], {
        cwd: fileURLToPath(new URL("../..", import.meta.url)),
        encoding: "utf8",
        env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
      });
      expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
      expect(result.stdout).toContain("--dry-run: exiting now.");
      expect(readdirSync(outdir)).toContain("index.js");
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
