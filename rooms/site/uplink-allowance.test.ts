import { describe, expect, it } from "vitest";
import {
  UPLINK_BURST_PER_DEVICE,
  UPLINK_BURST_PER_KEY,
  UPLINK_BURST_PER_SITE,
  UPLINKS_PER_SECOND_PER_KEY,
} from "../../config";
import { UplinkAllowance } from "./uplink-allowance";

const T0 = 1_000_000;
const eui = (i: number) => i.toString(16).toUpperCase().padStart(16, "0");

describe("uplink allowance", () => {
  it("limits one sensor to its burst", () => {
    const allowance = new UplinkAllowance(T0);
    let taken = 0;
    for (let i = 0; i < UPLINK_BURST_PER_DEVICE + 10; i++) if (allowance.take("k", "A1", T0)) taken += 1;
    expect(taken).toBe(UPLINK_BURST_PER_DEVICE);
    expect(allowance.take("k", "B2", T0)).toBe(true);
  });

  it("limits one key however many new DevEUIs it invents, and refills with time", () => {
    const allowance = new UplinkAllowance(T0);
    let taken = 0;
    for (let i = 0; i < UPLINK_BURST_PER_KEY + 50; i++) if (allowance.take("k", eui(i), T0)) taken += 1;
    expect(taken).toBe(UPLINK_BURST_PER_KEY);
    expect(allowance.take("k", eui(99_999), T0)).toBe(false);
    expect(allowance.take("k", eui(99_999), T0 + Math.ceil(1000 / UPLINKS_PER_SECOND_PER_KEY))).toBe(true);
  });

  it("limits the site over all its keys", () => {
    const allowance = new UplinkAllowance(T0);
    let taken = 0;
    for (let i = 0; i < UPLINK_BURST_PER_SITE + 50; i++) if (allowance.take(`k${i % 5}`, eui(i), T0)) taken += 1;
    expect(taken).toBe(UPLINK_BURST_PER_SITE);
  });
});
