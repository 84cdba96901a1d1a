import { describe, expect, it } from "vitest";
import { flattenLine, isSingleLine, singleLineName } from "./text";

describe("singleLineName", () => {
  it("refuses CR, LF, TAB and every other C0 control, DEL and C1 inside a name, and trims the ends", () => {
    const name = singleLineName(20);
    for (const bad of ["a\r\nb", "a\nb", "a\rb", "a\tb", "a\u0000b", "a\u001bb", "a\u007fb", "a\u0085b", "a\u009fb"]) {
      expect(name.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(name.parse("  Zoë's house \n")).toBe("Zoë's house");
    expect(name.safeParse("   ").success).toBe(false);
    expect(name.safeParse("x".repeat(21)).success).toBe(false);
    expect(isSingleLine("Birch Lane — 2nd floor")).toBe(true);
  });

  it("flattens each run of control characters to one space", () => {
    expect(flattenLine("Ada\r\n\r\nBcc: eve\u0085x\t")).toBe("Ada Bcc: eve x");
  });
});
