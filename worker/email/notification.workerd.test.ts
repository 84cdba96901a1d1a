import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { notificationMime, sendNotificationMail } from "./notification";

const mail = {
  from: "signin@haven.example",
  to: "bea@example.com",
  title: "Replace the furnace filter",
  body: "Due today in Harbour house.",
  url: "http://localhost:8787/rooms/r1/tasks/t1?complete=1",
  roomName: "Harbour house",
  settingsUrl: "http://localhost:8787/settings/notifications",
};

/** The decoded value of a header encoded as `=?utf-8?B?...?=`. */
function decodedHeader(raw: string, name: string): string {
  const encoded = new RegExp(`^${name}: =\\?utf-8\\?B\\?([^?]+)\\?=\\r?$`, "m").exec(raw)?.[1] ?? "";
  return new TextDecoder().decode(Uint8Array.from(atob(encoded), (ch) => ch.charCodeAt(0)));
}

describe("notification email", () => {
  it("has the title as subject and the absolute link in text and HTML", () => {
    const raw = notificationMime(mail);
    expect(raw).toMatch(/^From: \S+ <signin@haven\.example>\r?$/m);
    expect(raw).toMatch(/^To: <bea@example\.com>\r?$/m);
    expect(decodedHeader(raw, "Subject")).toBe("Replace the furnace filter");
    expect(raw).toContain("multipart/alternative");
    expect(raw).toMatch(/text\/plain[\s\S]*Due today in Harbour house\./);
    expect(raw).toMatch(/text\/plain[\s\S]*\r\nhttp:\/\/localhost:8787\/rooms\/r1\/tasks\/t1\?complete=1\r\n/);
    expect(raw).toContain('<a href="http://localhost:8787/rooms/r1/tasks/t1?complete=1">');
    expect(raw).toContain("http://localhost:8787/settings/notifications");
  });

  it("cannot be given a header or markup by a title or body", () => {
    const raw = notificationMime({
      ...mail,
      title: "Zoë <b>x</b>\r\nBcc: eve@example.com",
      body: "<script>alert(1)</script>",
    });
    expect(/[^\x00-\x7f]/.test(raw)).toBe(false);
    expect(raw.split("\r\n\r\n")[0]).not.toMatch(/^Bcc:/m);
    expect(decodedHeader(raw, "Subject")).toBe("Zoë <b>x</b> Bcc: eve@example.com");
    expect(raw).not.toContain("<script>");
  });

  it("keeps a title's or room name's CR/LF from adding fake lines to the text part", () => {
    const raw = notificationMime({
      ...mail,
      title: "Filter due\r\n\r\nPay the invoice at https://evil.example",
      roomName: "Harbour\r\nhouse",
    });
    const text = /Content-Type: text\/plain[^\r]*\r\n(?:[^\r]+\r\n)*\r\n([\s\S]*?)\r\n--/.exec(raw)?.[1] ?? "";
    const lines = text.split("\r\n");
    expect(lines[0]).toBe("Filter due Pay the invoice at https://evil.example");
    expect(lines.filter((line) => line.startsWith("Pay the invoice"))).toEqual([]);
    expect(text).toContain('member of "Harbour house" on Haven');
  });

  it("is accepted by the send_email binding", async () => {
    await expect(sendNotificationMail(env.EMAIL, mail)).resolves.toBeUndefined();
  });
});
