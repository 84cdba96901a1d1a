import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { assetHeadersFile, SECURITY_HEADERS } from "./policy";

function expectSecurityHeaders(res: Response): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(res.headers.get(name), name).toBe(value);
}

describe("security headers", () => {
  it("restrict the app to its own origin and forbid framing and sniffing", () => {
    const csp = SECURITY_HEADERS["Content-Security-Policy"];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(SECURITY_HEADERS["X-Frame-Options"]).toBe("DENY");
    expect(SECURITY_HEADERS["X-Content-Type-Options"]).toBe("nosniff");
  });

  it("are on every API answer: success, error and unknown route", async () => {
    expectSecurityHeaders(await SELF.fetch("http://haven.test/api/me"));
    expectSecurityHeaders(await SELF.fetch("http://haven.test/api/nothing-here"));
    expectSecurityHeaders(
      await SELF.fetch("http://haven.test/api/auth/signup", {
        method: "POST",
        body: "{",
        headers: { "Content-Type": "application/json" },
      }),
    );
    expectSecurityHeaders(await SELF.fetch("http://haven.test/parties/property/x"));
  });

  it("are written for the static assets as a _headers rule for every path", () => {
    const file = assetHeadersFile();
    expect(file.startsWith("/*\n")).toBe(true);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(file).toContain(`\n  ${name}: ${value}`);
  });
});
