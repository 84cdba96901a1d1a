/**
 * What every Haven email shares: one sender name, a plain-text and an HTML part, built
 * as raw MIME with mimetext and sent through the `send_email` binding. Locally, wrangler
 * writes each message to an .eml file instead of sending it.
 */
import { EmailMessage } from "cloudflare:email";
import { createMimeMessage } from "mimetext/browser";

export interface Letter {
  from: string;
  to: string;
  subject: string;
  text: string;
  /** HTML body; interpolate anything not ours through `escapeHtml`. */
  html: string;
}

/**
 * Escapes text for HTML, and writes every non-ASCII character as a numeric reference, so
 * the HTML part stays 7-bit and its link readable in the raw message. Control characters
 * (a name's stray line break) become spaces.
 */
export const escapeHtml = (text: string): string =>
  text
    .replace(/[\x00-\x1f\x7f]/g, " ")
    .replace(
      /[&<>"']|[^\x00-\x7f]/gu,
      (ch) =>
        ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch] ?? `&#${ch.codePointAt(0)};`,
    );

const isAscii = (text: string) => !/[^\x00-\x7f]/.test(text);

/** Base64 of the text's UTF-8, in lines of 76 as MIME requires. */
function base64Lines(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return (btoa(binary).match(/.{1,76}/g) ?? []).join("\r\n");
}

/**
 * A text part as it is when it is ASCII (so links stay readable in the raw message), in
 * base64 otherwise: a 7-bit part may not carry the names people give rooms and themselves.
 */
const part = (contentType: "text/plain" | "text/html", data: string) =>
  isAscii(data)
    ? { contentType, data: data.replace(/\r\n|\r|\n/g, "\r\n") }
    : { contentType, data: base64Lines(data), encoding: "base64" as const };

/**
 * The letter as raw MIME, ready for `EmailMessage`.
 * The subject is always encoded (RFC 2047), so no name can add a header.
 */
export function letterMime(letter: Letter): string {
  const message = createMimeMessage();
  message.setSender({ name: "Haven", addr: letter.from });
  message.setRecipient(letter.to);
  message.setSubject(letter.subject);
  message.addMessage(part("text/plain", letter.text));
  message.addMessage(part("text/html", letter.html));
  return message.asRaw();
}

/** Sends raw MIME from `from` to `to`; rejects when the binding refuses it. */
export async function sendMime(binding: SendEmail, from: string, to: string, raw: string): Promise<void> {
  await binding.send(new EmailMessage(from, to, raw));
}
