import { describe, expect, it } from "vitest";
import { TokenBucket } from "./token-bucket";

describe("TokenBucket", () => {
  it("allows a burst up to its capacity, then refills at its rate", () => {
    const bucket = new TokenBucket(3, 2, 0);
    expect([bucket.take(1, 0), bucket.take(1, 0), bucket.take(1, 0), bucket.take(1, 0)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(bucket.take(1, 400)).toBe(false);
    expect(bucket.take(1, 500)).toBe(true);
    expect(bucket.take(1, 10_000)).toBe(true);
    expect(bucket.take(3, 10_000)).toBe(false);
  });

  it("takes nothing when a cost does not fit", () => {
    const bucket = new TokenBucket(10, 1, 0);
    expect(bucket.take(11, 0)).toBe(false);
    expect(bucket.take(10, 0)).toBe(true);
  });
});
