import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import { type KeyDates, resolveDue } from "./dates";
import { cashPurchase, financedPurchase, instantiateTemplate, type Template, templateSchema } from "./templates";

const SAMPLE_KEY_DATES: KeyDates[] = [
  { acceptance: "2027-11-19", closing: "2027-12-20" },
  { acceptance: "2028-02-25", closing: "2028-03-27" },
  { acceptance: "2031-06-13", closing: "2031-07-14" },
  // A Saturday closing, and one 60 days out across New Year.
  { acceptance: "2027-12-02", closing: "2028-01-29" },
];

const tasksOf = (template: Template) => template.milestones.flatMap((milestone) => milestone.tasks);

/** A cycle in the template's dependencies as a list of keys, or null (a plain depth-first search). */
function findCycle(template: Template): string[] | null {
  const dependsOn = new Map(tasksOf(template).map((task) => [task.key, task.dependsOn]));
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (key: string): string[] | null => {
    if (state.get(key) === "done") return null;
    if (state.get(key) === "open") return [...path.slice(path.indexOf(key)), key];
    state.set(key, "open");
    path.push(key);
    for (const next of dependsOn.get(key) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(key, "done");
    return null;
  };
  for (const key of dependsOn.keys()) {
    const cycle = visit(key);
    if (cycle) return cycle;
  }
  return null;
}

describe.each([
  ["Financed purchase", financedPurchase, 8, 35],
  ["Cash purchase", cashPurchase, 6, 20],
] as const)("%s", (_name, template, milestones, minTasks) => {
  it("passes its schema and has a realistic shape", () => {
    expect(templateSchema.parse(template)).toEqual(template);
    expect(template.milestones).toHaveLength(milestones);
    expect(tasksOf(template).length).toBeGreaterThanOrEqual(minTasks);
    expect(tasksOf(template).length).toBeLessThanOrEqual(50);
  });

  it("depends only on its own tasks, without a cycle", () => {
    const keys = new Set(tasksOf(template).map((task) => task.key));
    for (const task of tasksOf(template)) for (const dependency of task.dependsOn) expect(keys).toContain(dependency);
    expect(findCycle(template)).toBeNull();
  });

  it("resolves every due date, closing-relative ones on or before closing, after acceptance", () => {
    for (const keyDates of SAMPLE_KEY_DATES) {
      for (const task of tasksOf(template)) {
        const due = resolveDue(task.due, keyDates);
        expect(Temporal.PlainDate.compare(due, keyDates.acceptance), task.key).toBe(1);
        if (task.due.anchor === "closing") {
          expect(Temporal.PlainDate.compare(due, keyDates.closing), `${task.key} ${due}`).toBeLessThanOrEqual(0);
        }
      }
    }
  });

  it("instantiates into tasks with resolved dates and caller-made ids", () => {
    let next = 0;
    const result = instantiateTemplate(template, SAMPLE_KEY_DATES[0] as KeyDates, () => `t${++next}`);
    if (!result.ok) throw new Error(result.error.message);
    const byKey = new Map(result.tasks.map((task) => [task.key, task]));
    expect(new Set(result.tasks.map((task) => task.id)).size).toBe(tasksOf(template).length);
    for (const task of result.tasks) {
      expect(task.dueDate).toBe(resolveDue(task.due, SAMPLE_KEY_DATES[0] as KeyDates));
      expect(task.dependsOn).toEqual(task.dependsOnKeys.map((key) => byKey.get(key)?.id));
    }
  });
});

describe("financed purchase dependencies", () => {
  const byKey = new Map(tasksOf(financedPurchase).map((task) => [task.key, task]));
  it("clears to close after the appraisal and signs after the final walk-through", () => {
    expect(byKey.get("clear_to_close")?.dependsOn).toContain("review_appraisal");
    expect(byKey.get("sign_closing_documents")?.dependsOn).toContain("final_walkthrough");
  });
  it("keeps the buyer's own tasks shared with the buyer", () => {
    for (const task of byKey.values()) if (task.assigneeRole === "buyer") expect(task.sharedWithBuyer).toBe(true);
  });
});

describe("template schema", () => {
  const withTask = (change: object): unknown => ({
    ...cashPurchase,
    milestones: [
      ...cashPurchase.milestones,
      {
        key: "extra",
        title: "Extra",
        tasks: [{ ...tasksOf(cashPurchase)[0], key: "extra_task", dependsOn: [], ...change }],
      },
    ],
  });
  it("refuses unknown dependencies, self-dependencies, duplicate keys, bad anchors and leaky classes", () => {
    const bad = [
      withTask({ dependsOn: ["no_such_task"] }),
      withTask({ dependsOn: ["extra_task"] }),
      withTask({ key: "open_escrow" }),
      withTask({ due: { anchor: "inspection", offset: 1, unit: "days" } }),
      withTask({ sharedWithBuyer: true, classification: "internal" }),
      withTask({ assigneeRole: "buyer", sharedWithBuyer: false }),
      withTask({ assigneeRole: "owner" }),
      withTask({ title: "" }),
      { ...cashPurchase, keyDates: ["acceptance"] },
      { ...cashPurchase, extra: true },
    ];
    for (const value of bad) expect(templateSchema.safeParse(value).success).toBe(false);
    const unknown = templateSchema.safeParse(withTask({ dependsOn: ["no_such_task"] }));
    expect(unknown.error?.issues[0]?.message).toContain("no_such_task");
  });

  it("makes nothing when the key dates are out of order", () => {
    let made = 0;
    const result = instantiateTemplate(cashPurchase, { acceptance: "2028-05-01", closing: "2028-04-01" }, () => {
      made += 1;
      return `t${made}`;
    });
    expect(result.ok || result.error.details.reason).toBe("closing_before_acceptance");
    expect(made).toBe(0);
  });
});
