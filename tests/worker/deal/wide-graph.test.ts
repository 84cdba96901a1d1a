/**
 * A deal as wide as the benchmark's (bench/deal/): one task that 60 others wait for, each of them also waiting for
 * completed tasks, so completing it asks about more tasks than one SQLite statement may bind (100).
 */
import { expect, it } from "vitest";
import type { DealTask } from "../../../schema/deal/records";
import { dealTeam, run, setUpDeal, tasksOf } from "./deal-helpers";

const DEPENDENTS = 60;

it("completing a task 60 others wait for unblocks them all, and reopening it re-blocks them", async () => {
  const team = await dealTeam();
  await setUpDeal(team, null);
  const ok = async (name: string, args: unknown) => {
    const answer = await run(team.coordinator, team.room, name, args);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  };
  for (const id of ["done-a", "done-b", "hub"]) await ok("deal.task.create", { id, title: `Task ${id}` });
  await ok("deal.task.complete", { id: "done-a" });
  await ok("deal.task.complete", { id: "done-b" });
  for (let i = 0; i < DEPENDENTS; i++)
    await ok("deal.task.create", { id: `dep-${i}`, title: `Dependent ${i}`, dependsOn: ["hub", "done-a", "done-b"] });
  const dependents = (tasks: DealTask[]) => tasks.filter((task) => task.id.startsWith("dep-"));
  expect(dependents(await tasksOf(team)).every((task) => task.state === "BLOCKED")).toBe(true);

  await ok("deal.task.complete", { id: "hub" });
  const unblocked = dependents(await tasksOf(team));
  expect(unblocked).toHaveLength(DEPENDENTS);
  expect(unblocked.every((task) => task.state === "PENDING" && !task.blocked)).toBe(true);

  await ok("deal.task.reopen", { id: "hub" });
  expect(dependents(await tasksOf(team)).every((task) => task.state === "BLOCKED")).toBe(true);
});
