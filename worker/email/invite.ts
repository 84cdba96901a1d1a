/**
 * The invite email: tells the invited address who invited them to which room, with the
 * link that accepts it (see ./message.ts for how every Haven email is built and sent).
 */
import { flattenLine } from "../../schema/core/text";
import { escapeHtml, letterMime, sendMime } from "./message";

export interface InviteMail {
  from: string;
  to: string;
  url: string;
  roomName: string;
  /** What people call the room's kind ("home"). */
  roomKind: string;
  inviterName: string;
  role: string;
  validDays: number;
}

/** The message as raw MIME, ready for `EmailMessage`. Pure: the same input gives the same text and HTML. */
export function inviteMime(input: InviteMail): string {
  // Names are one line: a stored CR/LF must not add lines of its own to the text part.
  const mail = {
    ...input,
    roomName: flattenLine(input.roomName),
    inviterName: flattenLine(input.inviterName),
    role: flattenLine(input.role),
  };
  const room = `"${mail.roomName}" (a ${mail.roomKind} room)`;
  const what = `${mail.inviterName} invited you to ${room} on Haven, as ${mail.role}.`;
  const how =
    `Open this link to join. It works once, for ${mail.validDays} days, ` +
    `for an account with this email address (${mail.to}):`;
  const ignore = "If you did not expect this, ignore this email: nothing happens unless you open the link and join.";
  return letterMime({
    from: mail.from,
    to: mail.to,
    subject: `${mail.inviterName} invited you to "${mail.roomName}" on Haven`,
    text: `${what}\n\n${how}\n\n${mail.url}\n\n${ignore}\n`,
    html:
      `<p>${escapeHtml(what)}</p><p>${escapeHtml(how)}</p>` +
      `<p><a href="${escapeHtml(mail.url)}">${escapeHtml(mail.url)}</a></p>` +
      `<p>${escapeHtml(ignore)}</p>`,
  });
}

/** Sends the invite email; rejects when the binding refuses it. */
export async function sendInvite(binding: SendEmail, mail: InviteMail): Promise<void> {
  await sendMime(binding, mail.from, mail.to, inviteMime(mail));
}
