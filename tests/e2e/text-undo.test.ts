/**
 * Undo and redo inside a shared text field, in two Chromium windows: Ctrl+Z takes back the
 * person's own last typing, never the co-editor's, also after the co-editor's typing has
 * arrived in the same field; Ctrl+Shift+Z and Ctrl+Y bring it back; the caret is where it
 * was; and the room-level undo (structural changes, outside a field) is not run as well.
 */
import type { BrowserContext, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { openChecklists, signUpInBrowser, useAppInChromium } from "./chromium";

const app = useAppInChromium("text-undo");
let ann: { page: Page; context: BrowserContext; email: string };
let bo: { page: Page; context: BrowserContext; email: string };

async function person(name: string): Promise<{ page: Page; context: BrowserContext; email: string }> {
  const context = await app.browser.newContext({ baseURL: app.server.url });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const email = `${name.toLowerCase()}-${crypto.randomUUID().slice(0, 6)}@example.com`;
  await signUpInBrowser(page, name, email, "a long enough password");
  return { page, context, email };
}

const field = (page: Page, testId: string) => page.getByTestId(testId).first();
const value = (page: Page, testId: string) => field(page, testId).inputValue();
const caret = (page: Page, testId: string) =>
  field(page, testId).evaluate((el) => (el as HTMLTextAreaElement).selectionStart);
/** Both screens show `text` in the field. */
async function bothShow(testId: string, text: string): Promise<void> {
  for (const page of [ann.page, bo.page]) await expect.poll(() => value(page, testId)).toBe(text);
}

beforeAll(async () => {
  ann = await person("Ann");
  bo = await person("Bo");
  await ann.page.getByTestId("create-room-name").fill("Shared home");
  await ann.page.getByTestId("create-room-submit").click();
  await ann.page.getByTestId("room-link").first().click();
  await ann.page.getByTestId("room-people-link").waitFor();
  const roomId = new URL(ann.page.url()).pathname.split("/").pop() ?? "";
  const invite = await ann.page.request.post(`/api/rooms/${roomId}/invites`, {
    data: { email: bo.email, role: "editor" },
    headers: { Origin: app.server.url },
  });
  const { invite: created } = (await invite.json()) as { invite: { token: string } };
  await bo.page.request.post(`/api/invites/${created.token}/accept`, { headers: { Origin: app.server.url } });
  await bo.page.goto(`/rooms/${roomId}`);
  await openChecklists(ann.page);
  await openChecklists(bo.page);
  await ann.page.getByTestId("new-checklist-title").fill("Spring");
  await ann.page.getByTestId("new-checklist-submit").click();
  await ann.page.getByTestId("new-item-input").fill("abc");
  await ann.page.getByTestId("new-item-input").press("Enter");
  await bo.page.getByTestId("item-text").first().waitFor();
  for (let tries = 0; (await value(bo.page, "item-text")) !== "abc"; tries++) {
    if (tries > 200) throw new Error("Bo never saw the item");
    await new Promise((r) => setTimeout(r, 50));
  }
});

describe("undo in a shared text field", () => {
  it("takes back only Ann's own typing after Bo's arrived, on both screens, and redoes it", async () => {
    await field(ann.page, "item-text").focus();
    await ann.page.keyboard.press("Control+End");
    await field(ann.page, "item-text").pressSequentially(" xyz", { delay: 20 });
    await bothShow("item-text", "abc xyz");
    await field(bo.page, "item-text").focus();
    await bo.page.keyboard.press("Control+Home");
    await field(bo.page, "item-text").pressSequentially("123 ", { delay: 20 });
    await bothShow("item-text", "123 abc xyz");

    await ann.page.keyboard.press("Control+z");
    await bothShow("item-text", "123 abc");
    // Where it was before she typed: after "abc", moved along by Bo's "123 ".
    expect(await caret(ann.page, "item-text")).toBe("123 abc".length);
    expect(await caret(bo.page, "item-text")).toBe("123 ".length);

    await ann.page.keyboard.press("Control+Shift+z");
    await bothShow("item-text", "123 abc xyz");
    expect(await caret(ann.page, "item-text")).toBe("123 abc xyz".length);
  });

  it("takes back only Bo's typing when Bo undoes, with his caret where it was, and Ctrl+Y redoes it", async () => {
    await bo.page.keyboard.press("Control+z");
    await bothShow("item-text", "abc xyz");
    expect(await caret(bo.page, "item-text")).toBe(0);
    // Ann's caret stays after her own " xyz".
    expect(await caret(ann.page, "item-text")).toBe("abc xyz".length);
    await bo.page.keyboard.press("Control+y");
    await bothShow("item-text", "123 abc xyz");
    expect(await caret(bo.page, "item-text")).toBe("123 ".length);
  });

  it("ends an undo step where Ann moves her caret, as a browser's own undo does", async () => {
    await field(ann.page, "item-text").focus();
    await ann.page.keyboard.press("Control+End");
    await field(ann.page, "item-text").pressSequentially("!", { delay: 20 });
    await ann.page.keyboard.press("Control+Home");
    await field(ann.page, "item-text").pressSequentially("> ", { delay: 20 });
    await bothShow("item-text", "> 123 abc xyz!");
    await ann.page.keyboard.press("Control+z");
    await bothShow("item-text", "123 abc xyz!");
    expect(await caret(ann.page, "item-text")).toBe(0);
    await ann.page.keyboard.press("Control+z");
    await bothShow("item-text", "123 abc xyz");
    expect(await caret(ann.page, "item-text")).toBe("123 abc xyz".length);
  });

  it("does not also undo a structural change from inside a field, and outside one undoes only that", async () => {
    await ann.page.getByTestId("item-done").first().check();
    await expect.poll(() => bo.page.getByTestId("item").first().getAttribute("data-done")).toBe("true");
    await field(ann.page, "item-text").focus();
    await ann.page.keyboard.press("Control+End");
    await field(ann.page, "item-text").pressSequentially(" done", { delay: 20 });
    await bothShow("item-text", "123 abc xyz done");

    await ann.page.keyboard.press("Control+z");
    await bothShow("item-text", "123 abc xyz");
    // Further Ctrl+Z in the field reach back to her older typing only, never to the tick.
    for (let i = 0; i < 4; i++) await ann.page.keyboard.press("Control+z");
    await bothShow("item-text", "123 abc");
    expect(await bo.page.getByTestId("item").first().getAttribute("data-done")).toBe("true");

    // Outside a field, Ctrl+Z takes back her last structural change (the tick), not typing.
    await ann.page.locator("#main h1").click();
    await ann.page.keyboard.press("Control+z");
    await expect.poll(() => bo.page.getByTestId("item").first().getAttribute("data-done")).toBe("false");
    expect(await value(bo.page, "item-text")).toBe("123 abc");
  });

  it("undoes Ann's typing in a checklist title, keeping Bo's", async () => {
    await field(ann.page, "checklist-title").focus();
    await ann.page.keyboard.press("Control+End");
    await field(ann.page, "checklist-title").pressSequentially(" cleaning", { delay: 20 });
    await bothShow("checklist-title", "Spring cleaning");
    await field(bo.page, "checklist-title").focus();
    await bo.page.keyboard.press("Control+Home");
    await field(bo.page, "checklist-title").pressSequentially("Big ", { delay: 20 });
    await bothShow("checklist-title", "Big Spring cleaning");

    await ann.page.keyboard.press("Control+z");
    await bothShow("checklist-title", "Big Spring");
    expect(await caret(ann.page, "checklist-title")).toBe("Big Spring".length);
    await ann.page.keyboard.press("Control+Shift+z");
    await bothShow("checklist-title", "Big Spring cleaning");
    expect(await caret(ann.page, "checklist-title")).toBe("Big Spring cleaning".length);
    await bo.page.keyboard.press("Control+z");
    await bothShow("checklist-title", "Spring cleaning");
    expect(await caret(bo.page, "checklist-title")).toBe(0);
  });
});
