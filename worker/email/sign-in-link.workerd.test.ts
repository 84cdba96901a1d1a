import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { sendSignInLink, signInLinkMime } from "./sign-in-link";

const mail = {
  from: "signin@haven.example",
  to: "ada@example.com",
  url: "https://haven.example/signin/abcdefghijkmnpqrstuvwxyz2345678",
  ttlMinutes: 15,
};

describe("sign-in link email", () => {
  it("is a MIME message from Haven to the account, with the link in text and HTML", () => {
    const raw = signInLinkMime(mail);
    expect(raw).toMatch(/^From: \S+ <signin@haven\.example>\r?$/m);
    expect(raw).toMatch(/^To: <ada@example\.com>\r?$/m);
    expect(raw).toMatch(/^Message-ID: <.+@haven\.example>\r?$/m);
    expect(raw).toContain("multipart/alternative");
    // 7-bit parts: the link is readable as it is, in the text part and as the HTML part's anchor.
    expect(/[^\x00-\x7f]/.test(raw)).toBe(false);
    expect(raw).toMatch(/text\/plain[\s\S]*\nhttps:\/\/haven\.example\/signin\/abcdefghijkmnpqrstuvwxyz2345678\r?\n/);
    expect(raw).toContain(`<a href="${mail.url}">`);
    expect(raw).toContain("15 minutes");
  });

  it("is accepted by the send_email binding", async () => {
    await expect(sendSignInLink(env.EMAIL, mail)).resolves.toBeUndefined();
  });
});
