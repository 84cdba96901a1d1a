import { describe, expect, it } from "vitest";
import { addDays } from "./dates";
import {
  filterAssets,
  filterTasks,
  isAssetFiltered,
  isFiltered,
  NO_FILTER,
  readTaskFilter,
  type TaskFilter,
} from "./find";
import type { Asset, Task } from "./records";

const today = new Date().toISOString().slice(0, 10);

function asset(id: string, fields: Partial<Asset>): Asset {
  return {
    id,
    name: id,
    category: "other",
    location: "",
    make: "",
    model: "",
    serialNumber: "",
    purchaseDate: null,
    warrantyEnd: null,
    notes: "",
    photos: [],
    documents: [],
    archived: false,
    createdAt: 0,
    updatedAt: 0,
    ...fields,
  };
}

function task(id: string, fields: Partial<Task>): Task {
  return {
    id,
    assetId: null,
    title: id,
    notes: "",
    assignee: null,
    schedule: { type: "once", date: today },
    scheduleText: "",
    proof: null,
    review: null,
    leadDays: 1,
    occurrence: today,
    nextDue: today,
    archived: false,
    lastCompletedOn: null,
    lastCompletedBy: null,
    completions: 0,
    createdAt: 0,
    updatedAt: 0,
    ...fields,
  };
}

const heater = asset("heater", { name: "Water heater", category: "plumbing", location: "Basement" });
const furnace = asset("furnace", { name: "Furnace", category: "hvac", location: "Basement closet" });
const assets = new Map([heater, furnace].map((a) => [a.id, a]));
const assetOf = (id: string) => assets.get(id);

const tasks = [
  task("flush", { title: "Flush the tank", assetId: "heater", nextDue: addDays(today, -3), assignee: "mo" }),
  task("filter", { title: "Change the filter", assetId: "furnace", nextDue: addDays(today, 3), notes: "16x25" }),
  task("gutters", { title: "Clean gutters", nextDue: addDays(today, 40) }),
  task("done", { title: "Paint the fence", nextDue: null, occurrence: null }),
];

const ids = (filter: Partial<TaskFilter>) =>
  filterTasks(tasks, { ...NO_FILTER, ...filter }, assetOf, today).map((t) => t.id);

describe("filterTasks", () => {
  it("lets everything through with no filter", () => {
    expect(ids({})).toEqual(["flush", "filter", "gutters", "done"]);
  });

  it("searches title, notes and the asset's name, every word, ignoring case", () => {
    expect(ids({ q: "FLUSH" })).toEqual(["flush"]);
    expect(ids({ q: "16x25" })).toEqual(["filter"]);
    expect(ids({ q: "water heater" })).toEqual(["flush"]);
    expect(ids({ q: "clean furnace" })).toEqual([]);
  });

  it("filters by the asset's category and location", () => {
    expect(ids({ category: "hvac" })).toEqual(["filter"]);
    expect(ids({ location: "basement" })).toEqual(["flush", "filter"]);
    expect(ids({ location: "closet" })).toEqual(["filter"]);
  });

  it("filters by assignee, 'everyone' meaning unassigned", () => {
    expect(ids({ assignee: "mo" })).toEqual(["flush"]);
    expect(ids({ assignee: "everyone" })).toEqual(["filter", "gutters", "done"]);
  });

  it("filters by when it is due, relative to today", () => {
    expect(ids({ due: "overdue" })).toEqual(["flush"]);
    expect(ids({ due: "week" })).toEqual(["filter"]);
    expect(ids({ due: "none" })).toEqual(["done"]);
    const month = ids({ due: "month" });
    expect(month.includes("filter")).toBe(addDays(today, 3).slice(0, 7) === today.slice(0, 7));
    expect(month).not.toContain("flush");
    expect(month).not.toContain("gutters");
  });

  it("combines filters", () => {
    expect(ids({ location: "basement", due: "overdue" })).toEqual(["flush"]);
    expect(ids({ category: "plumbing", assignee: "everyone" })).toEqual([]);
  });

  it("narrows 2,000 tasks in well under a frame's budget per keystroke", () => {
    const many = Array.from({ length: 2000 }, (_, i) =>
      task(`t${i}`, { title: `Task ${i}`, assetId: i % 2 ? "heater" : "furnace", notes: `note ${i}` }),
    );
    const started = performance.now();
    for (const q of ["t", "ta", "tas", "task", "task 1", "task 19"])
      filterTasks(many, { ...NO_FILTER, q }, assetOf, today);
    expect((performance.now() - started) / 6).toBeLessThan(16);
    expect(filterTasks(many, { ...NO_FILTER, q: "task 1999" }, assetOf, today)).toHaveLength(1);
  });
});

describe("readTaskFilter", () => {
  it("reads a URL query, dropping values it does not know", () => {
    expect(readTaskFilter({ q: "filter", category: "hvac", due: "overdue", assignee: "mo" })).toEqual({
      q: "filter",
      category: "hvac",
      location: "",
      assignee: "mo",
      due: "overdue",
    });
    expect(readTaskFilter({ category: "spaceship", due: "someday", q: ["a", "b"] })).toEqual({ ...NO_FILTER, q: "a" });
    expect(readTaskFilter({ q: "x".repeat(201) })).toEqual(NO_FILTER);
    expect(isFiltered(NO_FILTER)).toBe(false);
    expect(isFiltered({ ...NO_FILTER, due: "none" })).toBe(true);
  });
});

describe("filterAssets", () => {
  const list = [heater, furnace, asset("fridge", { name: "Fridge", category: "appliance", make: "Bosch" })];
  const names = (filter: Partial<TaskFilter>) => filterAssets(list, { ...NO_FILTER, ...filter }).map((a) => a.id);

  it("searches name, notes, make, model and location, and filters by category and location", () => {
    expect(names({})).toEqual(["heater", "furnace", "fridge"]);
    expect(names({ q: "bosch" })).toEqual(["fridge"]);
    expect(names({ q: "basement" })).toEqual(["heater", "furnace"]);
    expect(names({ category: "hvac" })).toEqual(["furnace"]);
    expect(names({ location: "closet" })).toEqual(["furnace"]);
    expect(names({ q: "heater", category: "hvac" })).toEqual([]);
  });

  it("ignores the task-only filters", () => {
    expect(names({ due: "overdue", assignee: "mo" })).toEqual(["heater", "furnace", "fridge"]);
    expect(isAssetFiltered({ ...NO_FILTER, due: "overdue" })).toBe(false);
    expect(isAssetFiltered({ ...NO_FILTER, location: "Attic" })).toBe(true);
  });
});
