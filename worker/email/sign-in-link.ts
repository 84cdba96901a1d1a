/** The sign-in link email (see ./message.ts for how every Haven email is built and sent). */
import { escapeHtml, letterMime, sendMime } from "./message";

export interface SignInLinkMail {
  from: string;
  to: string;
  url: string;
  ttlMinutes: number;
}

/** The message as raw MIME, ready for `EmailMessage`. Pure: the same input gives the same text and HTML. */
export function signInLinkMime(mail: SignInLinkMail): string {
  const why = `Someone, hopefully you, asked to sign in to Haven as ${mail.to}.`;
  const ignore = "If that was not you, ignore this email: nobody can use the link without it.";
  return letterMime({
    from: mail.from,
    to: mail.to,
    subject: "Your Haven sign-in link",
    text:
      `${why}\n\nOpen this link and press "Sign in" within ${mail.ttlMinutes} minutes. It works once:\n\n` +
      `${mail.url}\n\n${ignore}\n`,
    html:
      `<p>${escapeHtml(why)}</p>` +
      `<p>Open this link and press &ldquo;Sign in&rdquo; within ${mail.ttlMinutes} minutes. It works once:</p>` +
      `<p><a href="${escapeHtml(mail.url)}">${escapeHtml(mail.url)}</a></p>` +
      `<p>${escapeHtml(ignore)}</p>`,
  });
}

/** Sends the sign-in link email; rejects when the binding refuses it. */
export async function sendSignInLink(binding: SendEmail, mail: SignInLinkMail): Promise<void> {
  await sendMime(binding, mail.from, mail.to, signInLinkMime(mail));
}
