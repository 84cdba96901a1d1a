/**
 * The sign-in link email: built as raw MIME with mimetext (plain text and HTML) and sent
 * through the `send_email` binding. Locally, wrangler writes each message to an .eml file.
 */
import { EmailMessage } from "cloudflare:email";
import { createMimeMessage } from "mimetext/browser";

export interface SignInLinkMail {
  from: string;
  to: string;
  url: string;
  ttlMinutes: number;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch] ?? ch);

/** The message as raw MIME, ready for `EmailMessage`. Pure: the same input gives the same text and HTML. */
export function signInLinkMime(mail: SignInLinkMail): string {
  const message = createMimeMessage();
  message.setSender({ name: "Haven", addr: mail.from });
  message.setRecipient(mail.to);
  message.setSubject("Your Haven sign-in link");
  const why = `Someone, hopefully you, asked to sign in to Haven as ${mail.to}.`;
  const ignore = "If that was not you, ignore this email: nobody can use the link without it.";
  message.addMessage({
    contentType: "text/plain",
    data: `${why}\n\nOpen this link and press "Sign in" within ${mail.ttlMinutes} minutes. It works once:\n\n${mail.url}\n\n${ignore}\n`,
  });
  message.addMessage({
    contentType: "text/html",
    data: `<p>${escapeHtml(why)}</p><p>Open this link and press &ldquo;Sign in&rdquo; within ${mail.ttlMinutes} minutes. It works once:</p><p><a href="${escapeHtml(mail.url)}">${escapeHtml(mail.url)}</a></p><p>${escapeHtml(ignore)}</p>`,
  });
  return message.asRaw();
}

/** Sends the sign-in link email; rejects when the binding refuses it. */
export async function sendSignInLink(binding: SendEmail, mail: SignInLinkMail): Promise<void> {
  await binding.send(new EmailMessage(mail.from, mail.to, signInLinkMime(mail)));
}
