import { spawnSync } from "node:child_process";
import { createPrivateKey, createPublicKey, sign, verify } from "node:crypto";
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

  it("makes a VAPID key pair whose halves belong together (`npm run vapid-keys`)", () => {
    const tsx = fileURLToPath(new URL("../../node_modules/tsx/dist/cli.mjs", import.meta.url));
    const result = spawnSync(process.execPath, [tsx, "scripts/vapid-keys.ts"], {
      cwd: fileURLToPath(new URL("../..", import.meta.url)),
      encoding: "utf8",
    });
    expect(result.status, result.stderr).toBe(0);
    const publicKey = /VAPID_PUBLIC_KEY\s+= (\S+)/.exec(result.stdout)?.[1] ?? "";
    const privateKey = /VAPID_PRIVATE_KEY = (\S+)/.exec(result.stdout)?.[1] ?? "";
    const point = Buffer.from(publicKey, "base64url");
    expect(point.byteLength).toBe(65);
    expect(point[0]).toBe(0x04);
    expect(Buffer.from(privateKey, "base64url").byteLength).toBe(32);
    const jwk = {
      kty: "EC",
      crv: "P-256",
      x: point.subarray(1, 33).toString("base64url"),
      y: point.subarray(33).toString("base64url"),
    };
    const signature = sign(
      "sha256",
      Buffer.from("haven"),
      createPrivateKey({ key: { ...jwk, d: privateKey }, format: "jwk" }),
    );
    expect(verify("sha256", Buffer.from("haven"), createPublicKey({ key: jwk, format: "jwk" }), signature)).toBe(true);
  });
});
