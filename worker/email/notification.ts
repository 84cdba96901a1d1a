/**
 * The notification email: the notification's title as subject, its text and the absolute
 * link that opens what it is about (see ./message.ts for how every Haven email is built).
 */
import { flattenLine } from "../../schema/core/text";
import { escapeHtml, letterMime, sendMime } from "./message";

export interface NotificationMail {
  from: string;
  to: string;
  title: string;
  body: string;
  /** Absolute URL: `${APP_ORIGIN}${notification.url}`. */
  url: string;
  roomName: string;
  /** Where the recipient changes which notifications they get by email. */
  settingsUrl: string;
}

/** The message as raw MIME, ready for `EmailMessage`. Pure: the same input gives the same text and HTML. */
export function notificationMime(input: NotificationMail): string {
  // Names and the title are one line: a stored CR/LF must not add lines of its own to the text part.
  const mail = { ...input, title: flattenLine(input.title), roomName: flattenLine(input.roomName) };
  const why =
    `You get this email because you are a member of "${mail.roomName}" on Haven. ` +
    "Choose which notifications reach you by email here:";
  const body = mail.body ? `${mail.body}\n\n` : "";
  const htmlBody = mail.body ? `<p>${escapeHtml(mail.body)}</p>` : "";
  return letterMime({
    from: mail.from,
    to: mail.to,
    subject: mail.title,
    text: `${mail.title}\n\n${body}Open it in Haven:\n${mail.url}\n\n${why}\n${mail.settingsUrl}\n`,
    html:
      `<p><strong>${escapeHtml(mail.title)}</strong></p>${htmlBody}` +
      `<p><a href="${escapeHtml(mail.url)}">Open it in Haven</a><br>${escapeHtml(mail.url)}</p>` +
      `<p>${escapeHtml(why)} <a href="${escapeHtml(mail.settingsUrl)}">${escapeHtml(mail.settingsUrl)}</a></p>`,
  });
}

/** Sends the notification email; rejects when the binding refuses it. */
export async function sendNotificationMail(binding: SendEmail, mail: NotificationMail): Promise<void> {
  await sendMime(binding, mail.from, mail.to, notificationMime(mail));
}
