import { describe, expect, it } from "vitest";
import { localCopyFits } from "./messages";

describe("localCopyFits", () => {
  it("keeps a copy of the document the socket is served", () => {
    expect(localCopyFits(null, null, false)).toBe(true);
    expect(localCopyFits("buyers", "buyers", false)).toBe(true);
  });

  it("drops a copy of another audience's document, either way", () => {
    expect(localCopyFits(null, "buyers", false)).toBe(false);
    expect(localCopyFits("buyers", null, false)).toBe(false);
    expect(localCopyFits("buyers", "sellers", true)).toBe(false);
  });

  it("takes an unrecorded copy as the room's own, and an empty one as anyone's", () => {
    expect(localCopyFits(undefined, null, false)).toBe(true);
    expect(localCopyFits(undefined, "buyers", false)).toBe(false);
    expect(localCopyFits(undefined, "buyers", true)).toBe(true);
  });
});
