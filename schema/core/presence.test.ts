import { describe, expect, it } from "vitest";
import { colorFor, presenceFromClient } from "./presence";

/** WCAG relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

describe("colorFor", () => {
  it("gives every user an avatar colour white initials read on at 4.5:1 or better", () => {
    const colors = new Set(Array.from({ length: 500 }, (_, i) => colorFor(`user-${i}-${i * 7919}`)));
    expect(colors.size).toBeGreaterThan(4);
    for (const color of colors) expect((1 + 0.05) / (luminance(color) + 0.05)).toBeGreaterThanOrEqual(4.5);
  });
});

describe("presenceFromClient", () => {
  it("keeps only a well-formed editing target", () => {
    expect(
      presenceFromClient({ editing: { checklistId: "c", itemId: "i", extra: 1 }, user: { name: "x" }, html: "<b>" }),
    ).toEqual({ editing: { checklistId: "c", itemId: "i" } });
    expect(presenceFromClient({ editing: { checklistId: "c".repeat(65), itemId: "i" } })).toEqual({ editing: null });
    expect(presenceFromClient({ editing: "c1" })).toEqual({ editing: null });
  });
});
