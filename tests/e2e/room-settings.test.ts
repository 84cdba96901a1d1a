/**
 * Renaming, archiving and deleting a room in the browser, as its owner would, with a
 * second member watching the room disappear.
 */
import { describe, expect, it } from "vitest";
import { openPeople, useAppInChromium } from "./chromium";
import { addMember, connect, createRoom, type Session, signup, waitFor, whenSynced } from "./clients";

const app = useAppInChromium("room-settings");

describe("room settings", () => {
  it("renames, archives, brings back and deletes a room; members are closed out", async () => {
    const context = await app.browser.newContext({ baseURL: app.server.url });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const email = `owner-${crypto.randomUUID().slice(0, 6)}@example.com`;
    await page.goto("/");
    await page.getByTestId("auth-mode-signup").click();
    await page.getByTestId("auth-name").fill("Olive");
    await page.getByTestId("auth-email").fill(email);
    await page.getByTestId("auth-password").fill("a long enough password");
    await page.getByTestId("auth-submit").click();
    await page.getByTestId("create-room-name").fill("Maple");
    await page.getByTestId("create-room-submit").click();
    await page.getByTestId("room-link").first().click();
    await page.getByTestId("room-people-link").waitFor();
    const roomId = new URL(page.url()).pathname.split("/").pop() ?? "";
    await openPeople(page);
    await page.getByTestId("room-settings").waitFor();

    await page.getByTestId("room-rename-input").fill("Maple Street");
    await page.getByTestId("room-rename-submit").click();
    await expect.poll(() => page.getByTestId("room-name").textContent()).toBe("Maple Street");

    await page.getByTestId("room-archive").click();
    await page.getByTestId("room-archived").waitFor();
    await page.goto("/rooms");
    await page.getByTestId("archived-rooms").waitFor();
    expect(await page.getByTestId("room-list").getByTestId("room-link").count()).toBe(0);
    await page.getByTestId("archived-rooms").locator("summary").click();
    await page.getByTestId("archived-rooms").getByTestId("room-link").click();
    await openPeople(page);
    await page.getByTestId("room-unarchive").click();
    await expect.poll(() => page.getByTestId("room-archived").count()).toBe(0);

    // Another member has the room open while it is deleted.
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const owner = { user: { id: "", email, name: "Olive" }, cookie };
    const member = await addMember(
      app.server.url,
      owner,
      { id: roomId, kind: "property", name: "Maple Street", role: "owner", archived: false },
      "editor",
      "Mo",
    );
    const watcher = connect(app.server.url, member, "property", roomId);
    await whenSynced(watcher);
    let closedWith = 0;
    watcher.on("connection-close", (event: { code: number } | null) => {
      if (event) closedWith = event.code;
    });
    watcher.shouldConnect = true;

    await page.getByTestId("room-delete").click();
    await page.getByTestId("room-delete-confirm").click();
    await page.waitForURL("**/rooms");
    await expect.poll(() => page.getByTestId("room-link").count()).toBe(0);
    await waitFor(() => closedWith === 4403, "the member's socket to be closed");
    watcher.destroy();
    await context.close();
  });

  it("offers Leave to every member but a room's only owner; a member who leaves is out at once", async () => {
    const owner = await signup(app.server.url, "Una");
    const room = await createRoom(app.server.url, owner, "property", "Birch Lane");
    const viewer = await addMember(app.server.url, owner, room, "viewer", "Vic");
    const admin = await addMember(app.server.url, owner, room, "admin", "Abe");
    const pageFor = async (session: Session) => {
      const context = await app.browser.newContext({ baseURL: app.server.url });
      context.setDefaultTimeout(15_000);
      const [name, value] = session.cookie.split("=", 2) as [string, string];
      await context.addCookies([{ name, value, url: app.server.url }]);
      return context.newPage();
    };

    // The only owner is told how to leave instead of being offered a Leave the server refuses.
    const ownerPage = await pageFor(owner);
    await ownerPage.goto(`/rooms/${room.id}/people`);
    const ownRow = ownerPage.locator(`[data-testid="member-row"][data-user-id="${owner.user.id}"]`);
    await ownRow.getByTestId("sole-owner-note").waitFor();
    expect(await ownRow.getByTestId("member-remove").count()).toBe(0);
    expect(await ownRow.getByTestId("member-role").isDisabled()).toBe(true);
    // An admin may leave from their own row.
    const adminPage = await pageFor(admin);
    await adminPage.goto(`/rooms/${room.id}/people`);
    const adminRow = adminPage.locator(`[data-testid="member-row"][data-user-id="${admin.user.id}"]`);
    await adminRow.getByTestId("member-remove").waitFor();

    // A viewer manages nobody, and leaves from the same page.
    const page = await pageFor(viewer);
    await page.goto(`/rooms/${room.id}`);
    await expect.poll(() => page.getByTestId("room-people-link").textContent()).toContain("Membership");
    await openPeople(page);
    expect(await page.getByTestId("members-panel").count()).toBe(0);
    await page.getByTestId("leave-room-button").click();
    await page.getByTestId("leave-room-button-confirm").click();
    await page.waitForURL("**/rooms");
    await expect.poll(() => page.getByTestId("toast").first().textContent()).toContain("You left “Birch Lane”");
    const res = await fetch(`${app.server.url}/api/rooms/${room.id}`, { headers: { Cookie: viewer.cookie } });
    expect(res.status).toBe(404);
    await ownerPage.reload();
    await expect.poll(() => ownerPage.getByTestId("member-row").count()).toBe(2);
    for (const p of [ownerPage, adminPage, page]) await p.context().close();
  });
});
