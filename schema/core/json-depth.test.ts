import { describe, expect, it } from "vitest";
import { nestsDeeperThan } from "./json-depth";

describe("nestsDeeperThan", () => {
  it("counts arrays and objects, not scalars", () => {
    expect(nestsDeeperThan(1, 0)).toBe(false);
    expect(nestsDeeperThan({ a: [1, { b: 2 }] }, 3)).toBe(false);
    expect(nestsDeeperThan({ a: [1, { b: 2 }] }, 2)).toBe(true);
  });

  it("answers for values far deeper than a recursive walk survives", () => {
    const deep = JSON.parse(`${"[".repeat(100_000)}${"]".repeat(100_000)}`) as unknown;
    expect(nestsDeeperThan(deep, 64)).toBe(true);
  });
});
