/**
 * A home's task pages as people reported them: the overdue card's red bar clear of its text,
 * the schedule form's "Repeats" in one tidy row with a preview naming the first due date, and
 * a task's history that updates in a second browser when someone else marks it done.
 */
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { Room } from "../../schema/core/api";
import { axeViolations } from "./axe";
import { useAppInChromium } from "./chromium";
import { addMember, createRoom, dayFromToday, type Session, signup } from "./clients";

const UI_TIMEOUT_MS = 15_000;
const SHOTS = "/tmp/shots/homes";
const WIDTHS = [1280, 390] as const;

const app = useAppInChromium("home-tasks");

async function signedIn(session: Session, width = 1280): Promise<{ context: BrowserContext; page: Page }> {
  const context = await app.browser.newContext({ baseURL: app.server.url, viewport: { width, height: 900 } });
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  const [name, value] = session.cookie.split("=", 2) as [string, string];
  await context.addCookies([{ name, value, url: app.server.url }]);
  return { context, page: await context.newPage() };
}

/** Runs a command as `session` through the app's API and returns its result. */
async function command(session: Session, room: Room, name: string, args: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${app.server.url}/api/rooms/${room.id}/commands`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Cookie: session.cookie },
    body: JSON.stringify({ name, args, key: `e2e-${crypto.randomUUID()}` }),
  });
  if (!res.ok) throw new Error(`${name}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

async function homeWithOverdueTask(): Promise<{ owner: Session; room: Room; taskId: string }> {
  const owner = await signup(app.server.url, "Olive");
  const room = await createRoom(app.server.url, owner, "property", "Maple House");
  const made = await command(owner, room, "task.create", {
    title: "Clean the gutters before the winter storms arrive",
    schedule: { type: "once", date: dayFromToday(-30).date },
  });
  const result = (made.result ?? made) as { id: string };
  return { owner, room, taskId: result.id };
}

type Box = { x: number; y: number; width: number; height: number };
const intersects = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe("a home's tasks", () => {
  it("draws the overdue card's red bar clear of the task's text at 1280 and 390 px", async () => {
    const { owner, room } = await homeWithOverdueTask();
    for (const width of WIDTHS) {
      const { context, page } = await signedIn(owner, width);
      await page.goto(`/rooms/${room.id}`);
      const row = page.getByTestId("overdue-list").getByTestId("task-row").first();
      await row.waitFor();
      const boxes = await row.evaluate((li) => {
        const box = (el: Element | null) => {
          const r = (el ?? li).getBoundingClientRect();
          return { x: r.x, y: r.y, width: r.width, height: r.height };
        };
        // The bar is the row's inset shadow: "rgb(…) 3px 0px 0px 0px inset" is 3 px at its left edge.
        const shadow = getComputedStyle(li).boxShadow;
        const barWidth = Number(/\)\s+(\d+(?:\.\d+)?)px/.exec(shadow)?.[1] ?? 0);
        const row = box(li);
        return {
          bar: { ...row, width: barWidth },
          title: box(li.querySelector(".task-title")),
          meta: box(li.querySelector(".task-meta")),
        };
      });
      expect(boxes.bar.width).toBeGreaterThan(0);
      expect(intersects(boxes.bar, boxes.title)).toBe(false);
      expect(intersects(boxes.bar, boxes.meta)).toBe(false);
      expect(await axeViolations(page)).toEqual([]);
      for (const scheme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.screenshot({ path: `${SHOTS}/dashboard-${width}-${scheme}.png`, fullPage: true });
      }
      await context.close();
    }
  });

  it("says on the rooms list what is overdue and due today, and follows a task marked done", async () => {
    const { owner, room, taskId } = await homeWithOverdueTask();
    await command(owner, room, "task.create", {
      title: "Water the ferns",
      schedule: { type: "once", date: dayFromToday(0).date },
    });
    const { context, page } = await signedIn(owner, 390);
    await page.goto("/rooms");
    const glance = page.locator(`[data-room-id="${room.id}"]`).getByTestId("room-glance");
    await expect.poll(() => glance.textContent()).toBe("1 overdue · 1 due today");
    await command(owner, room, "task.complete", { id: taskId, occurrence: dayFromToday(-30).date });
    await page.reload();
    await expect.poll(() => glance.textContent()).toBe("1 due today");
    await page.screenshot({ path: `${SHOTS}/rooms-list-390.png` });
    await context.close();
  });

  it("lays out 'Repeats' in one row and previews the first due date as the person chooses", async () => {
    const { owner, room } = await homeWithOverdueTask();
    for (const width of WIDTHS) {
      const { context, page } = await signedIn(owner, width);
      await page.goto(`/rooms/${room.id}`);
      await page.getByTestId("tab-tasks").click();
      await page.getByTestId("add-task").click();
      await page.getByTestId("task-title").fill("Service the boiler");

      const segments = await page.locator(".schedule-builder .segment").evaluateAll((els) =>
        els.map((el) => {
          const r = el.getBoundingClientRect();
          return { top: Math.round(r.top), width: Math.round(r.width) };
        }),
      );
      expect(segments).toHaveLength(3);
      expect(new Set(segments.map((s) => s.top)).size).toBe(1);
      expect(new Set(segments.map((s) => s.width)).size).toBe(1);

      // Every 3 months on the 1st, from a start 40 days ahead: the first 1st of a month on or after it
      // whose month is a multiple of 3 months from the start's month (the start's own, or 3 months on).
      const start = dayFromToday(40).date;
      await page.getByTestId("task-preset").selectOption("quarterly");
      await page.getByTestId("task-start").fill(start);
      const [y, m, d] = start.split("-").map(Number) as [number, number, number];
      const first = new Date(Date.UTC(y, m - 1 + (d === 1 ? 0 : 3), 1, 12));
      const expected = [
        first.toLocaleDateString("en-GB", { weekday: "short", timeZone: "UTC" }),
        first.getUTCDate(),
        first.toLocaleDateString("en-GB", { month: "short", timeZone: "UTC" }),
        first.getUTCFullYear(),
      ].join(" ");
      await expect
        .poll(() => page.getByTestId("schedule-words").textContent())
        .toBe(`First due ${expected}, then every 3 months on the 1st`);

      await page.getByTestId("repeats-after_completion").check();
      await page.getByTestId("task-every").fill("2");
      await page.getByTestId("task-unit").selectOption("week");
      await expect
        .poll(() => page.getByTestId("schedule-words").textContent())
        .toMatch(/^First due .+, then 2 weeks after/);
      await page.getByTestId("repeats-calendar").check();
      expect(await axeViolations(page)).toEqual([]);
      for (const scheme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.locator(".schedule-builder").screenshot({ path: `${SHOTS}/schedule-${width}-${scheme}.png` });
      }
      await context.close();
    }
  });

  it("updates a task's history in a second browser when someone marks it done", async () => {
    const { owner, room, taskId } = await homeWithOverdueTask();
    const moSession = await addMember(app.server.url, owner, room, "editor", "Mo");
    const olive = await signedIn(owner);
    const mo = await signedIn(moSession);
    for (const page of [olive.page, mo.page]) {
      await page.goto(`/rooms/${room.id}/tasks/${taskId}`);
      await page.getByText("Not done yet.").waitFor();
    }
    await mo.page.getByTestId("action-done").click();
    await mo.page.getByTestId("done-submit").click();
    for (const page of [mo.page, olive.page]) {
      await expect.poll(() => page.getByTestId("history-list").locator("li").count()).toBe(1);
      expect(await page.getByTestId("history-list").textContent()).toContain("by Mo");
    }
    await olive.context.close();
    await mo.context.close();
  });

  it("takes 'Done' back from its toast, and a second browser sees the task due again", async () => {
    const { owner, room, taskId } = await homeWithOverdueTask();
    const moSession = await addMember(app.server.url, owner, room, "editor", "Mo");
    const olive = await signedIn(owner);
    const mo = await signedIn(moSession);
    for (const page of [olive.page, mo.page]) {
      await page.goto(`/rooms/${room.id}`);
      await page.getByTestId("overdue-list").waitFor();
    }
    const row = (page: Page) => page.getByTestId("overdue-list").getByTestId("task-row").filter({ hasText: "gutters" });
    await row(olive.page).getByTestId("task-done").click();
    const toast = olive.page.getByTestId("toast").filter({ hasText: "marked done" });
    await toast.waitFor();
    await expect.poll(() => row(mo.page).count()).toBe(0);
    await toast.getByTestId("toast-action").click();
    await olive.page.getByTestId("toast").filter({ hasText: "not done after all" }).waitFor();
    for (const page of [olive.page, mo.page]) await expect.poll(() => row(page).count()).toBe(1);
    const history = await fetch(`${app.server.url}/api/rooms/${room.id}/tasks/${taskId}/history`, {
      headers: { Cookie: owner.cookie },
    });
    expect(((await history.json()) as { entries: unknown[] }).entries).toEqual([]);
    await olive.context.close();
    await mo.context.close();
  });

  it("finds tasks by search and each filter, kept in the URL through a reload, and says when none match", async () => {
    const owner = await signup(app.server.url, "Olive");
    const room = await createRoom(app.server.url, owner, "property", "Birch House");
    const mo = await addMember(app.server.url, owner, room, "editor", "Mo");
    const made = async (name: string, args: unknown) =>
      ((await command(owner, room, name, args)).result as { id: string }).id;
    const heater = await made("asset.create", { name: "Water heater", category: "plumbing", location: "Basement" });
    const furnace = await made("asset.create", { name: "Furnace", category: "hvac", location: "Attic" });
    const once = (days: number) => ({ type: "once", date: dayFromToday(days).date });
    await made("task.create", { title: "Flush the tank", assetId: heater, assignee: mo.user.id, schedule: once(-30) });
    await made("task.create", { title: "Change the filter", assetId: furnace, schedule: once(3) });
    await made("task.create", { title: "Clean the gutters", notes: "ladder in the shed", schedule: once(60) });
    const fence = await made("task.create", { title: "Paint the fence", schedule: once(-40) });
    await command(owner, room, "task.complete", { id: fence, occurrence: dayFromToday(-40).date });

    const { context, page } = await signedIn(owner);
    await page.goto(`/rooms/${room.id}`);
    await page.getByTestId("tab-tasks").click();
    const titles = async () => (await page.getByTestId("task-row").getByTestId("task-link").allTextContents()).sort();
    await expect.poll(titles).toEqual(["Change the filter", "Clean the gutters", "Flush the tank", "Paint the fence"]);

    await page.getByTestId("filter-q").fill("ladder");
    await expect.poll(titles).toEqual(["Clean the gutters"]);
    await page.getByTestId("filter-q").fill("water heater");
    await expect.poll(titles).toEqual(["Flush the tank"]);
    await page.reload();
    await expect.poll(titles).toEqual(["Flush the tank"]);
    expect(await page.getByTestId("filter-q").inputValue()).toBe("water heater");
    await page.getByTestId("filter-q").fill("");

    const cases: [string, string, string[]][] = [
      ["filter-category", "hvac", ["Change the filter"]],
      ["filter-location", "Basement", ["Flush the tank"]],
      ["filter-assignee", mo.user.id, ["Flush the tank"]],
      ["filter-due", "overdue", ["Flush the tank"]],
      ["filter-due", "week", ["Change the filter"]],
      ["filter-due", "none", ["Paint the fence"]],
    ];
    for (const [control, value, expected] of cases) {
      await page.getByTestId(control).selectOption(value);
      await expect.poll(titles).toEqual(expected);
      await page.reload();
      await expect.poll(titles).toEqual(expected);
      expect(await page.getByTestId(control).inputValue()).toBe(value);
      await page.getByTestId(control).selectOption("");
    }

    await page.getByTestId("filter-category").selectOption("garden");
    await page.getByTestId("tasks-none-found").waitFor();
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      expect(await axeViolations(page)).toEqual([]);
      for (const scheme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.screenshot({ path: `${SHOTS}/tasks-none-found-${width}-${scheme}.png`, fullPage: true });
      }
    }
    await page.getByTestId("filters-clear").click();
    await expect.poll(titles).toHaveLength(4);
    expect(new URL(page.url()).searchParams.get("category")).toBeNull();
    await page.getByTestId("filter-location").selectOption("Attic");
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      expect(await axeViolations(page)).toEqual([]);
      for (const scheme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.screenshot({ path: `${SHOTS}/tasks-filtered-${width}-${scheme}.png`, fullPage: true });
      }
    }
    await context.close();
  });

  it("finds assets by search, category and location, kept through a reload", async () => {
    const owner = await signup(app.server.url, "Olive");
    const room = await createRoom(app.server.url, owner, "property", "Cedar House");
    for (const args of [
      { name: "Water heater", category: "plumbing", location: "Basement", make: "Rheem" },
      { name: "Furnace", category: "hvac", location: "Basement" },
      { name: "Fridge", category: "appliance", location: "Kitchen" },
    ])
      await command(owner, room, "asset.create", args);
    const { context, page } = await signedIn(owner);
    await page.goto(`/rooms/${room.id}`);
    await page.getByTestId("tab-assets").click();
    const names = async () => (await page.locator("[data-testid=asset-row] .asset-name").allTextContents()).sort();
    await expect.poll(names).toEqual(["Fridge", "Furnace", "Water heater"]);
    expect(await page.getByTestId("filter-assignee").count()).toBe(0);

    await page.getByTestId("filter-q").fill("rheem");
    await expect.poll(names).toEqual(["Water heater"]);
    await page.getByTestId("filter-q").fill("");
    await page.getByTestId("filter-location").selectOption("Basement");
    await expect.poll(names).toEqual(["Furnace", "Water heater"]);
    await page.getByTestId("filter-category").selectOption("hvac");
    await expect.poll(names).toEqual(["Furnace"]);
    await page.reload();
    await expect.poll(names).toEqual(["Furnace"]);
    expect(await page.getByTestId("filter-location").inputValue()).toBe("Basement");

    await page.getByTestId("filter-category").selectOption("garden");
    await page.getByTestId("assets-none-found").waitFor();
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: `${SHOTS}/assets-none-found-${width}.png`, fullPage: true });
    }
    await page.getByTestId("asset-filters-clear").click();
    await expect.poll(names).toHaveLength(3);
    await context.close();
  });
});
