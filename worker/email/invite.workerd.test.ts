import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { inviteMime, sendInvite } from "./invite";

/** The base64 body of a MIME message's plain-text part. */
const TEXT_PART =
  /Content-Type: text\/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n([A-Za-z0-9+/=\r\n]+?)\r\n\r\n/;

const mail = {
  from: "signin@haven.example",
  to: "bea@example.com",
  url: "https://haven.example/invite/abcdefghijkmnpqrstuvwxyz2345678",
  roomName: "Harbour house",
  roomKind: "home",
  inviterName: "Ada Lovelace",
  role: "editor",
  validDays: 7,
};

/** The decoded value of a header encoded as `=?utf-8?B?...?=`. */
function decodedHeader(raw: string, name: string): string {
  const encoded = new RegExp(`^${name}: =\\?utf-8\\?B\\?([^?]+)\\?=\\r?$`, "m").exec(raw)?.[1] ?? "";
  return new TextDecoder().decode(Uint8Array.from(atob(encoded), (ch) => ch.charCodeAt(0)));
}

describe("invite email", () => {
  it(
    "is a MIME message from Haven to the invited address, naming " + "room and inviter, with the link in text and HTML",
    () => {
      const raw = inviteMime(mail);
      expect(raw).toMatch(/^From: \S+ <signin@haven\.example>\r?$/m);
      expect(raw).toMatch(/^To: <bea@example\.com>\r?$/m);
      expect(decodedHeader(raw, "Subject")).toBe('Ada Lovelace invited you to "Harbour house" on Haven');
      expect(raw).toContain("multipart/alternative");
      expect(/[^\x00-\x7f]/.test(raw)).toBe(false);
      expect(raw).toMatch(
        /text\/plain[\s\S]*Ada Lovelace invited you to "Harbour house" \(a home room\) on Haven, as editor\./,
      );
      expect(raw).toMatch(/text\/plain[\s\S]*\nhttps:\/\/haven\.example\/invite\/abcdefghijkmnpqrstuvwxyz2345678\r?\n/);
      expect(raw).toContain(`<a href="${mail.url}">`);
      expect(raw).toContain("7 days");
    },
  );

  it("carries names in any script and cannot be given a header or markup by them", () => {
    const raw = inviteMime({ ...mail, roomName: "Zoë's <b>house</b>\r\nBcc: eve@example.com", inviterName: "Zoë" });
    expect(/[^\x00-\x7f]/.test(raw)).toBe(false);
    expect(raw.split("\r\n\r\n")[0]).not.toMatch(/^Bcc:/m);
    expect(raw).not.toMatch(/\r(?!\n)/);
    expect(decodedHeader(raw, "Subject")).toBe(`Zoë invited you to "Zoë's <b>house</b> Bcc: eve@example.com" on Haven`);
    expect(raw).toContain("Zo&#235;&#39;s &lt;b&gt;house&lt;/b&gt;");
    expect(raw).not.toContain("<b>house</b>");
    // The text part is base64 of its UTF-8, since a 7-bit part cannot carry "ë".
    const text = TEXT_PART.exec(raw)?.[1];
    expect(text).toBeDefined();
    const decoded = new TextDecoder().decode(
      Uint8Array.from(atob((text ?? "").replace(/\r\n/g, "")), (ch) => ch.charCodeAt(0)),
    );
    expect(decoded).toContain("Zoë invited you to");
    expect(decoded).toContain(`\n${mail.url}\n`);
  });

  it("keeps a name's CR/LF from adding fake lines to the text part", () => {
    const raw = inviteMime({
      ...mail,
      inviterName: "Ada\r\n\r\nYour account is locked. Sign in at https://evil.example\r\n",
      roomName: "Harbour\nhouse",
    });
    const text = /Content-Type: text\/plain[^\r]*\r\n(?:[^\r]+\r\n)*\r\n([\s\S]*?)\r\n--/.exec(raw)?.[1] ?? "";
    const lines = text.split("\r\n");
    expect(lines[0]).toBe(
      'Ada Your account is locked. Sign in at https://evil.example invited you to "Harbour house" (a home room) ' +
        "on Haven, as editor.",
    );
    expect(lines.filter((line) => line.startsWith("Your account is locked"))).toEqual([]);
  });

  it("is accepted by the send_email binding", async () => {
    await expect(sendInvite(env.EMAIL, mail)).resolves.toBeUndefined();
  });
});
