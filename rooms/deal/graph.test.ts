import { describe, expect, it } from "vitest";
import { MAX_DEPENDENCIES_PER_TASK } from "../../config";
import { findCycle, TaskGraph, type TaskId } from "./graph";

/** A graph of `tasks` (in that deal order) and edges written "a>b" (a waits for b); it must build. */
function graph(tasks: string, ...edges: string[]): TaskGraph {
  const built = TaskGraph.build(
    tasks.split(" "),
    edges.map((edge) => edge.split(">") as [TaskId, TaskId]),
  );
  if (!built.ok) throw new Error(built.error.message);
  return built.graph;
}

const completed =
  (...tasks: TaskId[]) =>
  (task: TaskId) =>
    tasks.includes(task);

describe("dependency cycles", () => {
  it("refuses a cycle of two, naming it", () => {
    const g = graph("a b", "a>b");
    const result = g.addDependency("b", "a");
    expect(result).toEqual({
      ok: false,
      error: {
        code: "conflict",
        message: "That dependency would close a cycle: b → a → b",
        details: { cycle: ["b", "a", "b"] },
      },
    });
    expect(g.dependenciesOf("a")).toEqual({ direct: ["b"], indirect: [] });
    expect(g.dependenciesOf("b")).toEqual({ direct: [], indirect: [] });
  });

  it("refuses a cycle of three, in order, with the people's names when given", () => {
    const g = graph("a b c", "b>c", "c>a");
    const titles: Record<string, string> = { a: "Inspection", b: "Appraisal", c: "Loan approval" };
    const result = g.addDependency("a", "b", (id) => titles[id] ?? id);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.details).toEqual({ cycle: ["a", "b", "c", "a"] });
    expect(result.error.message).toBe(
      "That dependency would close a cycle: Inspection → Appraisal → Loan approval → Inspection",
    );
  });

  it("names a long cycle in order, and the shortest of two", () => {
    const ids = Array.from({ length: 40 }, (_, i) => `t${i}`);
    // t0 waits for t1, which waits for t2, … up to t39; t5 also waits for t39 directly (a shortcut).
    const chain = ids.slice(0, -1).map((id, i) => `${id}>${ids[i + 1]}`);
    const g = graph(ids.join(" "), ...chain, "t5>t39");
    const result = g.addDependency("t39", "t0");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.details).toEqual({ cycle: ["t39", "t0", "t1", "t2", "t3", "t4", "t5", "t39"] });
    const long = graph(ids.join(" "), ...chain).addDependency("t39", "t0");
    expect(long.ok || (long.error.details as { cycle: string[] }).cycle).toEqual(["t39", ...ids]);
  });

  it("refuses a task waiting for itself", () => {
    const g = graph("a");
    expect(g.addDependency("a", "a")).toEqual({
      ok: false,
      error: { code: "conflict", message: "A task cannot depend on itself: a", details: { cycle: ["a", "a"] } },
    });
    expect(findCycle(new Map(), "a", "a")).toEqual(["a", "a"]);
  });

  it("finds no cycle where a diamond merges again", () => {
    // d waits for b and c, both wait for a: adding d > a as well closes nothing.
    const g = graph("a b c d", "b>a", "c>a", "d>b", "d>c");
    expect(g.addDependency("d", "a")).toEqual({ ok: true, added: true });
    expect(g.addDependency("a", "d").ok).toBe(false);
  });

  it("refuses a task that is not in this deal (another deal's task is unknown here), changing nothing", () => {
    const g = graph("a b");
    for (const [task, dep] of [
      ["a", "other-deal-task"],
      ["other-deal-task", "a"],
    ] as const) {
      const result = g.addDependency(task, dep);
      expect(result).toEqual({
        ok: false,
        error: {
          code: "not_found",
          message: 'No task "other-deal-task" in this deal',
          details: { task: "other-deal-task" },
        },
      });
    }
    expect(g.has("other-deal-task")).toBe(false);
    expect(g.dependenciesOf("a")).toEqual({ direct: [], indirect: [] });
  });

  it("takes a repeated dependency as no change", () => {
    const g = graph("a b");
    expect(g.addDependency("a", "b")).toEqual({ ok: true, added: true });
    expect(g.addDependency("a", "b")).toEqual({ ok: true, added: false });
    expect(g.dependenciesOf("a").direct).toEqual(["b"]);
  });

  it(`refuses more than ${MAX_DEPENDENCIES_PER_TASK} dependencies for one task`, () => {
    const others = Array.from({ length: MAX_DEPENDENCIES_PER_TASK + 1 }, (_, i) => `d${i}`);
    const g = graph(["a", ...others].join(" "));
    for (const dep of others.slice(0, -1)) expect(g.addDependency("a", dep).ok).toBe(true);
    const over = g.addDependency("a", others.at(-1) as string);
    expect(over.ok || over.error.code).toBe("quota_exceeded");
    expect(g.dependenciesOf("a").direct).toHaveLength(MAX_DEPENDENCIES_PER_TASK);
  });

  it("refuses stored edges with a cycle, an unknown task or a self-dependency when it loads them", () => {
    const cyclic = TaskGraph.build(
      ["a", "b", "c"],
      [
        ["a", "b"],
        ["b", "c"],
        ["c", "a"],
      ],
    );
    expect(cyclic.ok || cyclic.error).toEqual({
      code: "conflict",
      message: "That dependency would close a cycle: a → b → c → a",
      details: { cycle: ["a", "b", "c", "a"] },
    });
    const unknown = TaskGraph.build(["a"], [["a", "x"]]);
    expect(unknown.ok || unknown.error.code).toBe("not_found");
    const self = TaskGraph.build(["a"], [["a", "a"]]);
    expect(self.ok || self.error.details).toEqual({ cycle: ["a", "a"] });
  });
});

describe("dependencies both ways", () => {
  it("lists direct and transitive dependencies and dependents of a diamond, in the stable order", () => {
    // a ← b, a ← c, b ← d, c ← d, d ← e: e waits for d, which waits for b and c, which wait for a.
    const g = graph("e d c b a", "b>a", "c>a", "d>b", "d>c", "e>d");
    expect(g.order()).toEqual(["a", "c", "b", "d", "e"]);
    expect(g.dependenciesOf("e")).toEqual({ direct: ["d"], indirect: ["a", "c", "b"] });
    expect(g.dependentsOf("a")).toEqual({ direct: ["c", "b"], indirect: ["d", "e"] });
    expect(g.dependenciesOf("d")).toEqual({ direct: ["c", "b"], indirect: ["a"] });
    expect(() => g.dependentsOf("zz")).toThrow(RangeError);
  });

  it("forgets a removed task's edges both ways and says who waited for it", () => {
    const g = graph("a b c", "b>a", "c>b");
    expect(g.removeTask("b")).toEqual(["c"]);
    expect(g.dependentsOf("a")).toEqual({ direct: [], indirect: [] });
    expect(g.dependenciesOf("c")).toEqual({ direct: [], indirect: [] });
    expect(g.removeDependency("c", "a")).toBe(false);
    expect(g.addDependency("a", "c")).toEqual({ ok: true, added: true });
  });
});

describe("unblocking and re-blocking", () => {
  it("unblocks the dependents that waited only for the completed task, in topological order", () => {
    // Deal order puts f, e first, but e waits (through the completed x) for d: d must come before e.
    const g = graph("f e d c x a", "c>a", "d>a", "e>a", "e>x", "x>d", "f>a", "f>c");
    const done = completed("x");
    expect(g.unblockedBy("a", done)).toEqual(["d", "c", "e"]);
    // f still waits for c; after c, f is free.
    expect(g.unblockedBy("c", completed("a", "x"))).toEqual(["f"]);
  });

  it("unblocks none of a diamond's join until both sides are done", () => {
    const g = graph("a b c d", "b>a", "c>a", "d>b", "d>c");
    expect(g.unblockedBy("a", completed())).toEqual(["b", "c"]);
    expect(g.unblockedBy("b", completed("a"))).toEqual([]);
    expect(g.unblockedBy("c", completed("a", "b"))).toEqual(["d"]);
    expect(g.unfinishedDependencies("d", completed("a", "b"))).toEqual(["c"]);
  });

  it("does not list a completed dependent as unblocked", () => {
    const g = graph("a b", "b>a");
    expect(g.unblockedBy("a", completed("b"))).toEqual([]);
  });

  it("re-blocks pending dependents on reopening; completed ones stay completed and are listed apart", () => {
    // b and c wait for a; d waits for b (completed); e waits for c (pending, so already blocked).
    const g = graph("a b c d e", "b>a", "c>a", "d>b", "e>c");
    const before = completed("a", "b");
    expect(g.reblockedBy("a", before)).toEqual({ blocked: ["c"], completedDownstream: ["b"] });
    // d waits only for the completed b: it is not blocked by a's reopening.
    expect(g.unfinishedDependencies("d", completed("b"))).toEqual([]);
    // A dependent that waits for another unfinished task was blocked already: no change to report.
    const g2 = graph("a z b", "b>a", "b>z");
    expect(g2.reblockedBy("a", completed("a"))).toEqual({ blocked: [], completedDownstream: [] });
  });

  it("keeps the stable order when edges are added later, whatever the order of loading", () => {
    const one = graph("a b c d", "d>a", "c>b");
    const two = graph("a b c d", "c>b", "d>a");
    expect(one.order()).toEqual(two.order());
    one.addDependency("a", "c");
    expect(one.order()).toEqual(["b", "c", "a", "d"]);
  });
});
