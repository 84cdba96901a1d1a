/**
 * Invites end to end, against a real `wrangler dev`: making one emails its link (wrangler
 * writes the message to an .eml file), a made-up link says so before anyone can sign up,
 * and the real link names the room and inviter, opens on "Log in" for an existing
 * account, and logging in there joins the room.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { Invite, Room } from "../../schema/core/api";
import { useAppInChromium } from "./chromium";
import { createRoom, type Session, signup } from "./clients";
import { useMailbox } from "./mailbox";

const UI_TIMEOUT_MS = 15_000;
/** The password tests/e2e/clients.ts signs its accounts up with. */
const PASSWORD = "long enough password";

const mailbox = useMailbox("haven-invite-mail-");
const app = useAppInChromium("invite", { env: { TMPDIR: mailbox.dir } });

/** A header's value, decoded when it is RFC 2047 base64 (`=?utf-8?B?...?=`). */
function header(mail: string, name: string): string {
  const value = new RegExp(`^${name}: (.*?)\\r?$`, "m").exec(mail)?.[1] ?? "";
  return value.replace(/=\?utf-8\?B\?([^?]*)\?=/gi, (_, b64: string) => Buffer.from(b64, "base64").toString("utf8"));
}

async function emailTo(address: string): Promise<string> {
  let mail: string | undefined;
  await expect
    .poll(() => (mail = mailbox.sent().find((text) => text.includes(`To: <${address}>`))), {
      timeout: UI_TIMEOUT_MS,
      interval: 100,
    })
    .toBeDefined();
  return mail as string;
}

async function createInvite(owner: Session, room: Room, email: string, role: string): Promise<Invite> {
  const res = await fetch(`${app.server.url}/api/rooms/${room.id}/invites`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Cookie: owner.cookie },
    body: JSON.stringify({ email, role }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { invite: Invite }).invite;
}

async function newPage(): Promise<Page> {
  const context = await app.browser.newContext({ baseURL: app.server.url });
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  return context.newPage();
}

function shows<T>(read: () => Promise<T>) {
  return expect.poll(read, { timeout: UI_TIMEOUT_MS, interval: 50 });
}

describe("an invite", () => {
  it("with a made-up token says it is not valid, and offers no way to sign up", async () => {
    const page = await newPage();
    await page.goto("/invite/abcdefghijkmnpqrstuvwxyz23456789");
    await shows(() => page.getByTestId("invite-failed").textContent()).toContain("This invite isn't valid");
    expect(await page.getByTestId("auth-form").count()).toBe(0);
    expect(await page.getByTestId("auth-mode-signup").count()).toBe(0);
    await page.context().close();
  });

  it(
    "is emailed with its link; the link names room and inviter, opens on log in for an existing account, and logging " +
      "in joins",
    async () => {
      const owner = await signup(app.server.url, "Iris");
      const room = await createRoom(app.server.url, owner, "deal", "Lighthouse deal");
      const bea = await signup(app.server.url, "Bea");
      const invite = await createInvite(owner, room, bea.user.email, "editor");
      expect(invite.url).toBe(`${app.server.url}/invite/${invite.token}#email=${encodeURIComponent(bea.user.email)}`);

      const mail = await emailTo(bea.user.email);
      expect(header(mail, "Subject")).toBe('Iris invited you to "Lighthouse deal" on Haven');
      expect(header(mail, "From")).toMatch(/<signin@haven\.example>$/);
      expect(mail).toContain('Iris invited you to "Lighthouse deal" (a deal room) on Haven, as editor.');
      expect(mail).toMatch(new RegExp(`text/plain[\\s\\S]*\\n${invite.url}\\r?\\n`));
      expect(mail).toContain(`<a href="${invite.url}">`);

      const page = await newPage();
      await page.goto(invite.url);
      await shows(() => page.getByTestId("invite-summary").textContent()).toContain(
        "Iris invited you to “Lighthouse deal” (deal) as editor",
      );
      expect(await page.getByTestId("auth-mode-login").getAttribute("aria-pressed")).toBe("true");
      expect(await page.getByTestId("auth-name").count()).toBe(0);
      // The address comes from the link's fragment, which the server never sees; the preview never names it.
      expect(await page.getByTestId("auth-email").inputValue()).toBe(bea.user.email);
      const bare = await newPage();
      await bare.goto(invite.url.split("#")[0] ?? "");
      await bare.getByTestId("invite-summary").waitFor();
      expect(await bare.getByTestId("auth-email").inputValue()).toBe("");
      expect(await bare.content()).not.toContain(bea.user.email);
      await bare.context().close();

      await page.getByTestId("auth-password").fill(PASSWORD);
      await page.getByTestId("auth-submit").click();
      await page.waitForURL(new RegExp(`/rooms/${encodeURIComponent(room.id)}$`));
      await shows(() => page.getByTestId("connection-state").textContent()).toBe("Connected");

      const res = await fetch(`${app.server.url}/api/rooms/${room.id}`, { headers: { Cookie: bea.cookie } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { room: Room }).room.role).toBe("editor");
      await page.context().close();
    },
  );
});
